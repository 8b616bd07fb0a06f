// Smart routing and online resharding (docs/redis-reference.md §2): MOVED updates a client's map and triggers a
// CLUSTER SLOTS refresh, ASK is one-shot and leaves the map alone, a migration moves every key and every node ends
// with the new owner, and clients converge (no MOVED after the move).
#include <gtest/gtest.h>

#include "cachelab/client/client_logic.hpp"
#include "cachelab/cluster/migration.hpp"
#include "cachelab/cluster/slots.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"

using namespace cachelab;

namespace {

struct FakeCache final : CacheBackend {
  std::vector<CacheCommand> sent;
  std::vector<std::pair<uint32_t, uint16_t>> fetched;
  void send(const CacheCommand& c, uint32_t) override { sent.push_back(c); }
  void fetch_slots(uint32_t node, uint16_t client) override { fetched.emplace_back(node, client); }
};
struct FakeOrigin final : OriginBackend {
  void query(bool, uint64_t, uint32_t) override {}
};
struct FixedClock final : Clock {
  Time now() const override { return Time::ms(1); }
};

}  // namespace

TEST(Routing, MovedUpdatesTheMapAndRefreshesAskDoesNot) {
  KeyNamer namer("key:");
  std::vector<uint16_t> owners(kClusterSlots, 0);  // the client believes node 0 owns everything
  FakeCache cache;
  FakeOrigin origin;
  Recorder rec(Time::ns(0));
  FixedClock clock;
  ClientLogic client(cache, origin, rec, clock, SlotRouter(namer, owners, false, 1000, 2), WriteMode::Invalidate);
  Request r;
  r.key = 7;
  r.client = 1;
  r.op = Op::Read;
  client.start(r);
  ASSERT_EQ(cache.sent.size(), 1u);
  EXPECT_EQ(cache.sent[0].node, 0u);
  EXPECT_EQ(cache.sent[0].slot, namer.slot(7));

  // ASK to node 2: resent there with ASKING; the map is unchanged.
  client.on_cache_reply(0, CacheReply{ReplyKind::Ask, 0, 2});
  ASSERT_EQ(cache.sent.size(), 2u);
  EXPECT_EQ(cache.sent[1].node, 2u);
  EXPECT_TRUE(cache.sent[1].asking);
  EXPECT_TRUE(cache.fetched.empty());
  client.on_cache_reply(0, CacheReply{ReplyKind::Value, 3, 0});
  client.start(r);
  EXPECT_EQ(cache.sent.back().node, 0u) << "ASK must not change the slot map";
  EXPECT_FALSE(cache.sent.back().asking) << "ASKING is one-shot";

  // MOVED to node 1: resent there, the map learns it, and one CLUSTER SLOTS refresh goes to node 1.
  client.on_cache_reply(0, CacheReply{ReplyKind::Moved, 0, 1});
  EXPECT_EQ(cache.sent.back().node, 1u);
  ASSERT_EQ(cache.fetched.size(), 1u);
  EXPECT_EQ(cache.fetched[0], (std::pair<uint32_t, uint16_t>{1, 1}));
  client.on_cache_reply(0, CacheReply{ReplyKind::Value, 3, 0});
  client.start(r);
  EXPECT_EQ(cache.sent.back().node, 1u);
  // Another client instance has its own (still stale) map.
  Request other = r;
  other.client = 0;
  client.start(other);
  EXPECT_EQ(cache.sent.back().node, 0u);
  EXPECT_EQ(rec.interval().c.errors[static_cast<size_t>(ErrorKind::Moved)], 1u);
  EXPECT_EQ(rec.interval().c.errors[static_cast<size_t>(ErrorKind::Ask)], 1u);
}

TEST(Routing, RedirectLoopsAreCutAfterSixteen) {
  KeyNamer namer("key:");
  std::vector<uint16_t> owners(kClusterSlots, 0);
  FakeCache cache;
  FakeOrigin origin;
  Recorder rec(Time::ns(0));
  FixedClock clock;
  ClientLogic client(cache, origin, rec, clock, SlotRouter(namer, owners, false, 1000, 1), WriteMode::Invalidate);
  Request r;
  r.key = 1;
  client.start(r);
  for (int i = 0; i < 40; ++i) client.on_cache_reply(0, CacheReply{ReplyKind::Ask, 0, 1});
  EXPECT_EQ(cache.sent.size(), 1u + ClientLogic::kMaxRedirects);
}

TEST(Migration, MovesEveryKeyAndEveryNodeLearnsTheOwner) {
  Simulation sim(1);
  auto svc = make_dist({{"dist", "fixed"}, {"value", 10}});
  StoreConfig cfg;
  std::vector<Node> nodes;
  for (uint16_t i = 0; i < 4; ++i)
    nodes.emplace_back("master-" + std::to_string(i + 1), i, cfg, sim.stream("e"), *svc, sim.stream("s"));
  const auto ranges = redis_cli_slot_ranges(4);
  for (auto& n : nodes)
    for (uint16_t m = 0; m < 4; ++m)
      for (int slot = ranges[m].first; slot <= ranges[m].second; ++slot) n.set_owner(slot, m);
  KeyNamer namer("key:");
  uint64_t in_moved = 0;
  for (uint64_t k = 0; k < 20000; ++k) {
    const int slot = namer.slot(k);
    Node& owner = nodes[nodes[0].owner(slot)];
    owner.mutable_store().set(k, static_cast<uint32_t>(namer.length(k)), 100, Store::kNoExpiry, Time::ns(0),
                              static_cast<uint16_t>(slot));
    in_moved += owner.index() == 0 && slot < 300;
  }
  Network net({{"dist", "fixed"}, {"value", 200}}, sim.stream("n"));
  std::vector<nlohmann::json> events;
  Migrator mig(sim, nodes, net, namer, [&](nlohmann::json e) { events.push_back(std::move(e)); });
  mig.reshard(0, 2, 300);
  sim.run_until(Time::s(100));
  ASSERT_EQ(mig.reports().size(), 1u);
  const auto& rep = mig.reports()[0];
  EXPECT_EQ(rep.slots, 300);
  EXPECT_EQ(rep.keys_moved, in_moved);
  EXPECT_GT(rep.t_end_s, rep.t_start_s);
  for (int slot = 0; slot < 300; ++slot) {
    EXPECT_EQ(nodes[0].store().count_in_slot(static_cast<uint16_t>(slot)), 0u);
    for (const auto& n : nodes) ASSERT_EQ(n.owner(slot), 2) << n.name() << " slot " << slot;
  }
  uint64_t total = 0;
  for (const auto& n : nodes) total += n.store().keys();
  EXPECT_EQ(total, 20000u);
  int slot_moved = 0;
  for (const auto& e : events) slot_moved += e["type"] == "slot_moved";
  EXPECT_EQ(slot_moved, 300);
  // Per slot at least: IMPORTING, MIGRATING, a final GETKEYSINSLOT, SETSLOT NODE on all four masters.
  EXPECT_GE(rep.commands, 300u * 7);
}

TEST(Resharding, ClientsSeeMovedAndAskDuringTheMoveAndConvergeAfter) {
  const char* text = R"({"cachelab": 1, "name": "rs", "duration_s": 20, "warmup_s": 1, "seed": 4,
    "cluster": {"masters": 3},
    "workload": {"keys": 20000, "popularity": {"dist": "uniform"}, "read_fraction": 0.9,
                 "arrival": {"rate_per_s": 20000}},
    "clients": {"instances": 4},
    "origin": {"servers": 64, "service_ms": {"dist": "exponential", "mean": 1}},
    "faults": [{"at_s": 5, "action": "reshard", "from": "master-1", "to": "master-2", "count": 1500}]})";
  const RunOutput out = simulate(load_scenario_text(text, "rs.json"));
  const auto& s = out.summary;
  EXPECT_GT(s["errors"]["moved"].get<int>(), 0);
  EXPECT_GT(s["errors"]["ask"].get<int>(), 0);
  ASSERT_EQ(s["resharding"].size(), 1u);
  const double t_end = s["resharding"][0]["t_end_s"].get<double>();
  EXPECT_EQ(s["resharding"][0]["slots"], 1500);
  EXPECT_LT(t_end, 19.0);
  EXPECT_EQ(s["nodes"][0]["slots"], 5461 - 1500);
  EXPECT_EQ(s["nodes"][1]["slots"], 5462 + 1500);
  // Clients converge lazily, as real ones do: a client whose last refresh happened mid-move meets one more MOVED
  // on a slot moved after that refresh, and refreshes again. Within 2 s of the end every client has done so.
  const auto& cols = out.series.columns;
  const size_t moved_col = std::find(cols.begin(), cols.end(), "errors_moved") - cols.begin();
  for (const auto& row : out.series.rows)
    if (std::stod(row[0]) > t_end + 2) {
      EXPECT_EQ(row[moved_col], "0") << "t=" << row[0];
    }
  EXPECT_EQ(s["failed_requests"], 0);
}

TEST(Resharding, BadFaultsAreRefused) {
  const std::string base = R"({"cachelab": 1, "name": "rs", "duration_s": 20,
    "workload": {"arrival": {"rate_per_s": 100}}, "faults": [FAULT]})";
  auto with = [&](const std::string& f) { return std::string(base).replace(base.find("FAULT"), 5, f); };
  for (const auto& [fault, pointer] : std::vector<std::pair<std::string, std::string>>{
           {R"({"at_s": 5, "action": "reshard", "from": "master-9", "to": "master-2", "count": 1})", "/faults/0/from"},
           {R"({"at_s": 5, "action": "reshard", "from": "master-1", "to": "master-1", "count": 1})", "/faults/0/to"},
           {R"({"at_s": 50, "action": "reshard", "from": "master-1", "to": "master-2", "count": 1})", "/faults/0/at_s"},
           {R"({"at_s": 5, "action": "reshrd", "from": "master-1", "to": "master-2", "count": 1})", "/faults/0/action"},
           {R"({"at_s": 5, "action": "reshard", "from": "master-1", "to": "master-2"})", "/faults/0/count"}}) {
    try {
      load_scenario_text(with(fault), "f.json");
      ADD_FAILURE() << "accepted " << fault;
    } catch (const ScenarioError& e) {
      EXPECT_EQ(e.issues().at(0).pointer, pointer) << e.what();
    }
  }
}
