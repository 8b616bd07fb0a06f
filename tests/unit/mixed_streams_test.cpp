// Mixed streams (workload.streams, issue 16 part 4): validation, the merged request stream (each stream its own
// random streams, merged by time), per-stream metrics that add up to the totals, one tenant's load hurting
// another's, and the bundled scenarios/scan-pollution.json doing what its description says.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "cachelab/results/summary_text.hpp"
#include "cachelab/results/writer.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"
#include "cachelab/sweep/table.hpp"
#include "cachelab/workload/generator.hpp"
#include "test_util.hpp"

using namespace cachelab;
using nlohmann::json;

namespace {

// Two tenants: "main" (Zipf over 20,000 keys on instances 0-7) and "tenant-b" (uniform over its own 50,000 keys on
// instances 8-15), one cache.
const char* kTwoTenants = R"({
  "cachelab": 1, "name": "tenants", "duration_s": 8, "warmup_s": 2, "seed": 3,
  "cluster": { "masters": 3, "maxmemory": "4mb", "maxmemory_policy": "allkeys-lru" },
  "workload": {
    "keys": 20000, "read_fraction": 0.9, "value_bytes": {"dist": "fixed", "value": 300},
    "arrival": { "rate_per_s": 5000 },
    "streams": [ { "name": "tenant-b", "keys": 50000, "popularity": {"dist": "uniform"}, "read_fraction": 1,
                   "value_bytes": {"dist": "fixed", "value": 600},
                   "arrival": { "rate_per_s": 1000 }, "client_instances": "8-15" } ]
  },
  "clients": { "instances": 16 },
  "origin": { "servers": 24, "service_ms": {"dist": "exponential", "mean": 2}, "timeout_ms": 500 }
})";

std::vector<Request> draw_all(const Scenario& s) {
  WorkloadGenerator g(s);
  std::vector<Request> out;
  Request r;
  while (g.next(r, Time::from_seconds(s.duration_s))) out.push_back(r);
  return out;
}

// The validation issues of a scenario text, as "pointer: expected" lines.
std::vector<schema::Issue> issues_of(const std::string& text, const std::vector<std::string>& set = {}) {
  try {
    load_scenario_text(text, "s.json", set);
  } catch (const ScenarioError& e) {
    return e.issues();
  }
  return {};
}

bool has_issue(const std::vector<schema::Issue>& issues, const std::string& pointer, const std::string& word) {
  for (const auto& i : issues)
    if (i.pointer == pointer && (i.expected + " " + i.found).find(word) != std::string::npos) return true;
  return false;
}

std::string dump(const std::vector<schema::Issue>& issues) {
  std::string s;
  for (const auto& i : issues) s += i.pointer + ": expected " + i.expected + ", found " + i.found + "\n";
  return s;
}

// The mean of a series column over rows whose end time is in (from_s, to_s].
double series_mean(const SeriesTable& t, const std::string& column, double from_s, double to_s) {
  size_t c = 0;
  while (c < t.columns.size() && t.columns[c] != column) ++c;
  if (c == t.columns.size()) return NAN;
  double sum = 0;
  int n = 0;
  for (const auto& row : t.rows) {
    const double end = std::stod(row[0]);
    if (end > from_s && end <= to_s && !row[c].empty()) sum += std::stod(row[c]), ++n;
  }
  return n ? sum / n : NAN;
}

}  // namespace

TEST(MixedStreamsValidation, StreamsAreCheckedLikeEveryOtherKnob) {
  const std::string head = R"({"cachelab": 1, "name": "v", "duration_s": 10, "clients": {"instances": 8},
    "workload": {"keys": 100, "arrival": {"rate_per_s": 100}, "streams": )";
  // Each item's own fields (a stream's cross-checks run once its fields are valid).
  auto issues = issues_of(head + R"([
      {"name": "b", "keys": 10, "arrival": {"rate_per_s": 10}, "popularty": {"dist": "uniform"}},
      {"name": "c", "keys": 10, "arrival": {"dist": "closed", "rate_per_s": null, "sessions_per_instance": 0,
                                            "spikes": [{"at_s": 1, "multiplier": 2}]}},
      {"name": "", "keys": 0, "arrival": {"rate_per_s": 10}, "key_prefix": ")" +
                          std::string(65, 'b') + R"("},
      {"keys": 10, "arrival": {"rate_per_s": 10}, "popularity": {"dist": "scan", "start": -1}}
    ]}})");
  EXPECT_TRUE(has_issue(issues, "/workload/streams/0/popularty", "popularity")) << dump(issues);  // did you mean
  // A closed-loop stream (its own sessions): at least one session per instance, no rate to shape.
  EXPECT_TRUE(has_issue(issues, "/workload/streams/1/arrival/sessions_per_instance", ">= 1")) << dump(issues);
  EXPECT_TRUE(has_issue(issues, "/workload/streams/2/name", "1 to 32")) << dump(issues);  // non-empty
  EXPECT_TRUE(has_issue(issues, "/workload/streams/2/keys", ">= 1")) << dump(issues);
  EXPECT_TRUE(has_issue(issues, "/workload/streams/2/key_prefix", "64 bytes")) << dump(issues);  // issue 17
  EXPECT_TRUE(has_issue(issues, "/workload/streams/3/name", "required")) << dump(issues);
  EXPECT_TRUE(has_issue(issues, "/workload/streams/3/popularity/start", ">= 0")) << dump(issues);
  // Across streams.
  issues = issues_of(head + R"([
      {"name": "b", "keys": 10, "arrival": {"rate_per_s": 10}},
      {"name": "b", "keys": 10, "arrival": {"rate_per_s": 10}},
      {"name": "main", "keys": 10, "arrival": {"rate_per_s": 10}}
    ]}})");
  EXPECT_TRUE(has_issue(issues, "/workload/streams/1/name", "stream 0")) << dump(issues);  // unique
  EXPECT_TRUE(has_issue(issues, "/workload/streams/2/name", "main")) << dump(issues);
  // Against the rest of the scenario (the client instances, the duration).
  issues = issues_of(head + R"([
      {"name": "b", "keys": 10, "arrival": {"rate_per_s": 10}, "client_instances": "2-9"},
      {"name": "c", "keys": 10, "arrival": {"rate_per_s": 10}, "start_s": 12, "client_instances": "1,x"}
    ]}})");
  EXPECT_TRUE(has_issue(issues, "/workload/streams/0/client_instances", "instance 9")) << dump(issues);
  EXPECT_TRUE(has_issue(issues, "/workload/streams/1/start_s", "duration_s")) << dump(issues);
  EXPECT_TRUE(has_issue(issues, "/workload/streams/1/client_instances", "offset 2")) << dump(issues);
  // A stream needs no key groups (a closed-loop main workload is fine).
  issues = issues_of(R"({"cachelab": 1, "name": "v", "duration_s": 10, "workload": {"keys": 100,
    "key_groups": {"size": 4}, "multi_key_count": {"min": 2, "max": 4},
    "arrival": {"dist": "closed"}, "streams": [{"name": "b", "keys": 10, "arrival": {"rate_per_s": 10}}]}})");
  EXPECT_FALSE(has_issue(issues, "/workload/streams", "closed")) << dump(issues);
  EXPECT_TRUE(has_issue(issues, "/workload/key_groups", "null")) << dump(issues);
  // A closed-loop stream's arrival has no rate: a rate, a shape or a diurnal factor is refused.
  issues = issues_of(head + R"([
      {"name": "b", "keys": 10, "arrival": {"dist": "closed", "rate_per_s": 10}},
      {"name": "c", "keys": 10, "arrival": {"dist": "closed", "rate_per_s": null,
                                            "shape": [{"at_s": 1, "rate_per_s": 5}]}},
      {"name": "d", "keys": 10, "arrival": {"dist": "closed", "rate_per_s": null,
                                            "diurnal": {"amplitude": 0.5, "period_s": 10}}}
    ]}})");
  EXPECT_TRUE(has_issue(issues, "/workload/streams/0/arrival/rate_per_s", "null with dist closed")) << dump(issues);
  EXPECT_TRUE(has_issue(issues, "/workload/streams/1/arrival/shape", "[] with dist closed")) << dump(issues);
  EXPECT_TRUE(has_issue(issues, "/workload/streams/2/arrival/diurnal", "null with dist closed")) << dump(issues);
  // The command line: exit 2, the file and the pointer named, nothing written.
  const auto dir = test::temp_dir("streams-invalid");
  const std::string file = test::write_file(dir / "bad.json", head + R"([{"name": "b", "keys": 10,
      "arrival": {"rate_per_s": 10}, "client_instances": "x"}]}})");
  const auto r = test::run_command(test::cachelab() + " validate " + file);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("bad.json"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("/workload/streams/0/client_instances"), std::string::npos) << r.out;
  // A closed-loop stream with a rate shape: exit 2, file, pointer, expected and found.
  const std::string closed = test::write_file(dir / "closed.json", head + R"([{"name": "b", "keys": 10,
      "arrival": {"dist": "closed", "rate_per_s": null, "shape": [{"at_s": 1, "rate_per_s": 5}]}}]}})");
  const auto rc = test::run_command(test::cachelab() + " run " + closed + " --no-write");
  EXPECT_EQ(rc.exit_code, 2) << rc.out;
  EXPECT_NE(rc.out.find("closed.json"), std::string::npos) << rc.out;
  EXPECT_NE(rc.out.find("/workload/streams/0/arrival/shape"), std::string::npos) << rc.out;
  EXPECT_NE(rc.out.find("[] with dist closed"), std::string::npos) << rc.out;
  EXPECT_NE(rc.out.find("non-empty array"), std::string::npos) << rc.out;
}

TEST(MixedStreamsValidation, WithoutStreamsTheResolvedScenarioIsUnchanged) {
  const Scenario s = load_scenario_text(R"({"cachelab": 1, "name": "v", "duration_s": 10,
    "workload": {"keys": 100, "arrival": {"rate_per_s": 100}}})",
                                        "s.json");
  EXPECT_FALSE(s.resolved.at("workload").contains("streams")) << "run.json stays byte-identical without streams";
  EXPECT_TRUE(s.streams.empty());
  EXPECT_EQ(s.key_space(), 100u);
}

TEST(MixedStreams, EachStreamDrawsItsOwnRequestsMergedByTime) {
  const Scenario two = load_scenario_text(kTwoTenants, "t.json");
  const Scenario one = load_scenario_text(kTwoTenants, "t.json", {"/workload/streams=[]"});
  ASSERT_EQ(two.streams.size(), 1u);
  EXPECT_EQ(two.streams[0].key_offset, 20000u) << "right after the main workload's keys";
  EXPECT_EQ(two.key_space(), 70000u);
  const auto merged = draw_all(two), alone = draw_all(one);
  // The main workload's requests are exactly those it draws alone: a stream has its own random streams.
  std::vector<Request> main_part, b_part;
  for (const auto& r : merged) (r.stream == 0 ? main_part : b_part).push_back(r);
  ASSERT_EQ(main_part.size(), alone.size());
  for (size_t i = 0; i < alone.size(); ++i) {
    ASSERT_EQ(main_part[i].due, alone[i].due) << i;
    ASSERT_EQ(main_part[i].key, alone[i].key) << i;
    ASSERT_EQ(main_part[i].op, alone[i].op) << i;
    ASSERT_EQ(main_part[i].client, alone[i].client) << i;
  }
  // Merged by time, numbered in merged order; tenant B in its own key range, sizes and instances.
  for (size_t i = 0; i < merged.size(); ++i) {
    EXPECT_EQ(merged[i].seq, i);
    if (i > 0) {
      ASSERT_LE(merged[i - 1].due, merged[i].due);
    }
  }
  EXPECT_NEAR(static_cast<double>(b_part.size()), 8000, 5 * std::sqrt(8000.0));
  for (const auto& r : b_part) {
    ASSERT_GE(r.key, 20000u);
    ASSERT_LT(r.key, 70000u);
    ASSERT_GE(r.client, 8);
    ASSERT_LE(r.client, 15);
    ASSERT_EQ(r.value_bytes, 600u);
    ASSERT_EQ(r.op, Op::Read);
  }
  for (const auto& r : main_part) {
    ASSERT_LT(r.key, 20000u);
    ASSERT_EQ(r.value_bytes, 300u);
  }
  // Same scenario and seed: the same merged stream; another seed: another.
  const auto again = draw_all(two);
  ASSERT_EQ(again.size(), merged.size());
  for (size_t i = 0; i < merged.size(); ++i) ASSERT_EQ(again[i].key, merged[i].key);
}

TEST(MixedStreams, ScanReadsItsRangeOnceFromItsStart) {
  const Scenario s = load_scenario_text(R"({"cachelab": 1, "name": "v", "duration_s": 10,
    "workload": {"keys": 100, "arrival": {"rate_per_s": 100},
      "streams": [{"name": "scan", "keys": 500, "start_s": 4, "popularity": {"dist": "scan"}, "read_fraction": 1,
                   "arrival": {"rate_per_s": 1000}}]}})",
                                        "s.json");
  std::vector<uint64_t> keys;
  for (const auto& r : draw_all(s))
    if (r.stream == 1) {
      EXPECT_GT(r.due, Time::from_seconds(4));
      keys.push_back(r.key);
    }
  ASSERT_EQ(keys.size(), 500u) << "every key of the range once, then the stream ends";
  for (size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(keys[i], 100 + i);
}

TEST(MixedStreams, SameSeedSameBytesAndStreamsAddUpToTheTotals) {
  const Scenario s = load_scenario_text(kTwoTenants, "t.json");
  const RunOutput a = simulate(s), b = simulate(s);
  EXPECT_EQ(format_json(a.summary), format_json(b.summary));
  EXPECT_EQ(format_series_csv(a.series), format_series_csv(b.series));
  EXPECT_EQ(format_events_jsonl(a.events), format_events_jsonl(b.events));
  const json& st = a.summary.at("streams");
  ASSERT_EQ(st.size(), 2u);
  for (const char* k : {"requests", "reads", "hits", "misses", "failed_requests"}) {
    uint64_t sum = 0;
    for (const auto& [name, v] : st.items()) sum += v.at(k).get<uint64_t>();
    const char* total = std::string(k) == "failed_requests" ? "failed_requests" : k;
    EXPECT_EQ(sum, a.summary.at(total).get<uint64_t>()) << k;
  }
  uint64_t origin = 0;
  for (const auto& [name, v] : st.items()) origin += v.at("origin_requests").get<uint64_t>();
  EXPECT_EQ(origin, a.summary.at("origin").at("requests").get<uint64_t>()) << "cache-aside: every query is a request's";
  EXPECT_GT(st.at("tenant-b").at("misses").get<uint64_t>(), 0u);
  EXPECT_GT(st.at("main").at("latency_us").at("p99").get<double>(), 0);
  // Series: each stream's rate and hit ratio per interval.
  const auto& cols = a.series.columns;
  for (const char* c : {"stream_main_requests_per_s", "stream_main_hit_ratio", "stream_tenant-b_requests_per_s",
                        "stream_tenant-b_hit_ratio"})
    EXPECT_NE(std::find(cols.begin(), cols.end(), c), cols.end()) << c;
  // The summary text lists them.
  const std::string text = results::summary_text(a.summary, {});
  EXPECT_NE(text.find("streams"), std::string::npos) << text;
  EXPECT_NE(text.find("tenant-b"), std::string::npos) << text;
  // Without streams, no streams key and no stream columns.
  const RunOutput plain = simulate(load_scenario_text(kTwoTenants, "t.json", {"/workload/streams=[]"}));
  EXPECT_FALSE(plain.summary.contains("streams"));
  for (const auto& c : plain.series.columns) EXPECT_NE(c.rfind("stream_", 0), 0u) << c;
}

// Tenant B's load (uniform reads over its own large key space) takes cache memory and database capacity from
// tenant A: A's hit ratio falls and its latency rises as B grows, though A's own requests are the same.
TEST(MixedStreams, OneTenantsLoadHurtsAnother) {
  const RunOutput quiet = simulate(load_scenario_text(kTwoTenants, "t.json"));
  const RunOutput loud =
      simulate(load_scenario_text(kTwoTenants, "t.json", {"/workload/streams/0/arrival/rate_per_s=10000"}));
  const json &qa = quiet.summary.at("streams").at("main"), &la = loud.summary.at("streams").at("main");
  // Tenant A's own requests are the same (its random streams are its own); completions within the run nearly so.
  EXPECT_NEAR(la.at("requests").get<double>(), qa.at("requests").get<double>(), 0.01 * qa.at("requests").get<double>());
  // Quiet B (1,000/s): A's hit ratio about 0.73, mean 1.0 ms, p90 2.7 ms, p99 7.4 ms. Loud B (10,000/s): B's keys
  // take the memory (A's hit ratio about 0.57) and its misses queue at the database (A's p90 about 4.4 ms).
  EXPECT_LT(la.at("hit_ratio").get<double>(), qa.at("hit_ratio").get<double>() - 0.1);
  EXPECT_GT(la.at("latency_us").at("mean").get<double>(), 1.3 * qa.at("latency_us").at("mean").get<double>());
  EXPECT_GT(la.at("latency_us").at("p90").get<double>(), 1.3 * qa.at("latency_us").at("p90").get<double>());
  EXPECT_GT(la.at("latency_us").at("p99").get<double>(), 1.1 * qa.at("latency_us").at("p99").get<double>());
  EXPECT_GT(la.at("origin_requests").get<double>(), qa.at("origin_requests").get<double>());
}

// scenarios/scan-pollution.json's description, claim by claim: the scan runs from 40 s to about 50 s.
TEST(MixedStreams, BundledScanPollutionScenarioDoesWhatItsDescriptionSays) {
  const std::string file = test::source_dir() + "/scenarios/scan-pollution.json";
  const RunOutput lru = simulate(load_scenario_file(file));
  const RunOutput lfu = simulate(load_scenario_file(file, {"/cluster/maxmemory_policy=allkeys-lfu"}));
  // "8 MB per node: about 47,000 keys"
  double keys = 0;
  for (const json& n : lru.summary.at("nodes")) keys += n.at("keys").get<double>();
  EXPECT_NEAR(keys, 47000, 2500);
  // "reads 200,000 other keys once each ... the scan misses every key under any policy"
  for (const RunOutput* out : {&lru, &lfu}) {
    const json& scan = out->summary.at("streams").at("scan");
    EXPECT_EQ(scan.at("requests"), 200000);
    EXPECT_EQ(scan.at("hits"), 0);
    EXPECT_EQ(scan.at("hit_ratio"), 0.0);
    EXPECT_NEAR(out->summary.at("streams").at("main").at("requests_per_s").get<double>(), 10000, 150);
  }
  // "for about 10 s": the scan stream's last requests complete between 49 and 51 s.
  const double scan_rate_late = series_mean(lru.series, "stream_scan_requests_per_s", 51, 80);
  EXPECT_EQ(scan_rate_late, 0.0);
  EXPECT_GT(series_mean(lru.series, "stream_scan_requests_per_s", 41, 49), 18000);
  // "under allkeys-lru ... from about 0.83 ... to about 0.67 (more than 0.10 lower), and in the 10 s after it is
  // still more than 0.05 below"
  const double lru_before = series_mean(lru.series, "stream_main_hit_ratio", 30, 40);
  const double lru_during = series_mean(lru.series, "stream_main_hit_ratio", 40, 50);
  const double lru_after = series_mean(lru.series, "stream_main_hit_ratio", 50, 60);
  EXPECT_NEAR(lru_before, 0.83, 0.02);
  EXPECT_NEAR(lru_during, 0.67, 0.02);
  EXPECT_GT(lru_before - lru_during, 0.10);
  EXPECT_GT(lru_before - lru_after, 0.05);
  // "under allkeys-lfu ... falls by less than 0.05 (about 0.84 to 0.81)"
  const double lfu_before = series_mean(lfu.series, "stream_main_hit_ratio", 30, 40);
  const double lfu_during = series_mean(lfu.series, "stream_main_hit_ratio", 40, 50);
  EXPECT_NEAR(lfu_before, 0.84, 0.02);
  EXPECT_NEAR(lfu_during, 0.81, 0.02);
  EXPECT_LT(lfu_before - lfu_during, 0.05);
}

namespace {

// A tenant's open-loop Zipf reads on instances 0-7 beside a closed-loop batch job: 8 workers (4 sessions on each of
// instances 8 and 9), each reading the next key of its own 100,000 once (a scan), 0.5 ms between a reply and the
// next request.
const char* kTenantAndBatch = R"({
  "cachelab": 1, "name": "batch", "duration_s": 8, "warmup_s": 2, "seed": 5,
  "cluster": { "masters": 3, "maxmemory": "4mb", "maxmemory_policy": "allkeys-lru" },
  "workload": {
    "keys": 20000, "read_fraction": 0.9, "value_bytes": {"dist": "fixed", "value": 300},
    "arrival": { "rate_per_s": 4000 }, "streams": [
      { "name": "tenant-b", "keys": 5000, "popularity": {"dist": "uniform"}, "arrival": { "rate_per_s": 500 },
        "client_instances": "0-7" },
      { "name": "batch", "keys": 100000, "popularity": {"dist": "scan"}, "read_fraction": 1,
        "value_bytes": {"dist": "fixed", "value": 300}, "client_instances": "8-9",
        "arrival": { "dist": "closed", "rate_per_s": null, "sessions_per_instance": 4,
                     "think_time_ms": {"dist": "fixed", "value": 0.5} } } ]
  },
  "clients": { "instances": 10 },
  "origin": { "servers": 24, "service_ms": {"dist": "exponential", "mean": 2}, "timeout_ms": 500 }
})";

// Every request of the open-loop streams and, as `cachelab workload dump` does, of the closed-loop sessions as if each
// request completed when issued (a session asks for its next one at its previous one's due time).
std::vector<Request> draw_with_sessions(const Scenario& s) {
  WorkloadGenerator g(s);
  const Time end = Time::from_seconds(s.duration_s);
  std::vector<Request> out;
  Request r;
  if (g.has_open())
    while (g.next(r, end)) out.push_back(r);
  for (uint32_t i = 0; i < g.sessions(); ++i)
    for (Time t = Time::ns(0); g.next_for(i, t, r, end); t = r.due) out.push_back(r);
  return out;
}

// A request without its number (seq numbers every stream's requests in the order they are drawn).
std::string closed_streams_fields(const Request& r) {
  return std::to_string(r.due.nanos()) + " " + op_name(r.op) + " " + std::to_string(r.key) + " " +
         std::to_string(r.client) + " " + std::to_string(r.session) + " " + std::to_string(r.value_bytes) + " " +
         std::to_string(r.ttl_ms) + " " + std::to_string(r.stream);
}

std::vector<std::string> closed_streams_of(const std::vector<Request>& rs, uint16_t stream) {
  std::vector<std::string> out;
  for (const auto& r : rs)
    if (r.stream == stream) out.push_back(closed_streams_fields(r));
  return out;
}

}  // namespace

TEST(ClosedLoopStreams, SessionsOnTheStreamsInstancesBesideOpenLoopStreams) {
  const Scenario s = load_scenario_text(kTenantAndBatch, "b.json");
  ASSERT_TRUE(s.streams[1].closed_loop);
  WorkloadGenerator g(s);
  EXPECT_EQ(g.sessions(), 8u) << "4 sessions on each of its 2 instances";
  EXPECT_TRUE(g.has_open());
  EXPECT_FALSE(g.stream_closed(0));
  EXPECT_FALSE(g.stream_closed(1));
  EXPECT_TRUE(g.stream_closed(2));
  // Each session's first request: the batch's, on its instances (session s on instance 8 + s mod 2), after one think
  // time, the scan's keys (its range after the other streams': 25,000 on) in the order the sessions ask.
  for (uint32_t i = 0; i < 8; ++i) {
    Request r;
    ASSERT_TRUE(g.next_for(i, Time::ns(0), r, Time::from_seconds(8)));
    EXPECT_EQ(r.stream, 2);
    EXPECT_EQ(r.session, i);
    EXPECT_EQ(r.client, 8 + i % 2);
    EXPECT_EQ(r.due, Time::us(500));
    EXPECT_EQ(r.key, 25000 + i);
    EXPECT_EQ(r.op, Op::Read);
  }
  // The open-loop streams merge as before; no batch request among them.
  Request r;
  size_t open = 0;
  while (g.next(r, Time::from_seconds(8))) {
    ASSERT_NE(r.stream, 2);
    ++open;
  }
  EXPECT_NEAR(static_cast<double>(open), 8 * 4500, 5 * std::sqrt(8 * 4500.0));
}

TEST(ClosedLoopStreams, AddingAClosedLoopStreamChangesNoOtherStreamsRequests) {
  const Scenario with = load_scenario_text(kTenantAndBatch, "b.json");
  json text = json::parse(kTenantAndBatch);
  text["workload"]["streams"].erase(1);
  const Scenario without = load_scenario_text(text.dump(), "b.json");
  ASSERT_EQ(without.streams.size(), 1u);
  const auto a = draw_with_sessions(with), b = draw_with_sessions(without);
  for (uint16_t stream : {0, 1}) {
    const auto x = closed_streams_of(a, stream), y = closed_streams_of(b, stream);
    ASSERT_GT(x.size(), 1000u);
    EXPECT_EQ(x, y) << "stream " << stream;
  }
  // The batch's requests: its 100,000 keys once each (every session ends when the scan has read its range), each
  // session's due times a think time apart, the same again for the same seed, others for another.
  const auto batch = closed_streams_of(a, 2);
  EXPECT_EQ(batch.size(), 100000u);
  EXPECT_EQ(batch, closed_streams_of(draw_with_sessions(with), 2));
  std::vector<uint64_t> keys;
  for (const auto& r : a)
    if (r.stream == 2) keys.push_back(r.key);
  std::sort(keys.begin(), keys.end());
  for (size_t i = 0; i < keys.size(); ++i) ASSERT_EQ(keys[i], 25000 + i);
}

TEST(ClosedLoopStreams, ASessionsRequestsArePureOfTheOrderSessionsAsk) {
  // Uniform popularity: session s's k-th request is a pure function of (workload, seed, s, k).
  const Scenario s = load_scenario_text(kTenantAndBatch, "b.json", {"/workload/streams/1/popularity/dist=\"uniform\""});
  const Time end = Time::from_seconds(8);
  WorkloadGenerator one(s), two(s);
  Request r;
  std::vector<std::string> first, second;
  for (int k = 0; k < 50; ++k) {  // session 5 alone
    ASSERT_TRUE(one.next_for(5, Time::ms(k), r, end));
    first.push_back(closed_streams_fields(r));
  }
  for (int k = 0; k < 50; ++k)  // every session in turn
    for (uint32_t i = 0; i < 8; ++i) {
      ASSERT_TRUE(two.next_for(i, Time::ms(k), r, end));
      if (i == 5) second.push_back(closed_streams_fields(r));
    }
  EXPECT_EQ(first, second);
  // A start_s: no session's request before it.
  const Scenario late = load_scenario_text(kTenantAndBatch, "b.json", {"/workload/streams/1/start_s=3"});
  WorkloadGenerator g(late);
  ASSERT_TRUE(g.next_for(0, Time::ns(0), r, end));
  EXPECT_EQ(r.due, Time::from_seconds(3) + Time::us(500));
}

TEST(ClosedLoopStreams, RunPacesTheBatchBySessionsAndCountsEachStream) {
  const Scenario s = load_scenario_text(kTenantAndBatch, "b.json");
  const RunOutput a = simulate(s), b = simulate(s);
  EXPECT_EQ(format_json(a.summary), format_json(b.summary));
  EXPECT_EQ(format_series_csv(a.series), format_series_csv(b.series));
  const json& st = a.summary.at("streams");
  ASSERT_EQ(st.size(), 3u);
  uint64_t sum = 0;
  for (const auto& [name, v] : st.items()) sum += v.at("requests").get<uint64_t>();
  EXPECT_EQ(sum, a.summary.at("requests").get<uint64_t>());
  // Closed loop: 8 sessions, each one request per (think time + latency), so the batch's rate is 8 / (0.5 ms + its
  // mean latency) (within a few percent: requests in flight at the ends of the measured period), whatever the rate
  // it could offer.
  const json& batch = st.at("batch");
  const double mean_s = batch.at("latency_us").at("mean").get<double>() / 1e6;
  const double rate = batch.at("requests_per_s").get<double>();
  EXPECT_NEAR(rate, 8 / (0.5e-3 + mean_s), 0.03 * rate);
  EXPECT_GT(rate, 1000);
  EXPECT_EQ(batch.at("hits"), 0) << "a scan reads each key once: every read misses";
  // Without the batch the tenant's requests are the same; its hit ratio was higher (the scan's fills evict its keys:
  // 0.72 alone, 0.69 beside the batch's 2,800 misses a second).
  json text = json::parse(kTenantAndBatch);
  text["workload"]["streams"].erase(1);
  const RunOutput alone = simulate(load_scenario_text(text.dump(), "b.json"));
  const json &with = st.at("main"), &without = alone.summary.at("streams").at("main");
  EXPECT_NEAR(with.at("requests").get<double>(), without.at("requests").get<double>(),
              0.01 * without.at("requests").get<double>());
  EXPECT_LT(with.at("hit_ratio").get<double>(), without.at("hit_ratio").get<double>() - 0.02);
}

TEST(ClosedLoopStreams, AClosedLoopMainWorkloadBesideAnOpenLoopStream) {
  // The main workload's sessions (2 per instance) keep their draws ("workload/session/<s>") beside a stream.
  const std::string text = R"({"cachelab": 1, "name": "v", "duration_s": 4, "seed": 2, "clients": {"instances": 4},
    "workload": {"keys": 1000, "arrival": {"dist": "closed", "rate_per_s": null, "sessions_per_instance": 2,
                 "think_time_ms": {"dist": "exponential", "mean": 1}}, "streams": [
      {"name": "b", "keys": 1000, "arrival": {"rate_per_s": 500}}]}})";
  const Scenario mixed = load_scenario_text(text, "m.json");
  const Scenario alone = load_scenario_text(text, "m.json", {"/workload/streams=[]"});
  EXPECT_EQ(WorkloadGenerator(mixed).sessions(), 8u);
  const auto a = draw_with_sessions(mixed), b = draw_with_sessions(alone);
  EXPECT_EQ(closed_streams_of(a, 0), closed_streams_of(b, 0));
  const RunOutput out = simulate(mixed);
  const json& st = out.summary.at("streams");
  EXPECT_GT(st.at("main").at("requests").get<double>(), 1000);
  EXPECT_NEAR(st.at("b").at("requests_per_s").get<double>(), 500, 5 * std::sqrt(500 * 4.0) / 4);
}

// Per-stream SLOs (slo.streams): each evaluated from its stream's figures, named in summary.json slo.
TEST(StreamSlos, EachIsEvaluatedFromItsStreamsFigures) {
  const Scenario s = load_scenario_text(
      kTenantAndBatch, "b.json",
      {R"(/slo={"latency_p99_ms": 50, "streams": [{"stream": "main", "latency_p99_ms": 5, "hit_ratio_min": 0.6},
                                                   {"stream": "batch", "latency_p50_ms": 1, "error_rate_max": 0.01,
                                                    "origin_requests_per_s_max": 1000}]})"});
  ASSERT_EQ(s.slo.streams.size(), 2u);
  EXPECT_EQ(s.slo.streams[1].stream, "batch");
  const RunOutput out = simulate(s);
  const json& rows = out.summary.at("slo");
  ASSERT_EQ(rows.size(), 6u) << rows.dump();
  // The whole run's first, as before (no stream), then each stream's in the order given.
  EXPECT_FALSE(rows[0].contains("stream"));
  EXPECT_EQ(rows[0].at("value").get<double>(), out.summary.at("latency_us").at("p99").get<double>() / 1000);
  const json& st = out.summary.at("streams");
  auto row = [&](const std::string& stream, const std::string& name) {
    for (const auto& r : rows)
      if (r.value("stream", "") == stream && r.at("name") == name) return r;
    ADD_FAILURE() << stream << " " << name;
    return json();
  };
  const json p99 = row("main", "latency_p99_ms");
  EXPECT_EQ(p99.at("value").get<double>(), st.at("main").at("latency_us").at("p99").get<double>() / 1000);
  EXPECT_NE(p99.at("value"), rows[0].at("value")) << "the stream's p99, not the run's";
  EXPECT_FALSE(p99.at("pass").get<bool>()) << "the tenant's p99 is about 8 ms beside the batch";
  EXPECT_NEAR(p99.at("margin").get<double>(), 5 - p99.at("value").get<double>(), 1e-12);
  EXPECT_EQ(row("main", "hit_ratio_min").at("value"), st.at("main").at("hit_ratio"));
  EXPECT_TRUE(row("main", "hit_ratio_min").at("pass").get<bool>());
  const json& b = st.at("batch");
  EXPECT_EQ(row("batch", "latency_p50_ms").at("value").get<double>(),
            b.at("latency_us").at("p50").get<double>() / 1000);
  EXPECT_EQ(row("batch", "error_rate_max").at("value").get<double>(),
            b.at("failed_requests").get<double>() / b.at("requests").get<double>());
  EXPECT_NEAR(row("batch", "origin_requests_per_s_max").at("value").get<double>(),
              b.at("origin_requests_per_s").get<double>(), 1e-9);
  EXPECT_FALSE(row("batch", "origin_requests_per_s_max").at("pass").get<bool>()) << "every batch read misses";
  // cachelab run's printed summary names the stream.
  const std::string text = results::summary_text(out.summary, {});
  EXPECT_NE(text.find("SLO latency_p99_ms [main]"), std::string::npos) << text;
  EXPECT_NE(text.find("(stream batch)"), std::string::npos) << text;
  // Without slo.streams, run.json has no slo.streams and no row names a stream.
  const Scenario plain = load_scenario_text(kTenantAndBatch, "b.json", {"/slo/latency_p99_ms=50"});
  EXPECT_FALSE(plain.resolved.at("slo").contains("streams"));
  EXPECT_TRUE(plain.slo.streams.empty());
}

TEST(StreamSlos, AnUnknownStreamOrAWholeRunTargetIsALoadError) {
  auto issues = issues_of(kTenantAndBatch, {R"(/slo/streams=[{"stream": "tenant-c", "latency_p99_ms": 5}])"});
  EXPECT_TRUE(has_issue(issues, "/slo/streams/0/stream", "\"tenant-b\", \"batch\"")) << dump(issues);
  EXPECT_TRUE(has_issue(issues, "/slo/streams/0/stream", "tenant-c")) << dump(issues);
  // availability and lost writes are not counted per stream; a stream is required.
  issues = issues_of(kTenantAndBatch, {R"(/slo/streams=[{"stream": "main", "availability_min": 0.9},
                                                          {"writes_lost_max": 0}])"});
  EXPECT_TRUE(has_issue(issues, "/slo/streams/0/availability_min", "latency_p99_ms")) << dump(issues);
  EXPECT_TRUE(has_issue(issues, "/slo/streams/1/stream", "required")) << dump(issues);
  // Without workload.streams there is no stream to name, not even "main".
  issues =
      issues_of(kTenantAndBatch, {"/workload/streams=[]", R"(/slo/streams=[{"stream": "main", "latency_p99_ms": 5}])"});
  EXPECT_TRUE(has_issue(issues, "/slo/streams/0/stream", "workload with streams")) << dump(issues);
  // The command line: exit 2 with the file, the pointer, what was expected and what was found.
  const auto dir = test::temp_dir("stream-slo-invalid");
  const std::string file = test::write_file(dir / "slo.json", kTenantAndBatch);
  const auto r =
      test::run_command(test::cachelab() + " run " + file +
                        R"( --no-write --set '/slo/streams=[{"stream": "tenant-c", "hit_ratio_min": 0.5}]')");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  for (const char* part : {"slo.json", "/slo/streams/0/stream", "expected the name of a stream", "\"tenant-c\""})
    EXPECT_NE(r.out.find(part), std::string::npos) << part << "\n" << r.out;
}

TEST(StreamSlos, SweepTablesTellAStreamsSloFromTheRunsOfTheSameName) {
  const json run_slo = json::array(
      {{{"name", "latency_p99_ms"}, {"target", 5}, {"value", 4}, {"margin", 1}, {"pass", true}},
       {{"name", "latency_p99_ms"}, {"stream", "main"}, {"target", 5}, {"value", 7}, {"margin", -2}, {"pass", false}}});
  json metrics = json::object();
  for (const auto& m : sweep::metric_names()) metrics[m] = 1.0;
  const json point = sweep::point_json({}, sweep::GridPoint{0, {}}, {{1, "r1", metrics, run_slo}});
  ASSERT_EQ(point.at("slo").size(), 2u) << point.dump();
  EXPECT_TRUE(point.at("slo")[0].at("pass").get<bool>());
  EXPECT_EQ(point.at("slo")[1].at("stream"), "main");
  EXPECT_FALSE(point.at("slo")[1].at("pass").get<bool>());
  EXPECT_FALSE(point.at("slo_pass").get<bool>());
}

// scenarios/batch-job.json's description, claim by claim.
TEST(StreamSlos, BundledBatchJobScenarioDoesWhatItsDescriptionSays) {
  const std::string file = test::source_dir() + "/scenarios/batch-job.json";
  const RunOutput busy = simulate(load_scenario_file(file));
  const RunOutput calm = simulate(load_scenario_file(file, {"/workload/streams/0/arrival/sessions_per_instance=2"}));
  auto slo = [](const RunOutput& out, const std::string& stream, const std::string& name) {
    for (const auto& r : out.summary.at("slo"))
      if (r.value("stream", "") == stream && r.at("name") == name) return r;
    ADD_FAILURE() << stream << " " << name;
    return json();
  };
  // "8 MB per node: about 47,000 keys"
  double keys = 0;
  for (const json& n : busy.summary.at("nodes")) keys += n.at("keys").get<double>();
  EXPECT_NEAR(keys, 47000, 2500);
  // "32 workers, 16 sessions on each of instances 6 and 7": every batch read misses; "about 5,800 reads/s"; the
  // database "serves about 8,000 queries/s, its capacity".
  const json& batch = busy.summary.at("streams").at("batch");
  EXPECT_EQ(WorkloadGenerator(load_scenario_file(file)).sessions(), 32u);
  EXPECT_EQ(batch.at("hits"), 0);
  EXPECT_NEAR(batch.at("requests_per_s").get<double>(), 5800, 300);
  const double measured = busy.summary.at("measured_s").get<double>();
  EXPECT_NEAR(busy.summary.at("origin").at("requests").get<double>() / measured, 8000, 200);
  EXPECT_NEAR(busy.summary.at("streams").at("main").at("requests_per_s").get<double>(), 8000, 100);
  // "its p99 rises to about 10.6 ms (target 9 ms) and its hit ratio falls to about 0.73 (target 0.75)"
  EXPECT_FALSE(slo(busy, "main", "latency_p99_ms").at("pass").get<bool>());
  EXPECT_NEAR(slo(busy, "main", "latency_p99_ms").at("value").get<double>(), 10.6, 0.6);
  EXPECT_FALSE(slo(busy, "main", "hit_ratio_min").at("pass").get<bool>());
  EXPECT_NEAR(slo(busy, "main", "hit_ratio_min").at("value").get<double>(), 0.73, 0.01);
  // "The batch's own SLO (p99 at most 20 ms) passes at about 13 ms"
  EXPECT_TRUE(slo(busy, "batch", "latency_p99_ms").at("pass").get<bool>());
  EXPECT_NEAR(slo(busy, "batch", "latency_p99_ms").at("value").get<double>(), 13, 0.7);
  // "4 workers: the batch reads about 1,700 keys/s, the database is under half busy, and both of the tenant's SLOs
  // pass (p99 about 6.5 ms, hit ratio about 0.78)"
  EXPECT_NEAR(calm.summary.at("streams").at("batch").at("requests_per_s").get<double>(), 1700, 150);
  EXPECT_LT(calm.summary.at("origin").at("requests").get<double>() / measured, 4000);
  EXPECT_TRUE(slo(calm, "main", "latency_p99_ms").at("pass").get<bool>());
  EXPECT_NEAR(slo(calm, "main", "latency_p99_ms").at("value").get<double>(), 6.5, 0.4);
  EXPECT_TRUE(slo(calm, "main", "hit_ratio_min").at("pass").get<bool>());
  EXPECT_NEAR(slo(calm, "main", "hit_ratio_min").at("value").get<double>(), 0.78, 0.01);
  for (const auto& r : calm.summary.at("slo")) EXPECT_TRUE(r.at("pass").get<bool>()) << r.dump();
}

TEST(StreamSlos, EveryTargetOfAStreamLandsInItsTypedField) {
  const Scenario s = load_scenario_text(kTenantAndBatch, "b.json", {R"(/slo/streams=[{"stream": "batch",
      "latency_p50_ms": 1, "latency_p99_ms": 2, "latency_p999_ms": 3, "hit_ratio_min": 0.4, "error_rate_max": 0.05,
      "cache_error_rate_max": 0.06, "origin_requests_per_s_max": 700}])"});
  ASSERT_EQ(s.slo.streams.size(), 1u);
  const SloTargets& t = s.slo.streams[0].targets;
  EXPECT_EQ(t.latency_p50_ms, 1);
  EXPECT_EQ(t.latency_p99_ms, 2);
  EXPECT_EQ(t.latency_p999_ms, 3);
  EXPECT_EQ(t.hit_ratio_min, 0.4);
  EXPECT_EQ(t.error_rate_max, 0.05);
  EXPECT_EQ(t.cache_error_rate_max, 0.06);
  EXPECT_EQ(t.origin_requests_per_s_max, 700);
  EXPECT_FALSE(t.availability_min || t.writes_lost_max);
  EXPECT_FALSE(s.slo.any()) << "the whole run's targets are untouched";
}

TEST(ClosedLoopStreams, WorkloadDumpInterleavesSessionsWithOpenLoopStreamsByDueTime) {
  const auto dir = test::temp_dir("closed-streams-dump");
  const std::string file = test::write_file(dir / "b.json", kTenantAndBatch);
  const auto r = test::run_command(test::cachelab() + " workload dump " + file + " --limit 3000");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::map<std::string, int> per_stream;
  int64_t last_due = -1;
  size_t rows = 0, start = r.out.find('\n') + 1;
  while (start < r.out.size()) {
    const size_t end = r.out.find('\n', start);
    std::vector<std::string> cells;
    const std::string line = r.out.substr(start, end - start);
    for (size_t from = 0;;) {
      const size_t comma = line.find(',', from);
      cells.push_back(line.substr(from, comma - from));
      if (comma == std::string::npos) break;
      from = comma + 1;
    }
    ASSERT_EQ(cells.size(), 10u) << line;
    const int64_t due = std::stoll(cells[1]);
    EXPECT_GE(due, last_due) << line;
    last_due = due;
    ++per_stream[cells[9]];
    if (cells[9] == "batch") {
      EXPECT_TRUE(cells[5] == "8" || cells[5] == "9") << line;  // its instances
      EXPECT_LT(std::stoi(cells[6]), 8) << line;                // its 8 sessions
    }
    ++rows;
    start = end + 1;
  }
  EXPECT_EQ(rows, 3000u);
  EXPECT_GT(per_stream["batch"], 1000) << "8 sessions a request per 0.5 ms as the dump times them: 16,000/s";
  EXPECT_GT(per_stream["main"], 100);
  EXPECT_GT(per_stream["tenant-b"], 5);
}
