// The results reader against the hand-made fixture (tests/fixtures/run-small): exact values, and the
// messages it gives for malformed files.
#include <cmath>

#include <gtest/gtest.h>

#include "cachelab/results/reader.hpp"
#include "test_dirs.hpp"

namespace {

using namespace cachelab::results;
using cachelab::ResultsError;
using cachelab::testing::fixtureRun;
using cachelab::testing::ScratchRun;

// The message of the ResultsError `fn` throws ("" when it throws none).
template <class Fn>
std::string errorOf(Fn&& fn) {
  try {
    fn();
  } catch (const ResultsError& e) {
    return e.what();
  }
  return "";
}

TEST(ResultsReader, ParsesRunJson) {
  const cachelab::results::Run run = load_run(fixtureRun());
  EXPECT_EQ(run.info.cachelab_version, "0.1.0");
  EXPECT_EQ(run.info.mode, "sim");
  EXPECT_EQ(run.info.seed, 7u);
  EXPECT_EQ(run.info.name, "run-small");
  EXPECT_EQ(run.info.title, "Small fixture: one failover of master-2");
  EXPECT_NE(run.info.description.find("replica-2-1 takes over"), std::string::npos);
  ASSERT_EQ(run.info.overrides.size(), 1u);
  EXPECT_EQ(run.info.overrides[0], "/seed=7");
  EXPECT_DOUBLE_EQ(run.info.wall_s, 0.25);
  EXPECT_EQ(run.info.started_utc, "2026-11-23T12:00:00Z");
  EXPECT_EQ(run.info.scenario["cluster"]["masters"], 3);
  EXPECT_EQ(run.info.raw["sim"]["events"], 123456);
}

TEST(ResultsReader, ParsesSummary) {
  const Summary s = load_run(fixtureRun()).summary;
  EXPECT_EQ(s.mode, "sim");
  EXPECT_DOUBLE_EQ(s.measured_s, 18);
  EXPECT_DOUBLE_EQ(s.requests, 18200);
  EXPECT_DOUBLE_EQ(s.hits, 14250);
  EXPECT_DOUBLE_EQ(s.hit_ratio, 0.87);
  EXPECT_DOUBLE_EQ(s.latency_us.p50, 212.5);
  EXPECT_DOUBLE_EQ(s.latency_us.p99, 15000.0);
  EXPECT_DOUBLE_EQ(s.latency_us.mean, 480.25);
  EXPECT_DOUBLE_EQ(s.errors.clusterdown, 360);
  EXPECT_DOUBLE_EQ(s.errors.timeout, 30);
  EXPECT_DOUBLE_EQ(s.origin.requests, 2130);
  EXPECT_DOUBLE_EQ(s.origin.latency_us.p99, 4020.0);
  EXPECT_DOUBLE_EQ(s.writes_lost, 12);
  ASSERT_EQ(s.failovers.size(), 1u);
  EXPECT_EQ(s.failovers[0].node, "master-2");
  EXPECT_DOUBLE_EQ(s.failovers[0].t_kill_s, 8.0);
  EXPECT_DOUBLE_EQ(s.failovers[0].t_pfail_s, 9.5);
  EXPECT_DOUBLE_EQ(s.failovers[0].t_fail_s, 10.2);
  EXPECT_DOUBLE_EQ(s.failovers[0].t_promoted_s, 11.3);
  EXPECT_EQ(s.failovers[0].new_master, "replica-2-1");
  ASSERT_EQ(s.nodes.size(), 6u);
  EXPECT_EQ(s.nodes[0].name, "master-1");
  ASSERT_EQ(s.nodes[0].slot_ranges.size(), 1u);
  EXPECT_EQ(s.nodes[0].slot_ranges[0], std::make_pair(0, 5460));
  EXPECT_DOUBLE_EQ(s.nodes[0].slot_count, 5461);
  EXPECT_TRUE(s.nodes[1].slot_ranges.empty());
  EXPECT_DOUBLE_EQ(s.nodes[1].slot_count, 0);
  EXPECT_EQ(s.nodes[4].slot_ranges[0], std::make_pair(5461, 10922));
  EXPECT_DOUBLE_EQ(s.nodes[4].used_memory_bytes, 1060000);
  ASSERT_EQ(s.slo.size(), 2u);
  EXPECT_EQ(s.slo[0].name, "latency_p99_ms");
  EXPECT_FALSE(s.slo[0].pass);
  EXPECT_DOUBLE_EQ(s.slo[0].value, 15.0);
  EXPECT_TRUE(s.slo[1].pass);
}

TEST(ResultsReader, NullInSummaryIsMissingNotZero) {
  const Summary s = parse_summary(
      R"({"requests": 0, "hit_ratio": null, "latency_us": {"p50": null},
          "failovers": [{"node": "master-1", "t_kill_s": 45.0, "t_pfail_s": null, "new_master": null}]})",
      "summary.json");
  EXPECT_TRUE(std::isnan(s.hit_ratio));
  EXPECT_TRUE(std::isnan(s.latency_us.p50));
  EXPECT_DOUBLE_EQ(s.failovers[0].t_kill_s, 45.0);
  EXPECT_TRUE(std::isnan(s.failovers[0].t_pfail_s));
  EXPECT_EQ(s.failovers[0].new_master, "");
}

TEST(ResultsReader, ParsesSeries) {
  const Series s = load_run(fixtureRun()).series;
  ASSERT_EQ(s.rows(), 20u);
  EXPECT_EQ(s.header.size(), 24u + 6u * 5u);
  EXPECT_EQ(s.text_names.size(), 6u);
  const auto* t = s.column("t_s");
  ASSERT_NE(t, nullptr);
  EXPECT_DOUBLE_EQ((*t)[0], 1.0);
  EXPECT_DOUBLE_EQ((*t)[19], 20.0);
  EXPECT_DOUBLE_EQ((*s.column("requests_per_s"))[8], 700);
  EXPECT_DOUBLE_EQ((*s.column("hit_ratio"))[0], 0.5);
  EXPECT_DOUBLE_EQ((*s.column("latency_us_p99"))[9], 15000);
  EXPECT_TRUE(std::isnan((*s.column("origin_latency_us_p99"))[0]));  // empty cell: no origin request yet
  EXPECT_DOUBLE_EQ((*s.column("origin_latency_us_p99"))[1], 4002);
  EXPECT_EQ((*s.text_column("master-2.role"))[7], "master");
  EXPECT_EQ((*s.text_column("master-2.role"))[8], "down");
  EXPECT_EQ((*s.text_column("replica-2-1.role"))[11], "master");
  EXPECT_TRUE(std::isnan((*s.column("master-2.keys"))[8]));
  EXPECT_DOUBLE_EQ((*s.column("master-2.keys"))[7], 2080);
  EXPECT_EQ(s.column("master-2.role"), nullptr);  // role is a text column
  EXPECT_EQ(s.column("no_such_column"), nullptr);
  const std::vector<std::string> nodes{"master-1", "master-2", "master-3", "replica-1-1", "replica-2-1", "replica-3-1"};
  EXPECT_EQ(s.node_names(), nodes);
}

TEST(ResultsReader, ParsesEvents) {
  const auto ev = load_run(fixtureRun()).events;
  ASSERT_EQ(ev.size(), 11u);
  EXPECT_EQ(ev[0].type, "run_start");
  EXPECT_EQ(ev[0].node, "");
  EXPECT_EQ(ev[4].type, "pfail");
  EXPECT_EQ(ev[4].node, "master-2");
  EXPECT_DOUBLE_EQ(ev[4].t_s, 9.5);
  EXPECT_EQ(ev[4].raw["seen_by"], "master-1");
  EXPECT_EQ(ev[4].line, 5);
  EXPECT_EQ(ev[7].type, "promoted");
  EXPECT_EQ(ev[7].raw["old_master"], "master-2");
}

TEST(ResultsReader, MalformedJsonNamesFileAndPosition) {
  const std::string m = errorOf([] { parse_summary("{\n  \"requests\": 1,\n  oops\n}", "x/summary.json"); });
  EXPECT_NE(m.find("x/summary.json: not valid JSON"), std::string::npos) << m;
  EXPECT_NE(m.find("line 3"), std::string::npos) << m;
}

TEST(ResultsReader, WrongTypeNamesJsonPathExpectedAndFound) {
  const std::string m = errorOf(
      [] { parse_summary(R"({"requests": 1, "hit_ratio": 0.5, "latency_us": {"p99": "fast"}})", "summary.json"); });
  EXPECT_EQ(m, "summary.json: /latency_us/p99: expected a number or null, found the string \"fast\"");
}

TEST(ResultsReader, MissingRequiredFieldIsNamed) {
  const std::string m = errorOf([] { parse_summary(R"({"hit_ratio": 0.5, "latency_us": {}})", "summary.json"); });
  EXPECT_NE(m.find("summary.json: /requests: expected a field \"requests\""), std::string::npos) << m;
}

TEST(ResultsReader, BadSlotRangeIsNamed) {
  const std::string m = errorOf([] {
    parse_summary(
        R"({"requests": 1, "hit_ratio": 1, "latency_us": {}, "nodes": [{"name": "m", "slots": 1, "slot_ranges": [[0, 20000]]}]})",
        "summary.json");
  });
  EXPECT_NE(m.find("/nodes/0/slot_ranges/0: expected a slot range within 0-16383, found 0-20000"), std::string::npos)
      << m;
}

TEST(ResultsReader, SlotRangesAsStrings) {
  const Summary s = parse_summary(
      R"({"requests": 1, "hit_ratio": 1, "latency_us": {}, "nodes": [{"name": "m", "slots": ["0-99", 200]}]})",
      "summary.json");
  ASSERT_EQ(s.nodes[0].slot_ranges.size(), 2u);
  EXPECT_EQ(s.nodes[0].slot_ranges[1], std::make_pair(200, 200));
  EXPECT_DOUBLE_EQ(s.nodes[0].slot_count, 101);
}

TEST(ResultsReader, SeriesNonNumberNamesLineAndColumn) {
  const std::string m = errorOf([] { parse_series("t_s,hit_ratio\n1,0.5\n2,abc\n", "series.csv"); });
  EXPECT_EQ(m, "series.csv: line 3, column \"hit_ratio\": expected a number or an empty cell, found \"abc\"");
}

TEST(ResultsReader, SeriesWrongCellCount) {
  const std::string m = errorOf([] { parse_series("t_s,a,b\n1,2\n", "series.csv"); });
  EXPECT_EQ(m, "series.csv: line 2: expected 3 cells (as in the header), found 2");
}

TEST(ResultsReader, SeriesNeedsTimeFirst) {
  EXPECT_NE(errorOf([] { parse_series("a,t_s\n1,2\n", "series.csv"); }).find("starting with \"t_s\""),
            std::string::npos);
  EXPECT_NE(errorOf([] { parse_series("", "series.csv"); }).find("an empty file"), std::string::npos);
  EXPECT_NE(errorOf([] { parse_series("t_s,a\n,1\n", "series.csv"); }).find("column \"t_s\": expected a time"),
            std::string::npos);
}

TEST(ResultsReader, SeriesAcceptsCrlfAndEmptyCells) {
  const Series s = parse_series("t_s,x,n.role\r\n1,,master\r\n2,3.5,down\r\n", "series.csv");
  ASSERT_EQ(s.rows(), 2u);
  EXPECT_TRUE(std::isnan((*s.column("x"))[0]));
  EXPECT_DOUBLE_EQ((*s.column("x"))[1], 3.5);
  EXPECT_EQ((*s.text_column("n.role"))[1], "down");
}

TEST(ResultsReader, EventsBadLineNamesLine) {
  const std::string m =
      errorOf([] { parse_events("{\"t_s\":0,\"type\":\"run_start\"}\n{\"type\":\"kill\"}\n", "events.jsonl"); });
  EXPECT_NE(m.find("events.jsonl:2: /t_s: expected a field \"t_s\""), std::string::npos) << m;
  const std::string m2 = errorOf([] { parse_events("{\"t_s\":0,\"type\":\"x\"}\nnot json\n", "events.jsonl"); });
  EXPECT_NE(m2.find("events.jsonl:2: not valid JSON"), std::string::npos) << m2;
}

TEST(ResultsReader, LoadRunReportsMissingDirectoryAndFile) {
  const std::string m = errorOf([] { load_run("/nonexistent/cachelab-run"); });
  EXPECT_NE(m.find("/nonexistent/cachelab-run: expected a run directory"), std::string::npos) << m;
  ScratchRun scratch;
  std::filesystem::remove(scratch.dir() / "events.jsonl");
  const std::string m2 = errorOf([&] { load_run(scratch.dir()); });
  EXPECT_NE(m2.find("events.jsonl': a results file that cannot be opened"), std::string::npos) << m2;
  EXPECT_FALSE(looks_like_run_dir("/nonexistent"));
  EXPECT_TRUE(looks_like_run_dir(fixtureRun()));
}

TEST(ResultsReader, LoadRunReportsMalformedSummaryWithItsPath) {
  ScratchRun scratch;
  ASSERT_TRUE(scratch.replace("summary.json", "\"hit_ratio\": 0.87", "\"hit_ratio\": \"high\""));
  const std::string m = errorOf([&] { load_run(scratch.dir()); });
  EXPECT_EQ(m, (scratch.dir() / "summary.json").string() +
                   ": /hit_ratio: expected a number or null, found the string \"high\"");
}

}  // namespace
