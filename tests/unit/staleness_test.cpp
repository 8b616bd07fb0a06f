// Issue 16 parts 1, 2 and 5: an MGET that misses fills the cache; stale reads (a value older than the database's)
// counted per source (shared cache, L1, replica) with their age; reads from replicas (clients.read_from).
// Each expectation has its own reason: a construction (the race, step by step), an analytic figure (first touches
// of a uniform key space), or a mechanism that one configuration has and the other has not.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "cachelab/client/client_logic.hpp"
#include "cachelab/core/simulation.hpp"
#include "cachelab/origin/versions.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"
#include "client_fakes.hpp"
#include "test_util.hpp"

using namespace cachelab;
using nlohmann::json;

namespace {

json sim(const std::string& text, const std::vector<std::string>& sets = {}) {
  return simulate(load_scenario_text(text, "staleness.json", sets)).summary;
}

double stale(const json& s, const char* src) { return s.at("stale_reads").at(src).at("reads").get<double>(); }

// Uniform reads of whole hash-tagged groups (every read an MGET of its group's 4 keys), no writes, no TTL, memory
// for every key.
std::string mget_scenario(int groups, double rate, double warmup_s, double duration_s) {
  return R"({"cachelab": 1, "name": "mget-fill", "seed": 5, "duration_s": )" + std::to_string(duration_s) +
         R"(, "warmup_s": )" + std::to_string(warmup_s) + R"(, "cluster": {"masters": 3, "maxmemory": "256mb"},
    "network": {"rtt_us": {"dist": "fixed", "value": 200}},
    "workload": {"keys": )" +
         std::to_string(groups * 4) + R"(, "key_prefix": "user:",
                 "popularity": {"dist": "uniform"}, "value_bytes": {"dist": "fixed", "value": 100},
                 "ops": {"get": 1}, "key_groups": {"size": 4, "fraction": 1}, "multi_key_count": {"min": 4, "max": 4},
                 "arrival": {"rate_per_s": )" +
         std::to_string(rate) + R"(}},
    "clients": {"instances": 4},
    "origin": {"servers": 64, "service_ms": {"dist": "fixed", "value": 2}, "timeout_ms": 1000}})";
}

}  // namespace

// Cache-aside loads the keys an MGET missed and writes them back, so a key misses only on its group's first touch.
// With G groups read uniformly at rate r, a group is first touched in the measured period [w, T] with probability
// e^(-r w / G) (1 - e^(-r (T - w) / G)): the expected misses; every other read is a hit. Before issue 16 the cache
// stayed empty (hit ratio 0).
TEST(MGetFill, HitRatioFollowsFirstTouchesOfAUniformKeySpace) {
  const int groups = 20000;
  const double rate = 2000, warmup = 5, duration = 25;
  const json s = sim(mget_scenario(groups, rate, warmup, duration));
  const double reads = s.at("reads").get<double>();
  const double first_touches =
      groups * std::exp(-rate * warmup / groups) * (1 - std::exp(-rate * (duration - warmup) / groups));
  const double expected = 1 - first_touches / reads;
  EXPECT_NEAR(expected, 0.738, 0.01);  // the figure this setting was chosen for
  EXPECT_NEAR(s.at("hit_ratio").get<double>(), expected, 0.02);
  // A whole group is cached or not (its keys are loaded and filled together): per key, the same ratio.
  EXPECT_NEAR(s.at("key_hit_ratio").get<double>(), s.at("hit_ratio").get<double>(), 0.005);
  EXPECT_DOUBLE_EQ(s.at("key_hits").get<double>() + s.at("key_misses").get<double>(), 4 * reads);
  // One SET per missing key.
  EXPECT_NEAR(s.at("clients").at("mget_fills").get<double>() / s.at("key_misses").get<double>(), 1.0, 0.01);
  // No writes: nothing can be stale.
  EXPECT_EQ(stale(s, "cache"), 0);
}

// A key space small enough to be read whole during the warm-up: every measured MGET is a hit.
TEST(MGetFill, SmallKeySpaceIsAllHitsAfterWarmup) {
  const json s = sim(mget_scenario(500, 2000, 5, 15));
  EXPECT_EQ(s.at("misses").get<double>(), 0);
  EXPECT_DOUBLE_EQ(s.at("hit_ratio").get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(s.at("key_hit_ratio").get<double>(), 1.0);
}

namespace {

// A cache that answers only when told to, holding each key's version as the Store does.
struct ManualCache final : CacheBackend {
  std::vector<std::pair<CacheCommand, uint32_t>> sent;
  std::map<uint64_t, uint32_t> values;  // key -> version
  void send(const CacheCommand& c, uint32_t tag) override { sent.emplace_back(c, tag); }
  void fetch_slots(uint32_t, uint16_t) override {}
  // Executes the i-th command sent and returns its reply.
  CacheReply execute(size_t i) {
    const CacheCommand& c = sent.at(i).first;
    CacheReply r;
    switch (c.cmd) {
      case CacheCmd::Get: {
        const auto it = values.find(c.key);
        r.kind = it == values.end() ? ReplyKind::Nil : ReplyKind::Value;
        if (it != values.end()) r.version = it->second;
        break;
      }
      case CacheCmd::Set:
        values[c.key] = c.version;
        r.kind = ReplyKind::Ok;
        break;
      case CacheCmd::Del:
        values.erase(c.key);
        r.kind = ReplyKind::Ok;
        break;
      default:
        r.kind = ReplyKind::Ok;
        break;
    }
    return r;
  }
};

struct ManualOrigin final : OriginBackend {
  std::vector<std::pair<bool, uint32_t>> queries;  // (write, tag)
  KeyVersions kv;
  void query(bool write, uint64_t, uint32_t tag) override { queries.emplace_back(write, tag); }
  KeyVersions* versions() override { return &kv; }
};

using cachelab::testing::SimClock;

struct RaceRig {
  Simulation sim{1};
  SimClock clock{sim};
  ManualCache cache;
  ManualOrigin origin;
  Recorder rec{Time::ns(0)};
  KeyNamer namer{"k:"};
  ClientLogic client;
  explicit RaceRig(ClientOptions o)
      : client(cache, origin, rec, clock, SlotRouter(namer, std::vector<uint16_t>(16384, 0), true, 100, 2), o, &sim,
               Rng(1)) {}
  void advance(Time dt) { sim.run_until(sim.now() + dt); }
  void reply(size_t i) { client.on_cache_reply(cache.sent.at(i).second, cache.execute(i)); }
  void start(Op op, uint64_t key, uint16_t instance) {
    Request r;
    r.op = op;
    r.key = key;
    r.client = instance;
    r.due = sim.now();
    client.start(r);
  }
  const StaleCounts& stale(StaleSource s) const { return rec.totals().stale[static_cast<size_t>(s)]; }
};

}  // namespace

// The delete-then-stale-fill race of cache-aside, built step by step: reader A misses and reads the database's old
// value; writer W updates the database and deletes the key from the cache; A's fill SET then lands and puts the old
// value back. Every later read gets it until a TTL or the next write removes it: each one is a stale read, aged
// from W's write.
TEST(Staleness, DeleteThenStaleFillRaceIsCounted) {
  RaceRig rig{ClientOptions{}};
  const uint64_t key = 7;
  rig.start(Op::Read, key, 0);  // A: GET
  ASSERT_EQ(rig.cache.sent.size(), 1u);
  rig.reply(0);  // A: miss, loads from the database
  ASSERT_EQ(rig.origin.queries.size(), 1u);
  rig.advance(Time::ms(4));
  rig.client.on_origin_reply(rig.origin.queries[0].second, OriginOutcome::Ok);  // A has version 0; its SET is sent
  ASSERT_EQ(rig.cache.sent.size(), 2u);
  ASSERT_EQ(rig.cache.sent[1].first.cmd, CacheCmd::Set);
  EXPECT_EQ(rig.cache.sent[1].first.version, 0u);
  rig.advance(Time::ms(1));
  const Time write_at = rig.sim.now();
  rig.start(Op::Write, key, 1);  // W: the database first
  ASSERT_EQ(rig.origin.queries.size(), 2u);
  rig.client.on_origin_reply(rig.origin.queries[1].second, OriginOutcome::Ok);  // applied: version 1; DEL sent
  ASSERT_EQ(rig.cache.sent.size(), 3u);
  ASSERT_EQ(rig.cache.sent[2].first.cmd, CacheCmd::Del);
  EXPECT_EQ(rig.origin.kv.current(key), 1u);
  rig.reply(2);  // the DEL lands first...
  rig.reply(1);  // ...then A's fill: the cache holds version 0 again
  EXPECT_EQ(rig.cache.values.at(key), 0u);
  EXPECT_EQ(rig.stale(StaleSource::Cache).reads, 0u);  // nobody read it yet
  rig.advance(Time::ms(250));
  rig.start(Op::Read, key, 0);  // B: a hit on the stale value
  rig.reply(3);
  EXPECT_EQ(rig.stale(StaleSource::Cache).reads, 1u);
  EXPECT_EQ(rig.stale(StaleSource::Cache).age_ns_max, static_cast<uint64_t>((rig.sim.now() - write_at).nanos()));
  EXPECT_EQ(rig.rec.totals().hits, 1u);

  // The same steps with the fill landing before the DEL: the DEL removes it, the next read misses and loads
  // version 1: nothing stale.
  RaceRig ok{ClientOptions{}};
  ok.start(Op::Read, key, 0);
  ok.reply(0);
  ok.client.on_origin_reply(ok.origin.queries[0].second, OriginOutcome::Ok);
  ok.start(Op::Write, key, 1);
  ok.client.on_origin_reply(ok.origin.queries[1].second, OriginOutcome::Ok);
  ok.reply(1);  // fill first
  ok.reply(2);  // then the DEL
  ok.start(Op::Read, key, 0);
  ok.reply(3);
  EXPECT_EQ(ok.cache.sent[3].first.cmd, CacheCmd::Get);
  ASSERT_EQ(ok.origin.queries.size(), 3u);  // a miss: loaded again
  ok.client.on_origin_reply(ok.origin.queries[2].second, OriginOutcome::Ok);
  ASSERT_EQ(ok.cache.sent.size(), 5u);
  EXPECT_EQ(ok.cache.sent[4].first.version, 1u);  // the fill carries the database's new version
  EXPECT_EQ(ok.stale(StaleSource::Cache).reads, 0u);
  EXPECT_EQ(ok.rec.totals().misses, 2u);
}

// An L1 copy is checked too: instance 1 keeps version 0 in its L1 until the invalidation reaches it (lag 100 ms);
// a read in between is an L1 stale read, one after it is not.
TEST(Staleness, L1ServesTheOldValueUntilItsInvalidationArrives) {
  ClientOptions o;
  o.instances = 2;
  o.l1_keys = 16;
  o.l1_ttl_ms = 10000;
  o.l1_invalidation_lag_ms = 100;
  RaceRig rig{o};
  const uint64_t key = 3;
  rig.cache.values[key] = 0;    // cached at version 0
  rig.start(Op::Read, key, 1);  // instance 1 reads it into its L1
  rig.reply(0);
  rig.start(Op::Write, key, 0);  // instance 0 writes: database version 1, DEL
  rig.client.on_origin_reply(rig.origin.queries[0].second, OriginOutcome::Ok);
  rig.reply(1);
  rig.advance(Time::ms(40));
  rig.start(Op::Read, key, 1);           // from the L1, before the invalidation: stale, 40 ms old
  EXPECT_EQ(rig.cache.sent.size(), 2u);  // nothing sent: an L1 hit
  EXPECT_EQ(rig.stale(StaleSource::L1).reads, 1u);
  EXPECT_EQ(rig.stale(StaleSource::L1).age_ns_max, static_cast<uint64_t>(Time::ms(40).nanos()));
  EXPECT_EQ(rig.client.stats().l1_stale_reads, 1u);
  rig.advance(Time::ms(100));  // the invalidation has arrived
  rig.start(Op::Read, key, 1);
  EXPECT_EQ(rig.cache.sent.size(), 3u);  // a GET: the L1 no longer has it
  EXPECT_EQ(rig.stale(StaleSource::L1).reads, 1u);
}

namespace {

// A few hot keys written often, a slow database (50 ms per query: a wide race window), 8 instances with an L1 whose
// invalidations arrive 50 ms late.
std::string racy_scenario(const std::string& on_write, const std::string& ttl_s, int l1_keys) {
  return R"({"cachelab": 1, "name": "racy", "seed": 3, "duration_s": 40, "warmup_s": 5,
    "cluster": {"masters": 1},
    "network": {"rtt_us": {"dist": "fixed", "value": 200}},
    "workload": {"keys": 1000, "popularity": {"dist": "zipf", "alpha": 1.0},
                 "value_bytes": {"dist": "fixed", "value": 100}, "read_fraction": 0.9,
                 "arrival": {"rate_per_s": 5000}, "ttl_s": )" +
         ttl_s + R"(},
    "clients": {"instances": 8, "on_write": ")" +
         on_write + R"(",
                "l1": {"keys": )" +
         std::to_string(l1_keys) + R"(, "ttl_ms": 500, "invalidation_lag_ms": 50}},
    "origin": {"servers": 1000, "service_ms": {"dist": "fixed", "value": 50}, "timeout_ms": 1000}})";
}

}  // namespace

// Invalidation deletes the key, so the next readers miss and fill it while writes keep coming: each write that
// lands during such a load leaves a stale fill (the race above), and the L1s copy it. Update SETs the new value and
// the key is seldom missing, so fills (and their races) are rare; both keep the L1 lag's stale window. So update has
// fewer stale reads, in the shared cache and in the L1s.
TEST(Staleness, UpdateHasFewerStaleReadsThanInvalidateWithL1) {
  const json inv = sim(racy_scenario("invalidate", "null", 64));
  const json upd = sim(racy_scenario("update", "null", 64));
  const double inv_total = stale(inv, "cache") + stale(inv, "l1"), upd_total = stale(upd, "cache") + stale(upd, "l1");
  EXPECT_GT(stale(inv, "cache"), 100);
  EXPECT_GT(stale(inv, "l1"), 100);
  EXPECT_LT(stale(upd, "cache"), stale(inv, "cache") / 2);
  EXPECT_LT(upd_total, inv_total / 2);
  EXPECT_EQ(stale(inv, "replica"), 0);  // no replicas read
  // clients.l1.stale_reads now counts the same reads (served stale), not copies at write time.
  EXPECT_EQ(inv.at("clients").at("l1").at("stale_reads").get<double>(), stale(inv, "l1"));
}

// A stale fill lives at most one TTL: its value is the database's as of its query (sent 50 ms before the answer),
// the write that made it stale came after that query, and the fill's SET with TTL T lands one way (0.1 ms) after the
// answer; expiry is checked in whole ms. So its age when served is at most T + 50 ms + 0.1 ms + 1 ms (+ the node's
// queue, idle here). Without a TTL the same stale values stay until the key's next write, which for the less
// popular keys is seconds later.
TEST(Staleness, TtlBoundsStaleAge) {
  const double ttl_ms = 500, query_ms = 50;
  const json ttl = sim(racy_scenario("invalidate", R"({"dist": "fixed", "value": 0.5})", 0));
  const json none = sim(racy_scenario("invalidate", "null", 0));
  ASSERT_GT(stale(ttl, "cache"), 50);
  const double max_age = ttl.at("stale_reads").at("cache").at("age_ms_max").get<double>();
  EXPECT_LE(max_age, ttl_ms + query_ms + 0.1 + 1 + 0.5);
  EXPECT_GT(max_age, ttl_ms / 2);  // the bound is reached in order of magnitude: the TTL is what ends them
  EXPECT_GT(none.at("stale_reads").at("cache").at("age_ms_max").get<double>(), 4 * ttl_ms);
}

namespace {

std::string replica_scenario(const std::string& read_from) {
  return R"({"cachelab": 1, "name": "replica-reads", "seed": 8, "duration_s": 30, "warmup_s": 5,
    "cluster": {"masters": 3, "replicas_per_master": 1},
    "network": {"rtt_us": {"dist": "fixed", "value": 500}},
    "workload": {"keys": 2000, "popularity": {"dist": "zipf", "alpha": 1.0},
                 "value_bytes": {"dist": "fixed", "value": 100}, "read_fraction": 0.9,
                 "arrival": {"rate_per_s": 5000}, "ttl_s": {"dist": "fixed", "value": 60}},
    "clients": {"instances": 8, "read_from": ")" +
         read_from + R"("},
    "origin": {"servers": 200, "service_ms": {"dist": "fixed", "value": 2}, "timeout_ms": 1000}})";
}

double ops_of(const json& s, const std::string& prefix) {
  double ops = 0;
  for (const auto& n : s.at("nodes"))
    if (n.at("name").get<std::string>().rfind(prefix, 0) == 0) ops += n.at("ops").get<double>();
  return ops;
}

}  // namespace

// read_from replica: reads go to the replicas (READONLY, docs/redis-reference.md §2.2 step 9), which serve them from
// their copy; a master's DEL (or new value) reaches its replica half a round trip (0.25 ms) after the master ran it,
// so a read in between still gets the old value. The same request stream served by the masters is stale only in
// the shorter window before the DEL lands there, and through stale fills, which the replicas copy too: the replicas
// serve more stale reads. read_from master: replicas run no command (replication is applied, not executed), and no
// read is served by one.
TEST(ReplicaReads, ReadsGoToReplicasAndSeeTheReplicationLag) {
  const json master = sim(replica_scenario("master"));
  const json replica = sim(replica_scenario("replica"));
  EXPECT_EQ(ops_of(master, "replica-"), 0);
  EXPECT_EQ(stale(master, "replica"), 0);
  // Every cache GET (hits and misses) went to a replica.
  const double gets = replica.at("hits").get<double>() + replica.at("misses").get<double>();
  EXPECT_NEAR(replica.at("clients").at("read_from").at("replica_reads").get<double>() / gets, 1.0, 0.01);
  EXPECT_GT(ops_of(replica, "replica-"), 0.95 * gets);
  EXPECT_GT(stale(replica, "replica"), stale(master, "cache"));
  EXPECT_EQ(stale(replica, "cache"), 0);  // no read went to a master
  // Reads from the replica find what the master had: the hit ratio barely moves.
  EXPECT_NEAR(replica.at("hit_ratio").get<double>(), master.at("hit_ratio").get<double>(), 0.02);
}

// replica_preferred: a dead replica's reads go to its master at once (Lettuce REPLICA_PREFERRED); read_from replica
// reports the failure (a degraded request that falls back to the database).
TEST(ReplicaReads, ReplicaPreferredFallsBackToTheMasterWhenTheReplicaIsDown) {
  const std::vector<std::string> kill = {R"(/faults=[{"at_s": 10, "action": "kill", "node": "replica-1-1"}])"};
  const json preferred = sim(replica_scenario("replica_preferred"), kill);
  const json replica = sim(replica_scenario("replica"), kill);
  EXPECT_GT(preferred.at("clients").at("read_from").at("replica_fallbacks").get<double>(), 100);
  EXPECT_EQ(preferred.at("degraded_requests").get<double>(), 0);
  EXPECT_GT(replica.at("degraded_requests").get<double>(), 100);
}
