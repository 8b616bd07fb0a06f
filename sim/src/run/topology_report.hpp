#pragma once
// Internal to the runner: summary.json's figures about where load goes and what topology changes cost
// (results/README.md: hot_slots, hot_keys, node_ops_share, load_balance, topology_changes, the impact fields of
// resharding).
#include <vector>

#include <nlohmann/json.hpp>

#include "cachelab/cluster/migration.hpp"
#include "cachelab/cluster/node.hpp"
#include "cachelab/run/runner.hpp"
#include "cluster_glue.hpp"

namespace cachelab {

// What clients saw while [t0, t1] (t1 < 0: until the end; t1 = t0, an instantaneous change such as a ketama ring
// update: the interval after t0), from series.csv's rows (interval resolution):
// redirects (MOVED + ASK) per second, and the worst interval's p99 latency against the interval before t0.
nlohmann::json window_impact(const SeriesTable& series, double t0, double t1);

// Per-node share of the commands served during the measured period (`ops_at_warmup`: each node's ops then).
nlohmann::json node_ops_share(const std::vector<Node>& nodes, const std::vector<uint64_t>& ops_at_warmup);

// max/mean and coefficient of variation of keys and of measured ops over the member masters at the end.
nlohmann::json load_balance(const std::vector<Node>& nodes, const std::vector<int>& members,
                            const std::vector<uint64_t>& ops_at_warmup);

// topology_changes: each add_node / remove_node with its moves, moved fraction, balance and client impact.
nlohmann::json topology_changes_json(const ClusterGlue& glue, const Migrator& migrator, const std::vector<Node>& nodes,
                                     const SeriesTable& series);

}  // namespace cachelab
