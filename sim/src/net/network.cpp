// Network over a zones topology: per (client rack, node) the links' distributions of both legs, precomputed.
#include "cachelab/net/network.hpp"

#include <algorithm>
#include <map>
#include <utility>

namespace cachelab {

using nlohmann::json;

Network::Network(const json& rtt_us, Rng rng, std::shared_ptr<const NetworkMap> map)
    : rtt_us_(make_dist(rtt_us)), rng_(rng), map_(std::move(map)) {
  if (map_) nic_ns_per_byte_ = map_->nic_ns_per_byte;
  if (!map_ || !map_->topology) return;
  if (map_->first_client_host >= 0) client_hosts_ = map_->topology.get();
  if (!map_->zoned()) return;
  graph_ = map_->topology.get();
  const Placement& p = map_->placement;
  zones_ = static_cast<int>(p.zones.size());
  stats_.assign(static_cast<size_t>(zones_) * zones_, ZoneStat{});
  // Clients in one rack share every path but their own host link, and all host links carry host_link_us (no fault
  // changes a client's link): one class per rack, its first client standing for it.
  std::map<std::pair<int, int>, uint32_t> class_of_rack;
  for (size_t c = 0; c < p.client_zone.size(); ++c) {
    const auto key = std::make_pair(p.client_zone[c], p.client_rack[c]);
    const auto it = class_of_rack.emplace(key, static_cast<uint32_t>(class_of_rack.size())).first;
    client_class_.push_back(it->second);
  }
  classes_ = static_cast<int>(class_of_rack.size());
}

Network::~Network() = default;

void Network::build_paths() const {
  const Topology& t = *graph_;
  const int nodes = map_->nodes;
  std::vector<int> rep(static_cast<size_t>(classes_), -1);
  for (size_t c = 0; c < client_class_.size(); ++c)
    if (rep[client_class_[c]] < 0) rep[client_class_[c]] = map_->first_client_host + static_cast<int>(c);
  paths_.assign(static_cast<size_t>(classes_) * nodes, PathRef{});
  dists_.clear();
  for (int k = 0; k < classes_; ++k)
    for (int n = 0; n < nodes; ++n) {
      const auto there = t.path_dists(rep[static_cast<size_t>(k)], n);
      const auto back = t.path_dists(n, rep[static_cast<size_t>(k)]);
      PathRef& r = paths_[static_cast<size_t>(k) * nodes + n];
      r.begin = static_cast<uint32_t>(dists_.size());
      r.there = static_cast<uint16_t>(there.size());
      r.back = static_cast<uint16_t>(back.size());
      r.connected = !there.empty() && !back.empty();
      // Each hop of the path at its level's speed: a hop with a host at one end is a host link (the NIC's), one
      // with the core at one end a zone link, else a rack link (Topology::racked's vertices: hosts, core, ...).
      const std::vector<int> hops = t.path(rep[static_cast<size_t>(k)], n);
      for (size_t i = 1; i < hops.size(); ++i) {
        const int a = hops[i - 1], b = hops[i];
        const double link = a < t.hosts() || b < t.hosts()     ? map_->nic_ns_per_byte
                            : a == t.hosts() || b == t.hosts() ? map_->zone_ns_per_byte
                                                               : map_->rack_ns_per_byte;
        r.ns_per_byte += link;
        r.max_ns_per_byte = std::max(r.max_ns_per_byte, link);
      }
      dists_.insert(dists_.end(), there.begin(), there.end());
      dists_.insert(dists_.end(), back.begin(), back.end());
    }
  built_version_ = t.version();
}

Network::Trip Network::graph_trip(uint16_t client, uint32_t node) {
  if (built_version_ != graph_->version()) build_paths();
  const PathRef& r = paths_[static_cast<size_t>(client_class_[client]) * map_->nodes + node];
  const RealDist* const* d = dists_.data() + r.begin;
  double there = 0, back = 0;
  for (uint16_t i = 0; i < r.there; ++i) there += d[i]->sample(rng_);
  for (uint16_t i = 0; i < r.back; ++i) back += d[r.there + i]->sample(rng_);
  ZoneStat& st =
      stats_[static_cast<size_t>(map_->placement.client_zone[client]) * zones_ + map_->placement.node_zone[node]];
  ++st.n;
  st.sum_us += there + back;
  return {Time::saturated_ns(there * 1000.0 + 0.5), Time::saturated_ns(back * 1000.0 + 0.5)};
}

double Network::graph_path_ns_per_byte(uint16_t client, uint32_t node) {
  if (built_version_ != graph_->version()) build_paths();
  return paths_[static_cast<size_t>(client_class_[client]) * map_->nodes + node].ns_per_byte;
}

double Network::graph_path_max_ns_per_byte(uint16_t client, uint32_t node) {
  if (built_version_ != graph_->version()) build_paths();
  return paths_[static_cast<size_t>(client_class_[client]) * map_->nodes + node].max_ns_per_byte;
}

bool Network::client_cut_slow(uint16_t client, uint32_t node) const {
  const Topology& t = *client_hosts_;
  if (graph_) {
    if (built_version_ != graph_->version()) build_paths();
    if (!paths_[static_cast<size_t>(client_class_[client]) * map_->nodes + node].connected) return true;
  }
  if (!t.partitioned()) return false;
  const int h = map_->first_client_host + client, n = static_cast<int>(node);
  return t.cut_blocks(h, n, kChannelClient) || t.cut_blocks(n, h, kChannelClient);
}

json Network::zone_rtt_json() const {
  if (!graph_) return json();
  const auto& zones = map_->placement.zones;
  json pairs = json::array();
  ZoneStat same, cross;
  for (int a = 0; a < zones_; ++a)
    for (int b = 0; b < zones_; ++b) {
      const ZoneStat& st = stats_[static_cast<size_t>(a) * zones_ + b];
      if (st.n == 0) continue;
      pairs.push_back({{"client_zone", zones[static_cast<size_t>(a)]},
                       {"node_zone", zones[static_cast<size_t>(b)]},
                       {"round_trips", st.n},
                       {"mean_us", st.sum_us / static_cast<double>(st.n)}});
      ZoneStat& agg = a == b ? same : cross;
      agg.n += st.n;
      agg.sum_us += st.sum_us;
    }
  auto mean = [](const ZoneStat& st) { return st.n ? json(st.sum_us / static_cast<double>(st.n)) : json(); };
  return {{"layout", "zones"},
          {"zones", zones},
          {"same_zone_rtt_us_mean", mean(same)},
          {"cross_zone_rtt_us_mean", mean(cross)},
          {"rtt_us_by_zone", pairs}};
}

void Network::reset_stats() {
  for (auto& st : stats_) st = ZoneStat{};
}

}  // namespace cachelab
