// Issue 16 part 4 live: mixed streams need nothing of live mode's own. The run session draws the merged stream and
// the Recorder counts each request by its stream, so a live run's summary.json has the same `streams` as the
// simulator's. Spawned redis-server processes on 127.0.0.1 only.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cachelab/results/reader.hpp"
#include "cli_run.hpp"
#include "lab_helpers.hpp"

namespace cachelab::live {
namespace {

namespace fs = std::filesystem;

// Two tenants on one cache: main (Zipf) on instances 0-7, tenant-b (uniform over its own keys) on 8-15.
const char* kTenants = R"({
  "cachelab": 1, "name": "tenants-live", "duration_s": 6, "warmup_s": 1, "seed": 3,
  "cluster": { "masters": 3, "maxmemory": "4mb", "maxmemory_policy": "allkeys-lru" },
  "workload": {
    "keys": 20000, "read_fraction": 0.9, "value_bytes": {"dist": "fixed", "value": 300},
    "arrival": { "rate_per_s": 3000 },
    "streams": [ { "name": "tenant-b", "keys": 50000, "popularity": {"dist": "uniform"}, "read_fraction": 1,
                   "value_bytes": {"dist": "fixed", "value": 600},
                   "arrival": { "rate_per_s": 1000 }, "client_instances": "8-15" } ]
  },
  "clients": { "instances": 16 },
  "origin": { "servers": 24, "service_ms": {"dist": "exponential", "mean": 2}, "timeout_ms": 500 }
})";

TEST(LiveStreams, PerStreamMetricsComeFromTheSharedRunSession) {
  CACHELAB_REQUIRE_REDIS();
  const fs::path base = fs::temp_directory_path() / ("cachelab-streams-" + std::to_string(::getpid()));
  fs::remove_all(base);
  fs::create_directories(base);
  const fs::path file = base / "tenants.json", live = base / "live", sim = base / "live-sim";
  std::ofstream(file) << kTenants;
  const CliRun r = run_live("live " + file.string() + " --spawn --compare --out " + live.string());
  ASSERT_TRUE(fs::exists(live / "summary.json") && fs::exists(sim / "summary.json")) << r.output;
  const results::Run a = results::load_run(live), b = results::load_run(sim);
  EXPECT_EQ(a.info.mode, "live");
  for (const results::Run* run : {&a, &b}) {
    const nlohmann::json& st = run->summary.raw.at("streams");
    ASSERT_EQ(st.size(), 2u);
    double requests = 0, hits = 0;
    for (const auto& [name, v] : st.items())
      requests += v.at("requests").get<double>(), hits += v.at("hits").get<double>();
    EXPECT_EQ(requests, run->summary.requests);
    EXPECT_EQ(hits, run->summary.hits);
  }
  // The same requests were issued; the hit ratios agree (the latencies of a loaded loopback do not have to).
  const nlohmann::json &la = a.summary.raw.at("streams"), &sa = b.summary.raw.at("streams");
  for (const char* name : {"main", "tenant-b"}) {
    EXPECT_NEAR(la.at(name).at("requests").get<double>(), sa.at(name).at("requests").get<double>(),
                0.01 * sa.at(name).at("requests").get<double>())
        << name;
    EXPECT_NEAR(la.at(name).at("hit_ratio").get<double>(), sa.at(name).at("hit_ratio").get<double>(), 0.02) << name;
  }
  EXPECT_NE(r.output.find("streams.tenant-b.hit_ratio"), std::string::npos) << "compare lists the streams";
  fs::remove_all(base);
}

}  // namespace
}  // namespace cachelab::live
