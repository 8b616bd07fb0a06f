// Topology: Boost.Graph for the links and Dijkstra; cuts as records (a group or side per host).
// Shortest paths are computed per source on first use and cached until a link changes, so sampling a message is a
// walk over the cached last-hop links (no allocation).
#include "cachelab/net/topology.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/visitors.hpp>
#include <boost/property_map/property_map.hpp>

namespace cachelab {

namespace {
constexpr double kDownWeight = 1e18;  // a down link: never on a shortest path
constexpr double kNoPath = 1e17;
constexpr int kNoRoute = -2;  // direct_shortest: a flat mesh's direct link is down, and hosts do not relay
}  // namespace

struct Topology::Graph {
  struct EdgeProp {
    double mean_us = 0;
    uint32_t link = 0;
  };
  using G = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property, EdgeProp>;
  using Edge = G::edge_descriptor;
  struct Link {
    int from = 0, to = 0;
    int dist = 0;
    double loss = 0;
    bool up = true;
    Edge edge;
  };
  G g;
  std::vector<Link> links;
  // Shortcut for the common case (flat meshes): host -> host direct links, and the smallest mean of any up link.
  // A direct link no longer than 2 x that minimum is a shortest path (any other path has >= 2 links): no Dijkstra.
  // Sized (to the hosts then present) by the first host -> host link; hosts added later are looked up in the graph.
  std::vector<int32_t> direct;  // [a * direct_dim + b]
  int direct_dim = 0;
  double min_mean_us = std::numeric_limits<double>::infinity();
  bool min_dirty = false;
  bool hosts_relay = true;  // false in a flat mesh: host -> host traffic takes the direct link or nothing
  // A flat mesh no link of which was changed since flat(): between hosts < uniform_hosts every link is up, with the
  // distribution uniform_dist and loss uniform_loss, so a message needs no link lookup (0: not such a mesh).
  int uniform_hosts = 0;
  int uniform_dist = 0;
  double uniform_loss = 0;
  // Per source: distance and last-hop link per vertex (-1: none). Empty = not computed.
  mutable std::vector<std::vector<double>> dist_us;
  mutable std::vector<std::vector<int32_t>> last_link;

  int find_link(int from, int to) const {
    if (from < direct_dim && to < direct_dim) return direct[static_cast<size_t>(from) * direct_dim + to];
    auto [it, end] = boost::out_edges(static_cast<size_t>(from), g);
    for (; it != end; ++it)
      if (static_cast<int>(boost::target(*it, g)) == to) return static_cast<int>(g[*it].link);
    return -1;
  }
  double min_mean() {
    if (min_dirty) {
      min_mean_us = std::numeric_limits<double>::infinity();
      for (const auto& l : links)
        if (l.up) min_mean_us = std::min(min_mean_us, g[l.edge].mean_us);
      min_dirty = false;
    }
    return min_mean_us;
  }
  void invalidate() {
    for (auto& d : dist_us) d.clear();
    for (auto& l : last_link) l.clear();
  }
};

Topology::Topology(int hosts) : g_(std::make_unique<Graph>()) {
  if (hosts < 0) throw std::invalid_argument("Topology: negative host count");
  for (int i = 0; i < hosts; ++i) {
    add_vertex("host-" + std::to_string(i));
    host_names_.push_back("host-" + std::to_string(i));
    grouped_.push_back(1);
  }
}
Topology::~Topology() = default;
Topology::Topology(Topology&&) noexcept = default;
Topology& Topology::operator=(Topology&&) noexcept = default;

Topology Topology::flat(int hosts, const nlohmann::json& latency_us, double loss) {
  Topology t(hosts);
  if (hosts < 2) return t;
  t.add_link(0, 1, latency_us, loss);  // validates, registers the distribution
  const int d = t.add_dist(latency_us);
  const double mean = t.dists_[d]->mean();
  auto& G = *t.g_;
  G.links.reserve(static_cast<size_t>(hosts) * (hosts - 1));
  for (int a = 0; a < hosts; ++a)
    for (int b = 0; b < hosts; ++b) {
      if (a == b || (a < 2 && b < 2)) continue;
      Graph::Link l;
      l.from = a;
      l.to = b;
      l.dist = d;
      l.loss = loss;
      l.edge = boost::add_edge(a, b, Graph::EdgeProp{mean, static_cast<uint32_t>(G.links.size())}, G.g).first;
      G.direct[static_cast<size_t>(a) * G.direct_dim + b] = static_cast<int32_t>(G.links.size());
      G.links.push_back(l);
    }
  G.min_dirty = true;
  G.hosts_relay = false;
  G.invalidate();
  G.uniform_hosts = hosts;
  G.uniform_dist = d;
  G.uniform_loss = loss;
  return t;
}

Topology Topology::racked(const std::vector<int>& rack_of_host, const std::vector<int>& zone_of_rack,
                          const nlohmann::json& host_link_us, const nlohmann::json& rack_link_us,
                          const nlohmann::json& zone_link_us, double loss) {
  Topology t(static_cast<int>(rack_of_host.size()));
  const int core = t.add_switch("core");
  int zones = 0;
  for (int z : zone_of_rack) zones = std::max(zones, z + 1);
  std::vector<int> zone_sw(zones), rack_sw(zone_of_rack.size());
  for (int z = 0; z < zones; ++z) {
    zone_sw[z] = t.add_switch("zone-" + std::to_string(z));
    t.add_link(zone_sw[z], core, zone_link_us, loss);
  }
  for (size_t r = 0; r < zone_of_rack.size(); ++r) {
    rack_sw[r] = t.add_switch("rack-" + std::to_string(r));
    t.add_link(rack_sw[r], zone_sw[zone_of_rack[r]], rack_link_us, loss);
  }
  for (size_t h = 0; h < rack_of_host.size(); ++h)
    t.add_link(static_cast<int>(h), rack_sw.at(rack_of_host[h]), host_link_us, loss);
  return t;
}

int Topology::vertices() const { return static_cast<int>(boost::num_vertices(g_->g)); }

int Topology::add_vertex(const std::string& name) {
  const int v = static_cast<int>(boost::add_vertex(g_->g));
  vertex_names_.push_back(name);
  g_->dist_us.emplace_back();
  g_->last_link.emplace_back();
  links_changed();
  return v;
}

void Topology::links_changed() {
  g_->invalidate();
  ++version_;
}

int Topology::add_host(const std::string& name, bool grouped) {
  // Hosts occupy the first vertices so that a host index is its vertex: refuse once switches exist.
  if (vertices() != hosts()) throw std::logic_error("Topology: add hosts before switches");
  const int v = add_vertex(name);
  host_names_.push_back(name);
  grouped_.push_back(grouped ? 1 : 0);
  for (Cut& c : cuts_) c.side.push_back(c.one_way ? 0 : grouped ? c.rest : -1);
  return v;
}

int Topology::add_switch(const std::string& name) { return add_vertex(name); }

void Topology::set_grouped(int host, bool grouped) { grouped_.at(static_cast<size_t>(host)) = grouped ? 1 : 0; }

int Topology::add_dist(const nlohmann::json& latency_us) {
  const std::string key = latency_us.dump();
  for (size_t i = 0; i < dist_keys_.size(); ++i)
    if (dist_keys_[i] == key) return static_cast<int>(i);
  dists_.push_back(make_dist(latency_us));
  dist_keys_.push_back(key);
  return static_cast<int>(dists_.size() - 1);
}

void Topology::add_link(int a, int b, const nlohmann::json& latency_us, double loss) {
  if (a == b || a < 0 || b < 0 || a >= vertices() || b >= vertices())
    throw std::invalid_argument("Topology::add_link: bad vertices");
  if (!(loss >= 0.0 && loss <= 1.0)) throw std::invalid_argument("Topology::add_link: loss outside [0, 1]");
  if (g_->direct_dim == 0 && a < hosts() && b < hosts()) {  // the first host -> host link: the shortcut's matrix
    g_->direct_dim = hosts();
    g_->direct.assign(static_cast<size_t>(hosts()) * hosts(), -1);
  }
  const int d = add_dist(latency_us);
  g_->uniform_hosts = 0;
  for (auto [from, to] : {std::pair{a, b}, std::pair{b, a}}) {
    const int existing = g_->find_link(from, to);
    if (existing >= 0) {
      auto& l = g_->links[existing];
      l.dist = d;
      l.loss = loss;
      l.up = true;
      g_->g[l.edge].mean_us = dists_[d]->mean();
      g_->min_dirty = true;
      continue;
    }
    Graph::Link l;
    l.from = from;
    l.to = to;
    l.dist = d;
    l.loss = loss;
    l.edge =
        boost::add_edge(from, to, Graph::EdgeProp{dists_[d]->mean(), static_cast<uint32_t>(g_->links.size())}, g_->g)
            .first;
    if (from < g_->direct_dim && to < g_->direct_dim)
      g_->direct[static_cast<size_t>(from) * g_->direct_dim + to] = static_cast<int32_t>(g_->links.size());
    g_->min_mean_us = std::min(g_->min_mean_us, dists_[d]->mean());
    g_->links.push_back(l);
  }
  g_->min_dirty = true;  // a replaced link may have raised the minimum
  links_changed();
}

bool Topology::set_link(int from, int to, const nlohmann::json& latency_us, double loss) {
  const int id = g_->find_link(from, to);
  if (id < 0) return false;
  auto& l = g_->links[id];
  g_->uniform_hosts = 0;
  l.dist = add_dist(latency_us);
  l.loss = loss;
  g_->g[l.edge].mean_us = l.up ? dists_[l.dist]->mean() : kDownWeight;
  g_->min_dirty = true;
  links_changed();
  return true;
}

bool Topology::change_link(int from, int to, const nlohmann::json* latency_us, const double* loss) {
  const int id = g_->find_link(from, to);
  if (id < 0) return false;
  const auto& l = g_->links[id];
  const nlohmann::json latency = latency_us ? *latency_us : nlohmann::json::parse(dist_keys_[l.dist]);
  return set_link(from, to, latency, loss ? *loss : l.loss);
}

bool Topology::set_link_up(int a, int b, bool up) {
  bool any = false;
  g_->uniform_hosts = 0;
  for (auto [from, to] : {std::pair{a, b}, std::pair{b, a}}) {
    const int id = g_->find_link(from, to);
    if (id < 0) continue;
    auto& l = g_->links[id];
    l.up = up;
    g_->g[l.edge].mean_us = up ? dists_[l.dist]->mean() : kDownWeight;
    any = true;
  }
  g_->min_dirty = true;
  links_changed();
  return any;
}

void Topology::partition(const std::vector<std::vector<int>>& groups, uint8_t channels) {
  Cut c;
  c.channels = channels;
  c.rest = static_cast<int32_t>(groups.size());  // unlisted grouped hosts: one more group
  c.side.resize(static_cast<size_t>(hosts()));
  for (int h = 0; h < hosts(); ++h) c.side[static_cast<size_t>(h)] = grouped_[static_cast<size_t>(h)] ? c.rest : -1;
  for (size_t g = 0; g < groups.size(); ++g)
    for (int h : groups[g]) c.side.at(static_cast<size_t>(h)) = static_cast<int32_t>(g);
  cuts_.push_back(std::move(c));
}

void Topology::cut(const std::vector<int>& from, const std::vector<int>& to, uint8_t channels) {
  Cut c;
  c.channels = channels;
  c.one_way = true;
  c.side.assign(static_cast<size_t>(hosts()), 0);
  for (int a : from) c.side.at(static_cast<size_t>(a)) |= 1;
  for (int b : to) c.side.at(static_cast<size_t>(b)) |= 2;
  cuts_.push_back(std::move(c));
}

void Topology::heal() { cuts_.clear(); }

void Topology::ensure_paths(int source) const {
  auto& dist = g_->dist_us[source];
  if (!dist.empty()) return;
  const size_t n = boost::num_vertices(g_->g);
  dist.assign(n, 0.0);
  std::vector<Graph::Edge> pred(n);
  std::vector<uint8_t> has_pred(n, 0);
  auto pred_map = boost::make_iterator_property_map(pred.begin(), boost::get(boost::vertex_index, g_->g));
  boost::dijkstra_shortest_paths(
      g_->g, static_cast<size_t>(source),
      boost::weight_map(boost::get(&Graph::EdgeProp::mean_us, g_->g))
          .distance_map(boost::make_iterator_property_map(dist.begin(), boost::get(boost::vertex_index, g_->g)))
          .visitor(boost::make_dijkstra_visitor(boost::record_edge_predecessors(pred_map, boost::on_edge_relaxed()))));
  auto& last = g_->last_link[source];
  last.assign(n, -1);
  for (size_t v = 0; v < n; ++v) {
    if (static_cast<int>(v) == source || dist[v] >= kNoPath) continue;
    last[v] = static_cast<int32_t>(g_->g[pred[v]].link);
  }
}

int Topology::direct_shortest(int a, int b) const {
  if (a >= g_->direct_dim || b >= g_->direct_dim) return -1;
  const int32_t id = g_->direct[static_cast<size_t>(a) * g_->direct_dim + b];
  if (id < 0) return -1;
  const auto& l = g_->links[id];
  if (!g_->hosts_relay) return l.up ? id : kNoRoute;
  if (!l.up) return -1;
  return g_->g[l.edge].mean_us <= 2.0 * g_->min_mean() ? id : -1;
}

double Topology::mean_latency_us(int a, int b) const {
  if (a == b) return 0.0;
  const int direct = direct_shortest(a, b);
  if (direct >= 0) return g_->g[g_->links[direct].edge].mean_us;
  if (direct == kNoRoute) return std::numeric_limits<double>::infinity();
  ensure_paths(a);
  const double d = g_->dist_us[a][b];
  return d >= kNoPath ? std::numeric_limits<double>::infinity() : d;
}

std::vector<const RealDist*> Topology::path_dists(int a, int b) const {
  std::vector<const RealDist*> out;
  const std::vector<int> p = path(a, b);
  for (size_t i = 1; i < p.size(); ++i) out.push_back(dists_[g_->links[g_->find_link(p[i - 1], p[i])].dist].get());
  return out;
}

std::vector<int> Topology::path(int a, int b) const {
  std::vector<int> out;
  if (a != b && !std::isfinite(mean_latency_us(a, b))) return out;
  if (direct_shortest(a, b) >= 0) return {a, b};
  ensure_paths(a);
  for (int v = b; v != a; v = g_->links[g_->last_link[a][v]].from) out.push_back(v);
  out.push_back(a);
  return {out.rbegin(), out.rend()};
}

bool Topology::reachable(int a, int b, Channel channel) const {
  if (a == b) return true;
  if (cut_blocks(a, b, channel)) return false;
  if (a < g_->uniform_hosts && b < g_->uniform_hosts) return true;
  const int direct = direct_shortest(a, b);
  if (direct >= 0) return true;
  if (direct == kNoRoute) return false;
  return std::isfinite(mean_latency_us(a, b));
}

Time Topology::sample_delay(int a, int b, Rng& rng) const {
  if (a == b) return Time{};
  if (a < g_->uniform_hosts && b < g_->uniform_hosts)
    return Time::saturated_ns(dists_[g_->uniform_dist]->sample(rng) * 1000.0 + 0.5);
  if (const int id = direct_shortest(a, b); id >= 0)
    return Time::saturated_ns(dists_[g_->links[id].dist]->sample(rng) * 1000.0 + 0.5);
  if (!std::isfinite(mean_latency_us(a, b))) return Time::max();
  ensure_paths(a);
  const auto& last = g_->last_link[a];
  double us = 0;
  for (int v = b; v != a;) {
    const auto& l = g_->links[last[v]];
    us += dists_[l.dist]->sample(rng);
    v = l.from;
  }
  return Time::saturated_ns(us * 1000.0 + 0.5);
}

Delivery Topology::sample(int a, int b, Channel channel, Rng& rng) const {
  Delivery d;
  if (a == b) {
    d.delivered = true;
    return d;
  }
  // reachable() inlined, so the direct link is looked up once per message.
  if (cut_blocks(a, b, channel)) return d;
  if (a < g_->uniform_hosts && b < g_->uniform_hosts) {  // as the direct-link case below, without the lookups
    const double us = dists_[g_->uniform_dist]->sample(rng);
    if (g_->uniform_loss > 0 && rng.chance(g_->uniform_loss)) return d;
    d.delivered = true;
    d.delay = Time::saturated_ns(us * 1000.0 + 0.5);
    return d;
  }
  const int id = direct_shortest(a, b);
  if (id == kNoRoute) return d;
  if (id >= 0) {
    const auto& l = g_->links[id];
    const double us = dists_[l.dist]->sample(rng);
    if (l.loss > 0 && rng.chance(l.loss)) return d;
    d.delivered = true;
    d.delay = Time::saturated_ns(us * 1000.0 + 0.5);
    return d;
  }
  if (!std::isfinite(mean_latency_us(a, b))) return d;
  ensure_paths(a);
  const auto& last = g_->last_link[a];
  double us = 0;
  for (int v = b; v != a;) {
    const auto& l = g_->links[last[v]];
    us += dists_[l.dist]->sample(rng);
    if (l.loss > 0 && rng.chance(l.loss)) return d;  // lost on this hop
    v = l.from;
  }
  d.delivered = true;
  d.delay = Time::saturated_ns(us * 1000.0 + 0.5);
  return d;
}

}  // namespace cachelab
