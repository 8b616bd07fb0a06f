// The client_pause fault (issue 16 part 8): an application instance stalls, as in a GC pause. Its requests wait
// (their latency includes the wait), replies and timers for it are handled when it wakes, and a distributed lock it
// holds expires meanwhile, so another instance takes it: the "lock held past its TTL" case. Expectations follow
// from the model's rules (client/pause.cpp), not from a run's output.
#include <gtest/gtest.h>

#include "cachelab/client/client_logic.hpp"
#include "cachelab/core/simulation.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"
#include "client_fakes.hpp"
#include "test_util.hpp"

using namespace cachelab;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

using cachelab::testing::SimClock;
using FakeCache = cachelab::testing::RecordingCache;
using FakeOrigin = cachelab::testing::RecordingOrigin;

struct Done {
  std::vector<std::pair<Request, Time>> rows;
  static void on(void* self, const Request& r, Time t) { static_cast<Done*>(self)->rows.emplace_back(r, t); }
};

Request read_of(uint16_t client, uint64_t key, Time due, uint64_t seq) {
  Request r;
  r.seq = seq;
  r.due = due;
  r.key = key;
  r.client = client;
  r.op = Op::Read;
  return r;
}

// One client logic over recording back-ends and a simulation clock: instances of `o` all routed to node 0.
struct Rig {
  explicit Rig(const ClientOptions& o)
      : clock(sim),
        client(cache, origin, rec, clock, SlotRouter(namer, std::vector<uint16_t>(16384, 0), true, 100, o.instances), o,
               &sim, Rng(1)) {}
  Simulation sim{1};
  SimClock clock;
  FakeCache cache;
  FakeOrigin origin;
  Recorder rec{Time::ns(0)};
  KeyNamer namer{"k:"};
  ClientLogic client;
};

}  // namespace

// A request the workload issues during its instance's pause is sent when the pause ends and its latency includes
// the wait; another instance is not held up; a reply that arrives during a pause is handled when it ends.
TEST(ClientPause, RequestsAndRepliesWaitForTheEndOfThePause) {
  ClientOptions o;
  o.instances = 2;
  Rig r(o);
  Simulation& sim = r.sim;
  FakeCache& cache = r.cache;
  ClientLogic& client = r.client;
  Done done;
  client.set_completion_observer(&Done::on, &done);
  const CacheReply hit(ReplyKind::Value, 10);

  const Time pause = Time::ms(100), issued = Time::ms(10);
  client.pause_instance(0, pause);
  EXPECT_TRUE(client.paused(0));
  EXPECT_FALSE(client.paused(1));
  sim.at(issued, [&] {
    client.start(read_of(0, 1, issued, 0));
    client.start(read_of(1, 2, issued, 1));
  });
  sim.run_until(Time::ms(50));
  ASSERT_EQ(cache.sent.size(), 1u);  // only instance 1's GET went out
  EXPECT_EQ(cache.sent[0].first.client, 1);
  client.on_cache_reply(cache.sent[0].second, hit);
  ASSERT_EQ(done.rows.size(), 1u);  // instance 1 is served while 0 sleeps
  EXPECT_EQ(done.rows[0].second, Time::ms(50));

  sim.run_until(pause - Time::ns(1));
  EXPECT_EQ(cache.sent.size(), 1u);
  EXPECT_TRUE(client.paused(0));
  sim.run_until(pause);
  EXPECT_FALSE(client.paused(0));
  ASSERT_EQ(cache.sent.size(), 2u);  // sent when the pause ended
  EXPECT_EQ(cache.sent[1].first.client, 0);
  EXPECT_EQ(cache.sent[1].first.key, 1u);
  client.on_cache_reply(cache.sent[1].second, hit);
  ASSERT_EQ(done.rows.size(), 2u);
  // The application's latency runs from the request's due time: the 90 ms it waited are in it.
  EXPECT_EQ(done.rows[1].second - done.rows[1].first.due, pause - issued);

  // A reply for a paused instance waits in its socket until it wakes.
  client.start(read_of(0, 3, sim.now(), 2));
  ASSERT_EQ(cache.sent.size(), 3u);
  const Time second = Time::ms(200);
  sim.at(sim.now() + Time::ms(10), [&] { client.pause_instance(0, second - Time::ms(110)); });
  sim.at(sim.now() + Time::ms(20), [&] { client.on_cache_reply(cache.sent[2].second, hit); });
  sim.run_until(second - Time::ns(1));
  EXPECT_EQ(done.rows.size(), 2u);
  sim.run_until(second);
  ASSERT_EQ(done.rows.size(), 3u);
  EXPECT_EQ(done.rows[2].second, second);
  EXPECT_EQ(client.in_flight(), 0u);
}

// A lock poll that comes due during the pause fires when it ends; a pause overlapping another extends it.
TEST(ClientPause, TimersFireAtTheEndAndOverlappingPausesExtend) {
  ClientOptions o;
  o.instances = 1;
  o.stampede.mode = Protection::Lock;
  o.stampede.poll_ms = 10;
  Rig r(o);
  Simulation& sim = r.sim;
  FakeCache& cache = r.cache;
  ClientLogic& client = r.client;
  client.start(read_of(0, 1, Time::ns(0), 0));
  ASSERT_EQ(cache.sent.size(), 1u);
  client.on_cache_reply(cache.sent[0].second, CacheReply(ReplyKind::Nil));  // miss: try the lock
  ASSERT_EQ(cache.sent.size(), 2u);
  EXPECT_TRUE(cache.sent[1].first.nx);
  client.on_cache_reply(cache.sent[1].second, CacheReply(ReplyKind::Nil));  // someone holds it: poll in 10 ms
  client.pause_instance(0, Time::ms(50));
  sim.at(Time::ms(20), [&] { client.pause_instance(0, Time::ms(60)); });  // now until 80 ms
  sim.at(Time::ms(70), [&] { client.pause_instance(0, Time::ms(5)); });   // inside the running pause: no change
  sim.run_until(Time::ms(80) - Time::ns(1));
  EXPECT_EQ(cache.sent.size(), 2u);  // the poll due at 10 ms has not fired
  EXPECT_TRUE(client.paused(0));
  sim.run_until(Time::ms(80));
  EXPECT_FALSE(client.paused(0));
  ASSERT_EQ(cache.sent.size(), 3u);
  EXPECT_EQ(cache.sent[2].first.cmd, CacheCmd::Get);  // the poll, at the end of the pause
}

namespace {

const char* const kOneInstanceLock = R"({"cachelab": 1, "name": "one-lock", "seed": 3, "duration_s": 5, "warmup_s": 0,
  "cluster": {"mode": "standalone", "masters": 1}, "network": {"rtt_us": {"dist": "fixed", "value": 200}},
  "workload": {"keys": 1, "read_fraction": 1, "arrival": {"dist": "poisson", "rate_per_s": 50},
               "ttl_s": {"dist": "fixed", "value": 60}},
  "clients": {"instances": 1, "stampede": {"mode": "lock", "lease_ms": 1500, "poll_ms": 20}},
  "origin": {"servers": 8, "service_ms": {"dist": "fixed", "value": 1000}, "timeout_ms": 10000})";
const char* const kOneInstancePause =
    R"([{"at_s": 0.5, "action": "client_pause", "instance": 0, "duration_ms": 2000}])";

// One hot key read by two instances under stampede mode "lock": the key lives 100 ms, a load takes 400 ms, the
// lock's lease is 500 ms, so the holder always fills and releases the lock within its lease.
RunOutput lock_run(const std::string& faults) {
  const std::string text = R"({"cachelab": 1, "name": "lock-pause", "seed": 5, "duration_s": 40, "warmup_s": 2,
    "metrics_interval_ms": 1000, "cluster": {"masters": 1},
    "network": {"rtt_us": {"dist": "fixed", "value": 200}},
    "workload": {"keys": 1, "popularity": {"dist": "uniform"}, "read_fraction": 1.0,
                 "arrival": {"dist": "poisson", "rate_per_s": 200}, "ttl_s": {"dist": "fixed", "value": 0.1}},
    "clients": {"instances": 2, "stampede": {"mode": "lock", "lease_ms": 500, "poll_ms": 10}},
    "origin": {"servers": 100, "service_ms": {"dist": "fixed", "value": 400}, "timeout_ms": 10000},
    "faults": )" + faults + "}";
  return simulate(load_scenario_text(text, "lock-pause.json"));
}

}  // namespace

// The lock held past its TTL: without pauses the lock admits one loader at a time; with instance 0 paused for
// 1000 ms (twice the lease) ten times, some pause finds it holding the lock (it holds it about 80% of the time in
// half the episodes: each pause misses with probability about 0.6, all ten about 0.6%), the lease runs out while it
// sleeps, instance 1 takes the lock and loads the key while 0's load is still unfinished: two loads at once.
TEST(ClientPause, LockHeldPastItsLeaseLetsASecondLoaderIn) {
  const RunOutput base = lock_run("[]");
  const json b = base.summary.at("clients");
  EXPECT_EQ(b.at("max_concurrent_loads_per_key").get<int>(), 1);
  EXPECT_GT(b.at("lock_acquired").get<int>(), 20);
  EXPECT_GT(b.at("lock_contended").get<int>(), 0);

  json faults = json::array();
  const int pauses = 10;
  for (int i = 0; i < pauses; ++i)
    faults.push_back({{"at_s", 5 + 3 * i}, {"action", "client_pause"}, {"instance", 0}, {"duration_ms", 1000}});
  const RunOutput paused = lock_run(faults.dump());
  const json p = paused.summary.at("clients");
  EXPECT_GE(p.at("max_concurrent_loads_per_key").get<int>(), 2);
  int rows = 0;
  for (const auto& e : paused.events)
    if (e.at("type") == "client_pause") {
      ++rows;
      EXPECT_EQ(e.at("instance").get<int>(), 0);
      EXPECT_DOUBLE_EQ(e.at("duration_ms").get<double>(), 1000);
    }
  EXPECT_EQ(rows, pauses);
  // Instance 0's requests issued at the start of a pause waited for its end (instance 0 issues 100 reads/s, so one
  // comes within 50 ms of a pause's start with probability 1 - e^-5): the worst latency is near a second. Without
  // pauses no reader waits much beyond one load and a poll (400 + 10 ms, plus round trips).
  EXPECT_GT(paused.summary.at("latency_us").at("max").get<double>(), 900'000);
  EXPECT_LT(base.summary.at("latency_us").at("max").get<double>(), 600'000);
}

// One instance, deterministically: its first read takes the lock (lease 1500 ms) and loads for 1000 ms; the instance
// sleeps from 0.5 s to 2.5 s, so the load's reply waits unread while the lease runs out at about 1.5 s. On waking it
// handles, in arrival order, the reads issued from 0.5 s to 1 s (their GETs go out first and miss: the fill has not
// been sent yet), the load's reply (the fill SET, then the DEL of a lock it no longer holds) and the later reads
// (hits). The first missing GET's SET NX finds the lock expired: a second acquisition and a second load of a key
// whose value was on its way (and when the first holder's DEL reaches the server before another waiter's SET NX, a
// third: the DEL removed the second holder's lock). Without the pause: one acquisition, one load (TTL 60 s outlives
// the run). The round trip is fixed so that commands keep their order, as on one connection: with jitter a waiter's
// GET sent before the fill and its SET NX arriving after the holder's DEL would take the lock again without any
// pause (this model's lock does not check the cache again once it holds the lock).
TEST(ClientPause, OneInstanceRetakesTheLockItsPauseLetExpire) {
  const std::string text = std::string(kOneInstanceLock);
  const RunOutput base = simulate(load_scenario_text(text + "}", "one.json"));
  EXPECT_EQ(base.summary.at("clients").at("lock_acquired").get<int>(), 1);
  EXPECT_EQ(base.summary.at("clients").at("origin_loads").get<int>(), 1);
  const RunOutput paused = simulate(load_scenario_text(text + R"(, "faults": )" + kOneInstancePause + "}", "one.json"));
  EXPECT_GE(paused.summary.at("clients").at("lock_acquired").get<int>(), 2);
  EXPECT_GE(paused.summary.at("clients").at("origin_loads").get<int>(), 2);
  // The reads held from 0.5 s waited for the end of the pause at 2.5 s (one comes within 100 ms of 0.5 s with
  // probability 1 - e^-5), then for the second load; without it none waited longer than the first load.
  EXPECT_GT(paused.summary.at("latency_us").at("max").get<double>(), 1'900'000);
  EXPECT_LT(base.summary.at("latency_us").at("max").get<double>(), 1'100'000);
}

// Validation: an instance beyond clients.instances and a duration that is not positive are refused with the
// scenario file, the pointer, what was expected and what was found (exit 2).
TEST(ClientPause, BadParametersAreRefusedWithPointers) {
  const fs::path dir = test::temp_dir("client_pause_validation");
  const std::string tiny = test::write_file(dir / "tiny.json", R"({"cachelab": 1, "name": "tiny", "duration_s": 1,
    "clients": {"instances": 4}, "workload": {"keys": 100, "arrival": {"rate_per_s": 200}}})");
  struct Case {
    std::string fault, pointer, found;
  };
  for (const Case& c : std::vector<Case>{
           {R"({"at_s":0.5,"action":"client_pause","instance":4,"duration_ms":100})", "/faults/0/instance", "4"},
           {R"({"at_s":0.5,"action":"client_pause","instance":0,"duration_ms":0})", "/faults/0/duration_ms", "0"},
           {R"({"at_s":0.5,"action":"client_pause","instance":0,"duration_ms":-5})", "/faults/0/duration_ms", "-5"},
           {R"({"at_s":0.5,"action":"client_pause","instance":0,"duration_ms":1e9})", "/faults/0/duration_ms",
            "1000000000"},
           {R"({"at_s":0.5,"action":"client_pause","instance":0})", "/faults/0/duration_ms", "found nothing"}}) {
    const auto r =
        test::run_command(test::cachelab() + " run --no-write " + tiny + " --set '/faults/-=" + c.fault + "'");
    EXPECT_EQ(r.exit_code, 2) << c.fault << ": " << r.out;
    EXPECT_NE(r.out.find("tiny.json"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(c.pointer + ": expected"), std::string::npos) << c.fault << ": " << r.out;
    EXPECT_NE(r.out.find("found"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(c.found), std::string::npos) << r.out;
  }
  // A good one runs, and its row is in events.jsonl.
  const auto ok =
      test::run_command(test::cachelab() + " run --no-write " + tiny +
                        R"( --set '/faults/-={"at_s":0.5,"action":"client_pause","instance":3,"duration_ms":100}')");
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  fs::remove_all(dir);
}
