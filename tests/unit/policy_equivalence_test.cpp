// One code path (issue 4): the reference policies are ObjectPolicies that trace replay and a node's Store both run.
// Driven by replay and by a Store the way a node drives it (make_room before every command, GET, and SET on a
// miss) on the same unit-size request stream, each policy must give the same hit/miss sequence, request by request.
// Also: every reference policy is a `cluster.maxmemory_policy`, and Belady (offline) is refused with an explanation.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "cachelab/cache/eviction_policy.hpp"
#include "cachelab/cache/memory_model.hpp"
#include "cachelab/cache/object_policy.hpp"
#include "cachelab/cache/store.hpp"
#include "cachelab/core/rng.hpp"
#include "cachelab/core/samplers.hpp"
#include "cachelab/replay/simulator.hpp"
#include "cachelab/scenario/loader.hpp"

using namespace cachelab;

namespace {

constexpr uint32_t kObjects = 3000;
constexpr size_t kRequests = 60000;
constexpr size_t kCapacity = 300;  // objects; not a power of two, so the dict's bucket array is stable at capacity

// Zipf(0.8) with one request per ms and unit sizes.
replay::Trace zipf_trace() {
  Rng rng = Rng::stream(31, "policy-equivalence/zipf");
  ZipfSampler zipf(kObjects, 0.8);
  replay::Trace t;
  t.objects = kObjects;
  t.has_time = true;
  t.requests.resize(kRequests);
  for (size_t i = 0; i < kRequests; ++i) {
    t.requests[i].obj = static_cast<uint32_t>(zipf.sample(rng) - 1);
    t.requests[i].size_bytes = 1;
    t.requests[i].time_s = static_cast<uint32_t>(i / 1000);
  }
  t.requested_bytes = kRequests;
  t.working_set_bytes = kObjects;
  replay::compute_next_access(t);
  return t;
}

// Every key costs the same (16-byte names, 3-byte values, no TTL, standalone): room for exactly kCapacity of them
// with their bucket array, above the empty server's memory.
constexpr uint32_t kKeyLen = 16, kValueLen = 3;
uint64_t maxmemory_for(size_t keys) {
  return memory::startup_bytes(false) + keys * memory::per_key_bytes(kKeyLen, kValueLen, false, false) +
         memory::dict_table_bytes(keys);
}

constexpr uint64_t kStoreSeed = 77;

std::vector<uint8_t> store_hits(const replay::Trace& t, const std::string& policy, size_t* max_keys) {
  StoreConfig c;
  c.policy = policy;
  c.maxmemory_bytes = maxmemory_for(kCapacity);
  c.cluster_mode = false;
  Store s(c, Rng(kStoreSeed));
  std::vector<uint8_t> hits;
  *max_keys = 0;
  for (size_t i = 0; i < t.requests.size(); ++i) {
    const Time now = Time::ms(static_cast<int64_t>(i));
    const uint64_t key = t.requests[i].obj;
    EXPECT_TRUE(s.make_room(now));  // performEvictions before the GET (a node does this before every command)
    const bool hit = s.get(key, now, nullptr);
    hits.push_back(hit ? 1 : 0);
    if (!hit) {
      EXPECT_TRUE(s.make_room(now));  // ... and before the fill's SET
      s.set(key, kKeyLen, kValueLen, Store::kNoExpiry, now);
    }
    // While the dict rehashes after a doubling, used_memory counts both bucket arrays (as Redis's does), so for a
    // few requests fewer keys fit: a memory effect, not the policy's. The cron's rehash work (1 ms, modelled as
    // 100k steps) ends a rehash at once; running it after every command keeps this comparison about the policy.
    s.cron(now);
    *max_keys = std::max(*max_keys, s.keys());
  }
  return hits;
}

std::vector<uint8_t> replay_hits(const replay::Trace& t, const std::string& policy) {
  replay::ReplayConfig c;
  c.policy = policy;
  c.capacity_bytes = kCapacity;
  c.unit_size = true;
  c.record_hits = true;
  // A node seeds its reference policy with the first draw of its own stream (the adapter in cache/object_policy.cpp);
  // replay takes the seed as given.
  c.seed = Rng(kStoreSeed).next_u64();
  return replay::replay(t, c).hits;
}

}  // namespace

class OnePolicyTwoHosts : public ::testing::TestWithParam<const char*> {};

TEST_P(OnePolicyTwoHosts, SameHitSequenceInReplayAndInAStore) {
  static const replay::Trace trace = zipf_trace();
  const std::string policy = GetParam();
  size_t max_keys = 0;
  const std::vector<uint8_t> in_store = store_hits(trace, policy, &max_keys);
  const std::vector<uint8_t> in_replay = replay_hits(trace, policy);
  ASSERT_EQ(in_store.size(), in_replay.size());
  EXPECT_EQ(max_keys, kCapacity) << "the store's memory limit holds exactly the replay's capacity";
  size_t hits = 0;
  for (size_t i = 0; i < in_store.size(); ++i) {
    ASSERT_EQ(in_store[i], in_replay[i]) << policy << ": the two hosts differ first at request " << i;
    hits += in_store[i];
  }
  // Not a vacuous comparison: the cache filled, evicted, and hit often.
  EXPECT_GT(hits, kRequests / 5) << policy;
  EXPECT_LT(hits, kRequests * 4 / 5) << policy;
}
INSTANTIATE_TEST_SUITE_P(ReferencePolicies, OnePolicyTwoHosts,
                         ::testing::Values("lru", "fifo", "random", "lfu", "clock", "sieve", "s3fifo", "arc"),
                         [](const auto& info) { return std::string(info.param); });

TEST(ClusterPolicies, EveryOnlineReferencePolicyIsAMaxmemoryPolicy) {
  size_t online = 0;
  for (const ObjectPolicyKind& k : ObjectPolicyRegistry::instance().all()) {
    const PolicyKind* p = PolicyRegistry::instance().find(k.name);
    ASSERT_NE(p, nullptr) << k.name;
    if (k.replay_only) {
      EXPECT_EQ(k.name.rfind("allkeys-", 0), 0u) << k.name << ": only Redis's own policies are replay-only names";
      EXPECT_TRUE(p->refusal.empty()) << k.name << ": the node runs its own implementation";
    } else if (k.needs_future) {
      EXPECT_FALSE(p->refusal.empty()) << k.name;
    } else {
      EXPECT_TRUE(p->refusal.empty()) << k.name;
      ++online;
    }
  }
  EXPECT_EQ(online, 8u);  // lru fifo random lfu clock sieve s3fifo arc
}

TEST(ClusterPolicies, BeladyIsRefusedWithTheReason) {
  StoreConfig c;
  c.policy = "belady";
  try {
    Store s(c, Rng(1));
    FAIL() << "a node ran belady";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("needs each request's next use"), std::string::npos) << e.what();
  }
  const std::string text = R"({"cachelab": 1, "name": "offline", "duration_s": 2,
    "cluster": {"mode": "standalone", "masters": 1, "maxmemory": "1mb", "maxmemory_policy": "belady"},
    "workload": {"keys": 1000, "arrival": {"rate_per_s": 1000}}})";
  try {
    load_scenario_text(text, "offline.json");
    FAIL() << "the scenario was accepted";
  } catch (const ScenarioError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("/cluster/maxmemory_policy"), std::string::npos) << what;
    EXPECT_NE(what.find("cachelab replay --policy belady"), std::string::npos) << what;
  }
}

// In a node, keys are also overwritten (with or without a TTL), deleted and expired: the policy must stay consistent
// with the keyspace (no stale handle evicted later, which the store would trip on), and memory stays under
// maxmemory before every command.
TEST(ClusterPolicies, ReferencePoliciesSurviveOverwritesDeletesAndExpiry) {
  for (const char* policy : {"lru", "fifo", "random", "lfu", "clock", "sieve", "s3fifo", "arc"}) {
    StoreConfig c;
    c.policy = policy;
    c.maxmemory_bytes = maxmemory_for(200);
    c.cluster_mode = false;
    Store s(c, Rng(5));
    Rng rng(9);
    for (int i = 0; i < 30000; ++i) {
      const Time now = Time::ms(i);
      const uint64_t key = rng.below(1000);
      ASSERT_TRUE(s.make_room(now)) << policy;
      ASSERT_LE(s.used_memory(), s.maxmemory()) << policy << " at " << i;
      switch (rng.below(6)) {
        case 0:
          s.del(key, now);
          break;
        case 1:
          s.set(key, kKeyLen, kValueLen, now.nanos() / 1'000'000 + 50, now);
          break;  // expires soon
        default:
          if (!s.get(key, now, nullptr)) s.set(key, kKeyLen, kValueLen, Store::kNoExpiry, now);
      }
    }
    EXPECT_GT(s.evicted_keys(), 1000u) << policy;
    EXPECT_GT(s.expired_keys(), 100u) << policy;
  }
}
