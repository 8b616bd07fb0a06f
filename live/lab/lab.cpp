#include "live/lab/lab.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <thread>

#include "live/client/control_connection.hpp"
#include "live/client/credentials.hpp"
#include "live/client/info.hpp"
#include "live/lab/cluster_nodes.hpp"
#include "live/lab/free_port.hpp"
#include "live/lab/pid_registry.hpp"
#include "live/lab/process.hpp"
#include "live/lab/secrets.hpp"

namespace cachelab::live {
namespace {

using SteadyClock = std::chrono::steady_clock;
namespace fs = std::filesystem;

constexpr int kProbeTimeoutMs = 500;  // one readiness probe of one node
constexpr int kPollIntervalMs = 50;

std::string make_root_dir(const std::string& base) {
  std::string dir = base;
  if (dir.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    dir = tmp && *tmp ? tmp : "/tmp";
  }
  std::string templ = dir + "/cachelab-lab-XXXXXX";
  if (!::mkdtemp(templ.data())) throw LabError("cannot create a lab directory under " + dir);
  return templ;
}

// The config holds the lab's password: readable by us only (the lab dir is 0700 too, from mkdtemp).
void write_config(const std::string& path, const std::string& text) {
  try {
    write_private_file(path, text);
  } catch (const std::runtime_error& e) {
    throw LabError(e.what());
  }
}

std::optional<NodeLine> parse_myself(std::string_view nodes_text) {
  for (auto& line : parse_cluster_nodes(nodes_text))
    if (line.myself) return line;
  return std::nullopt;
}

// Every node's view of every other node matches what that node says of itself (role and master), and no node
// flags another fail/pfail/handshake/noaddr. cluster_state:ok alone is not enough: a node learns another's role
// only from that node's own pings, a few seconds after redis-cli made it a replica, and until then a master
// ignores its replica's CLUSTER FAILOVER and the other masters refuse it their votes. Waiting for agreement
// costs ~3 s per start and gives the run (and the simulator, which starts converged) the same starting state.
bool views_agree(const std::vector<std::vector<NodeLine>>& views, std::string& why) {
  std::map<std::string, const NodeLine*> self;
  for (const auto& view : views)
    for (const auto& line : view)
      if (line.myself) self[line.id] = &line;
  for (size_t i = 0; i < views.size(); ++i) {
    for (const auto& line : views[i]) {
      for (const char* bad : {"fail", "handshake", "noaddr"})
        if (line.flags.find(bad) != std::string::npos) {
          why = "node " + std::to_string(i + 1) + " sees " + line.id.substr(0, 8) + " as " + line.flags;
          return false;
        }
      auto it = self.find(line.id);
      if (it == self.end()) continue;
      if (it->second->role != line.role || it->second->master_id != line.master_id) {
        why = "node " + std::to_string(i + 1) + " does not know the role of " + line.id.substr(0, 8) + " yet";
        return false;
      }
    }
  }
  return true;
}

}  // namespace

Lab::Lab(LabConfig config) : config_(std::move(config)) {}

Lab::~Lab() { teardown(); }

std::vector<Endpoint> Lab::endpoints() const {
  std::vector<Endpoint> out;
  for (const auto& n : nodes_) out.push_back(n.endpoint);
  return out;
}

LabNode& Lab::node(const std::string& name) { return const_cast<LabNode&>(static_cast<const Lab&>(*this).node(name)); }

const LabNode& Lab::node(const std::string& name) const {
  for (const auto& n : nodes_)
    if (n.name == name) return n;
  std::string known;
  for (const auto& n : nodes_) known += (known.empty() ? "" : ", ") + n.name;
  throw LabError("no lab node named '" + name + "' (nodes: " + known + ")");
}

void Lab::start() {
  validate_lab_config(config_);
  if (!torn_down_) throw LabError("lab already started");
  torn_down_ = false;
  try {
    {
      // A SIGINT between mkdtemp and the watcher's start would leave the directory: hold those signals meanwhile.
      sigset_t block, old;
      sigemptyset(&block);
      for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&block, sig);
      pthread_sigmask(SIG_BLOCK, &block, &old);
      try {
        root_dir_ = make_root_dir(config_.base_dir);
        if (!config_.keep_dirs) janitor_.watch(fs::absolute(root_dir_).string());
      } catch (...) {
        pthread_sigmask(SIG_SETMASK, &old, nullptr);
        throw;
      }
      pthread_sigmask(SIG_SETMASK, &old, nullptr);
    }
    password_ = random_password();
    spawn_all();
    if (config_.cluster) create_cluster();
    wait_ready(config_.ready_timeout_ms);
    name_nodes();
  } catch (const std::exception& e) {
    std::string where = root_dir_.empty() ? "" : " (lab dir " + root_dir_ + ")";
    teardown();
    throw LabError(std::string("lab start failed: ") + e.what() + where);
  }
}

pid_t Lab::spawn_node(LabNode& node) {
  SpawnSpec spec;
  spec.program = config_.redis_server;
  spec.args = {node.config_path};
  spec.output_path = node.dir + "/redis.log";
  spec.die_with_parent = !config_.outlive_us;
  node.pid = spawn_process(spec);
  node.paused = false;
  register_lab_pid(node.pid);
  register_password(node.endpoint, password_);
  return node.pid;
}

// PING is not enough to know the server is ours: if another process took the port between our check and
// redis-server's bind, PING would reach *it*. INFO's process_id must be the PID we spawned.
bool Lab::wait_for_ping(LabNode& node, std::string& why) const {
  const auto deadline = SteadyClock::now() + std::chrono::milliseconds(config_.node_start_timeout_ms);
  why = "did not answer within " + std::to_string(config_.node_start_timeout_ms) + " ms";
  while (SteadyClock::now() < deadline) {
    if (try_reap(node.pid)) {
      unregister_lab_pid(node.pid);
      node.pid = -1;
      why = "exited during start-up";
      return false;
    }
    try {
      Reply r = control_command(node.endpoint, {"INFO", "server"}, kProbeTimeoutMs);
      auto fields = parse_info_fields(r.str());
      if (fields["process_id"] == std::to_string(node.pid)) return true;
    } catch (const ConnectionError&) {}
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

void Lab::spawn_all() {
  const int n = config_.node_count();
  claimed_ports_ = claim_free_ports(n, config_.cluster);
  nodes_.clear();
  for (int i = 0; i < n; ++i) {
    LabNode node;
    node.name = config_.cluster ? "node-" + std::to_string(i + 1) : "standalone";
    node.endpoint = Endpoint{"127.0.0.1", claimed_ports_[i]};
    node.dir = root_dir_ + "/node-" + std::to_string(i + 1);
    fs::create_directories(node.dir);
    node.config_path = node.dir + "/redis.conf";
    write_config(node.config_path, render_redis_conf(config_, node.endpoint.port, node.dir, password_));
    nodes_.push_back(node);
  }
  for (auto& node : nodes_) spawn_node(node);  // all at once: they start in parallel
  for (auto& node : nodes_) {
    for (int attempt = 1;; ++attempt) {
      std::string why;
      if (wait_for_ping(node, why)) break;
      const std::string log = log_tail(node);
      const bool lost_port = log.find("Address already in use") != std::string::npos;
      if (!lost_port || attempt >= config_.start_attempts)
        throw LabError("redis-server for " + node.endpoint.str() + " " + why + "; last lines of its log:\n" + log);
      // Another process won the race for the port: take fresh ports and try again.
      if (node.pid > 0) kill_process(node.pid);
      forget_password(node.endpoint);
      int old_port = node.endpoint.port;
      std::vector<int> fresh = claim_free_ports(1, config_.cluster);
      release_ports({old_port});
      std::replace(claimed_ports_.begin(), claimed_ports_.end(), old_port, fresh[0]);
      node.endpoint.port = fresh[0];
      write_config(node.config_path, render_redis_conf(config_, node.endpoint.port, node.dir, password_));
      ::unlink((node.dir + "/redis.log").c_str());
      spawn_node(node);
    }
  }
}

void Lab::create_cluster() {
  std::vector<std::string> args = {"--cluster", "create"};
  for (const auto& n : nodes_) args.push_back(n.endpoint.str());
  args.insert(args.end(), {"--cluster-replicas", std::to_string(config_.replicas_per_master), "--cluster-yes"});
  // redis-cli reads the password from REDISCLI_AUTH: never -a on its command line, where ps would show it.
  RunResult r = run_to_completion(config_.redis_cli, args, config_.create_timeout_ms, root_dir_ + "/create.log",
                                  {"REDISCLI_AUTH=" + password_});
  if (r.timed_out || r.exit_code != 0 || r.output.find("All 16384 slots covered") == std::string::npos) {
    std::string tail = r.output.size() > 2000 ? r.output.substr(r.output.size() - 2000) : r.output;
    throw LabError("redis-cli --cluster create " +
                   std::string(r.timed_out ? "timed out" : "failed (exit " + std::to_string(r.exit_code) + ")") +
                   ":\n" + tail);
  }
}

void Lab::wait_ready(int timeout_ms) const {
  const auto deadline = SteadyClock::now() + std::chrono::milliseconds(timeout_ms);
  const int total = static_cast<int>(nodes_.size());
  const int replicas_wanted = config_.cluster ? config_.masters * config_.replicas_per_master : 0;
  std::vector<std::string> status(nodes_.size());
  for (;;) {
    bool all_ok = true;
    int replicas_up = 0;
    std::vector<std::vector<NodeLine>> views;
    for (size_t i = 0; i < nodes_.size(); ++i) {
      const auto& node = nodes_[i];
      try {
        if (node.pid <= 0) throw ConnectionError("not running");
        ControlConnection c(node.endpoint, kProbeTimeoutMs);
        auto repl = parse_info_fields(c.command({"INFO", "replication"}).str());
        const bool replica = repl["role"] == "slave";
        if (replica && repl["master_link_status"] == "up") ++replicas_up;
        bool ok = !replica || repl["master_link_status"] == "up";
        status[i] = "role:" + repl["role"] + (replica ? " master_link_status:" + repl["master_link_status"] : "");
        if (config_.cluster) {
          auto info = parse_info_fields(c.command({"CLUSTER", "INFO"}).str());
          ok = ok && info["cluster_state"] == "ok" && info["cluster_known_nodes"] == std::to_string(total);
          status[i] +=
              " cluster_state:" + info["cluster_state"] + " cluster_known_nodes:" + info["cluster_known_nodes"];
          views.push_back(parse_cluster_nodes(c.command({"CLUSTER", "NODES"}).str()));
        }
        all_ok = all_ok && ok;
      } catch (const ConnectionError& e) {
        status[i] = e.what();
        all_ok = false;
      }
    }
    std::string disagreement;
    if (all_ok && config_.cluster && !views_agree(views, disagreement)) all_ok = false;
    if (all_ok && replicas_up == replicas_wanted) return;
    if (SteadyClock::now() >= deadline) {
      std::string msg = "lab not ready after " + std::to_string(timeout_ms) +
                        " ms (replicas with link up: " + std::to_string(replicas_up) + "/" +
                        std::to_string(replicas_wanted) + (disagreement.empty() ? "" : "; " + disagreement) + "):";
      for (size_t i = 0; i < nodes_.size(); ++i) msg += "\n  " + nodes_[i].endpoint.str() + " " + status[i];
      throw LabError(msg);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(kPollIntervalMs));
  }
}

void Lab::refresh_topology() {
  if (!config_.cluster) {
    for (auto& n : nodes_) {
      n.role = "master";
      n.slot_ranges = {{0, 16383}};
    }
    return;
  }
  for (auto& n : nodes_) {
    if (n.pid <= 0 || n.paused) continue;  // keeps what we last knew
    try {
      Reply r = control_command(n.endpoint, {"CLUSTER", "NODES"}, kProbeTimeoutMs);
      if (auto self = parse_myself(r.str())) {
        n.node_id = self->id;
        n.role = self->role;
        n.master_id = self->master_id;
        n.slot_ranges = self->slots;
      }
    } catch (const ConnectionError&) {}
  }
}

void Lab::name_nodes() {
  refresh_topology();
  if (!config_.cluster) return;
  std::vector<LabNode*> masters;
  for (auto& n : nodes_)
    if (n.role == "master") masters.push_back(&n);
  auto first_slot = [](const LabNode* n) { return n->slot_ranges.empty() ? 1 << 20 : n->slot_ranges[0].first; };
  std::sort(masters.begin(), masters.end(), [&](auto* a, auto* b) { return first_slot(a) < first_slot(b); });
  std::map<std::string, int> master_index;
  for (size_t i = 0; i < masters.size(); ++i) {
    masters[i]->name = "master-" + std::to_string(i + 1);
    master_index[masters[i]->node_id] = static_cast<int>(i + 1);
  }
  std::map<int, int> replicas_seen;
  for (auto& n : nodes_) {  // nodes_ is in port order, so replica numbering follows ports
    if (n.role != "replica") continue;
    int m = master_index.count(n.master_id) ? master_index[n.master_id] : 0;
    n.name = "replica-" + std::to_string(m) + "-" + std::to_string(++replicas_seen[m]);
  }
}

void Lab::kill_node(const std::string& name) {
  LabNode& n = node(name);
  if (n.pid <= 0) throw LabError(name + " is not running");
  kill_process(n.pid);
  n.pid = -1;
  n.paused = false;
}

void Lab::respawn_node(const std::string& name) {
  LabNode& n = node(name);
  if (n.pid > 0) throw LabError(name + " is still running (pid " + std::to_string(n.pid) + ")");
  ::unlink((n.dir + "/redis.log").c_str());
  spawn_node(n);
  std::string why;
  if (!wait_for_ping(n, why)) {
    if (n.pid > 0) kill_process(n.pid);
    n.pid = -1;
    throw LabError("restart of " + name + " on " + n.endpoint.str() + " failed: redis-server " + why +
                   "; last lines of its log:\n" + log_tail(n));
  }
}

void Lab::signal_node(const std::string& name, int sig) {
  LabNode& n = node(name);
  if (n.pid <= 0) throw LabError(name + " is not running");
  ::kill(n.pid, sig);
  if (sig == SIGSTOP) n.paused = true;
  if (sig == SIGCONT) n.paused = false;
}

std::string Lab::log_tail(const LabNode& node, int lines) const {
  std::ifstream in(node.dir + "/redis.log");
  std::deque<std::string> tail;
  for (std::string line; std::getline(in, line);) {
    tail.push_back(line);
    if (static_cast<int>(tail.size()) > lines) tail.pop_front();
  }
  std::string out;
  for (auto& l : tail) out += "    " + l + "\n";
  return out.empty() ? "    (empty log)\n" : out;
}

void Lab::release() {
  if (torn_down_) return;
  torn_down_ = true;
  for (auto& n : nodes_)
    if (n.pid > 0) unregister_lab_pid(n.pid);
  release_ports(claimed_ports_);
  claimed_ports_.clear();
}

void Lab::teardown() {
  if (torn_down_) return;
  torn_down_ = true;
  // Signal every node first, then reap: the servers shut down in parallel.
  for (auto& n : nodes_) {
    if (n.pid <= 0) continue;
    ::kill(n.pid, SIGCONT);  // a SIGSTOPped server cannot act on SIGTERM
    ::kill(n.pid, SIGTERM);
  }
  const auto deadline = SteadyClock::now() + std::chrono::milliseconds(config_.stop_grace_ms);
  for (auto& n : nodes_) {
    if (n.pid <= 0) continue;
    bool reaped = false;
    while (!(reaped = try_reap(n.pid).has_value()) && SteadyClock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    // Never signal a reaped PID: the kernel may already have given the number to someone else's process.
    if (reaped)
      unregister_lab_pid(n.pid);
    else
      kill_process(n.pid);
    n.pid = -1;
    n.paused = false;
  }
  for (const auto& n : nodes_) forget_password(n.endpoint);
  release_ports(claimed_ports_);
  claimed_ports_.clear();
  if (!config_.keep_dirs && !root_dir_.empty()) {
    std::error_code ec;
    fs::remove_all(root_dir_, ec);
  }
  janitor_.dismiss();
}

}  // namespace cachelab::live
