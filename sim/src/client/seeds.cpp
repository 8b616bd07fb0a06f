// Seed-list start (clients.seeds, issue 16 part 8): a cluster client is built from a list of seed nodes and asks
// them in turn for the slot map before it can route anything: go-redis's ClusterOptions.Addrs ("a seed list of
// host:port addresses of cluster nodes"), redis-py's RedisCluster(startup_nodes=...) (NodesManager.initialize walks
// the startup nodes and raises "Redis Cluster cannot be connected. Please provide at least one reachable node" when
// none answers), Lettuce's RedisClusterClient.create(uris) (its initial partitions come from the first URI that
// answers). When every seed is down, frozen or cut off, the client cannot start.
//
// The model: at the start each instance asks its seeds in the order given, one at a time (CLUSTER SLOTS; a dead
// process refuses the connection one round trip later, a frozen one or one across a cut leaves the command to time out
// after clients.timeout_ms). The first answer is its slot map and it starts. A request that arrives before that waits
// for the round of seeds under way, as a go-redis command waits for the cluster state it has to load: it goes on when
// a seed answers and fails (failed_by_cause client_not_started) when the round ends with none; the instance then asks
// again after seed_backoff_ms, doubled per failed round up to seed_backoff_max_ms (the application retrying to build
// its client with exponential backoff). The slot map it gets is the answering node's view (CLUSTER SLOTS,
// docs/redis-reference.md §2.2), from then on refreshed as any instance's.
#include <algorithm>

#include "cachelab/client/client_logic.hpp"

namespace cachelab {

void ClientLogic::schedule_start() {
  if (opt_.seeds.empty() || router_.standalone()) return;
  start_.assign(static_cast<size_t>(opt_.instances), StartState{});
  not_started_ = static_cast<uint32_t>(opt_.instances);
  for (uint16_t c = 0; c < opt_.instances; ++c) timers_->at(clock_.now(), this, (uint64_t{c} << 3) | kSeedRound);
}

void ClientLogic::seed_round(uint16_t client) {
  StartState& st = start_[client];
  if (st.phase != kWaiting) return;
  st.phase = kAsking;
  st.next_seed = 0;
  ++stats_.seed_fetches;
  cache_.fetch_seed_slots(opt_.seeds[0], client);
}

void ClientLogic::on_seed_answer(uint16_t client, const std::vector<uint16_t>& owners) {
  StartState& st = start_[client];
  if (st.phase != kAsking) return;
  const Time now = clock_.now();
  if (owners.empty()) {  // this seed did not answer: the next one, or the round failed
    ++stats_.seed_failures;
    if (++st.next_seed < opt_.seeds.size()) {
      ++stats_.seed_fetches;
      cache_.fetch_seed_slots(opt_.seeds[st.next_seed], client);
      return;
    }
    ++stats_.seed_rounds_failed;
    st.phase = kWaiting;
    const int64_t backoff_ms =
        std::min<int64_t>(opt_.seed_backoff_max_ms, opt_.seed_backoff_ms << std::min<uint32_t>(st.failed_rounds, 30));
    ++st.failed_rounds;
    timers_->at(now + Time::ms(backoff_ms), this, (uint64_t{client} << 3) | kSeedRound);
    std::vector<Request> waiting;
    waiting.swap(st.waiting);
    for (const Request& r : waiting) {  // the application's call fails: there is no client to run it
      const uint32_t tag = acquire(r, Stage::CacheOnly);
      ++stats_.not_started_failed;
      finish(tag, false, FailCause::NotStarted);
      release(tag);
    }
    return;
  }
  router_.replace(client, owners);
  st.phase = kStarted;
  --not_started_;
  ++stats_.instances_started;
  stats_.last_started = now;
  std::vector<Request> waiting;
  waiting.swap(st.waiting);
  for (const Request& r : waiting) start(r);
}

}  // namespace cachelab
