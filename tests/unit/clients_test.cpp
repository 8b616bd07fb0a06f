// Client logic: stampede protections against docs/validation.md (§1.5, §7: XFetch; §1.7, §5: the origin as
// M/M/c), the distributed lock's one-loader guarantee, write-behind losses, CROSSSLOT (docs/redis-reference.md
// §2.2 step 1). Expectations are computed here from the formulas, never pasted from a run.
#include <gtest/gtest.h>

#include <cmath>

#include "cachelab/client/client_logic.hpp"
#include "cachelab/cluster/node.hpp"
#include "cachelab/core/dist.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/run/sim_backend.hpp"
#include "cachelab/scenario/loader.hpp"
#include "client_fakes.hpp"
#include "test_util.hpp"

using namespace cachelab;
using nlohmann::json;

namespace {

json run(const std::string& file, const std::vector<std::string>& sets = {}) {
  const Scenario s = load_scenario_file(test::source_dir() + "/scenarios/" + file, sets);
  return simulate(s).summary;
}

// Poisson(r) reads of one key, TTL, recompute time exactly delta (docs/validation.md §1.5 model).
json one_hot_key(double r, double delta_s, double ttl_s, const std::string& mode, double beta, double duration_s) {
  const std::string text = R"({"cachelab": 1, "name": "xf", "seed": 19, "duration_s": )" + std::to_string(duration_s) +
                           R"(, "warmup_s": 5, "metrics_interval_ms": 10000, "cluster": {"masters": 1},
    "network": {"rtt_us": {"dist": "fixed", "value": 20}},
    "workload": {"keys": 1, "popularity": {"dist": "uniform"}, "read_fraction": 1.0,
                 "arrival": {"dist": "poisson", "rate_per_s": )" +
                           std::to_string(r) + R"(},
                 "ttl_s": {"dist": "fixed", "value": )" +
                           std::to_string(ttl_s) + R"(}},
    "clients": {"instances": 4, "stampede": {"mode": ")" +
                           mode + R"(", "beta": )" + std::to_string(beta) + R"(}},
    "origin": {"servers": 10000, "service_ms": {"dist": "fixed", "value": )" +
                           std::to_string(delta_s * 1000) + R"(}, "timeout_ms": 100000}})";
  return simulate(load_scenario_text(text, "xf.json")).summary;
}

}  // namespace

// docs/validation.md §1.5/§7: with r*delta*beta >> 1 and TTL >> delta*beta, XFetch recomputes e^(1/beta) times per
// refresh.
TEST(XFetch, RecomputationsPerRefreshTendToExpOneOverBeta) {
  for (double beta : {1.0, 2.0}) {
    const double r = 1000, delta = 0.05, ttl = 2;
    ASSERT_GT(r * delta * beta, 40);
    const json c = one_hot_key(r, delta, ttl, "xfetch", beta, 600).at("clients");
    const double expected = std::exp(1 / beta);
    EXPECT_NEAR(c.at("recomputations_per_expiry").get<double>() / expected, 1.0, 0.05) << "beta " << beta;
    EXPECT_GT(c.at("load_episodes").get<double>(), 200);
  }
}

// Without protection every expiry costs 1 + r*delta loads (docs/validation.md §1.5 "Without XFetch").
TEST(XFetch, WithoutProtectionOnePlusRDeltaPerExpiry) {
  const double r = 100, delta = 0.05;
  const json c = one_hot_key(r, delta, 1, "none", 1, 400).at("clients");
  EXPECT_NEAR(c.at("recomputations_per_expiry").get<double>() / (1 + r * delta), 1.0, 0.06);
}

TEST(XFetch, RuleAndDeltaHeader) {
  // A read at time-to-expiry t triggers with probability exp(-t/(delta*beta)): u below that threshold triggers.
  const double delta = 400, beta = 1, expiry = 10000, now = expiry - 400;  // t = delta: p = e^-1
  EXPECT_TRUE(xfetch_triggers(now, delta, beta, expiry, std::exp(-1.0) - 1e-9));
  EXPECT_FALSE(xfetch_triggers(now, delta, beta, expiry, std::exp(-1.0) + 1e-9));
  EXPECT_FALSE(xfetch_triggers(now, delta, beta, -1, 1e-300));  // no TTL: never
  for (uint64_t us : {0ull, 1ull, 4095ull, 4096ull, 50'000ull, 1'000'000ull, 60'000'000ull}) {
    const double back = static_cast<double>(decode_delta_us(encode_delta_us(us)));
    EXPECT_NEAR(back, static_cast<double>(us), static_cast<double>(us) / 2048 + 0.5) << us;
  }
}

// The bundled validation scenario runs XFetch as documented.
TEST(XFetch, ValidationScenario) {
  const json c = run("validation/xfetch.json").at("clients");
  EXPECT_NEAR(c.at("recomputations_per_expiry").get<double>() / std::exp(1.0), 1.0, 0.06);
}

// A lock (SET NX PX with a lease longer than the load) admits one loader per key at a time, cluster-wide; without
// it the same workload loads a hot key many times at once.
TEST(Stampede, LockRunsAtMostOneOriginLoadPerKey) {
  const json none = run("stampede.json", {"/duration_s=25"}).at("clients");
  EXPECT_GT(none.at("max_concurrent_loads_per_key").get<int>(), 10);
  const json lock = run("stampede.json", {"/duration_s=25", "/clients/stampede/mode=lock"}).at("clients");
  EXPECT_EQ(lock.at("max_concurrent_loads_per_key").get<int>(), 1);
  EXPECT_DOUBLE_EQ(lock.at("recomputations_per_expiry").get<double>(), 1.0);
  EXPECT_GT(lock.at("lock_contended").get<int>(), 0);
  // Single-flight bounds it by the number of client instances.
  const json sf = run("stampede.json", {"/duration_s=25", "/clients/stampede/mode=single-flight"}).at("clients");
  EXPECT_LE(sf.at("max_concurrent_loads_per_key").get<int>(), 16);
}

TEST(Origin, MmcScenarioWithinTwoPercentOfErlangC) {
  // Erlang C for lambda = 900/s, mu = 100/s, c = 10 (docs/validation.md §1.7), computed here.
  const double lambda = 900, mu = 100;
  const int c = 10;
  const double a = lambda / mu;
  double term = 1, sum = 0;
  for (int k = 0; k < c; ++k) {
    if (k > 0) term *= a / k;
    sum += term;
  }
  const double top = term * a / c * c / (c - a);
  const double w_ms = (top / (sum + top) / (c * mu - lambda) + 1 / mu) * 1000;
  EXPECT_NEAR(w_ms, 16.687, 1e-3);
  const json s = run("validation/origin-mmc.json");
  EXPECT_NEAR(s.at("origin").at("latency_us").at("mean").get<double>() / 1000 / w_ms, 1.0, 0.02);
}

namespace {
using FakeCache = cachelab::testing::RecordingCache;
using FakeOrigin = cachelab::testing::RecordingOrigin;
}  // namespace

// Write-behind: the writes lost in a crash are exactly those buffered (acknowledged, not yet flushed) at that moment.
TEST(WriteBehind, CrashLosesExactlyTheBufferedWrites) {
  Simulation sim(1);
  cachelab::testing::SimClock clock(sim);
  FakeCache cache;
  FakeOrigin origin;
  Recorder rec(Time::ns(0));
  KeyNamer namer("k:");
  ClientOptions o;
  o.pattern = Pattern::WriteBehind;
  o.wb_batch_size = 5;
  o.wb_flush_interval_ms = 100000;
  o.instances = 2;
  ClientLogic client(cache, origin, rec, clock, SlotRouter(namer, std::vector<uint16_t>(16384, 0), true, 100, 2), o,
                     &sim, Rng(1));
  const int writes = 13;
  for (int i = 0; i < writes; ++i) {
    Request r;
    r.op = Op::Write;
    r.key = static_cast<uint64_t>(i);
    r.client = 0;
    client.start(r);
    ASSERT_EQ(cache.sent.back().first.cmd, CacheCmd::Set);
    client.on_cache_reply(cache.sent.back().second, CacheReply{ReplyKind::Ok, 0, 0});
  }
  // Two full batches went to the origin as one write query each; the rest waits in the buffer.
  const uint64_t batches = writes / o.wb_batch_size, buffered = writes % o.wb_batch_size;
  EXPECT_EQ(origin.queries.size(), batches);
  EXPECT_EQ(client.buffered(0), buffered);
  EXPECT_EQ(client.crash_instance(1), 0u);  // another instance had nothing buffered
  EXPECT_EQ(client.crash_instance(0), buffered);
  EXPECT_EQ(client.stats().wb_lost, buffered);
  EXPECT_EQ(client.buffered(0), 0u);
  sim.run_until(Time::s(200));  // the flush timer finds nothing to send
  EXPECT_EQ(origin.queries.size(), batches);
}

TEST(WriteBehind, ScenarioCountsTheCrashLoss) {
  const Scenario s = load_scenario_file(test::source_dir() + "/scenarios/write-behind.json");
  const RunOutput out = simulate(s);
  uint64_t event_lost = 0;
  for (const auto& e : out.events)
    if (e.at("type") == "client_crash") event_lost = e.at("writes_lost").get<uint64_t>();
  const json wb = out.summary.at("clients").at("write_behind");
  EXPECT_EQ(wb.at("lost").get<uint64_t>(), event_lost);
  EXPECT_GT(event_lost, 0u);
  // Every acknowledged write was flushed, lost, or is still buffered at the end (at most one batch per instance).
  const uint64_t rest = wb.at("buffered").get<uint64_t>() - wb.at("flushed").get<uint64_t>() - event_lost;
  EXPECT_LE(rest, 8u * 200u);
}

// CROSSSLOT (docs/redis-reference.md §2.2 step 1): untagged keys in different slots are refused; keys sharing a hash
// tag are served.
TEST(MultiKey, CrossSlotUnlessTagged) {
  for (const std::string prefix : {"key:", "{user42}:"}) {
    Simulation sim(1);
    const auto service = make_dist(json{{"dist", "fixed"}, {"value", 8}});
    std::vector<Node> nodes;
    StoreConfig cfg;
    nodes.emplace_back("master-1", 0, cfg, sim.stream("e"), *service, sim.stream("s"));
    for (int slot = 0; slot < 16384; ++slot) nodes[0].set_owner(slot, 0);
    Network net(json{{"dist", "fixed"}, {"value", 100}}, sim.stream("n"));
    KeyNamer namer(prefix);
    SimCacheBackend backend(sim, nodes, net, namer, Time::s(1));
    std::vector<CacheReply> got;
    backend.on_reply([&](uint32_t, const CacheReply& r) { got.push_back(r); });
    CacheCommand mset;
    mset.cmd = CacheCmd::MSet;
    mset.key = 1;
    mset.key_count = 3;
    mset.value_bytes = 10;
    mset.slot = static_cast<uint16_t>(namer.slot(1));
    backend.send(mset, 0);
    CacheCommand mget = mset;
    mget.cmd = CacheCmd::MGet;
    backend.send(mget, 1);
    sim.run_until(Time::s(1));
    ASSERT_EQ(got.size(), 2u);
    const bool same_slot = namer.slot(1) == namer.slot(2) && namer.slot(2) == namer.slot(3);
    if (prefix == "key:") {
      ASSERT_FALSE(same_slot);
      EXPECT_EQ(got[0].kind, ReplyKind::CrossSlot);
      EXPECT_EQ(got[1].kind, ReplyKind::CrossSlot);
    } else {
      ASSERT_TRUE(same_slot);
      EXPECT_EQ(got[0].kind, ReplyKind::Ok);
      EXPECT_EQ(got[1].kind, ReplyKind::Value);
      EXPECT_EQ(got[1].found, 3);
    }
  }
}

// During a slot migration (docs/redis-reference.md §2.2 steps 7 and 8): the source answers a multi-key command whose
// keys are partly gone with TRYAGAIN, and ASK when all are gone; the target, asked with ASKING, serves it only when
// it holds every key (TRYAGAIN otherwise).
TEST(MultiKey, TryAgainWhileASlotMigrates) {
  Simulation sim(1);
  const auto service = make_dist(json{{"dist", "fixed"}, {"value", 8}});
  std::vector<Node> nodes;
  StoreConfig cfg;
  nodes.emplace_back("master-1", 0, cfg, sim.stream("e0"), *service, sim.stream("s0"));
  nodes.emplace_back("master-2", 1, cfg, sim.stream("e1"), *service, sim.stream("s1"));
  KeyNamer namer("{user7}:");
  const int slot = namer.slot(1);
  for (Node& n : nodes)
    for (int s = 0; s < 16384; ++s) n.set_owner(s, 0);
  auto cmd = [&](CacheCmd kind, uint32_t node, bool asking) {
    CacheCommand c;
    c.cmd = kind;
    c.key = 1;
    c.key_count = 3;
    c.value_bytes = 10;
    c.slot = static_cast<uint16_t>(slot);
    c.node = node;
    c.asking = asking;
    return c;
  };
  const uint32_t len = static_cast<uint32_t>(namer.length(1));
  CacheReply r;
  Time t = nodes[0].execute(cmd(CacheCmd::MSet, 0, false), len, Time::ms(1), r);
  ASSERT_EQ(r.kind, ReplyKind::Ok);
  nodes[0].set_migrating(slot, 1);
  nodes[1].set_importing(slot, 0);
  // Key 1 has moved (MIGRATE deletes it on the source and creates it on the target); keys 2 and 3 have not.
  nodes[0].mutable_store().del(1, t);
  nodes[1].mutable_store().set(1, len, 10, -1, t, static_cast<uint16_t>(slot));
  nodes[0].execute(cmd(CacheCmd::MGet, 0, false), len, t + Time::ms(1), r);
  EXPECT_EQ(r.kind, ReplyKind::TryAgain);
  nodes[1].execute(cmd(CacheCmd::MGet, 1, true), len, t + Time::ms(1), r);
  EXPECT_EQ(r.kind, ReplyKind::TryAgain);  // the target has only one of the three keys
  // All moved: the source says ASK, the target serves the command under ASKING.
  for (uint64_t k : {2, 3}) {
    nodes[0].mutable_store().del(k, t);
    nodes[1].mutable_store().set(k, len, 10, -1, t, static_cast<uint16_t>(slot));
  }
  nodes[0].execute(cmd(CacheCmd::MGet, 0, false), len, t + Time::ms(2), r);
  EXPECT_EQ(r.kind, ReplyKind::Ask);
  EXPECT_EQ(r.redirect_node, 1u);
  nodes[1].execute(cmd(CacheCmd::MGet, 1, true), len, t + Time::ms(2), r);
  EXPECT_EQ(r.kind, ReplyKind::Value);
  EXPECT_EQ(r.found, 3);
}
