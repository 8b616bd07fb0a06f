// The estimate's popularity laws beyond Zipf and uniform (analytic/workload_classes.cpp): hotspot's two classes
// against Che solved here by bisection and against the top-C mass; YCSB's scrambled zipfian against the pmf and hit
// ratios of docs/validation.md §4; latest without inserts as Zipf(0.99) over the loaded keys; refusals
// (sequential, latest with inserts) with the knob's pointer and exit 2 from the command.
#include <gtest/gtest.h>

#include <cmath>

#include "cachelab/analytic/che.hpp"
#include "cachelab/analytic/estimate.hpp"
#include "cachelab/scenario/loader.hpp"
#include "test_util.hpp"

using namespace cachelab;
using namespace cachelab::analytic;

namespace {
Scenario with_popularity(const std::string& pop, uint64_t keys, const std::string& extra = "") {
  return load_scenario_text(R"({"cachelab": 1, "name": "p", "duration_s": 10, "warmup_s": 5,
    "cluster": {"mode": "standalone", "masters": 1, "maxmemory_policy": "allkeys-lru"},
    "workload": {"keys": )" + std::to_string(keys) +
                                R"(, "popularity": )" + pop + R"(, "read_fraction": 1)" + extra +
                                R"(, "arrival": {"rate_per_s": 1000}}})",
                            "p.json");
}
}  // namespace

TEST(EstimatePopularity, HotspotIsTwoUniformClasses) {
  const uint64_t n = 10000;
  const Scenario s = with_popularity(R"({"dist": "hotspot", "hot_keys_fraction": 0.1, "hot_ops_fraction": 0.9})", n);
  const auto cls = workload_classes(s);
  const double hot = 1000, p1 = 0.9 / hot, p2 = 0.1 / (n - hot);
  // Che by hand: T solves hot (1 - e^-p1 T) + cold (1 - e^-p2 T) = C.
  for (double C : {200.0, 1000.0, 3000.0}) {
    auto filled = [&](double T) { return hot * (1 - std::exp(-p1 * T)) + (n - hot) * (1 - std::exp(-p2 * T)); };
    double lo = 0, hi = 1e9;
    for (int i = 0; i < 200; ++i) ((filled(0.5 * (lo + hi)) < C) ? lo : hi) = 0.5 * (lo + hi);
    const double T = 0.5 * (lo + hi);
    const double h = hot * p1 * (1 - std::exp(-p1 * T)) + (n - hot) * p2 * (1 - std::exp(-p2 * T));
    EXPECT_NEAR(cache_hit(cls, C, CacheModel::Lru).hit_ratio(), h, 1e-6) << C;
    // Perfect LFU: the hot set first.
    const double lfu = std::min(C, hot) * p1 + std::max(0.0, C - hot) * p2;
    EXPECT_NEAR(cache_hit(cls, C, CacheModel::PerfectLfu).hit_ratio(), lfu, 1e-9) << C;
  }
}

// docs/validation.md §4: P(top key) for N = 10^4 is 0.03785; Che-LRU / perfect-LFU hit ratios at C = 100 and 1000 are
// 0.11351 / 0.21471 and 0.27994 / 0.36568 (that table hashed 2*10^6 ranks and spread the rest evenly, as we do).
TEST(EstimatePopularity, ScrambledZipfianFoldsTheRanks) {
  const Scenario s = with_popularity(R"({"dist": "scrambled_zipfian"})", 10000);
  const auto cls = workload_classes(s);
  double top = 0, sum = 0;
  for (const auto& c : cls) {
    top = std::max(top, c.p);
    sum += c.count * c.p;
  }
  EXPECT_NEAR(sum, 1.0, 1e-9);
  EXPECT_NEAR(top, 0.03785, 0.0001);
  EXPECT_NEAR(cache_hit(cls, 100, CacheModel::Lru).hit_ratio(), 0.11351, 0.002);
  EXPECT_NEAR(cache_hit(cls, 100, CacheModel::PerfectLfu).hit_ratio(), 0.21471, 0.002);
  EXPECT_NEAR(cache_hit(cls, 1000, CacheModel::Lru).hit_ratio(), 0.27994, 0.003);
  EXPECT_NEAR(cache_hit(cls, 1000, CacheModel::PerfectLfu).hit_ratio(), 0.36568, 0.003);
}

// Read-only latest: the frontier stays put, keys loaded-1, loaded-2, ..., 1 follow Zipf(0.99); key 0 is never read.
TEST(EstimatePopularity, LatestWithoutInsertsIsZipfOverRecency) {
  const uint64_t loaded = 500;
  const Scenario s = with_popularity(R"({"dist": "latest", "loaded_keys": 500})", 1000);
  const auto cls = workload_classes(s);
  double h = 0;
  for (uint64_t k = 1; k < loaded; ++k) h += std::pow(static_cast<double>(k), -0.99);
  double sum = 0;
  for (const auto& c : cls) {
    sum += c.count * c.p;
    if (c.rank == loaded) {
      EXPECT_NEAR(c.p, 1 / h, 1e-12);
    }  // key 499: rank 1
    if (c.rank == loaded - 9) {
      EXPECT_NEAR(c.p, std::pow(10.0, -0.99) / h, 1e-12);
    }                       // key 490: rank 10
    EXPECT_NE(c.rank, 1u);  // key 0
  }
  EXPECT_NEAR(sum, 1.0, 1e-9);
}

TEST(EstimatePopularity, RefusesWhereNoStationaryLawExists) {
  for (const auto& [pop, extra] : {std::pair<std::string, std::string>{R"({"dist": "sequential"})", ""},
                                   {R"({"dist": "latest"})", R"(, "ops": {"get": 0.9, "set": 0.1})"}}) {
    const std::string text = R"({"cachelab": 1, "name": "p", "duration_s": 10,
      "workload": {"keys": 1000, "popularity": )" +
                             pop + extra + R"(, "arrival": {"rate_per_s": 1000}}})";
    try {
      (void)estimate(load_scenario_text(text, "p.json"));
      ADD_FAILURE() << pop << " was estimated";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("/workload/popularity/dist"), std::string::npos) << e.what();
    }
  }
  const auto dir = test::temp_dir("estimate-seq");
  const std::string file = test::write_file(dir / "seq.json", R"({"cachelab": 1, "name": "seq", "duration_s": 10,
    "workload": {"keys": 1000, "popularity": {"dist": "sequential"}, "arrival": {"rate_per_s": 1000}}})");
  const auto r = test::run_command(test::cachelab() + " estimate " + file);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("sequential is a scan"), std::string::npos) << r.out;
}
