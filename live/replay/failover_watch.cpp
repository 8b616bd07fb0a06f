#include "live/replay/failover_watch.hpp"

#include <chrono>

#include "live/client/control_connection.hpp"
#include "live/client/info.hpp"
#include "live/lab/cluster_nodes.hpp"

namespace cachelab::live {

using nlohmann::json;

namespace {
// Short: a node that does not answer within this is skipped for the round (the next round asks again).
constexpr int kPollTimeoutMs = 200;
}  // namespace

FailoverWatch::FailoverWatch(std::vector<NodeInfo> nodes, std::function<double()> now_s, int period_ms)
    : nodes_(std::move(nodes)),
      conns_(nodes_.size()),
      away_(nodes_.size(), false),
      now_s_(std::move(now_s)),
      period_ms_(period_ms) {}

FailoverWatch::~FailoverWatch() { stop(); }

void FailoverWatch::start() {
  stop_ = false;
  // Connected before the workload starts, so that each is an old, steady client by the time memory fills.
  for (size_t i = 0; i < nodes_.size(); ++i) {
    try {
      conns_[i] = std::make_unique<ControlConnection>(nodes_[i].endpoint, kPollTimeoutMs);
    } catch (const std::exception&) {
      conns_[i].reset();  // the first poll tries again
    }
  }
  thread_ = std::thread([this] { run(); });
}

void FailoverWatch::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void FailoverWatch::node_going_away(const std::string& name, const std::string& cause, double t_s) {
  std::lock_guard<std::mutex> lock(mu_);
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].name != name) continue;
    // A replica going away is no failover; nodes_[i].master_id is the role the last poll saw.
    if (!away_[i] && nodes_[i].master_id.empty()) {
      Record r;
      r.node = name;
      r.node_id = nodes_[i].node_id;
      r.cause = cause;
      r.t_kill_s = t_s;
      records_.push_back(r);
    }
    away_[i] = true;
  }
}

void FailoverWatch::node_back(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  for (size_t i = 0; i < nodes_.size(); ++i)
    if (nodes_[i].name == name) away_[i] = false;
}

void FailoverWatch::run() {
  while (!stop_) {
    const auto next = std::chrono::steady_clock::now() + std::chrono::milliseconds(period_ms_);
    poll_once();
    std::this_thread::sleep_until(next);
  }
}

void FailoverWatch::poll_once() {
  std::vector<bool> away;
  {
    std::lock_guard<std::mutex> lock(mu_);
    away = away_;
  }
  struct Seen {
    size_t node;
    double t;
    std::vector<NodeLine> lines;
    bool state_ok;
  };
  std::vector<Seen> seen;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (away[i]) {
      conns_[i].reset();  // killed or paused: a restarted node gets a new connection
      continue;
    }
    try {
      if (!conns_[i]) conns_[i] = std::make_unique<ControlConnection>(nodes_[i].endpoint, kPollTimeoutMs);
      ControlConnection& c = *conns_[i];
      Reply nodes = c.command({"CLUSTER", "NODES"});
      Reply info = c.command({"CLUSTER", "INFO"});
      if (nodes.is_error() || info.is_error()) continue;
      const auto fields = parse_info_fields(info.str());
      const auto st = fields.find("cluster_state");
      seen.push_back({i, now_s_(), parse_cluster_nodes(nodes.str()), st != fields.end() && st->second == "ok"});
    } catch (const std::exception&) {
      // Not answering (just killed, paused, restarting): nothing learned from it this round, and the connection
      // is unusable after a failure (control_connection.hpp).
      conns_[i].reset();
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  for (const Seen& s : seen) {
    for (const NodeLine& line : s.lines) {
      for (Record& r : records_) {
        if (line.id != r.node_id) continue;
        const bool pfail = line.flags.find("fail?") != std::string::npos;
        const bool fail = !pfail && line.flags.find("fail") != std::string::npos;
        // PFAIL precedes FAIL at the node that marks it; a FAIL seen before any PFAIL (the PFAIL window fell
        // between two polls) times PFAIL no later than FAIL: an upper bound at poll resolution.
        if ((pfail || fail) && !r.t_pfail_s) {
          r.t_pfail_s = s.t;
          events_.push_back({{"t_s", s.t},
                             {"type", "pfail"},
                             {"node", r.node},
                             {"seen_by", nodes_[s.node].name},
                             {"via", "live poll"}});
        }
        if (fail && !r.t_fail_s) {
          r.t_fail_s = s.t;
          events_.push_back({{"t_s", s.t},
                             {"type", "fail"},
                             {"node", r.node},
                             {"seen_by", nodes_[s.node].name},
                             {"via", "live poll"}});
        }
      }
      if (!line.myself) continue;
      NodeInfo& me = nodes_[s.node];
      // Promotion: this node was a replica of a failed master at its previous poll and now calls itself master.
      if (line.role == "master" && !me.master_id.empty())
        for (Record& r : records_)
          if (!r.t_promoted_s && me.master_id == r.node_id) {
            r.t_promoted_s = s.t;
            r.new_master = me.name;
            events_.push_back(
                {{"t_s", s.t}, {"type", "promoted"}, {"node", me.name}, {"replaces", r.node}, {"via", "live poll"}});
          }
      me.master_id = line.role == "master" ? "" : line.master_id;
    }
  }
  // Cluster ok again: the first round after a promotion in which every running master answered cluster_state:ok.
  bool all_ok = !seen.empty();
  double t_last = 0;
  for (const Seen& s : seen) {
    t_last = std::max(t_last, s.t);
    if (nodes_[s.node].master_id.empty() && !s.state_ok) all_ok = false;
  }
  for (Record& r : records_)
    if (r.t_promoted_s && !r.t_ok_s && all_ok) {
      r.t_ok_s = t_last;
      events_.push_back({{"t_s", t_last},
                         {"type", "cluster_state"},
                         {"state", "ok"},
                         {"after_failover_of", r.node},
                         {"via", "live poll"}});
    }
}

json FailoverWatch::failovers_json() const {
  std::lock_guard<std::mutex> lock(mu_);
  auto opt = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
  json out = json::array();
  for (const Record& r : records_)
    out.push_back({{"node", r.node},
                   {"cause", r.cause},
                   {"t_kill_s", r.t_kill_s},
                   {"t_pfail_s", opt(r.t_pfail_s)},
                   {"t_fail_s", opt(r.t_fail_s)},
                   {"t_promoted_s", opt(r.t_promoted_s)},
                   {"t_ok_s", opt(r.t_ok_s)},
                   {"new_master", r.new_master.empty() ? json(nullptr) : json(r.new_master)},
                   {"source", "CLUSTER NODES / CLUSTER INFO polled every 50 ms"}});
  return out;
}

std::vector<json> FailoverWatch::take_events() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<json> out;
  out.swap(events_);
  return out;
}

}  // namespace cachelab::live
