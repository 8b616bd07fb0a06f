// Issue 16 live: MGET fills (scenarios/validation/live/mget-fill.json), reads from replicas on READONLY connections
// (replica-reads.json), and stale reads counted from the version live mode writes into each value's header
// (live_cache_backend.cpp "cl:<aux>:<expiry>:<version>;"). Spawned redis-server processes on 127.0.0.1 only.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "cachelab/results/compare.hpp"
#include "cachelab/results/reader.hpp"
#include "cli_run.hpp"
#include "lab_helpers.hpp"

namespace cachelab::live {
namespace {

namespace fs = std::filesystem;

struct Dirs {
  fs::path live, sim;
  explicit Dirs(const std::string& name)
      : live(fs::temp_directory_path() / ("cachelab-stale-" + name + "-" + std::to_string(::getpid()))),
        sim(live.string() + "-sim") {
    fs::remove_all(live);
    fs::remove_all(sim);
  }
  ~Dirs() {
    fs::remove_all(live);
    fs::remove_all(sim);
    fs::remove_all(live.string() + ".json");
  }
};

std::string validation_file(const std::string& name) {
  return std::string(CACHELAB_SOURCE_DIR) + "/scenarios/validation/live/" + name + ".json";
}

// compare's verdict row of `metric`, printed (both sides' figures go to the test log for the notes).
nlohmann::json verdict_row(const Dirs& d, const std::string& metric, const compare::Tolerances& tol) {
  const nlohmann::json v = compare::compare_runs(d.live, d.sim, tol);
  for (const auto& r : v.at("metrics"))
    if (r.at("name") == metric) {
      std::cout << "[ measured ] " << metric << ": live " << r.at("a") << ", sim " << r.at("b") << "\n";
      return r;
    }
  ADD_FAILURE() << metric << " missing\n" << compare::format_verdict(v);
  return nlohmann::json();
}

double series_sum(const results::Run& run, const std::string& column) {
  const auto* c = run.series.column(column);
  if (!c) return -1;
  double sum = 0;
  for (double v : *c)
    if (std::isfinite(v)) sum += v;
  return sum;
}

// Before issue 16 an all-MGET workload never filled the cache: hit ratio 0 in both modes. Now both fill, and agree.
TEST(LiveStaleness, MGetFillHitRatioWithin001OfTheSimulator) {
  CACHELAB_REQUIRE_REDIS();
  Dirs d("mget");
  const CliRun r = run_live("live " + validation_file("mget-fill") + " --spawn --compare --out " + d.live.string());
  ASSERT_TRUE(fs::exists(d.live / "summary.json") && fs::exists(d.sim / "summary.json")) << r.output;
  EXPECT_EQ(r.exit_code, 0) << r.output;  // the scenario's own compare.validates held
  const compare::Tolerances tol = {{"hit_ratio", {0.01, false}}, {"key_hit_ratio", {0.01, false}}};
  for (const char* m : {"hit_ratio", "key_hit_ratio"}) {
    const nlohmann::json row = verdict_row(d, m, tol);
    ASSERT_FALSE(row.is_null());
    EXPECT_TRUE(row.at("within").get<bool>()) << m;
    EXPECT_GT(row.at("a").get<double>(), 0.3) << m << ": the cache must fill live";
  }
  const results::Run live = results::load_run(d.live);
  EXPECT_GT(live.summary.raw.at("clients").at("mget_fills").get<double>(), 1000);
}

// Reads go to the replicas on READONLY connections: without READONLY a replica answers MOVED (errors.moved), and the
// masters would count the lookups. Here the replicas count every GET's lookup (INFO keyspace_hits/misses), the masters
// none (SET and DEL are not lookups), and the hit ratio is the simulator's within 0.01.
TEST(LiveStaleness, ReplicaReadsServedByReplicasHitRatioWithin001) {
  CACHELAB_REQUIRE_REDIS();
  Dirs d("replica");
  const CliRun r = run_live("live " + validation_file("replica-reads") + " --spawn --compare --out " + d.live.string());
  ASSERT_TRUE(fs::exists(d.live / "summary.json") && fs::exists(d.sim / "summary.json")) << r.output;
  EXPECT_EQ(r.exit_code, 0) << r.output;
  const nlohmann::json row = verdict_row(d, "hit_ratio", {{"hit_ratio", {0.01, false}}});
  ASSERT_FALSE(row.is_null());
  EXPECT_TRUE(row.at("within").get<bool>());
  const results::Run live = results::load_run(d.live), sim = results::load_run(d.sim);
  EXPECT_EQ(live.summary.errors.moved, 0);
  double replica_lookups = 0, master_lookups = 0;
  for (int m = 1; m <= 3; ++m) {
    const std::string master = "master-" + std::to_string(m), replica = "replica-" + std::to_string(m) + "-1";
    master_lookups += series_sum(live, master + ".keyspace_hits") + series_sum(live, master + ".keyspace_misses");
    replica_lookups += series_sum(live, replica + ".keyspace_hits") + series_sum(live, replica + ".keyspace_misses");
  }
  const double gets = live.summary.hits + live.summary.misses;
  EXPECT_GT(replica_lookups, 0.9 * gets);
  EXPECT_LT(master_lookups, 0.01 * gets);
  std::cout << "[ measured ] stale_reads.replica: live " << live.summary.stale_reads.replica.reads << " (max age "
            << live.summary.stale_reads.replica.age_ms_max << " ms), sim " << sim.summary.stale_reads.replica.reads
            << " (max age " << sim.summary.stale_reads.replica.age_ms_max << " ms)\n";
  // No value read from a replica can be newer than the database's: every count is a stale read or none.
  EXPECT_GE(live.summary.stale_reads.replica.reads, 0);
  EXPECT_EQ(live.summary.stale_reads.cache.reads, 0);  // every cache read went to a replica
}

// The delete-then-stale-fill race happens for real: a slow database (50 ms per query) and hot keys written often.
// Live mode writes each value's database version into its header and counts a GET that returns an older one, as
// the simulator does from its Store; both see stale reads, and none without writes.
TEST(LiveStaleness, DeleteThenStaleFillRaceCountedLive) {
  CACHELAB_REQUIRE_REDIS();
  Dirs d("race");
  const std::string file = d.live.string() + ".json";
  std::ofstream(file) << R"({"cachelab": 1, "name": "live-race", "seed": 3, "duration_s": 12, "warmup_s": 2,
    "cluster": {"mode": "standalone", "masters": 1},
    "workload": {"keys": 1000, "popularity": {"dist": "zipf", "alpha": 1.0},
                 "value_bytes": {"dist": "fixed", "value": 100}, "read_fraction": 0.9,
                 "arrival": {"rate_per_s": 2000}},
    "clients": {"instances": 4, "on_write": "invalidate"},
    "origin": {"servers": 1000, "service_ms": {"dist": "fixed", "value": 50}, "timeout_ms": 1000}})";
  const CliRun r = run_live("live " + file + " --spawn --compare --out " + d.live.string());
  ASSERT_TRUE(fs::exists(d.live / "summary.json") && fs::exists(d.sim / "summary.json")) << r.output;
  const results::Run live = results::load_run(d.live), sim = results::load_run(d.sim);
  std::cout << "[ measured ] stale_reads.cache: live " << live.summary.stale_reads.cache.reads << " (mean age "
            << live.summary.stale_reads.cache.age_ms_mean << " ms), sim " << sim.summary.stale_reads.cache.reads
            << " (mean age " << sim.summary.stale_reads.cache.age_ms_mean << " ms)\n";
  EXPECT_GT(sim.summary.stale_reads.cache.reads, 20);
  EXPECT_GT(live.summary.stale_reads.cache.reads, 20);
  // The same mechanism on the same request stream: the counts agree within a factor of three.
  EXPECT_LT(live.summary.stale_reads.cache.reads, 3 * sim.summary.stale_reads.cache.reads);
  EXPECT_GT(live.summary.stale_reads.cache.reads, sim.summary.stale_reads.cache.reads / 3);
  EXPECT_GT(series_sum(live, "stale_reads_cache"), 0);
}

}  // namespace
}  // namespace cachelab::live
