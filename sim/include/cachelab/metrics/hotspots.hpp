#pragma once
// Hot slots and hot keys (issue 3): which slots and keys take the most operations. An operation is one key of an
// application request (a GET, SET or DEL of one key counts 1; a multi-key request counts each key), counted when
// the request is issued, whatever the cache answers. Slots are counted exactly (16384 counters); keys with a
// Space-Saving sketch of kKeyCounters counters (metrics/space_saving.hpp): a key with more than 1/kKeyCounters of
// the operations is always reported. The sketch sees one key operation in kKeySampleEvery (every 16th, in issue
// order: requests are independent draws, so this is a uniform sample) and its counts are scaled back up, because a
// sketch update on every request cost about 8 % of the flagship's speed. Errors of a reported key's `ops`:
// Space-Saving may overcount by at most `ops_max_overcount` (<= operations / kKeyCounters), and sampling adds a
// standard deviation of about sqrt(ops * kKeySampleEvery) (1.3 % for a key with 10^6 operations).
// The per-request cost is one slot lookup (memoised, shared with the router), one increment, and a sketch update
// for one operation in 16.
#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "cachelab/core/time.hpp"
#include "cachelab/metrics/space_saving.hpp"
#include "cachelab/protocol/key_hash_memo.hpp"
#include "cachelab/protocol/request.hpp"

namespace cachelab {

class HotSpots {
 public:
  static constexpr size_t kKeyCounters = 512;
  static constexpr uint32_t kKeySampleEvery = 16;
  HotSpots(std::shared_ptr<KeyHashMemo> memo, const KeyNamer& namer, Time warmup_end);

  void record(const Request& r) {
    if (!measuring_ && r.due >= warmup_end_) start_measuring();
    for (uint64_t k = cache_key(r), end = k + r.key_count; k < end; ++k) {  // the names the cache sees
      ++recent_[memo_->slot(k)];
      if (--until_sample_ == 0) sample(k);
    }
  }

  // The interval since the last call: its busiest slot and that slot's share of the interval's operations.
  struct IntervalTop {
    int slot = -1;
    uint64_t ops = 0, total = 0;
  };
  IntervalTop close_interval();

  // summary.json: hot_slots and hot_keys (the top `n` of each over the measured period).
  nlohmann::json hot_slots_json(size_t n) const;
  nlohmann::json hot_keys_json(size_t n) const;

 private:
  void start_measuring();
  void sample(uint64_t key);
  void flush();  // recent_ into slot_ops_
  std::shared_ptr<KeyHashMemo> memo_;
  const KeyNamer& namer_;
  Time warmup_end_;
  bool measuring_ = false;
  uint32_t until_sample_ = kKeySampleEvery;
  // Per slot: operations since the last flush (32-bit: half the cache footprint on the request path), flushed
  // into 64-bit cumulative counts at every interval close and every 2^31 operations, so they never overflow.
  std::vector<uint32_t> recent_;
  std::vector<uint64_t> slot_ops_, at_warmup_, at_interval_;  // cumulative; snapshots
  uint64_t samples_since_flush_ = 0;
  SpaceSaving keys_;
};

}  // namespace cachelab
