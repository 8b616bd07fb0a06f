// Summaries that say what happened (issue 15): the three runs whose summary once hid their failures. Each runs the
// CLI as a user would, then checks summary.json's figures against each other (breakdowns add up to their totals,
// rates are their counts over requests) and that the text names them. Independent reasons: a killed master refuses
// connections and its slots answer CLUSTERDOWN until the promotion; 108 database servers cannot carry the spike's
// misses (README, "The flagship"); the write-behind scenario crashes a client instance with writes buffered.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cachelab/io/number_format.hpp"
#include "test_util.hpp"

using namespace cachelab;
using nlohmann::json;

namespace {

struct CliRun {
  std::string text;  // what `cachelab run` printed
  json summary;      // the summary.json it wrote
};

CliRun run_cli(const std::string& name, const std::string& scenario, const std::string& args = "") {
  const auto dir = test::temp_dir("summary-outcomes-" + name) / "run";
  const auto r = test::run_command(test::cachelab() + " run " + test::source_dir() + "/" + scenario + " --out " +
                                   dir.string() + " " + args);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  return {r.out, json::parse(test::read_file(dir / "summary.json"))};
}

double num(const json& s, const char* ptr) { return s.at(json::json_pointer(ptr)).get<double>(); }

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

}  // namespace

TEST(SummaryOutcomes, FailoverShowsDegradedRequestsByErrorKindAndBothErrorRates) {
  const CliRun r = run_cli("failover", "scenarios/lessons/failover.json", "--set /slo/cache_error_rate_max=0.01");
  const json& s = r.summary;
  const double requests = num(s, "/requests"), degraded = num(s, "/degraded_requests");
  // The kill: connections refused, then CLUSTERDOWN for the dead master's slots; all served by the database.
  EXPECT_GT(num(s, "/degraded_by_error/connection"), 0);
  EXPECT_GT(num(s, "/degraded_by_error/clusterdown"), 0);
  EXPECT_EQ(num(s, "/degraded_by_error/connection") + num(s, "/degraded_by_error/clusterdown") +
                num(s, "/degraded_by_error/timeout"),
            degraded);
  EXPECT_EQ(num(s, "/failed_requests"), 0);
  EXPECT_DOUBLE_EQ(num(s, "/error_rate"), 0);
  EXPECT_DOUBLE_EQ(num(s, "/availability"), 1 - degraded / requests);
  EXPECT_GE(num(s, "/cache_failed_requests"), degraded);
  EXPECT_DOUBLE_EQ(num(s, "/cache_error_rate"), num(s, "/cache_failed_requests") / requests);
  EXPECT_TRUE(s.at("stale_reads").is_object());  // per source (issue 16): cache, l1, replica
  // Both error rates can be asked: the application saw no failure, the cache failed > 1% of requests.
  bool app_pass = false, cache_fail = false;
  for (const auto& slo : s.at("slo")) {
    if (slo["name"] == "error_rate_max") app_pass = slo["pass"].get<bool>();
    if (slo["name"] == "cache_error_rate_max") cache_fail = !slo["pass"].get<bool>();
  }
  EXPECT_TRUE(app_pass);
  EXPECT_TRUE(cache_fail);
  // The text: degraded with its kinds, and each SLO line says what it measures.
  EXPECT_TRUE(has(r.text, "degraded            " + fmt::count(degraded))) << r.text;
  EXPECT_TRUE(has(r.text, "connection " + fmt::count(num(s, "/degraded_by_error/connection")))) << r.text;
  EXPECT_TRUE(has(r.text, "CLUSTERDOWN " + fmt::count(num(s, "/degraded_by_error/clusterdown")))) << r.text;
  EXPECT_TRUE(has(r.text, "no request failed for the application")) << r.text;
  EXPECT_TRUE(has(r.text, "PASS  share of requests that failed for the application: 0")) << r.text;
  EXPECT_TRUE(has(r.text, "FAIL  share of requests whose cache command ended in an error")) << r.text;
  EXPECT_FALSE(has(r.text, "0 failed")) << r.text;
}

TEST(SummaryOutcomes, FlashSaleOn108ServersShowsTheDatabaseTimeouts) {
  const CliRun r = run_cli("flash108", "scenarios/flash-sale.json", "--set /origin/servers=108");
  const json& s = r.summary;
  const double timeouts = num(s, "/origin/timeouts");
  EXPECT_GT(timeouts, 100000);  // the metastable overload: hundreds of thousands
  EXPECT_GT(num(s, "/failed_by_cause/origin"), 0);
  EXPECT_EQ(num(s, "/failed_by_cause/origin") + num(s, "/failed_by_cause/cache") +
                num(s, "/failed_by_cause/write_buffer_full"),
            num(s, "/failed_requests"));
  EXPECT_DOUBLE_EQ(num(s, "/error_rate"), num(s, "/failed_requests") / num(s, "/requests"));
  EXPECT_TRUE(has(r.text, fmt::count(timeouts) + " timeouts")) << r.text;
  EXPECT_TRUE(has(r.text, "database timed out or refused " + fmt::count(num(s, "/failed_by_cause/origin")))) << r.text;
}

TEST(SummaryOutcomes, WriteBehindCrashNamesTheLostWrites) {
  const CliRun r = run_cli("write-behind", "scenarios/write-behind.json");
  const json& s = r.summary;
  const double buffered_lost = num(s, "/clients/write_behind/lost");
  EXPECT_GT(buffered_lost, 0);
  EXPECT_EQ(num(s, "/writes_lost_by_kind/write_behind"), buffered_lost);
  EXPECT_EQ(num(s, "/writes_lost_by_kind/failover") + num(s, "/writes_lost_by_kind/deposed_master"),
            num(s, "/writes_lost"));
  EXPECT_EQ(num(s, "/writes_lost_by_kind/total"), num(s, "/writes_lost") + buffered_lost);
  EXPECT_TRUE(
      has(r.text, "writes lost         " + fmt::count(num(s, "/writes_lost_by_kind/total")) + " acknowledged writes"))
      << r.text;
  EXPECT_TRUE(has(r.text, fmt::count(buffered_lost) + " in a write-behind buffer lost in a client crash")) << r.text;
}

// writes_lost_max counts every kind the summary names: a write-behind crash loses acknowledged writes as surely as
// a failover does, so a target of 0 fails (it measured writes_lost, the replication kinds only, and passed at 0).
TEST(SummaryOutcomes, WritesLostSloCountsTheWriteBehindCrash) {
  const CliRun r = run_cli("write-behind-slo", "scenarios/write-behind.json", "--set /slo/writes_lost_max=0");
  const json& s = r.summary;
  ASSERT_GT(num(s, "/writes_lost_by_kind/write_behind"), 0);
  bool found = false;
  for (const auto& x : s["slo"]) {
    if (x["name"] != "writes_lost_max") continue;
    found = true;
    EXPECT_FALSE(x["pass"].get<bool>()) << x.dump();
    EXPECT_EQ(x["value"].get<double>(), num(s, "/writes_lost_by_kind/total"));
    EXPECT_TRUE(has(x["measures"].get<std::string>(), "write-behind")) << x.dump();
  }
  EXPECT_TRUE(found) << s["slo"].dump();
  EXPECT_TRUE(has(r.text, "SLO writes_lost_max            FAIL")) << r.text;
}
