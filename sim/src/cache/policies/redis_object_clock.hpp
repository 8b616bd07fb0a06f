#pragma once
// Redis's per-object 24-bit `lru` field (docs/redis-reference.md §7.6, §7.7), shared by the Redis policies.
// Private to sim/src/cache/policies.
#include <cstdint>

#include "cachelab/core/rng.hpp"
#include "cachelab/core/time.hpp"

namespace cachelab::redis_clock {

constexpr uint32_t kLruClockMax = (1u << 24) - 1;  // LRU_CLOCK_MAX, server.h:848
constexpr uint32_t kLfuInitVal = 5;                // LFU_INIT_VAL, server.h:3265

// getLRUClock(): seconds, 24 bits (LRU_CLOCK_RESOLUTION 1000 ms).
inline uint32_t lru_clock(Time now) { return static_cast<uint32_t>(now.nanos() / 1'000'000'000) & kLruClockMax; }

// estimateObjectIdleTime (evict.c:92), in ms, with the clock's wrap.
inline uint64_t idle_ms(uint32_t obj_lru, Time now) {
  const uint32_t c = lru_clock(now);
  const uint64_t secs = c >= obj_lru ? c - obj_lru : (kLruClockMax - obj_lru) + c;
  return secs * 1000;
}

// LFUGetTimeInMinutes (evict.c:283): 16 bits of minutes.
inline uint32_t lfu_minutes(Time now) { return static_cast<uint32_t>(now.nanos() / 60'000'000'000) & 65535; }

// LFUDecrAndReturn (evict.c:319): the counter minus one per elapsed decay period (the code subtracts; the
// documentation's "halved" is not what runs, §7.7 DOC!=SRC). decay_time 0 never decays.
inline uint32_t lfu_decr_and_return(uint32_t meta, Time now, int decay_time_min) {
  const uint32_t ldt = meta >> 8;
  uint32_t counter = meta & 255;
  const uint32_t now_min = lfu_minutes(now);
  const uint32_t elapsed = now_min >= ldt ? now_min - ldt : 65535 - ldt + now_min;
  const uint32_t periods = decay_time_min ? elapsed / static_cast<uint32_t>(decay_time_min) : 0;
  return periods > counter ? 0 : counter - periods;
}

// LFULogIncr (evict.c:299): increment with probability 1 / ((counter - 5) * factor + 1), saturating at 255.
inline uint32_t lfu_log_incr(uint32_t counter, int factor, Rng& rng) {
  if (counter == 255) return 255;
  const double r = rng.uniform01();
  const double baseval = counter > kLfuInitVal ? counter - kLfuInitVal : 0;
  const double p = 1.0 / (baseval * factor + 1);
  return r < p ? counter + 1 : counter;
}

inline uint32_t lfu_pack(uint32_t counter, Time now) { return (lfu_minutes(now) << 8) | counter; }

}  // namespace cachelab::redis_clock
