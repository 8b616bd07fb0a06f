// workload.hash_objects (issue 17 objective 3, docs/redis-reference.md §7.9): the knob's checks, and a simulated
// node holding hash objects counts memory::per_hash_key_bytes per key where the string layout counts per_key_bytes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cachelab/cache/memory_model.hpp"
#include "cachelab/cache/store.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"

namespace cachelab {
namespace {

const char* const kHashObjectsScenario = R"({
  "cachelab": 1, "name": "hash-objects", "seed": 3, "duration_s": 4, "warmup_s": 0,
  "cluster": { "mode": "standalone", "masters": 1, "maxmemory": "64mb", "maxmemory_policy": "allkeys-lru" },
  "workload": { "keys": 2000, "key_prefix": "k:", "popularity": { "dist": "uniform" },
                "value_bytes": { "dist": "fixed", "value": 20 }, "read_fraction": 1,
                "hash_objects": { "fields": 10, "field_name_bytes": 2 }, "arrival": { "rate_per_s": 4000 } },
  "origin": { "servers": 64, "service_ms": { "dist": "fixed", "value": 1 } }
})";

std::vector<std::string> hash_objects_issues(const std::vector<std::string>& sets) {
  std::vector<std::string> out;
  try {
    load_scenario_text(kHashObjectsScenario, "h.json", sets);
  } catch (const ScenarioError& e) {
    for (const auto& i : e.issues()) out.push_back(i.pointer);
  }
  return out;
}

TEST(HashObjects, KnobChecks) {
  EXPECT_TRUE(hash_objects_issues({}).empty());
  EXPECT_EQ(hash_objects_issues({"/workload/ttl_s={\"dist\":\"fixed\",\"value\":60}"}),
            std::vector<std::string>{"/workload/ttl_s"});
  // 100 fields need "f" + 2 digits.
  EXPECT_EQ(hash_objects_issues({"/workload/hash_objects/fields=100"}),
            std::vector<std::string>{"/workload/hash_objects/field_name_bytes"});
  EXPECT_TRUE(
      hash_objects_issues({"/workload/hash_objects/fields=100", "/workload/hash_objects/field_name_bytes=3"}).empty());
  EXPECT_EQ(hash_objects_issues({"/workload/read_fraction=null", "/workload/ops={\"get\":0.5,\"mget\":0.5}"}),
            std::vector<std::string>{"/workload/ops/mget"});
  EXPECT_EQ(hash_objects_issues({"/workload/key_groups={\"size\":10}"}),
            std::vector<std::string>{"/workload/key_groups"});
  const Scenario s = load_scenario_text(kHashObjectsScenario, "h.json", {"/workload/hash_objects/long_value_bytes=65"});
  EXPECT_EQ(s.workload.hash_objects.fields, 10u);
  EXPECT_EQ(s.cluster.store.hash.long_value_bytes, 65u);
  EXPECT_EQ(
      load_scenario_text(kHashObjectsScenario, "h.json", {"/workload/hash_objects=null"}).cluster.store.hash.fields,
      0u);
}

// The Store counts a hash key's bytes from its config's shape; a plain SET on the same store is a string.
TEST(HashObjects, StoreCountsTheHashShape) {
  StoreConfig cfg;
  cfg.cluster_mode = false;
  cfg.hash = HashObjects{10, 2, 0};
  Store st(cfg, Rng(1));
  const uint64_t before = st.used_memory();
  st.set(1, 8, 20, Store::kNoExpiry, Time::ms(1), 0, 0, 0, true);
  memory::HashShape h{10, 2, 20, 0};
  EXPECT_EQ(st.used_memory() - before, memory::per_hash_key_bytes(8, h, false, false) + memory::dict_table_bytes(1));
  const uint64_t one = st.used_memory();
  st.set(2, 8, 20, Store::kNoExpiry, Time::ms(1));
  EXPECT_EQ(st.used_memory() - one, memory::per_key_bytes(8, 20, false, false));
}

// The same reads with hash objects and with strings: the node holds the same keys, each a hash of 10 x 20 B
// (a 320-byte listpack) instead of a 20-byte string.
TEST(HashObjects, SimulatedNodeHoldsHashes) {
  const RunOutput hash = simulate(load_scenario_text(kHashObjectsScenario, "h.json"));
  const RunOutput plain = simulate(load_scenario_text(kHashObjectsScenario, "h.json", {"/workload/hash_objects=null"}));
  const auto& a = hash.summary.at("nodes").at(0);
  const auto& b = plain.summary.at("nodes").at(0);
  EXPECT_EQ(a.at("keys"), b.at("keys"));
  const double keys = a.at("keys").get<double>();
  ASSERT_GT(keys, 1500);
  const double per_key_more =
      (a.at("used_memory_bytes").get<double>() - b.at("used_memory_bytes").get<double>()) / keys;
  memory::HashShape h{10, 2, 20, 0};
  // key "k:<n>" of 3-6 bytes: both layouts have the same dictEntry, key and bucket; the values differ.
  const double expected = static_cast<double>(memory::hash_value_bytes(h) - memory::value_bytes(20));
  EXPECT_NEAR(per_key_more, expected, 1.0);
  EXPECT_EQ(hash.summary.at("hit_ratio"), plain.summary.at("hit_ratio"));
}

}  // namespace
}  // namespace cachelab
