// What `cachelab compare` and the dashboard's compare view say of each metric (results/metric_info.hpp): a label,
// a unit and the better direction, from one table. Every name compare lists is in it, and the command's cells read
// in the metric's unit.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cachelab/results/compare.hpp"
#include "cachelab/results/metric_info.hpp"

namespace cachelab::results {
namespace {

namespace fs = std::filesystem;

const fs::path kFixture = fs::path(CACHELAB_SOURCE_DIR) / "tests" / "fixtures" / "run-small";

// A copy of the fixture run whose summary has `extra` after its hit ratio.
struct FixtureCopy {
  fs::path dir;
  FixtureCopy(const std::string& name, const std::string& extra) {
    dir = fs::temp_directory_path() / ("cachelab-metric-info-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::copy(kFixture, dir, fs::copy_options::recursive);
    std::ifstream in(dir / "summary.json");
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    const std::string anchor = "\"hit_ratio\": 0.87,";
    s.replace(s.find(anchor), anchor.size(), anchor + " " + extra);
    std::ofstream(dir / "summary.json") << s;
  }
  ~FixtureCopy() { fs::remove_all(dir); }
};

TEST(MetricInfo, EveryMetricCompareListsIsDescribed) {
  const nlohmann::json v = compare::compare_runs(kFixture, kFixture, compare::default_tolerances());
  ASSERT_GT(v["metrics"].size(), 40u);
  for (const auto& m : v["metrics"]) {
    const std::string name = m["name"].get<std::string>();
    const MetricInfo info = metric_info(name);
    EXPECT_TRUE(info.known) << name;
    EXPECT_FALSE(info.label.empty()) << name;
  }
}

TEST(MetricInfo, UnitsLabelsAndDirections) {
  EXPECT_EQ(metric_info("key_hit_ratio").unit, MetricUnit::Ratio);
  EXPECT_EQ(metric_info("availability").unit, MetricUnit::Ratio);
  EXPECT_EQ(metric_info("availability").better, Better::Higher);
  EXPECT_EQ(metric_info("error_rate").unit, MetricUnit::Probability);
  EXPECT_EQ(metric_info("cache_error_rate").better, Better::Lower);
  EXPECT_EQ(metric_info("used_memory_bytes").unit, MetricUnit::Bytes);
  EXPECT_EQ(metric_info("origin.latency_us.p999").label, "database latency p99.9");
  EXPECT_EQ(metric_info("origin.latency_us.p999").unit, MetricUnit::Micros);
  EXPECT_EQ(metric_info("errors.clusterdown").label, "clusterdown errors");
  const MetricInfo f = metric_info("failovers.master-1.promotion_s");
  EXPECT_EQ(f.label, "failover of master-1: kill to promotion");
  EXPECT_EQ(f.unit, MetricUnit::Seconds);
  EXPECT_EQ(f.better, Better::Lower);
  // A stream's figures carry its name; a stream called "bytes" is not a size.
  const MetricInfo s = metric_info("streams.checkout.hit_ratio");
  EXPECT_EQ(s.label, "stream checkout: hit ratio");
  EXPECT_EQ(s.unit, MetricUnit::Ratio);
  EXPECT_EQ(metric_info("streams.bytes.requests").unit, MetricUnit::Count);
  EXPECT_EQ(metric_info("streams.a.latency_us.p99").label, "stream a: latency p99");
  // A registered metric's unit follows its name's suffix; it has no better direction.
  const MetricInfo r = metric_info("queue_wait_us");
  EXPECT_FALSE(r.known);
  EXPECT_EQ(r.label, "queue_wait_us");
  EXPECT_EQ(r.unit, MetricUnit::Micros);
  EXPECT_EQ(r.better, Better::Neither);
  EXPECT_FALSE(metric_info("streams.x.unknown").known);
}

TEST(MetricInfo, FormatsInTheUnit) {
  EXPECT_EQ(format_metric(0.99081, MetricUnit::Ratio), "0.9908");
  EXPECT_EQ(format_metric(0.0021, MetricUnit::Probability), "0.00210");
  EXPECT_EQ(format_metric(1173674, MetricUnit::Count), "1,173,674");
  EXPECT_EQ(format_metric(13300, MetricUnit::Micros), "13.3 ms");
  EXPECT_EQ(format_metric(0, MetricUnit::Micros), "0");
  EXPECT_EQ(format_metric(67108864, MetricUnit::Bytes), "64.0 MiB");
  EXPECT_EQ(format_metric(38.151, MetricUnit::Seconds), "38.2 s");
}

// The command's table: a key hit ratio of 0.9908 against 0.7839 reads as ratios and an error rate as a probability.
TEST(MetricInfo, CompareTableCellsReadInTheMetricsUnit) {
  const FixtureCopy a("a", "\"key_hit_ratio\": 0.7839, \"error_rate\": 0,");
  const FixtureCopy b("b", "\"key_hit_ratio\": 0.9908, \"error_rate\": 0.0021,");
  const std::string table = compare::format_verdict(compare::compare_runs(a.dir, b.dir, {}));
  std::istringstream lines(table);
  std::string line, key_hit, error_rate;
  while (std::getline(lines, line)) {
    if (line.rfind("key_hit_ratio ", 0) == 0) key_hit = line;
    if (line.rfind("error_rate ", 0) == 0) error_rate = line;
  }
  EXPECT_NE(key_hit.find("0.7839"), std::string::npos) << table;
  EXPECT_NE(key_hit.find("0.9908"), std::string::npos) << table;
  EXPECT_NE(key_hit.find("0.2069"), std::string::npos) << table;
  EXPECT_NE(error_rate.find("0.00210"), std::string::npos) << table;
}

}  // namespace
}  // namespace cachelab::results
