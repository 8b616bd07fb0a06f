#pragma once
// The network as the data plane sees it: a client command's two legs, and one message from node to node (the
// replication stream, its ACKs). Each user holds its own Network (its own random stream).
//  - Without a graph (no network.topology, or layout flat): one round-trip-time distribution (network.rtt_us) for
//    every client-node pair, sampled per command and split evenly between the two directions; a node-to-node message
//    takes half a sample.
//  - With layout zones (net/placement.hpp): each leg is the sum of one sample per link of the topology's path
//    client host -> node host (and back, separately). The paths' link distributions are precomputed per (client rack,
//    node), so a command walks a short array: no Dijkstra, no allocation. Node-to-node messages sample the graph.
// Bandwidth (docs/redis-reference.md §12): a command's value bytes take bytes x ns_per_byte() on each leg, the sum of
// 8 / Gbit/s over the links of its path (flat: one link at network.nic_gbps; zones: two host links at the NICs' speed,
// and the rack and zone links between), links without queues; the node's own NIC is a queue (run/sim_backend.cpp
// sends one reply at a time through it at nic_ns_per_byte()). A value over 64 KB goes in slices that overlap the
// node's work and each other on the links (net/transfer.hpp): then the slowest link, max_ns_per_byte(), sets the
// pace. Without a map: no transfer time.
// Partitions: client_cut() says whether a cut blocks a client instance and a node (net/topology.hpp cuts; only when
// client instances are hosts, i.e. a zones layout or a partition that names clients).
#include <cstdint>
#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "cachelab/core/dist.hpp"
#include "cachelab/core/time.hpp"
#include "cachelab/net/placement.hpp"
#include "cachelab/net/topology.hpp"

namespace cachelab {

class Network {
 public:
  Network(const nlohmann::json& rtt_us, Rng rng) : rtt_us_(make_dist(rtt_us)), rng_(rng) {}
  // With the run's network: a zones layout routes everything over its topology; otherwise as above, and client_cut()
  // applies the map's cuts when clients are hosts.
  Network(const nlohmann::json& rtt_us, Rng rng, std::shared_ptr<const NetworkMap> map);
  ~Network();

  Time sample_rtt() {
    const double us = rtt_us_->sample(rng_);
    return Time::saturated_ns(us * 1000.0 + 0.5);
  }
  double mean_rtt_us() const { return rtt_us_->mean(); }

  // Transfer time per byte of one leg between a client instance and a node, in ns (0: bandwidth not modelled).
  double ns_per_byte(uint16_t client, uint32_t node) {
    if (!graph_) return nic_ns_per_byte_;
    return graph_path_ns_per_byte(client, node);
  }
  // The slowest link of that path, in ns per byte (flat: the NIC): what bounds a value sent in slices
  // (net/transfer.hpp).
  double max_ns_per_byte(uint16_t client, uint32_t node) {
    if (!graph_) return nic_ns_per_byte_;
    return graph_path_max_ns_per_byte(client, node);
  }
  // No zones topology: every client-node path is one link, the NIC's.
  bool flat() const { return graph_ == nullptr; }
  // A node's NIC: the time per byte it spends sending (its replies queue for it), in ns.
  double nic_ns_per_byte() const { return nic_ns_per_byte_; }

  // A client command's legs: there = client -> node, back = node -> client.
  struct Trip {
    Time there, back;
  };
  Trip sample_trip(uint16_t client, uint32_t node) {
    if (!graph_) {
      const Time rtt = sample_rtt();
      const Time there = Time::ns(rtt.nanos() / 2);
      return {there, rtt - there};
    }
    return graph_trip(client, node);
  }
  // One message from node to node (the replication stream master -> replica, an ACK back).
  Time one_way(int from_node, int to_node) {
    if (!graph_) return Time::ns(sample_rtt().nanos() / 2);
    return graph_->sample_delay(from_node, to_node, rng_);
  }
  // True when the client instance and the node cannot talk now: a cut blocks either direction (a TCP exchange needs
  // both), or (zones) the graph has no path.
  bool client_cut(uint16_t client, uint32_t node) const {
    if (!client_hosts_) return false;
    return client_cut_slow(client, node);
  }

  // Zones: the sampled round trips (command legs there + back) per (client zone, node zone) since the last reset,
  // for summary.json `network`; null without zones.
  nlohmann::json zone_rtt_json() const;
  void reset_stats();

 private:
  struct PathRef {
    uint32_t begin = 0;  // into dists_: `there` links, then `back` links
    uint16_t there = 0, back = 0;
    bool connected = false;
    double ns_per_byte = 0;      // the path's links, 8 / Gbit/s each
    double max_ns_per_byte = 0;  // its slowest link
  };
  Trip graph_trip(uint16_t client, uint32_t node);
  double graph_path_ns_per_byte(uint16_t client, uint32_t node);
  double graph_path_max_ns_per_byte(uint16_t client, uint32_t node);
  bool client_cut_slow(uint16_t client, uint32_t node) const;
  void build_paths() const;

  std::unique_ptr<RealDist> rtt_us_;
  Rng rng_;
  std::shared_ptr<const NetworkMap> map_;
  double nic_ns_per_byte_ = 0;
  const Topology* graph_ = nullptr;         // zones: the topology every message samples
  const Topology* client_hosts_ = nullptr;  // the topology whose cuts apply to clients (clients are hosts)
  // Zones: the precomputed paths, per (client class, node); a class is the clients of one rack. Rebuilt when the
  // topology's links change (its version()); built on first use.
  std::vector<uint32_t> client_class_;
  int classes_ = 0;
  mutable std::vector<PathRef> paths_;
  mutable std::vector<const RealDist*> dists_;
  mutable uint64_t built_version_ = ~uint64_t{0};
  int zones_ = 0;
  struct ZoneStat {
    uint64_t n = 0;
    double sum_us = 0;
  };
  std::vector<ZoneStat> stats_;  // [client zone * zones + node zone]
};

}  // namespace cachelab
