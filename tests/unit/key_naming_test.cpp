// The inconsistent key naming pitfall (issue 17): two code paths name one object (one key number: one origin
// object, one database version) with two key prefixes (workload.streams[].key_prefix). The namer formats each form,
// the client logic sends each path's own name, and the consequences come out of the model: two cache entries per
// object, a miss per name, and a write through one path invalidates only its own name, so the other serves stale
// values (counted by the staleness metrics, not written in).
#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cachelab/cache/memory_model.hpp"
#include "cachelab/protocol/backend.hpp"
#include "cachelab/protocol/slot_hash.hpp"
#include "cachelab/results/writer.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"
#include "cachelab/workload/generator.hpp"
#include "test_util.hpp"

using namespace cachelab;
using nlohmann::json;

namespace {

// Two code paths over the same 2,000 objects (key_offset 0, uniform: each path reads nearly every object): the web
// pages (main, "user:") and the API (stream api, "users:"). Memory is ample (no eviction) and there is no TTL, so
// every name read stays cached.
const char* kKeyNamingTwoPaths = R"({
  "cachelab": 1, "name": "key-naming", "duration_s": 6, "warmup_s": 0, "seed": 5,
  "cluster": { "masters": 3, "maxmemory": "64mb", "maxmemory_policy": "allkeys-lru" },
  "workload": {
    "keys": 2000, "key_prefix": "user:", "popularity": {"dist": "uniform"}, "read_fraction": 1, "value_bytes": {"dist": "fixed", "value": 200},
    "arrival": { "rate_per_s": 3000 },
    "streams": [ { "name": "api", "key_offset": 0, "keys": 2000, "key_prefix": "users:",
                   "popularity": {"dist": "uniform"}, "read_fraction": 1,
                   "value_bytes": {"dist": "fixed", "value": 200}, "arrival": { "rate_per_s": 3000 } } ]
  },
  "clients": { "instances": 8, "on_write": "invalidate" },
  "origin": { "servers": 32, "service_ms": {"dist": "exponential", "mean": 1}, "timeout_ms": 500 }
})";

double key_naming_keys(const RunOutput& out) {
  double keys = 0;
  for (const json& n : out.summary.at("nodes")) keys += n.at("keys").get<double>();
  return keys;
}

double key_naming_memory(const RunOutput& out) {
  double bytes = 0;
  for (const json& n : out.summary.at("nodes")) bytes += n.at("used_memory_bytes").get<double>();
  return bytes;
}

}  // namespace

TEST(KeyNaming, NameFormsFormatTheSameKeyNumberWithTheirPrefix) {
  KeyNamer namer("user:");
  EXPECT_EQ(namer.add_form("user:"), 0) << "the namer's own prefix is form 0";
  EXPECT_EQ(namer.add_form("users:"), 1);
  EXPECT_EQ(namer.add_form("User:"), 2);
  EXPECT_EQ(namer.add_form("users:"), 1) << "a prefix seen before keeps its form";
  EXPECT_EQ(namer.forms(), 3u);
  Request r;
  r.key = 42;
  EXPECT_EQ(namer.name(cache_key(r)), "user:42");
  r.name_form = 1;
  EXPECT_EQ(namer.name(cache_key(r)), "users:42");
  EXPECT_EQ(namer.length(cache_key(r)), 8u);
  EXPECT_NE(cache_key(r), r.key) << "two forms of one key number are two cache keys";
  r.name_form = 2;
  EXPECT_EQ(namer.name(cache_key(r)), "User:42");
  // The lock key of a form keeps the form: the backends strip the lock bit only.
  EXPECT_EQ(namer.name((cache_key(r) | kLockKeyBit) & ~kLockKeyBit), "User:42");
  // The slot is the name's: CRC16 of "users:42" and of "user:42" (ref. §1), not the key number's.
  r.name_form = 1;
  EXPECT_EQ(namer.slot(cache_key(r)), key_hash_slot("users:42"));
  EXPECT_EQ(namer.slot(42), key_hash_slot("user:42"));
}

TEST(KeyNaming, TooManyOrTooLongPrefixesAreRefused) {
  KeyNamer namer("k:");
  EXPECT_THROW(namer.add_form(std::string(65, 'x')), std::invalid_argument);
  for (int i = 1; i < 128; ++i) namer.add_form("p" + std::to_string(i) + ":");
  EXPECT_EQ(namer.forms(), 128u);
  EXPECT_THROW(namer.add_form("one-more:"), std::invalid_argument);
}

TEST(KeyNaming, StreamKeyPrefixIsValidatedLikeTheMainOne) {
  try {
    load_scenario_text(kKeyNamingTwoPaths, "k.json",
                       {"/workload/streams/0/key_prefix=\"" + std::string(65, 'x') + "\""});
    FAIL() << "a 65-byte prefix was accepted";
  } catch (const ScenarioError& e) {
    bool found = false;
    for (const auto& i : e.issues()) found |= i.pointer == "/workload/streams/0/key_prefix";
    EXPECT_TRUE(found) << e.what();
  }
  // null (the default) is the main workload's prefix.
  const Scenario s = load_scenario_text(kKeyNamingTwoPaths, "k.json", {"/workload/streams/0/key_prefix=null"});
  EXPECT_EQ(s.streams.at(0).key_prefix, "user:");
}

// The prefix changes the names only: the same requests are drawn, and only the stream's carry the new form.
TEST(KeyNaming, APrefixChangesNamesNotDraws) {
  const Scenario two = load_scenario_text(kKeyNamingTwoPaths, "k.json");
  const Scenario one = load_scenario_text(kKeyNamingTwoPaths, "k.json", {"/workload/streams/0/key_prefix=null"});
  WorkloadGenerator a(two), b(one);
  EXPECT_EQ(a.namer().forms(), 2u);
  EXPECT_EQ(b.namer().forms(), 1u);
  Request x, y;
  const Time end = Time::from_seconds(two.duration_s);
  size_t n = 0, api = 0;
  while (a.next(x, end)) {
    ASSERT_TRUE(b.next(y, end));
    ASSERT_EQ(x.key, y.key);
    ASSERT_EQ(x.due, y.due);
    ASSERT_EQ(x.stream, y.stream);
    EXPECT_EQ(y.name_form, 0);
    EXPECT_EQ(x.name_form, x.stream == 1 ? 1 : 0);
    EXPECT_EQ(a.namer().name(cache_key(x)).rfind(x.stream == 1 ? "users:" : "user:", 0), 0u);
    ++n;
    api += x.stream == 1;
  }
  EXPECT_FALSE(b.next(y, end));
  EXPECT_GT(api, n / 3);
}

// Read-only, ample memory, no TTL: the cache ends holding exactly one entry per name read. With one name that is
// the objects either path read; with two it is the objects each path read, counted per path. The expected counts
// come from the request stream, not from a run.
TEST(KeyNaming, TwoNamesHoldTwoEntriesPerObjectAndMissOnEach) {
  const Scenario two = load_scenario_text(kKeyNamingTwoPaths, "k.json");
  const Scenario one = load_scenario_text(kKeyNamingTwoPaths, "k.json", {"/workload/streams/0/key_prefix=null"});
  std::set<uint64_t> main_keys, api_keys, either;
  {
    WorkloadGenerator g(two);
    Request r;
    while (g.next(r, Time::from_seconds(two.duration_s))) {
      (r.stream == 0 ? main_keys : api_keys).insert(r.key);
      either.insert(r.key);
    }
  }
  const RunOutput a = simulate(two), b = simulate(one);
  // Fills still in flight when the run ends are not counted: a handful at most.
  EXPECT_NEAR(key_naming_keys(a), static_cast<double>(main_keys.size() + api_keys.size()), 10);
  EXPECT_NEAR(key_naming_keys(b), static_cast<double>(either.size()), 10);
  EXPECT_GT(key_naming_keys(a), 1.7 * key_naming_keys(b));
  // A miss per name: at least one per name read (concurrent first reads of one name each miss too).
  EXPECT_GE(a.summary.at("misses").get<double>(), static_cast<double>(main_keys.size() + api_keys.size()) - 10);
  EXPECT_GE(b.summary.at("misses").get<double>(), static_cast<double>(either.size()) - 10);
  EXPECT_LT(b.summary.at("misses").get<double>(), 0.7 * a.summary.at("misses").get<double>());
  EXPECT_GT(b.summary.at("hit_ratio").get<double>(), a.summary.at("hit_ratio").get<double>());
  // Memory follows the entries: the second name's entries cost what a key costs (ref. §7.8: dictEntry with cluster
  // metadata, key sds, a 200-byte RAW value), plus the buckets of the larger tables (under 16 B per key here).
  const double per_key = static_cast<double>(memory::per_key_bytes(10, 200, false, true));
  const double extra = (key_naming_memory(a) - key_naming_memory(b)) / (key_naming_keys(a) - key_naming_keys(b));
  EXPECT_GE(extra, per_key);
  EXPECT_LE(extra, per_key + 16);
  // Per path: each path's own misses. With one name the API hits what the web pages loaded.
  EXPECT_GT(b.summary.at("streams").at("api").at("hit_ratio").get<double>(),
            a.summary.at("streams").at("api").at("hit_ratio").get<double>());
  // The hot keys are named as the cache saw them: both forms.
  bool users = false, user = false;
  for (const json& k : a.summary.at("hot_keys")) {
    const std::string name = k.at("key");
    users |= name.rfind("users:", 0) == 0;
    user |= name.rfind("user:", 0) == 0;
  }
  EXPECT_TRUE(users && user) << a.summary.at("hot_keys").dump();
  // Same seed, same bytes.
  EXPECT_EQ(format_json(a.summary), format_json(simulate(two).summary));
}

// Writes go through the web pages only (DEL "user:<id>" after the database write); the API only reads
// "users:<id>", which no write touches: it keeps serving the value it loaded. With one name the DEL reaches the
// API's reads too, and stale reads are only the rare cache-aside race.
TEST(KeyNaming, AWriteThroughOneNameLeavesTheOtherStale) {
  const std::vector<std::string> writes = {"/workload/read_fraction=0.8"};
  std::vector<std::string> one_set = writes;
  one_set.push_back("/workload/streams/0/key_prefix=null");
  const RunOutput two = simulate(load_scenario_text(kKeyNamingTwoPaths, "k.json", writes));
  const RunOutput one = simulate(load_scenario_text(kKeyNamingTwoPaths, "k.json", one_set));
  const double stale_two = two.summary.at("stale_reads").at("cache").at("reads").get<double>();
  const double stale_one = one.summary.at("stale_reads").at("cache").at("reads").get<double>();
  EXPECT_GT(stale_two, 500) << "the API's reads of objects written since it loaded them";
  EXPECT_LT(stale_one, 0.05 * stale_two);
  // The oldest stale value is older than a write-to-DEL race (a few ms): seconds, as long as the run allows.
  EXPECT_GT(two.summary.at("stale_reads").at("cache").at("age_ms_max").get<double>(), 1000);
}

// `cachelab workload dump` writes the names the cache sees: the API's rows name "users:<id>".
TEST(KeyNaming, WorkloadDumpWritesEachStreamsNames) {
  const auto dir = test::temp_dir("key-naming-dump");
  const std::string file = test::write_file(dir / "k.json", kKeyNamingTwoPaths);
  const auto r = test::run_command(test::cachelab() + " workload dump " + file + " --limit 200");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  size_t api = 0, main = 0;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    if (line.size() > 4 && line.compare(line.size() - 4, 4, ",api") == 0) {
      ++api;
      EXPECT_NE(line.find(",users:"), std::string::npos) << line;
    } else if (line.size() > 5 && line.compare(line.size() - 5, 5, ",main") == 0) {
      ++main;
      EXPECT_NE(line.find(",user:"), std::string::npos) << line;
    }
  }
  EXPECT_GT(api, 50u);
  EXPECT_GT(main, 50u);
}
