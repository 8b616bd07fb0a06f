// Pipelining as batching (clients.batch, client/batch.cpp; issue 16 part 8). The client side: N commands for one
// node go to the back-end in one send_batch (one write), a partial batch goes when the first command has waited
// max_wait_us, batches are per node, and each command of a batch keeps its own reply (a MOVED, an error and a value
// in one batch are handled each on its own). The node side (run/sim_backend.cpp): a batch is one trip and the node
// runs it back to back, the first command at its full service time and the others at kPipelinedCommandShare of
// theirs, so a closed loop's throughput follows from that arithmetic, not from a run's output.
#include <gtest/gtest.h>

#include "cachelab/cache/value_cost.hpp"
#include "cachelab/client/client_logic.hpp"
#include "cachelab/cluster/node.hpp"
#include "cachelab/core/simulation.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"
#include "client_fakes.hpp"
#include "test_util.hpp"

using namespace cachelab;

namespace {

using cachelab::testing::RecordingOrigin;
using cachelab::testing::SimClock;

// Records each send_batch (a write) apart from single sends.
struct BatchRecordingCache final : CacheBackend {
  std::vector<std::vector<BatchedCommand>> batches;
  std::vector<std::pair<CacheCommand, uint32_t>> singles;
  std::vector<Time> batch_at;
  const Clock* clock = nullptr;
  void send(const CacheCommand& c, uint32_t tag) override { singles.emplace_back(c, tag); }
  void send_batch(const BatchedCommand* cmds, size_t n) override {
    batches.emplace_back(cmds, cmds + n);
    batch_at.push_back(clock->now());
  }
  void fetch_slots(uint32_t, uint16_t) override {}
};

Request read_of(uint16_t client, uint64_t key, uint64_t seq) {
  Request r;
  r.seq = seq;
  r.key = key;
  r.client = client;
  r.op = Op::Read;
  return r;
}

// Cluster mode: keys route by their slot's owner in the map (node 0 unless a test says).
struct Rig {
  explicit Rig(const ClientOptions& o, std::vector<uint16_t> owners = std::vector<uint16_t>(16384, 0))
      : clock(sim),
        client(cache, origin, rec, clock, SlotRouter(namer, owners, false, 100, o.instances), o, &sim, Rng(1)) {
    cache.clock = &clock;
  }
  Simulation sim{1};
  SimClock clock;
  BatchRecordingCache cache;
  RecordingOrigin origin;
  Recorder rec{Time::ns(0)};
  KeyNamer namer{"k:"};
  ClientLogic client;
};

ClientOptions batching(uint32_t size, double max_wait_us, int instances = 1) {
  ClientOptions o;
  o.instances = instances;
  o.batch_size = size;
  o.batch_max_wait_us = max_wait_us;
  return o;
}

}  // namespace

// Four reads of batch size 4: nothing goes out until the fourth, then all four in one write, in order.
TEST(ClientBatch, FullBatchGoesInOneWrite) {
  Rig r(batching(4, 1000));
  for (uint64_t k = 0; k < 3; ++k) r.client.start(read_of(0, k, k));
  EXPECT_TRUE(r.cache.batches.empty());
  r.client.start(read_of(0, 3, 3));
  ASSERT_EQ(r.cache.batches.size(), 1u);
  ASSERT_EQ(r.cache.batches[0].size(), 4u);
  for (uint64_t k = 0; k < 4; ++k) EXPECT_EQ(r.cache.batches[0][k].cmd.key, k);
  EXPECT_TRUE(r.cache.singles.empty());
  // The timer armed by the first command finds its batch written: nothing more goes out.
  r.sim.run_until(Time::ms(5));
  EXPECT_EQ(r.cache.batches.size(), 1u);
  EXPECT_EQ(r.client.stats().batches, 1u);
  EXPECT_EQ(r.client.stats().batch_timer_flushes, 0u);
}

// A partial batch is written when its first command has waited max_wait_us, with what has joined it by then; a
// command after that starts the next batch and its own wait.
TEST(ClientBatch, MaxWaitFlushesAPartialBatch) {
  Rig r(batching(16, 200));
  r.client.start(read_of(0, 1, 0));
  r.sim.at(Time::us(50), [&] { r.client.start(read_of(0, 2, 1)); });
  r.sim.at(Time::us(250), [&] { r.client.start(read_of(0, 3, 2)); });
  r.sim.run_until(Time::us(199));
  EXPECT_TRUE(r.cache.batches.empty());
  r.sim.run_until(Time::us(200));
  ASSERT_EQ(r.cache.batches.size(), 1u);
  EXPECT_EQ(r.cache.batches[0].size(), 2u);
  EXPECT_EQ(r.cache.batch_at[0], Time::us(200));
  r.sim.run_until(Time::us(449));
  EXPECT_EQ(r.cache.batches.size(), 1u);
  r.sim.run_until(Time::us(450));
  ASSERT_EQ(r.cache.batches.size(), 2u);
  EXPECT_EQ(r.cache.batches[1].size(), 1u);
  EXPECT_EQ(r.client.stats().batch_timer_flushes, 2u);
  EXPECT_EQ(r.client.stats().batched_commands, 3u);
}

// Batches are per (instance, node): two instances, or two nodes, never share one.
TEST(ClientBatch, OneBatchPerInstanceAndNode) {
  std::vector<uint16_t> owners(16384, 0);
  KeyNamer namer{"k:"};
  const uint16_t slot_of_7 = namer.slot(7);
  owners[slot_of_7] = 1;
  Rig r(batching(2, 100, 2), owners);
  r.client.start(read_of(0, 1, 0));
  r.client.start(read_of(1, 2, 1));  // another instance
  r.client.start(read_of(0, 7, 2));  // another node
  EXPECT_TRUE(r.cache.batches.empty());
  r.client.start(read_of(0, 3, 3));  // instance 0's batch for node 0 is full
  ASSERT_EQ(r.cache.batches.size(), 1u);
  EXPECT_EQ(r.cache.batches[0][0].cmd.key, 1u);
  EXPECT_EQ(r.cache.batches[0][1].cmd.key, 3u);
  r.sim.run_until(Time::us(100));
  ASSERT_EQ(r.cache.batches.size(), 3u);
  for (size_t b = 1; b < 3; ++b) EXPECT_EQ(r.cache.batches[b].size(), 1u);
}

// One batch, three outcomes: a value completes its read, an error reply sends its read to the origin (a miss), and
// a MOVED resends that command alone to the node it names, in a new batch there. The others are not touched.
TEST(ClientBatch, RepliesInABatchAreHandledPerCommand) {
  Rig r(batching(3, 100));
  int completed = 0;
  struct Count {
    static void on(void* self, const Request&, Time) { ++*static_cast<int*>(self); }
  };
  r.client.set_completion_observer(&Count::on, &completed);
  for (uint64_t k = 0; k < 3; ++k) r.client.start(read_of(0, k, k));
  ASSERT_EQ(r.cache.batches.size(), 1u);
  const auto batch = r.cache.batches[0];
  r.client.on_cache_reply(batch[0].tag, CacheReply(ReplyKind::Value, 10));
  EXPECT_EQ(completed, 1);
  r.client.on_cache_reply(batch[1].tag, CacheReply(ReplyKind::Error));
  ASSERT_EQ(r.origin.queries.size(), 1u);  // the failed GET falls back to the origin
  EXPECT_EQ(r.origin.queries[0].second, batch[1].tag);
  r.client.on_cache_reply(batch[2].tag, CacheReply(ReplyKind::Moved, 0, 1));
  EXPECT_EQ(r.cache.batches.size(), 1u);  // the resent GET waits for a batch at node 1
  r.sim.run_until(Time::us(100));
  ASSERT_EQ(r.cache.batches.size(), 2u);
  ASSERT_EQ(r.cache.batches[1].size(), 1u);
  EXPECT_EQ(r.cache.batches[1][0].tag, batch[2].tag);
  EXPECT_EQ(r.cache.batches[1][0].cmd.node, 1u);
  EXPECT_EQ(r.cache.batches[1][0].cmd.key, 2u);
  r.client.on_cache_reply(batch[2].tag, CacheReply(ReplyKind::Value, 10));
  EXPECT_EQ(completed, 2);
  EXPECT_TRUE(r.cache.singles.empty());
}

// Size 1 (the default) is no batching: every command goes out alone through send, at once.
TEST(ClientBatch, SizeOneSendsEachCommandAlone) {
  Rig r(batching(1, 100));
  r.client.start(read_of(0, 1, 0));
  r.client.start(read_of(0, 2, 1));
  EXPECT_EQ(r.cache.singles.size(), 2u);
  EXPECT_TRUE(r.cache.batches.empty());
  EXPECT_FALSE(r.client.options().needs_timers());
}

namespace {

// One key read over and over by closed-loop sessions (think time 0) on one master with a fixed service time and a
// fixed round trip: every command after the warm-up is a GET hit.
RunOutput closed_loop(int instances, int sessions, int batch, double rtt_us, double service_us, int pool = 0) {
  const std::string text =
      R"({"cachelab": 1, "name": "batch", "seed": 3, "duration_s": 4, "warmup_s": 1, "metrics_interval_ms": 1000,
    "cluster": {"masters": 1, "service_us": {"dist": "fixed", "value": )" +
      std::to_string(service_us) + R"(}},
    "network": {"rtt_us": {"dist": "fixed", "value": )" +
      std::to_string(rtt_us) + R"(}},
    "workload": {"keys": 1, "popularity": {"dist": "uniform"}, "read_fraction": 1.0,
                 "arrival": {"dist": "closed", "sessions_per_instance": )" +
      std::to_string(sessions) + R"(}},
    "clients": {"instances": )" +
      std::to_string(instances) + R"(, "timeout_ms": 1000000, "pool_size": )" + std::to_string(pool) +
      R"(, "batch": {"size": )" + std::to_string(batch) +
      R"(, "max_wait_us": 1000}},
    "origin": {"servers": 4, "service_ms": {"dist": "fixed", "value": 1}}})";
  return simulate(load_scenario_text(text, "batch.json"));
}

double throughput(const RunOutput& out) { return out.summary.at("throughput_per_s").get<double>(); }

}  // namespace

// Each GET hit replies the default 512-byte value: the node copies it (cluster.get_ns_per_reply_byte, default
// kFitGetNsPerReplyByte) and the reply crosses a 10 Gbit/s NIC (network.nic_gbps), per command, batched or not
// (docs/redis-reference.md §12), in seconds.
constexpr double kBatchValueBytes = 512;
constexpr double kBatchCopyS = kBatchValueBytes * kFitGetNsPerReplyByte * 1e-9;
constexpr double kBatchWireS = kBatchValueBytes * 8 / 10e9;

// Latency bound (one instance, as many sessions as the batch size): a batch of N costs one round trip plus
// S + (N - 1) x share x S at the node, and each reply's copy and transfer, so
// N / (rtt + S (1 + (N - 1) share) + N (copy + wire)) commands per second.
TEST(ClientBatch, OneBatchPerRoundTrip) {
  const double rtt = 100e-6, service = 10e-6;
  for (int n : {1, 16}) {
    const double cycle = rtt + service * (1 + (n - 1) * kPipelinedCommandShare) + n * (kBatchCopyS + kBatchWireS);
    const RunOutput out = closed_loop(1, n, n, rtt * 1e6, service * 1e6);
    EXPECT_NEAR(throughput(out) / (n / cycle), 1.0, 0.01) << "batch " << n;
    EXPECT_NEAR(out.summary.at("latency_us").at("mean").get<double>() / (cycle * 1e6), 1.0, 0.01) << "batch " << n;
  }
}

// A CPU-bound node (8 instances x 16 sessions, rtt small beside the node's queue): batch 1 on a connection per
// session (pool_size 16: no two commands of a connection wait together, docs/redis-reference.md §9.1) completes
// 1 / S commands per second; batch 16 pays the read and write once per 16 commands, so 16 / (S (1 + 15 share)) per second, 9.1x
// more, and by Little's law the mean latency of the 128 sessions falls by as much. (S includes each reply's copy;
// the NIC, 6.6 us per batch of 16 replies, is not the bottleneck.)
TEST(ClientBatch, CpuBoundNodeThroughputRisesWithBatchSize) {
  const double rtt = 20e-6, service_knob = 10e-6, service = service_knob + kBatchCopyS;
  const RunOutput one = closed_loop(8, 16, 1, rtt * 1e6, service_knob * 1e6, 16);
  const RunOutput sixteen = closed_loop(8, 16, 16, rtt * 1e6, service_knob * 1e6);
  EXPECT_NEAR(throughput(one) * service, 1.0, 0.02);
  const double capacity16 = 16 / (service_knob * (1 + 15 * kPipelinedCommandShare) + 16 * kBatchCopyS);
  EXPECT_NEAR(throughput(sixteen) / capacity16, 1.0, 0.02);
  for (const RunOutput* out : {&one, &sixteen}) {
    const double little = 128 / throughput(*out) * 1e6;
    EXPECT_NEAR(out->summary.at("latency_us").at("mean").get<double>() / little, 1.0, 0.03);
  }
  EXPECT_GT(sixteen.summary.at("clients").at("batch").at("mean_size").get<double>(), 15.9);
  EXPECT_FALSE(one.summary.at("clients").contains("batch"));
}

// Bad batch settings are refused with the file, the pointer, what was expected and what was found (exit 2).
TEST(ClientBatch, BadSettingsAreRefusedWithPointers) {
  const auto dir = test::temp_dir("client_batch_validation");
  const std::string tiny = test::write_file(dir / "tiny.json", R"({"cachelab": 1, "name": "tiny", "duration_s": 1,
    "cluster": {"masters": 3}, "workload": {"keys": 100, "arrival": {"rate_per_s": 200}}})");
  struct Case {
    std::string set, expected, found;
  };
  for (const Case& c :
       std::vector<Case>{{"/clients/batch/size=0", "/clients/batch/size: expected", "0"},
                         {"/clients/batch/max_wait_us=-1", "/clients/batch/max_wait_us: expected", "-1"},
                         {"/clients/batch/size=\"16\"", "/clients/batch/size: expected", "\"16\""}}) {
    const auto r = test::run_command(test::cachelab() + " run --no-write " + tiny + " --set '" + c.set + "'");
    EXPECT_EQ(r.exit_code, 2) << c.set << ": " << r.out;
    EXPECT_NE(r.out.find("tiny.json"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(c.expected), std::string::npos) << c.set << ": " << r.out;
    EXPECT_NE(r.out.find(c.found), std::string::npos) << c.set << ": " << r.out;
  }
  const auto pooled = test::run_command(test::cachelab() + " run --no-write " + tiny +
                                        " --set /clients/batch/size=16 --set /clients/pool_size=2");
  EXPECT_EQ(pooled.exit_code, 2) << pooled.out;
  EXPECT_NE(pooled.out.find("/clients/batch/size: expected 1 with clients.pool_size > 0"), std::string::npos)
      << pooled.out;
  const auto good = test::run_command(test::cachelab() + " run --no-write " + tiny + " --set /clients/batch/size=16");
  EXPECT_EQ(good.exit_code, 0) << good.out;
}
