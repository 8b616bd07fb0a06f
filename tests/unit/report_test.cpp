// `cachelab report DIR`: one self-contained HTML file for a run, a sweep and a plan directory. The test checks that
// the charts are inline SVG, that nothing refers to the network (no http:// or https://, no script), and that the
// headline numbers are those of summary.json, read here on its own and formatted as the report promises.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cachelab/io/number_format.hpp"
#include "cachelab/report/svg_chart.hpp"
#include "test_util.hpp"

using namespace cachelab;
using nlohmann::json;

namespace {

size_t occurrences(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

void expect_self_contained(const std::string& html) {
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(occurrences(html, "http://"), 0u);
  EXPECT_EQ(occurrences(html, "https://"), 0u);
  EXPECT_EQ(occurrences(html, "<script"), 0u);
  EXPECT_EQ(occurrences(html, "<link"), 0u);
  EXPECT_EQ(occurrences(html, "<img"), 0u);
  EXPECT_EQ(occurrences(html, "<svg"), occurrences(html, "</svg>"));
}

const char* kScenario = R"({"cachelab": 1, "name": "rep", "duration_s": 12, "warmup_s": 2, "seed": 4,
    "cluster": {"masters": 3, "replicas_per_master": 1, "node_timeout_ms": 1000, "maxmemory": "8mb",
                "maxmemory_policy": "allkeys-lru"},
    "workload": {"keys": 20000, "read_fraction": 0.9, "arrival": {"rate_per_s": 3000}},
    "clients": {"timeout_ms": 200},
    "origin": {"servers": 64, "service_ms": {"dist": "exponential", "mean": 1}},
    "faults": [{"at_s": 6, "action": "kill", "node": "master-2"}],
    "slo": {"hit_ratio_min": 0.3, "latency_p99_ms": 50}})";

}  // namespace

TEST(Report, RunPageHasTheChartsAndTheNumbersOfSummaryJson) {
  const auto dir = test::temp_dir("report-run");
  const std::string file = test::write_file(dir / "s.json", kScenario);
  auto r = test::run_command(test::cachelab() + " run " + file + " --out " + (dir / "run").string());
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 3) << r.out;
  r = test::run_command("cd " + dir.string() + " && " + test::cachelab() + " report run");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  // The default output: <dir name>-report.html in the current directory, nothing inside the run directory.
  ASSERT_TRUE(std::filesystem::exists(dir / "run-report.html")) << r.out;
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir / "run")) files += e.is_regular_file();
  EXPECT_EQ(files, 4u);
  const std::string html = test::read_file(dir / "run-report.html");
  expect_self_contained(html);
  EXPECT_GE(occurrences(html, "<svg"), 7u);
  for (const char* title :
       {"Request rate", "Hit ratio", "Latency percentiles", "Database load", "Failures", "Cache errors", "Node memory"})
    EXPECT_NE(html.find("<title>" + std::string(title) + "</title>"), std::string::npos) << title;
  // The hit-ratio chart's axis ends at 1: its top tick is "1".
  const size_t hr = html.find("<title>Hit ratio</title>");
  ASSERT_NE(hr, std::string::npos);
  EXPECT_NE(html.substr(hr, html.find("</svg>", hr) - hr).find(">1</text>"), std::string::npos);
  const json sum = json::parse(test::read_file(dir / "run" / "summary.json"));
  EXPECT_NE(html.find(fmt::count(sum["requests"].get<double>())), std::string::npos);
  EXPECT_NE(html.find(fmt::ratio(sum["hit_ratio"].get<double>())), std::string::npos);
  EXPECT_NE(html.find(fmt::count(sum["degraded_requests"].get<double>())), std::string::npos);
  EXPECT_NE(html.find(fmt::ratio(sum["availability"].get<double>())), std::string::npos);
  EXPECT_NE(html.find(fmt::duration_us(sum["latency_us"]["p99"].get<double>())), std::string::npos);
  EXPECT_NE(html.find("connection " + fmt::count(sum["errors"]["connection"].get<double>())), std::string::npos);
  // The failure breakdowns of summary.json (issue 15): degraded by error kind, stale reads by source.
  EXPECT_NE(html.find("(connection " + fmt::count(sum["degraded_by_error"]["connection"].get<double>()) +
                      ", CLUSTERDOWN " + fmt::count(sum["degraded_by_error"]["clusterdown"].get<double>())),
            std::string::npos);
  EXPECT_NE(html.find(fmt::count(sum["stale_reads"]["cache"]["reads"].get<double>()) + " / " +
                      fmt::count(sum["stale_reads"]["l1"]["reads"].get<double>())),
            std::string::npos);
  for (const auto& x : sum["slo"])
    EXPECT_NE(html.find("<td>" + x["name"].get<std::string>() + "</td>"), std::string::npos);
  EXPECT_NE(html.find("kill master-2"), std::string::npos) << "the fault is marked on the charts";
  // The failures chart: the run's degraded requests per interval (series.csv), named in its legend, with
  // whole-number ticks; the measured rows of each outcome column add up to summary.json's figure.
  const size_t fc = html.find("<title>Failures</title>");
  ASSERT_NE(fc, std::string::npos);
  const std::string failures = html.substr(fc, html.find("</svg>", fc) - fc);
  ASSERT_GT(sum["degraded_requests"].get<double>(), 0);
  EXPECT_NE(failures.find(">degraded (the database answered)</text>"), std::string::npos) << failures;
  EXPECT_EQ(failures.find(".2</text>"), std::string::npos) << failures;
  const std::string csv = test::read_file(dir / "run" / "series.csv");
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(csv);
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> cells;
    std::istringstream cs(line);
    for (std::string cell; std::getline(cs, cell, ',');) cells.push_back(cell);
    (header.empty() ? header : rows.emplace_back()) = cells;
  }
  auto measured_sum = [&](const std::string& col) {
    const auto c = std::find(header.begin(), header.end(), col) - header.begin();
    const auto w = std::find(header.begin(), header.end(), "warmup") - header.begin();
    EXPECT_LT(static_cast<size_t>(c), header.size()) << col;
    double total = 0;
    for (const auto& row : rows)
      if (static_cast<size_t>(c) < row.size() && row[w] == "0") total += std::stod(row[c]);
    return total;
  };
  EXPECT_EQ(measured_sum("degraded_requests"), sum["degraded_requests"].get<double>());
  EXPECT_EQ(measured_sum("failed_requests"), sum["failed_requests"].get<double>());
  EXPECT_EQ(measured_sum("origin_timeouts"), sum["origin"]["timeouts"].get<double>());
  EXPECT_EQ(measured_sum("origin_rejected"), sum["origin"]["rejected"].get<double>());
  std::filesystem::remove_all(dir);
}

TEST(Report, SweepAndPlanPagesHaveCurvesAndTheCandidateTable) {
  const auto dir = test::temp_dir("report-sweep");
  const std::string file = test::write_file(dir / "s.json", kScenario);
  auto r = test::run_command(test::cachelab() + " sweep " + file +
                             " --vary /cluster/maxmemory=2mb,4mb,8mb --jobs 2 --out " + (dir / "sw").string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  r = test::run_command(test::cachelab() + " report " + (dir / "sw").string() + " --out " + (dir / "sw.html").string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::string html = test::read_file(dir / "sw.html");
  expect_self_contained(html);
  EXPECT_NE(html.find("Hit ratio by /cluster/maxmemory"), std::string::npos);
  EXPECT_NE(html.find("p99 latency (ms) by /cluster/maxmemory"), std::string::npos);
  const json sw = json::parse(test::read_file(dir / "sw" / "sweep.json"));
  for (const auto& p : sw["points"])
    EXPECT_NE(html.find(fmt::ratio(p["metrics"]["hit_ratio"]["mean"].get<double>())), std::string::npos);

  r = test::run_command(test::cachelab() + " plan " + file +
                        " --masters 2..3 --maxmemory 2mb,8mb --with-failure --jobs 2 --out " + (dir / "pl").string());
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 4) << r.out;
  r = test::run_command(test::cachelab() + " report " + (dir / "pl").string() + " --out " + (dir / "pl.html").string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  html = test::read_file(dir / "pl.html");
  expect_self_contained(html);
  EXPECT_NE(html.find("Candidates, cheapest first"), std::string::npos);
  EXPECT_NE(html.find("by /cluster/masters"), std::string::npos);
  const json plan = json::parse(test::read_file(dir / "pl" / "plan.json"));
  EXPECT_EQ(occurrences(html, "<tr><td>"),
            plan["candidates"].size() + occurrences(html, "<tr><td>latency") + occurrences(html, "<tr><td>hit_ratio"));
  EXPECT_GE(occurrences(html, "<svg"), 8u);  // the curves and the runs of the answer (or the cheapest candidate)
  // Verdicts in words, as `cachelab plan` prints them, not plan.json's identifiers.
  bool any_pass = false;
  for (const auto& c : plan["candidates"]) any_pass = any_pass || c["verdict"] == "pass";
  const size_t table_at = html.find("Candidates, cheapest first");
  const std::string table = html.substr(table_at, html.find("</table>", table_at) - table_at);
  EXPECT_EQ(any_pass, table.find(">PASS<") != std::string::npos) << table;
  for (const char* id : {">pass<", ">pruned_dominated<", ">pruned_estimate<", ">not_run<"})
    EXPECT_EQ(table.find(id), std::string::npos) << id;
  std::filesystem::remove_all(dir);
}

TEST(Report, BadInputIsExit2AndNothingIsWritten) {
  const auto dir = test::temp_dir("report-bad");
  auto r = test::run_command(test::cachelab() + " report " + (dir / "missing").string() + " --out " +
                             (dir / "x.html").string());
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_FALSE(std::filesystem::exists(dir / "x.html"));
  std::filesystem::create_directories(dir / "empty");
  r = test::run_command(test::cachelab() + " report " + (dir / "empty").string() + " --out " +
                        (dir / "x.html").string());
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("expected a run directory"), std::string::npos) << r.out;
  // Never inside a run directory.
  const std::string file = test::write_file(dir / "s.json", kScenario);
  r = test::run_command(test::cachelab() + " run " + file + " --out " + (dir / "run").string());
  r = test::run_command(test::cachelab() + " report " + (dir / "run").string() + " --out " +
                        (dir / "run" / "r.html").string());
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_FALSE(std::filesystem::exists(dir / "run" / "r.html"));
  // A summary.json that is not one: exit 2 naming the file.
  test::write_file(dir / "run" / "summary.json", "{}");
  r = test::run_command(test::cachelab() + " report " + (dir / "run").string() + " --out " + (dir / "y.html").string());
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("summary.json"), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists(dir / "y.html"));
  std::filesystem::remove_all(dir);
}

TEST(SvgChart, TicksAreNiceAndNaNBreaksTheLine) {
  EXPECT_EQ(report::nice_ticks(0, 1, 5), (std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1}));
  const auto t = report::nice_ticks(0, 137000, 5);
  ASSERT_FALSE(t.empty());
  EXPECT_DOUBLE_EQ(t[1] - t[0], 50000);  // 137000 / 5 = 27400: the next nice step is 5 x 10^4
  EXPECT_EQ(t.size(), 3u);
  report::LineChart c;
  c.title = "a <b>";
  c.series = {{"s", {0, 1, 2, 3}, {1, NAN, 2, 3}}};
  const std::string svg = report::render_svg(c);
  EXPECT_EQ(occurrences(svg, "<polyline"), 2u);  // [0] and [2, 3]: the gap is not drawn as a value
  EXPECT_NE(svg.find("a &lt;b&gt;"), std::string::npos);
}
