// Live faults on spawned nodes and how the client lives through them: restart (reconnect), pause (timeout),
// manual failover (MOVED to the promoted replica).
#include <chrono>

#include "lab_helpers.hpp"
#include "live/client/cluster_client.hpp"
#include "live/client/control_connection.hpp"
#include "live/client/slot_hash.hpp"
#include "live/faults/fault_injector.hpp"

namespace cachelab::live {
namespace {

using namespace cachelab::live::testing;

// A key in a slot that `master` serves.
std::string key_on(const LabNode& master, const std::string& prefix) {
  for (int i = 0;; ++i) {
    std::string key = prefix + std::to_string(i);
    const int slot = key_hash_slot(key);
    for (auto [a, b] : master.slot_ranges)
      if (slot >= a && slot <= b) return key;
  }
}

SubmitOptions within_ms(int ms) {
  SubmitOptions o;
  o.timeout_ms = ms;
  return o;
}

TEST(FaultsLive, ClientReconnectsAfterANodeRestart) {
  CACHELAB_REQUIRE_REDIS();
  Lab lab(cluster_config(3, 0));
  lab.start();
  ClientOptions options;
  options.seeds = lab.endpoints();
  options.reconnect_backoff_max_ms = 200;
  ClusterClient client(options);
  client.connect();
  const LabNode& victim = lab.node("master-1");
  const Endpoint victim_endpoint = victim.endpoint;
  const std::string key = key_on(victim, "cachelab:restart:");
  ASSERT_EQ(client.set(key, "v1").status, Status::Ok);
  const pid_t old_pid = victim.pid;

  FaultInjector faults(lab);
  faults.kill("master-1");
  EXPECT_FALSE(process_state(old_pid).has_value());  // killed and reaped: no <defunct> left
  EXPECT_FALSE(port_has_listener(victim_endpoint.port));

  // While it is down: the request ends as a connection failure, naming the node.
  Result down = client.execute({"GET", key}, within_ms(300));
  EXPECT_EQ(down.status, Status::Connection) << to_string(down.status) << " " << down.error;
  EXPECT_NE(down.error.find(victim_endpoint.str()), std::string::npos) << down.error;
  EXPECT_GE(client.counters().connection, 1u);

  faults.restart("master-1");
  EXPECT_NE(lab.node("master-1").pid, old_pid);
  EXPECT_EQ(lab.node("master-1").endpoint, victim_endpoint);  // same port
  lab.wait_ready(20000);                                      // rejoined: cluster_state:ok everywhere

  // Same slot owner (nodes.conf kept), empty data (save "" and no AOF: a restart loses what was in memory).
  Result after = client.execute({"GET", key}, within_ms(5000));
  ASSERT_EQ(after.status, Status::Ok) << after.error;
  EXPECT_TRUE(after.reply.is_nil());
  EXPECT_EQ(after.served_by, victim_endpoint);
  EXPECT_GE(client.counters().reconnects, 1u);
  ASSERT_EQ(client.set(key, "v2").status, Status::Ok);
  EXPECT_EQ(client.get(key).reply.str(), "v2");
}

TEST(FaultsLive, PausedNodeGivesATimeoutAndTheConnectionStaysInOrder) {
  CACHELAB_REQUIRE_REDIS();
  LabFootprint left;
  {
    Lab lab(cluster_config(3, 0));
    lab.start();
    ClientOptions options;
    options.seeds = lab.endpoints();
    ClusterClient client(options);
    client.connect();
    const std::string key = key_on(lab.node("master-1"), "cachelab:pause:");
    const std::string other = key_on(lab.node("master-2"), "cachelab:pause:");
    ASSERT_EQ(client.set(key, "v1").status, Status::Ok);
    ASSERT_EQ(client.set(other, "o").status, Status::Ok);

    FaultInjector faults(lab);
    faults.pause("master-1");
    EXPECT_EQ(process_state(lab.node("master-1").pid), 'T');  // stopped, not dead
    const auto t0 = std::chrono::steady_clock::now();
    Result r = client.execute({"GET", key}, within_ms(300));
    const auto waited_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_EQ(r.status, Status::Timeout) << to_string(r.status) << " " << r.error;
    EXPECT_GE(r.latency_us, 300'000);
    EXPECT_GE(waited_ms, 300);
    EXPECT_LT(waited_ms, 1000);
    EXPECT_EQ(client.counters().timeout, 1u);
    EXPECT_EQ(client.counters().connection, 0u);  // the kernel still accepts: it is a timeout, not a refusal

    // Other masters are not held up by the paused one.
    Result elsewhere = client.execute({"GET", other}, within_ms(1000));
    EXPECT_EQ(elsewhere.status, Status::Ok);
    EXPECT_EQ(elsewhere.reply.str(), "o");

    faults.resume("master-1");
    // The late reply to the timed-out GET ("v1") arrives first and must be dropped, not given to the SET.
    Result set = client.execute({"SET", key, "v2"}, within_ms(2000));
    ASSERT_EQ(set.status, Status::Ok) << set.error;
    EXPECT_EQ(set.reply.str(), "OK");
    EXPECT_EQ(client.get(key).reply.str(), "v2");

    faults.pause("master-2");  // teardown must cope with a stopped server
    left = footprint(lab);
  }
  expect_nothing_left(left);
}

TEST(FaultsLive, ManualFailoverPromotesTheReplicaAndTheClientFollows) {
  CACHELAB_REQUIRE_REDIS();
  Lab lab(cluster_config(3, 1));
  lab.start();
  ClientOptions options;
  options.seeds = lab.endpoints();
  ClusterClient client(options);
  client.connect();
  const std::string key = key_on(lab.node("master-1"), "cachelab:failover:");
  ASSERT_EQ(client.set(key, "v1").status, Status::Ok);

  FaultInjector faults(lab);
  EXPECT_THROW(faults.failover("master-1"), FaultRefused);  // must be sent to a replica
  try {
    faults.failover("replica-1-1");
  } catch (const std::exception& e) {
    FAIL() << e.what() << "\nreplica log:\n"
           << lab.log_tail(lab.node("replica-1-1"), 30) << "master log:\n"
           << lab.log_tail(lab.node("master-1"), 30);
  }
  EXPECT_EQ(lab.node("replica-1-1").role, "master");

  // The old master answers MOVED to its promoted replica, which has the data (manual failover waits for it).
  Result r = client.execute({"GET", key}, within_ms(5000));
  ASSERT_EQ(r.status, Status::Ok) << r.error;
  EXPECT_EQ(r.reply.str(), "v1");
  EXPECT_EQ(r.served_by, lab.node("replica-1-1").endpoint);
  EXPECT_GE(client.counters().moved, 1u);

  EXPECT_THROW(faults.apply("partition", "master-2"), FaultRefused);
}

}  // namespace
}  // namespace cachelab::live
