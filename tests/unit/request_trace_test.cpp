// Follow one request (issue 18 part 4): `cachelab run --trace-requests N` and requests.jsonl. The sample's hops
// show the slot from the key's CRC16, MOVED/ASK during a reshard and failures with a node down; the same seed gives
// the same file; the flag changes no other output; bad N and broken files are refused with clear messages.
#include <gtest/gtest.h>

#include <algorithm>

#include "cachelab/client/request_tracer.hpp"
#include "cachelab/protocol/slot_hash.hpp"
#include "cachelab/results/request_trace.hpp"
#include "cachelab/results/writer.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"
#include "test_util.hpp"

using namespace cachelab;

namespace {

// Small and quick: 3 masters, 5k requests/s for 8 s. Faults are added per test with --set.
const char* kScenario = R"({
  "cachelab": 1, "name": "trace", "duration_s": 8, "warmup_s": 1, "seed": 11,
  "cluster": { "masters": 3, "maxmemory": "4mb", "maxmemory_policy": "allkeys-lru" },
  "workload": { "keys": 20000, "read_fraction": 0.9, "value_bytes": {"dist": "fixed", "value": 200},
                "arrival": { "rate_per_s": 5000 } },
  "origin": { "servers": 16, "service_ms": {"dist": "exponential", "mean": 1}, "timeout_ms": 200 }
})";

TraceOptions all_requests(double from_s = 0, double to_s = -1) {
  TraceOptions t;
  t.limit = RequestTracer::kMaxLimit;
  t.from_s = from_s;
  t.to_s = to_s;
  return t;
}

size_t count_replies(const results::RequestTraceFile& f, const std::string& kind) {
  size_t n = 0;
  for (const auto& r : f.requests)
    for (const auto& h : r.hops) n += h.type == "reply" && h.reply == kind;
  return n;
}

}  // namespace

TEST(RequestTrace, HashedPartAndKnownSlots) {
  EXPECT_EQ(results::hashed_part("foo"), "foo");
  EXPECT_EQ(results::hashed_part("{user1000}.following"), "user1000");
  EXPECT_EQ(results::hashed_part("foo{}{bar}"), "foo{}{bar}");  // an empty tag hashes the whole key
  EXPECT_EQ(results::hashed_part("foo{{bar}}zap"), "{bar");
  // CLUSTER KEYSLOT on Redis 7.0 (docs/redis-reference.md §1.3).
  EXPECT_EQ(crc16("foo", 3) % kClusterSlots, 12182);
  EXPECT_EQ(key_hash_slot("foo"), 12182);
  EXPECT_EQ(key_hash_slot("{user1000}.following"), key_hash_slot("user1000"));
}

TEST(RequestTrace, EveryTracedSlotIsTheKeysCrc16Slot) {
  const Scenario s = load_scenario_text(kScenario, "trace.json");
  TraceOptions t;
  t.limit = 500;
  const RunOutput out = simulate(s, nullptr, t);
  ASSERT_TRUE(out.traced);
  const auto& f = out.requests;
  ASSERT_EQ(f.requests.size(), 500u);
  EXPECT_GT(f.seen, 30000u);  // the whole run was offered to the sample
  for (const auto& r : f.requests) {
    EXPECT_EQ(r.hashed, results::hashed_part(r.key));
    EXPECT_EQ(r.crc16, crc16(r.hashed.data(), r.hashed.size())) << r.key;
    EXPECT_EQ(r.slot, key_hash_slot(r.key)) << r.key;
    EXPECT_EQ(r.slot, r.crc16 % kClusterSlots);
    ASSERT_FALSE(r.hops.empty());
    EXPECT_EQ(r.hops.front().type, "issue");
    EXPECT_EQ(r.hops.front().t_ns, r.due_ns);
    for (const auto& h : r.hops) {
      if (h.type == "send" && h.purpose == "read") {
        EXPECT_EQ(h.slot, r.slot) << "the client routes by the key's slot";
      }
    }
    if (r.outcome != "in_flight") {
      EXPECT_GE(r.latency_ns, 0);
    }
  }
  // A uniform sample: requests from the whole run, in seq order.
  EXPECT_LT(f.requests.front().due_ns, 2'000'000'000);
  EXPECT_GT(f.requests.back().due_ns, 6'000'000'000);
  EXPECT_TRUE(
      std::is_sorted(f.requests.begin(), f.requests.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; }));
  // Misses go to the database, with its queue wait and service time.
  bool db = false;
  for (const auto& r : f.requests)
    for (const auto& h : r.hops) db = db || (h.type == "db_service" && h.service_ns > 0);
  EXPECT_TRUE(db);
}

TEST(RequestTrace, ReshardShowsMovedOrAskHops) {
  const Scenario s = load_scenario_text(
      kScenario, "trace.json",
      {R"(/faults=[{"at_s": 3, "action": "reshard", "from": "master-1", "to": "master-3", "count": 3000}])"});
  const RunOutput out = simulate(s, nullptr, all_requests(3, 8));
  const auto& f = out.requests;
  EXPECT_EQ(f.from_s, 3);
  EXPECT_EQ(f.to_s, 8);
  for (const auto& r : f.requests) EXPECT_GE(r.due_ns, 3'000'000'000);
  EXPECT_GT(count_replies(f, "moved") + count_replies(f, "ask"), 0u);
  // A MOVED names master-3; the command is sent there next.
  bool followed = false;
  for (const auto& r : f.requests) {
    if (r.redirects == 0) continue;
    for (size_t i = 0; i + 1 < r.hops.size(); ++i) {
      const auto& h = r.hops[i];
      if (h.type != "reply" || (h.reply != "moved" && h.reply != "ask")) continue;
      EXPECT_EQ(h.target, "master-3");
      EXPECT_EQ(h.node, "master-1");
      const auto next = std::find_if(r.hops.begin() + static_cast<long>(i) + 1, r.hops.end(),
                                     [](const auto& x) { return x.type == "send"; });
      ASSERT_NE(next, r.hops.end());
      EXPECT_EQ(next->node, "master-3");
      if (h.reply == "ask") {
        EXPECT_TRUE(next->asking);
      }
      followed = true;
    }
    EXPECT_NE(std::find(r.nodes.begin(), r.nodes.end(), "master-3"), r.nodes.end());
  }
  EXPECT_TRUE(followed);
}

TEST(RequestTrace, NodeDownShowsFailedRequests) {
  // INCR lives in the cache only: with master-2 down (no replica), its keys' INCRs fail for the application.
  const Scenario s = load_scenario_text(kScenario, "trace.json",
                                        {R"(/faults=[{"at_s": 3, "action": "kill", "node": "master-2"}])",
                                         "/workload/read_fraction=null", R"(/workload/ops={"get": 0.8, "incr": 0.2})"});
  const RunOutput out = simulate(s, nullptr, all_requests(3.5, 5));
  size_t failed = 0, degraded = 0;
  for (const auto& r : out.requests.requests) {
    if (r.outcome == "failed") {
      ++failed;
      EXPECT_EQ(r.fail, "cache");
      EXPECT_FALSE(r.cache_error.empty());
      const auto done = std::find_if(r.hops.begin(), r.hops.end(), [](const auto& h) { return h.type == "done"; });
      ASSERT_NE(done, r.hops.end());
      EXPECT_EQ(done->outcome, "failed");
    }
    degraded += r.degraded;
  }
  EXPECT_GT(failed, 0u);
  EXPECT_GT(degraded, failed);  // reads fall back to the database: degraded, not failed
}

TEST(RequestTrace, SameSeedSameFileAndResultsUnchanged) {
  const Scenario s = load_scenario_text(
      kScenario, "trace.json",
      {R"(/faults=[{"at_s": 3, "action": "reshard", "from": "master-1", "to": "master-2", "count": 1000}])"});
  TraceOptions t;
  t.limit = 300;
  const RunOutput plain = simulate(s), a = simulate(s, nullptr, t), b = simulate(s, nullptr, t);
  EXPECT_FALSE(plain.traced);
  EXPECT_EQ(results::format_requests_jsonl(a.requests), results::format_requests_jsonl(b.requests));
  EXPECT_EQ(format_json(plain.summary), format_json(a.summary));
  EXPECT_EQ(format_series_csv(plain.series), format_series_csv(a.series));
  EXPECT_EQ(format_events_jsonl(plain.events), format_events_jsonl(a.events));
  EXPECT_EQ(plain.events_processed, a.events_processed);
  // Another seed, another sample.
  const Scenario s2 = load_scenario_text(kScenario, "trace.json", {"/seed=12"});
  EXPECT_NE(results::format_requests_jsonl(simulate(s2, nullptr, t).requests),
            results::format_requests_jsonl(a.requests));
  // The text reads back as it was written.
  const std::string text = results::format_requests_jsonl(a.requests);
  EXPECT_EQ(results::format_requests_jsonl(results::parse_requests_jsonl(text, "requests.jsonl")), text);
}

TEST(RequestTrace, CommandLineWritesTheFileAndRefusesBadN) {
  const auto dir = test::temp_dir("trace-cli");
  const std::string file = test::write_file(dir / "trace.json", kScenario);
  for (const char* out : {"a", "b"}) {
    auto r =
        test::run_command(test::cachelab() + " run " + file + " --trace-requests 200 --out " + (dir / out).string());
    ASSERT_EQ(r.exit_code, 0) << r.out;
  }
  auto r = test::run_command(test::cachelab() + " run " + file + " --out " + (dir / "plain").string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_FALSE(std::filesystem::exists(dir / "plain" / "requests.jsonl"));
  EXPECT_EQ(test::read_file(dir / "a" / "requests.jsonl"), test::read_file(dir / "b" / "requests.jsonl"));
  for (const char* f : {"summary.json", "series.csv", "events.jsonl"})
    EXPECT_EQ(test::read_file(dir / "a" / f), test::read_file(dir / "plain" / f)) << f;
  const auto loaded = results::load_requests(dir / "a");
  EXPECT_EQ(loaded.requests.size(), 200u);
  EXPECT_EQ(loaded.limit, 200u);

  for (const char* bad : {"0", "-1", "abc", "1.5", "100001", "99999999999999999999999", "''"}) {
    r = test::run_command(test::cachelab() + " run " + file + " --trace-requests " + bad + " --out " +
                          (dir / "bad").string());
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.out;
    EXPECT_NE(r.out.find("--trace-requests: expected a whole number from 1 to 100000"), std::string::npos) << r.out;
    EXPECT_FALSE(std::filesystem::exists(dir / "bad")) << "nothing is written";
  }
  for (const char* bad : {"5:2", "x:3", "3"}) {
    r = test::run_command(test::cachelab() + " run " + file + " --trace-requests 5 --trace-window " + bad +
                          " --no-write");
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.out;
    EXPECT_NE(r.out.find("--trace-window: expected FROM:TO"), std::string::npos) << r.out;
  }
  r = test::run_command(test::cachelab() + " run " + file + " --trace-window 1:2 --no-write");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("--trace-window needs --trace-requests"), std::string::npos) << r.out;
}

TEST(RequestTrace, ReaderRejectsBrokenFilesWithTheLine) {
  const Scenario s = load_scenario_text(kScenario, "trace.json");
  TraceOptions t;
  t.limit = 3;
  const std::string good = results::format_requests_jsonl(simulate(s, nullptr, t).requests);
  auto error_of = [](const std::string& text) {
    try {
      results::parse_requests_jsonl(text, "run/requests.jsonl");
    } catch (const ResultsError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error_of(good), "no error");
  EXPECT_NE(error_of("").find("run/requests.jsonl: line 0: expected a header line"), std::string::npos);
  // A line cut short (a truncated file).
  const size_t third = good.find('\n', good.find('\n', good.find('\n') + 1) + 1);
  std::string cut = good.substr(0, third + 20);
  EXPECT_NE(error_of(cut).find("run/requests.jsonl: line 4: expected one JSON object per line, found text that is "
                               "not JSON"),
            std::string::npos)
      << error_of(cut);
  // A missing line: the header's count disagrees.
  EXPECT_NE(error_of(good.substr(0, third + 1)).find("expected 3 requests (the header's `recorded`), found 2"),
            std::string::npos)
      << error_of(good.substr(0, third + 1));
  // A wrong type, named with its JSON Pointer.
  std::string wrong = good;
  const size_t slot = wrong.find("\"slot\":", wrong.find('\n'));
  wrong.replace(slot, 7, "\"slot\":\"x\",\"_\":");
  EXPECT_NE(error_of(wrong).find("run/requests.jsonl: line 2: /"), std::string::npos) << error_of(wrong);
  EXPECT_NE(error_of(wrong).find("slot: expected an integer"), std::string::npos) << error_of(wrong);
  EXPECT_NE(error_of(wrong).find("found the string \"x\""), std::string::npos) << error_of(wrong);
  // An unknown hop type.
  std::string hop = good;
  hop.replace(hop.find("\"type\":\"issue\""), 14, "\"type\":\"teleport\"");
  EXPECT_NE(error_of(hop).find("line 2: /hops/0/type: expected a hop type"), std::string::npos) << error_of(hop);
  // The loader refuses a missing file and a directory, naming the file.
  const auto dir = test::temp_dir("trace-reader");
  try {
    results::load_requests(dir);
    FAIL() << "no error for a missing file";
  } catch (const ResultsError& e) {
    EXPECT_NE(std::string(e.what()).find("requests.jsonl"), std::string::npos) << e.what();
  }
}
