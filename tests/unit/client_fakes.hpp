#pragma once
// Back-ends for unit tests of the client logic: every command and query is recorded, and nothing is answered unless
// the test answers it (ClientLogic::on_cache_reply / on_origin_reply). The clock is the Simulation's, as the run
// session's is (client_logic.hpp SchedulerClock).
#include <cstdint>
#include <utility>
#include <vector>

#include "cachelab/client/client_logic.hpp"
#include "cachelab/core/simulation.hpp"

namespace cachelab::testing {

struct RecordingCache final : CacheBackend {
  std::vector<std::pair<CacheCommand, uint32_t>> sent;  // (command, tag)
  void send(const CacheCommand& c, uint32_t tag) override { sent.emplace_back(c, tag); }
  void fetch_slots(uint32_t, uint16_t) override {}
};

struct RecordingOrigin final : OriginBackend {
  std::vector<std::pair<bool, uint32_t>> queries;  // (write, tag)
  void query(bool write, uint64_t, uint32_t tag) override { queries.emplace_back(write, tag); }
};

using SimClock = SchedulerClock<Simulation>;

}  // namespace cachelab::testing
