// Parts of live mode that need no server: slot hashing, address parsing, redirect and INFO parsing, configs,
// fault refusal.
#include <gtest/gtest.h>

#include <stdexcept>

#include "live/client/endpoint.hpp"
#include "live/client/info.hpp"
#include "live/client/redirect.hpp"
#include "live/client/slot_hash.hpp"
#include "live/faults/fault_injector.hpp"
#include "live/lab/lab_config.hpp"
#include "live/replay/driver.hpp"
#include "live/replay/report.hpp"
#include "cachelab/scenario/loader.hpp"

namespace cachelab::live {
namespace {

TEST(SlotHash, MatchesRedisReferenceValues) {
  // docs/redis-reference.md §1.1 and §1.3 (measured with CLUSTER KEYSLOT on 7.0.15).
  EXPECT_EQ(crc16_xmodem("123456789"), 0x31C3);
  EXPECT_EQ(key_hash_slot("123456789"), 12739);
  EXPECT_EQ(key_hash_slot("foo"), 12182);
  EXPECT_EQ(key_hash_slot("bar"), 5061);
  EXPECT_EQ(key_hash_slot("hello"), 866);
  EXPECT_EQ(key_hash_slot("somekey"), 11058);
  EXPECT_EQ(key_hash_slot("foo{hash_tag}"), 2515);
  EXPECT_EQ(key_hash_slot("{user1000}.following"), 3443);
  EXPECT_EQ(key_hash_slot("foo{}{bar}"), 8363);
  EXPECT_EQ(key_hash_slot("foo{{bar}}zap"), 4015);
  EXPECT_EQ(key_hash_slot("foo{bar}{zap}"), 5061);
  EXPECT_EQ(key_hash_slot("{}"), 15257);
  EXPECT_EQ(key_hash_slot(""), 0);
}

TEST(Endpoint, ParsesAndRejectsWithClearMessages) {
  EXPECT_EQ(parse_endpoint("127.0.0.1:6379"), (Endpoint{"127.0.0.1", 6379}));
  EXPECT_EQ(parse_endpoint("[::1]:7000"), (Endpoint{"::1", 7000}));
  EXPECT_EQ(parse_endpoint_list("a:1,b:2").size(), 2u);
  for (const char* bad : {"", "localhost", "host:", ":6379", "host:0", "host:65536", "host:12x", "a:1,,b:2"}) {
    try {
      parse_endpoint_list(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("expected HOST:PORT"), std::string::npos) << e.what();
    }
  }
}

TEST(Redirect, ClassifiesClusterErrors) {
  const Endpoint self{"127.0.0.1", 7000};
  auto moved = classify_error("MOVED 3999 127.0.0.1:6381", self);
  EXPECT_EQ(moved.kind, ErrorKind::Moved);
  EXPECT_EQ(moved.slot, 3999);
  EXPECT_EQ(moved.target, (Endpoint{"127.0.0.1", 6381}));
  auto ask = classify_error("ASK 12 :7001", self);  // empty host: the host we asked
  EXPECT_EQ(ask.kind, ErrorKind::Ask);
  EXPECT_EQ(ask.target, (Endpoint{"127.0.0.1", 7001}));
  EXPECT_EQ(classify_error("TRYAGAIN Multiple keys request during rehashing of slot", self).kind, ErrorKind::TryAgain);
  EXPECT_EQ(classify_error("CLUSTERDOWN The cluster is down", self).kind, ErrorKind::ClusterDown);
  EXPECT_EQ(classify_error("OOM command not allowed when used memory > 'maxmemory'.", self).kind, ErrorKind::Oom);
  EXPECT_EQ(classify_error("WRONGTYPE Operation against a key", self).kind, ErrorKind::Other);
  EXPECT_EQ(classify_error("ASKING is fine", self).kind, ErrorKind::Other);
}

TEST(Info, ParsesSnapshotFields) {
  const std::string text =
      "# Server\r\nredis_version:7.0.15\r\nprocess_id:42\r\n\r\n# Memory\r\nused_memory:1048576\r\n"
      "maxmemory:20971520\r\n# Stats\r\nevicted_keys:7\r\nexpired_keys:3\r\nkeyspace_hits:10\r\n"
      "keyspace_misses:2\r\n# Replication\r\nrole:slave\r\nmaster_link_status:up\r\n"
      "# Keyspace\r\ndb0:keys=123,expires=45,avg_ttl=0\r\n";
  NodeSnapshot s = parse_node_snapshot(text);
  EXPECT_EQ(s.redis_version, "7.0.15");
  EXPECT_EQ(s.used_memory_bytes, 1048576u);
  EXPECT_EQ(s.maxmemory_bytes, 20971520u);
  EXPECT_EQ(s.evicted_keys, 7u);
  EXPECT_EQ(s.expired_keys, 3u);
  EXPECT_EQ(s.keyspace_hits, 10u);
  EXPECT_EQ(s.keyspace_misses, 2u);
  EXPECT_EQ(s.role, "slave");
  EXPECT_EQ(s.master_link_status, "up");
  EXPECT_EQ(s.keys, 123u);
  EXPECT_EQ(s.expires, 45u);
}

// INFO cpu as Redis 7.0 prints it (seconds with six decimals): user + sys in microseconds; no CPU fields, an error.
TEST(Info, ServerCpuIsUserPlusSystemInMicroseconds) {
  const auto f = parse_info_fields(
      "# CPU\r\nused_cpu_sys:1.250000\r\nused_cpu_user:0.004321\r\nused_cpu_sys_children:9.000000\r\n");
  EXPECT_DOUBLE_EQ(server_cpu_us(f), 1254321);
  EXPECT_THROW(server_cpu_us(parse_info_fields("# Memory\r\nused_memory:1\r\n")), std::out_of_range);
}

// The node's busy time live is its main thread's CPU time (INFO cpu, used_cpu_*_main_thread) summed over the
// snapshots: the first snapshot is the reference, a restarted server (its clock back near 0) adds what it used since
// its start, and a server without the fields leaves it unknown.
TEST(Info, MainThreadCpuTimeSumsAcrossSnapshotsAndRestarts) {
  auto snap = [](const char* sys, const char* user) {
    return parse_node_snapshot(std::string("# CPU\r\nused_cpu_sys:9.000000\r\nused_cpu_user:9.000000\r\n") +
                               "used_cpu_sys_main_thread:" + sys + "\r\nused_cpu_user_main_thread:" + user + "\r\n");
  };
  EXPECT_DOUBLE_EQ(snap("0.250000", "1.000000").main_thread_cpu_us, 1250000);
  EXPECT_LT(parse_node_snapshot("# Memory\r\nused_memory:1\r\n").main_thread_cpu_us, 0);
  NodeTrack n;
  n.update(snap("1.000000", "2.000000"));  // the reference: 3 s before the run
  EXPECT_TRUE(n.busy_known);
  EXPECT_DOUBLE_EQ(n.busy_us, 0);
  n.update(snap("1.100000", "2.400000"));  // +0.5 s
  EXPECT_NEAR(n.busy_us, 500000, 1e-6);
  n.update(snap("0.010000", "0.020000"));  // restarted: 0.03 s since
  EXPECT_NEAR(n.busy_us, 530000, 1e-6);
  NodeTrack old;
  old.update(parse_node_snapshot("# Memory\r\nused_memory:1\r\n"));
  EXPECT_FALSE(old.busy_known);
}

TEST(LabConfig, RendersEveryKnobAndRefusesBadOnes) {
  LabConfig c;
  c.store.maxmemory_bytes = 20 << 20;
  c.store.policy = "allkeys-lfu";
  c.store.maxmemory_samples = 7;
  c.store.lfu_log_factor = 12;
  c.store.lfu_decay_time_min = 2;
  c.store.hz = 50;
  c.control.node_timeout_ms = 2500;
  const std::string conf = render_redis_conf(c, 12345, "/tmp/x y", "s3cret");
  for (const char* line :
       {"bind 127.0.0.1\n", "port 12345\n", "dir \"/tmp/x y\"\n", "save \"\"\n", "appendonly no\n",
        "repl-diskless-sync-delay 0\n", "cluster-enabled yes\n", "cluster-node-timeout 2500\n", "maxmemory 20971520\n",
        "maxmemory-policy allkeys-lfu\n", "maxmemory-samples 7\n", "lfu-log-factor 12\n", "lfu-decay-time 2\n",
        "hz 50\n", "requirepass \"s3cret\"\n", "masterauth \"s3cret\"\n"})
    EXPECT_NE(conf.find(line), std::string::npos) << "missing: " << line;
  // Issue 21: no DEBUG command on lab servers (Redis' default is "no"; the config must not turn it on).
  EXPECT_EQ(conf.find("enable-debug-command"), std::string::npos) << conf;
  c.cluster = false;
  c.masters = 1;
  c.replicas_per_master = 0;
  EXPECT_NE(render_redis_conf(c, 1, "/d", "p").find("cluster-enabled no\n"), std::string::npos);
  EXPECT_NO_THROW(validate_lab_config(c));
  c.cluster = true;
  c.masters = 2;
  EXPECT_THROW(validate_lab_config(c), std::invalid_argument);
  c.masters = 3;
  c.store.policy = "lru";
  EXPECT_THROW(validate_lab_config(c), std::invalid_argument);
}

// Configuration once (issue 14 part 4): the lab --spawn starts takes the scenario's typed structs as they are, the
// same ones the simulated nodes and control plane take, so a knob reaches redis.conf without a copy in live mode.
TEST(LabConfig, SpawnedLabTakesTheScenarioStructs) {
  const std::string text = R"({"cachelab": 1, "name": "cfg", "duration_s": 10,
    "cluster": {"masters": 3, "replicas_per_master": 1, "maxmemory": "8mb", "maxmemory_policy": "allkeys-lru",
                "hz": 4, "active_expire_effort": 7, "node_timeout_ms": 2500, "replica_validity_factor": 0,
                "migration_barrier": 2, "require_full_coverage": false, "allow_replica_migration": false,
                "replica_no_failover": true},
    "workload": {"keys": 1000, "arrival": {"rate_per_s": 100}}})";
  const Scenario s = load_scenario_text(text, "cfg.json");
  const LabConfig c = spawn_lab_config(s);
  EXPECT_EQ(c.store, s.cluster.store);
  EXPECT_EQ(c.control, s.cluster.control);
  EXPECT_EQ(c.node_count(), 6);
  const std::string conf = render_redis_conf(c, 1, "/d", "p");
  for (const char* line :
       {"maxmemory 8388608\n", "maxmemory-policy allkeys-lru\n", "hz 4\n", "active-expire-effort 7\n",
        "cluster-node-timeout 2500\n", "cluster-replica-validity-factor 0\n", "cluster-migration-barrier 2\n",
        "cluster-require-full-coverage no\n", "cluster-allow-replica-migration no\n",
        "cluster-replica-no-failover yes\n"})
    EXPECT_NE(conf.find(line), std::string::npos) << "missing: " << line << conf;
  // A standalone scenario is one server without the cluster's settings.
  const LabConfig one = spawn_lab_config(load_scenario_text(
      text, "cfg.json", {"/cluster/mode=\"standalone\"", "/cluster/masters=1", "/cluster/replicas_per_master=0"}));
  EXPECT_EQ(one.node_count(), 1);
  EXPECT_EQ(render_redis_conf(one, 1, "/d", "p").find("cluster-node-timeout"), std::string::npos);
}

TEST(Faults, PartitionsAreRefusedUpFront) {
  try {
    FaultInjector::check_supported("partition");
    FAIL() << "partition accepted";
  } catch (const FaultRefused& e) {
    EXPECT_NE(std::string(e.what()).find("partitions need network namespaces; not available in live mode"),
              std::string::npos);
  }
  EXPECT_THROW(FaultInjector::check_supported("heal"), FaultRefused);
  EXPECT_THROW(FaultInjector::check_supported("melt"), FaultRefused);
  for (const char* ok : {"kill", "restart", "pause", "resume", "failover"})
    EXPECT_NO_THROW(FaultInjector::check_supported(ok));
}

}  // namespace
}  // namespace cachelab::live
