#pragma once
// The network between nodes (and any other host): a Boost.Graph of hosts and switches joined by directed links, each
// with a one-way latency distribution (in microseconds, any registered `RealDist`) and a loss probability.
// Hosts 0..nodes-1 are the cluster's nodes, in the control plane's node order; more hosts (clients) and switches can be
// added. A message from a to b follows the path of least mean latency (Dijkstra over the links' analytic means) and
// takes the sum of one sample per link on it; it is lost with 1 - prod(1 - loss) along the path. In a flat mesh the
// hosts are machines, not routers: two hosts with a direct link use that link only, however slow or down it is.
// Partitions are connectivity, kept apart from the graph: a cut blocks a -> b for some channels (client traffic, the
// cluster bus, the replication stream), so a one-way cut or a "bus-only" cut is one call; heal() removes every cut.
// Each cut is kept as one record (a group or side per host), so memory grows with hosts, not hosts squared, and a
// reachability check costs one look per active cut (none without cuts).
// Client machines are hosts too (net/placement.hpp adds one per client instance): they are "ungrouped", so a partition
// that does not list them leaves them reaching every side, as partitions between nodes always did.
// Not modelled: bandwidth and queueing on links, TCP retransmission (a lost message is dropped, as the control plane's
// datagram view of the bus needs), per-message serialisation time.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cachelab/core/dist.hpp"
#include "cachelab/core/rng.hpp"
#include "cachelab/core/time.hpp"

namespace cachelab {

// Traffic classes a cut can block, as a bit mask.
enum Channel : uint8_t {
  kChannelClient = 1,       // client <-> node commands
  kChannelBus = 2,          // the cluster bus (port + 10000): gossip, FAIL, votes, UPDATE
  kChannelReplication = 4,  // master -> replica stream and replica ACKs
  kChannelAll = 7,
};

// One message's fate on the network.
struct Delivery {
  bool delivered = false;  // false: cut, no path, or lost
  Time delay;              // one-way, when delivered
};

class Topology {
 public:
  // `hosts` hosts (vertex i = host i) and no links yet.
  explicit Topology(int hosts);
  ~Topology();
  Topology(Topology&&) noexcept;
  Topology& operator=(Topology&&) noexcept;

  // Every pair of the `hosts` hosts joined directly (both ways) by a link with this latency (one-way, us) and loss.
  // The default layout: one host per node, latency between two nodes = one sample of `latency_us`.
  static Topology flat(int hosts, const nlohmann::json& latency_us, double loss = 0.0);
  // Hosts in racks, racks in zones: host -> rack switch -> zone switch -> core switch, each hop one link with its
  // own distribution (both ways). rack_of_host[h] in [0, racks), zone_of_rack[r] in [0, zones). The switches follow
  // the hosts: the core at vertex hosts, zone z at hosts + 1 + z, rack r at hosts + 1 + zones + r.
  static Topology racked(const std::vector<int>& rack_of_host, const std::vector<int>& zone_of_rack,
                         const nlohmann::json& host_link_us, const nlohmann::json& rack_link_us,
                         const nlohmann::json& zone_link_us, double loss = 0.0);

  // A further host (a client machine): returns its vertex. `grouped` false: partitions that do not list this host
  // leave it out (it reaches every side) instead of putting it with the unlisted hosts.
  int add_host(const std::string& name, bool grouped = true);
  int add_switch(const std::string& name);   // a vertex that is not a host: never an endpoint of a cut
  void set_grouped(int host, bool grouped);  // as add_host's `grouped`, for later partitions
  // Adds (or replaces) the links a -> b and b -> a. REQUIRES: a != b, valid vertices, 0 <= loss <= 1.
  void add_link(int a, int b, const nlohmann::json& latency_us, double loss = 0.0);
  // Changes one direction of an existing link (a fault "link latency/loss change"). Returns false if absent.
  bool set_link(int from, int to, const nlohmann::json& latency_us, double loss);
  // As set_link, changing only what is given (the `link` fault: a new latency, a new loss, or both).
  bool change_link(int from, int to, const nlohmann::json* latency_us, const double* loss);
  // Takes a link down or up (both directions); a down link carries nothing and shortest paths avoid it.
  bool set_link_up(int a, int b, bool up);

  int hosts() const { return static_cast<int>(host_names_.size()); }
  int vertices() const;
  const std::string& name(int vertex) const { return vertex_names_[vertex]; }

  // Partitions. Hosts in different groups can't reach each other on `channels`; grouped hosts not listed form one more
  // group together (ungrouped hosts not listed are not cut). Adds to the cuts already in place.
  void partition(const std::vector<std::vector<int>>& groups, uint8_t channels = kChannelAll);
  // One-way cut: every host of `from` loses `to` on `channels` (`to` still reaches `from`).
  void cut(const std::vector<int>& from, const std::vector<int>& to, uint8_t channels = kChannelAll);
  void heal();  // removes every cut (links set down with set_link_up stay down)
  bool partitioned() const { return !cuts_.empty(); }
  // True when a cut blocks a -> b on `channel` (links not considered). REQUIRES: hosts.
  bool cut_blocks(int a, int b, Channel channel) const {
    if (cuts_.empty() || a == b) return false;
    for (const Cut& c : cuts_)
      if ((c.channels & channel) && c.blocks(a, b)) return true;
    return false;
  }

  // True when no cut blocks a -> b on `channel` and a path of up links exists. REQUIRES: hosts.
  bool reachable(int a, int b, Channel channel) const;
  // Samples one message a -> b: each link of the shortest path once, and its loss. REQUIRES: hosts, a != b.
  Delivery sample(int a, int b, Channel channel, Rng& rng) const;
  // The delay alone (reachability and loss not applied); Time::max() when there is no path.
  Time sample_delay(int a, int b, Rng& rng) const;
  // Mean one-way latency of the chosen path, in microseconds (infinity if none): the Dijkstra distance.
  double mean_latency_us(int a, int b) const;
  // Vertices of the chosen path a .. b (empty when none).
  std::vector<int> path(int a, int b) const;
  // The latency distribution of each link on the chosen path a -> b, in order (empty when a == b or no path). The
  // pointers stay valid for the Topology's life; a precomputed path is current while version() is unchanged.
  std::vector<const RealDist*> path_dists(int a, int b) const;
  // Bumped whenever a link is added, changed, or taken down or up (paths may have changed; cuts do not count).
  uint64_t version() const { return version_; }

 private:
  struct Graph;
  int add_dist(const nlohmann::json& latency_us);
  void ensure_paths(int source) const;
  int direct_shortest(int a, int b) const;  // the direct link if it is certainly a shortest path, else -1
  int add_vertex(const std::string& name);
  void links_changed();

  // One cut: a partition (per host its group, -1 = not cut) or a one-way cut (per host: bit 1 = from, bit 2 = to).
  // add_host extends every cut (a grouped host joins a partition's unlisted group, `rest`).
  struct Cut {
    uint8_t channels = 0;
    bool one_way = false;
    int32_t rest = -1;
    std::vector<int32_t> side;
    bool blocks(int a, int b) const {
      const int32_t sa = side[static_cast<size_t>(a)], sb = side[static_cast<size_t>(b)];
      if (one_way) return (sa & 1) && (sb & 2);
      return sa >= 0 && sb >= 0 && sa != sb;
    }
  };

  std::unique_ptr<Graph> g_;
  std::vector<std::string> vertex_names_;
  std::vector<std::string> host_names_;
  std::vector<uint8_t> grouped_;                  // per host: 1 = joins the unlisted group of a partition
  std::vector<std::unique_ptr<RealDist>> dists_;  // shared by links with the same JSON
  std::vector<std::string> dist_keys_;
  std::vector<Cut> cuts_;
  uint64_t version_ = 0;
};

}  // namespace cachelab
