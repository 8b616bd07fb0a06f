// The cluster client against a real spawned cluster: routing of 1000 keys, ASK then MOVED during a slot
// migration, standalone servers.
#include "lab_helpers.hpp"
#include "live/client/cluster_client.hpp"
#include "live/client/control_connection.hpp"
#include "live/client/slot_hash.hpp"

namespace cachelab::live {
namespace {

using namespace cachelab::live::testing;

const LabNode& owner_of(const Lab& lab, int slot) {
  for (const auto& n : lab.nodes())
    if (n.role == "master")
      for (auto [a, b] : n.slot_ranges)
        if (slot >= a && slot <= b) return n;
  throw std::runtime_error("no owner for slot " + std::to_string(slot));
}

TEST(ClusterClientLive, RoutesSetAndGetOf1000KeysToTheSlotOwner) {
  CACHELAB_REQUIRE_REDIS();
  Lab lab(cluster_config(3, 1));
  lab.start();
  ClientOptions options;
  options.seeds = {lab.endpoints().back()};  // any one node is enough to learn the whole map
  ClusterClient client(options);
  client.connect();
  ASSERT_TRUE(client.is_cluster());
  EXPECT_EQ(client.slot_map().covered_slots(), 16384);

  ControlConnection checker(lab.nodes()[0].endpoint, 1000);
  for (int i = 0; i < 1000; ++i) {
    const std::string key = "cachelab:route:" + std::to_string(i);
    // Our slot function agrees with the server's.
    const int server_slot = static_cast<int>(checker.command({"CLUSTER", "KEYSLOT", key}).integer());
    ASSERT_EQ(key_hash_slot(key), server_slot) << key;
    const LabNode& owner = owner_of(lab, server_slot);

    const std::string value = "v" + std::to_string(i);
    Result set = client.set(key, value);
    ASSERT_EQ(set.status, Status::Ok) << key << ": " << set.error;
    EXPECT_EQ(set.served_by, owner.endpoint) << key;
    Result get = client.get(key);
    ASSERT_EQ(get.status, Status::Ok) << key << ": " << get.error;
    EXPECT_EQ(get.reply.str(), value);
    EXPECT_EQ(get.served_by, owner.endpoint) << key;
    EXPECT_EQ(get.redirects, 0);
  }
  // The key is really on the owner (asked directly, without the client).
  const std::string probe = "cachelab:route:7";
  Reply direct = control_command(owner_of(lab, key_hash_slot(probe)).endpoint, {"GET", probe}, 1000);
  EXPECT_EQ(direct.str(), "v7");
  EXPECT_EQ(client.counters().moved, 0u);
  EXPECT_EQ(client.counters().ask, 0u);
  EXPECT_EQ(client.counters().completed, 2000u);

  // A miss is Ok with a nil reply; DEL works.
  Result miss = client.get("cachelab:route:absent");
  EXPECT_EQ(miss.status, Status::Ok);
  EXPECT_TRUE(miss.reply.is_nil());
  EXPECT_EQ(client.del("cachelab:route:7").reply.integer(), 1);
  // SET with a TTL in ms.
  ASSERT_EQ(client.set("cachelab:route:ttl", "x", 60000).status, Status::Ok);
  Reply pttl = control_command(owner_of(lab, key_hash_slot("cachelab:route:ttl")).endpoint,
                               {"PTTL", "cachelab:route:ttl"}, 1000);
  EXPECT_GT(pttl.integer(), 50000);
  EXPECT_LE(pttl.integer(), 60000);

  // Pipelined, asynchronous: 2000 requests in flight across the masters, all answered.
  int ok = 0;
  for (int i = 0; i < 2000; ++i)
    client.submit({"GET", "cachelab:route:" + std::to_string(i % 1000)},
                  [&](const Result& r) { ok += r.status == Status::Ok ? 1 : 0; });
  ASSERT_TRUE(client.run_until_idle(10000));
  EXPECT_EQ(ok, 2000);

  // INFO snapshot of every node: the keys are where the slot map says.
  uint64_t master_keys = 0;
  for (const auto& n : lab.nodes()) {
    NodeSnapshot s = client.info(n.endpoint);
    EXPECT_EQ(s.role, n.role == "master" ? "master" : "slave");
    EXPECT_GT(s.used_memory_bytes, 0u);
    if (n.role == "master") master_keys += s.keys;
  }
  EXPECT_EQ(master_keys, 1000u);  // 1000 keys - 1 deleted + 1 with TTL
}

// Moves one slot from its owner to another master by hand, as redis-cli --cluster reshard does, and watches
// the client follow ASK during the migration and MOVED after it.
TEST(ClusterClientLive, FollowsAskDuringMigrationAndMovedAfterIt) {
  CACHELAB_REQUIRE_REDIS();
  Lab lab(cluster_config(3, 0));
  lab.start();
  ClientOptions options;
  options.seeds = lab.endpoints();
  ClusterClient client(options);
  client.connect();

  const std::string moved_key = "{cachelab-reshard}a", new_key = "{cachelab-reshard}b";
  const int slot = key_hash_slot(moved_key);
  const LabNode& src = owner_of(lab, slot);
  const LabNode* dst = nullptr;
  for (const auto& n : lab.nodes())
    if (n.role == "master" && n.name != src.name) dst = &n;
  ASSERT_NE(dst, nullptr);
  ASSERT_EQ(client.set(moved_key, "before").status, Status::Ok);

  auto cmd = [](const LabNode& n, std::vector<std::string> args) {
    Reply r = control_command(n.endpoint, args, 2000);
    EXPECT_FALSE(r.is_error()) << r.describe();
    return r;
  };
  const std::string s = std::to_string(slot);
  cmd(*dst, {"CLUSTER", "SETSLOT", s, "IMPORTING", src.node_id});
  cmd(src, {"CLUSTER", "SETSLOT", s, "MIGRATING", dst->node_id});
  // The source logs in to the target itself: it needs the lab's password.
  cmd(src, {"MIGRATE", dst->endpoint.host, std::to_string(dst->endpoint.port), "", "0", "5000", "AUTH", lab.password(),
            "KEYS", moved_key});

  // The key left src: src answers ASK, the client sends ASKING + GET to dst.
  Result during = client.get(moved_key);
  ASSERT_EQ(during.status, Status::Ok) << during.error;
  EXPECT_EQ(during.reply.str(), "before");
  EXPECT_EQ(during.served_by, dst->endpoint);
  EXPECT_EQ(during.redirects, 1);
  EXPECT_EQ(client.counters().ask, 1u);
  EXPECT_EQ(client.counters().moved, 0u);
  // ASK is one-shot: the map still says src, so the next request also goes there first and is asked again.
  Result write_during = client.set(new_key, "new");
  ASSERT_EQ(write_during.status, Status::Ok) << write_during.error;
  EXPECT_EQ(write_during.served_by, dst->endpoint);
  EXPECT_EQ(client.counters().ask, 2u);
  EXPECT_EQ(*client.slot_map().owner(slot), src.endpoint);

  // Finish the migration: every master learns the new owner.
  for (const auto& n : lab.nodes())
    if (n.role == "master") cmd(n, {"CLUSTER", "SETSLOT", s, "NODE", dst->node_id});

  Result after = client.get(new_key);
  ASSERT_EQ(after.status, Status::Ok) << after.error;
  EXPECT_EQ(after.reply.str(), "new");
  EXPECT_EQ(after.served_by, dst->endpoint);
  EXPECT_EQ(client.counters().moved, 1u);
  EXPECT_EQ(client.counters().ask, 2u);
  EXPECT_EQ(*client.slot_map().owner(slot), dst->endpoint);  // fixed by the MOVED itself

  // Once the map is right, no more redirects (the background CLUSTER SLOTS refresh agrees).
  client.run_until_idle(1000);
  for (int i = 0; i < 3; ++i) client.run_once(options.min_refresh_interval_ms);
  Result settled = client.get(moved_key);
  EXPECT_EQ(settled.redirects, 0);
  EXPECT_EQ(settled.reply.str(), "before");
  EXPECT_EQ(client.counters().moved, 1u);
  EXPECT_GE(client.counters().slot_refreshes, 2u);  // connect() + the refresh after MOVED
}

TEST(ClusterClientLive, TalksToAStandaloneServer) {
  CACHELAB_REQUIRE_REDIS();
  Lab lab(standalone_config());
  lab.start();
  ClientOptions options;
  options.seeds = lab.endpoints();
  ClusterClient client(options);
  client.connect();
  EXPECT_FALSE(client.is_cluster());
  for (int i = 0; i < 100; ++i) ASSERT_EQ(client.set("k" + std::to_string(i), "v").status, Status::Ok);
  EXPECT_EQ(client.get("k42").reply.str(), "v");
  EXPECT_EQ(client.info(lab.endpoints()[0]).keys, 100u);
}

TEST(ClusterClientLive, ConnectFailsWithTheReasonForEverySeed) {
  const int port = claim_free_ports(1, false)[0];  // nobody listens there
  ClientOptions options;
  options.seeds = {Endpoint{"127.0.0.1", port}};
  options.connect_timeout_ms = 500;
  ClusterClient client(options);
  try {
    client.connect();
    FAIL() << "connected to a closed port";
  } catch (const ConnectionError& e) {
    EXPECT_NE(std::string(e.what()).find("127.0.0.1:" + std::to_string(port)), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("refused"), std::string::npos) << e.what();
  }
  release_ports({port});
}

}  // namespace
}  // namespace cachelab::live
