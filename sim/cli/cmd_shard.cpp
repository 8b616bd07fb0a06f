// cachelab shard --nodes N [--keys K] [--alpha A] [--points P] [--prefix S] [--json]: without running a simulation,
// what adding an (N+1)th node does under each sharding scheme: the fraction of keys (and of operations, Zipf alpha
// over key numbers 0, 1, ... by rank) that change node, and the balance of keys and ops per node before and after.
// redis-cluster: redis-cli's initial split for N, then rebalance --cluster-use-empty-masters (cluster/rebalance.hpp);
// ketama and modulo: client/sharding.hpp. Expected (analytic): ketama and redis-cluster ~ 1/(N+1), modulo N/(N+1).
#include <cmath>
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cachelab/analytic/sharding.hpp"
#include "cachelab/cluster/rebalance.hpp"
#include "cachelab/cluster/slots.hpp"
#include "cachelab/workload/generator.hpp"
#include "commands.hpp"

namespace cachelab::cli {

namespace {

struct Options {
  int nodes = 3;
  uint64_t keys = 100000;
  double alpha = 0.99;
  int points = 160;
  std::string prefix = "key:";
  bool json = false;
};

ShardLayout layout_for(Sharding scheme, int n, int points) {
  ShardLayout l;
  l.scheme = scheme;
  for (int i = 0; i < n; ++i) l.members.push_back(i);
  if (scheme == Sharding::RedisCluster) {
    l.slot_owner.assign(kClusterSlots, 0);
    const auto ranges = redis_cli_slot_ranges(n);
    for (size_t m = 0; m < ranges.size(); ++m)
      for (int s = ranges[m].first; s <= ranges[m].second; ++s)
        l.slot_owner[static_cast<size_t>(s)] = static_cast<uint16_t>(m);
  } else {
    l.ring = ClientSharding(scheme, points);
    std::vector<std::string> names;
    for (int i = 0; i < n; ++i) names.push_back("master-" + std::to_string(i + 1));
    l.ring.set_members(names, l.members);
  }
  return l;
}

ShardLayout grown(const ShardLayout& before, int points) {
  const int n = static_cast<int>(before.members.size());
  if (before.scheme != Sharding::RedisCluster) return layout_for(before.scheme, n + 1, points);
  ShardLayout after = before;
  after.members.push_back(n);
  RebalanceInput in;
  in.masters = after.members;
  in.weights.assign(after.members.size(), 1.0f);
  in.use_empty_masters = true;
  apply_moves(after.slot_owner, plan_rebalance(after.slot_owner, in));
  return after;
}

nlohmann::json balance_json(const Balance& b) { return {{"max_over_mean", b.max_over_mean}, {"cv", b.cv}}; }

}  // namespace

static void add_shard(CLI::App& app, Context& ctx) {
  int* code_ptr = &ctx.code;
  auto* cmd = app.add_subcommand("shard",
                                 "compare redis-cluster, ketama and modulo sharding when a node is added "
                                 "(moved fraction, balance), without simulating");
  auto o = std::make_shared<Options>();
  cmd->add_option("--nodes", o->nodes, "nodes before the addition (N -> N+1)")->check(CLI::Range(1, 999));
  cmd->add_option("--keys", o->keys, "keys, named PREFIX + number")
      ->check(CLI::Range(uint64_t{1}, uint64_t{100000000}));
  cmd->add_option("--alpha", o->alpha, "Zipf exponent of the ops weights (key number k has rank k+1); 0 = uniform")
      ->check(CLI::Range(0.0, 10.0) & finite_number(0, false));
  cmd->add_option("--points", o->points, "ketama points per server (multiple of 4)")->check(CLI::Range(4, 4000));
  cmd->add_option("--prefix", o->prefix, "key name prefix");
  cmd->add_flag("--json", o->json, "print JSON");
  cmd->callback([code_ptr, o] {
    if (o->points % 4 != 0) {
      std::cerr << "cachelab shard: --points: expected a multiple of 4 (4 points per MD5 digest), found " << o->points
                << "\n";
      *code_ptr = kExitBadInput;
      return;
    }
    const KeyNamer namer(o->prefix);
    KeySample sample;
    char buf[96];
    for (uint64_t k = 0; k < o->keys; ++k) {
      const std::string_view name(buf, namer.format(k, buf));
      sample.slots.push_back(static_cast<uint16_t>(key_hash_slot(name)));
      sample.hashes.push_back(ketama_hash(name));
      sample.weights.push_back(std::pow(static_cast<double>(k + 1), -o->alpha));
    }
    nlohmann::json out = {
        {"nodes_before", o->nodes}, {"nodes_after", o->nodes + 1},           {"keys", o->keys},
        {"alpha", o->alpha},        {"ketama_points_per_server", o->points}, {"schemes", nlohmann::json::array()}};
    if (!o->json)
      std::printf("%d -> %d nodes, %llu keys, ops Zipf %.3g\n%-14s %9s %9s %9s  %-22s %-22s\n", o->nodes, o->nodes + 1,
                  static_cast<unsigned long long>(o->keys), o->alpha, "scheme", "moved", "ops_moved", "expected",
                  "keys max/mean cv (N+1)", "ops max/mean cv (N+1)");
    for (Sharding scheme : {Sharding::RedisCluster, Sharding::Ketama, Sharding::Modulo}) {
      const ShardLayout before = layout_for(scheme, o->nodes, o->points);
      const ShardLayout after = grown(before, o->points);
      const LayoutChange c = compare_layouts(before, after, sample);
      const double n = o->nodes;
      const double expected = scheme == Sharding::Modulo ? n / (n + 1) : 1 / (n + 1);
      out["schemes"].push_back({{"scheme", sharding_name(scheme)},
                                {"moved_keys_fraction", c.moved_keys_fraction},
                                {"moved_ops_fraction", c.moved_ops_fraction},
                                {"expected_moved_fraction", expected},
                                {"keys_before", balance_json(c.keys_before)},
                                {"keys_after", balance_json(c.keys_after)},
                                {"ops_before", balance_json(c.ops_before)},
                                {"ops_after", balance_json(c.ops_after)}});
      if (!o->json)
        std::printf("%-14s %9.4f %9.4f %9.4f  %10.4f %10.4f  %10.4f %10.4f\n", sharding_name(scheme),
                    c.moved_keys_fraction, c.moved_ops_fraction, expected, c.keys_after.max_over_mean, c.keys_after.cv,
                    c.ops_after.max_over_mean, c.ops_after.cv);
    }
    if (o->json) std::cout << out.dump(2) << "\n";
    *code_ptr = kExitOk;
  });
}

static const Command shard_command("shard", add_shard);

}  // namespace cachelab::cli
