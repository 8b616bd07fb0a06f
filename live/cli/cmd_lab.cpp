// cachelab-live lab up [--masters N --replicas R --node-timeout-ms T] | status | kill NODE | pause NODE |
//                    resume NODE | down
// A private Redis Cluster on loopback that stays up between commands, for a workshop's participants to explore with
// `redis-cli -c` (issue 17). `up` starts it with the live mode's spawner and records every server's PID, port and
// start time in a state file ($CACHELAB_LAB_STATE, else $XDG_RUNTIME_DIR or /tmp: cachelab-lab-<uid>.json); the
// other subcommands act on those PIDs only (a PID whose start time differs is another process and is left alone);
// `down` stops every server it recorded and removes the lab's directory and the state file.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "live/lab/lab.hpp"

namespace cachelab::live::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path state_path() {
  if (const char* p = std::getenv("CACHELAB_LAB_STATE"); p && *p) return p;
  const char* run = std::getenv("XDG_RUNTIME_DIR");
  const fs::path dir = run && *run ? fs::path(run) : fs::path("/tmp");
  return dir / ("cachelab-lab-" + std::to_string(::getuid()) + ".json");
}

// /proc/<pid>/stat: the state letter and the start time (clock ticks after boot); nullopt when there is no such
// process. A zombie ('Z') has exited.
struct ProcInfo {
  char state = '?';
  unsigned long long start = 0;
};
std::optional<ProcInfo> proc_info(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!f || !std::getline(f, text)) return std::nullopt;
  const auto close = text.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream rest(text.substr(close + 2));
  ProcInfo p;
  rest >> p.state;
  std::string field;
  for (int i = 4; i < 22 && rest >> field; ++i) {}
  rest >> p.start;
  return p;
}

// Alive and still the process we started (same start time); a zombie counts as gone.
bool ours(const json& node) {
  const auto p = proc_info(node["pid"].get<pid_t>());
  return p && p->state != 'Z' && p->start == node["start"].get<unsigned long long>();
}

std::optional<json> read_state() {
  std::ifstream f(state_path());
  if (!f) return std::nullopt;
  try {
    return json::parse(f);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

void remove_state(const json& st) {
  std::error_code ec;
  if (st.contains("dir")) fs::remove_all(st["dir"].get<std::string>(), ec);
  fs::remove(state_path(), ec);
}

json* find_node(json& st, const std::string& name) {
  for (auto& n : st["nodes"])
    if (n["name"] == name) return &n;
  return nullptr;
}

int no_lab() {
  std::cerr << "cachelab-live lab: no lab is up (no " << state_path().string()
            << "); start one with: cachelab-live lab up\n";
  return 2;
}

int up(LabConfig cfg) {
  if (auto st = read_state()) {
    for (const auto& n : (*st)["nodes"])
      if (ours(n)) {
        std::cerr << "cachelab-live lab up: a lab is already up (" << state_path().string()
                  << "); cachelab-live lab down first\n";
        return 2;
      }
    remove_state(*st);  // a stale record of a lab whose servers are gone
  }
  try {
    validate_lab_config(cfg);
  } catch (const std::exception& e) {
    std::cerr << "cachelab-live lab up: " << e.what() << "\n";
    return 2;
  }
  cfg.outlive_us = true;
  cfg.keep_dirs = true;
  Lab lab(cfg);
  std::cerr << "starting " << cfg.node_count() << " redis-server processes on 127.0.0.1...\n";
  try {
    lab.start();
    lab.refresh_topology();
  } catch (const std::exception& e) {
    std::cerr << "cachelab-live lab up: " << e.what() << "\n";
    return 1;
  }
  json st = {{"dir", lab.root_dir()}, {"nodes", json::array()}};
  for (const auto& n : lab.nodes()) {
    const auto p = proc_info(n.pid);
    st["nodes"].push_back({{"name", n.name}, {"port", n.endpoint.port}, {"pid", n.pid}, {"start", p ? p->start : 0}});
  }
  {
    std::ofstream f(state_path());
    f << st.dump(2) << "\n";
    if (!f) {
      std::cerr << "cachelab-live lab up: cannot write " << state_path().string() << "; stopping the lab\n";
      return 1;  // ~Lab tears it down
    }
  }
  lab.release();
  std::printf("lab up: %zu nodes (state in %s)\n", lab.nodes().size(), state_path().c_str());
  for (const auto& n : lab.nodes())
    std::printf("  %-14s 127.0.0.1:%d  pid %d\n", n.name.c_str(), n.endpoint.port, n.pid);
  std::printf("explore:  redis-cli -c -p %d cluster nodes\nstop it:  cachelab-live lab down\n",
              lab.nodes().front().endpoint.port);
  return 0;
}

int status() {
  auto st = read_state();
  if (!st) return no_lab();
  std::printf("lab in %s\n", (*st)["dir"].get<std::string>().c_str());
  for (const auto& n : (*st)["nodes"]) {
    const auto p = proc_info(n["pid"].get<pid_t>());
    const char* what = !ours(n) ? "down" : p->state == 'T' ? "paused" : "running";
    std::printf("  %-14s 127.0.0.1:%-6d pid %-8d %s\n", n["name"].get<std::string>().c_str(), n["port"].get<int>(),
                n["pid"].get<int>(), what);
  }
  return 0;
}

int signal_node(const std::string& name, int sig, const char* verb) {
  auto st = read_state();
  if (!st) return no_lab();
  json* n = find_node(*st, name);
  if (!n) {
    std::cerr << "cachelab-live lab: no node named '" << name << "'; the nodes are";
    for (const auto& m : (*st)["nodes"]) std::cerr << " " << m["name"].get<std::string>();
    std::cerr << "\n";
    return 2;
  }
  if (!ours(*n)) {
    std::cerr << "cachelab-live lab: " << name << " is not running\n";
    return 1;
  }
  if (sig == SIGKILL) ::kill(n->at("pid").get<pid_t>(), SIGCONT);
  ::kill(n->at("pid").get<pid_t>(), sig);
  std::printf("%s %s (pid %d)\n", verb, name.c_str(), n->at("pid").get<int>());
  return 0;
}

int down() {
  auto st = read_state();
  if (!st) return no_lab();
  std::vector<json> alive;
  for (const auto& n : (*st)["nodes"])
    if (ours(n)) alive.push_back(n);
  for (const auto& n : alive) {
    ::kill(n["pid"].get<pid_t>(), SIGCONT);  // a paused server cannot act on SIGTERM
    ::kill(n["pid"].get<pid_t>(), SIGTERM);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  int killed = 0;
  for (const auto& n : alive) {
    while (ours(n) && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (ours(n)) {
      ::kill(n["pid"].get<pid_t>(), SIGKILL);
      ++killed;
    }
  }
  for (const auto& n : alive)
    for (int i = 0; i < 300 && ours(n); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  int left = 0;
  for (const auto& n : alive) left += ours(n);
  if (left > 0) {
    std::cerr << "cachelab-live lab down: " << left << " server(s) still running; state kept in "
              << state_path().string() << "\n";
    return 1;
  }
  remove_state(*st);
  std::printf("lab down: stopped %zu server(s)%s, removed %s\n", alive.size(),
              killed ? (" (" + std::to_string(killed) + " with SIGKILL)").c_str() : "",
              (*st)["dir"].get<std::string>().c_str());
  return 0;
}

}  // namespace

Command add_lab(CLI::App& app) {
  auto* sub = app.add_subcommand(
      "lab", "a private Redis Cluster on loopback that stays up: up, status, kill, pause, resume, down");
  sub->require_subcommand(1);
  auto cfg = std::make_shared<LabConfig>();
  auto action = std::make_shared<std::function<int()>>();
  auto node = std::make_shared<std::string>();
  auto* u = sub->add_subcommand("up", "start the lab and leave it running");
  u->add_option("--masters", cfg->masters, "masters (>= 3)")->capture_default_str();
  u->add_option("--replicas", cfg->replicas_per_master, "replicas per master")->capture_default_str();
  u->add_option("--node-timeout-ms", cfg->control.node_timeout_ms, "cluster-node-timeout")->capture_default_str();
  u->callback([=] { *action = [cfg] { return up(*cfg); }; });
  sub->add_subcommand("status", "each node: port, pid, running / paused / down")->callback([=] { *action = status; });
  auto* k = sub->add_subcommand("kill", "SIGKILL one node (as a crash)");
  k->add_option("NODE", *node, "master-1, replica-1-1, ...")->required();
  k->callback([=] { *action = [node] { return signal_node(*node, SIGKILL, "killed"); }; });
  auto* p = sub->add_subcommand("pause", "SIGSTOP one node (it stops answering, as in a long pause)");
  p->add_option("NODE", *node, "master-1, replica-1-1, ...")->required();
  p->callback([=] { *action = [node] { return signal_node(*node, SIGSTOP, "paused"); }; });
  auto* r = sub->add_subcommand("resume", "SIGCONT a paused node");
  r->add_option("NODE", *node, "master-1, replica-1-1, ...")->required();
  r->callback([=] { *action = [node] { return signal_node(*node, SIGCONT, "resumed"); }; });
  sub->add_subcommand("down", "stop every server of the lab (by PID) and remove its files")->callback([=] {
    *action = down;
  });
  return {sub, [action] { return *action ? (*action)() : 2; }};
}

}  // namespace cachelab::live::cli
