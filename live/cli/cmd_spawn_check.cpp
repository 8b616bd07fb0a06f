// cachelab-live spawn-check: start a private lab, show its nodes and their INFO, route a few keys through the
// cluster client, tear it all down and check nothing is left. A smoke test of the live foundation for humans.
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "live/client/cluster_client.hpp"
#include "live/client/control_connection.hpp"
#include "live/lab/free_port.hpp"
#include "live/lab/lab.hpp"
#include "live/lab/pid_registry.hpp"
#include "live/lab/process.hpp"

namespace cachelab::live::cli {
namespace {

// redis.conf size syntax: "1000", "100kb" (x1024), "100k" (x1000), mb/m, gb/g; case-insensitive.
uint64_t parse_size(const std::string& text) {
  size_t pos = 0;
  unsigned long long n = std::stoull(text, &pos);
  std::string unit = text.substr(pos);
  for (auto& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (unit.empty() || unit == "b") return n;
  if (unit == "k") return n * 1000ULL;
  if (unit == "kb") return n * 1024ULL;
  if (unit == "m") return n * 1000ULL * 1000ULL;
  if (unit == "mb") return n * 1024ULL * 1024ULL;
  if (unit == "g") return n * 1000ULL * 1000ULL * 1000ULL;
  if (unit == "gb") return n * 1024ULL * 1024ULL * 1024ULL;
  throw std::invalid_argument("bad size '" + text + "' (expected e.g. 256mb)");
}

std::string slots_text(const LabNode& n) {
  std::string s;
  for (auto [a, b] : n.slot_ranges) s += (s.empty() ? "" : ",") + std::to_string(a) + "-" + std::to_string(b);
  return s.empty() ? "-" : s;
}

}  // namespace

Command add_spawn_check(CLI::App& app) {
  auto* sub = app.add_subcommand("spawn-check", "Start a local lab cluster, print its nodes and INFO, tear it down");
  auto cfg = std::make_shared<LabConfig>();
  auto standalone = std::make_shared<bool>(false);
  auto maxmemory = std::make_shared<std::string>("0");
  sub->add_option("--masters", cfg->masters, "Masters (>= 3 in cluster mode)")->capture_default_str();
  sub->add_option("--replicas", cfg->replicas_per_master, "Replicas per master")->capture_default_str();
  sub->add_flag("--standalone", *standalone, "One server with cluster-enabled no");
  sub->add_option("--node-timeout-ms", cfg->control.node_timeout_ms, "cluster-node-timeout")->capture_default_str();
  sub->add_option("--maxmemory", *maxmemory, "maxmemory per node, redis.conf syntax (256mb)");
  sub->add_option("--maxmemory-policy", cfg->store.policy)->capture_default_str();
  sub->add_option("--hz", cfg->store.hz)->capture_default_str();
  sub->add_flag("--keep-dirs", cfg->keep_dirs, "Keep the node directories (logs, configs) after teardown");
  return {sub, [cfg, standalone, maxmemory]() -> int {
            LabConfig config = *cfg;
            try {
              config.store.maxmemory_bytes = parse_size(*maxmemory);
              if (*standalone) {
                config.cluster = false;
                config.masters = 1;
                config.replicas_per_master = 0;
              }
              validate_lab_config(config);
            } catch (const std::exception& e) {
              std::cerr << "cachelab-live: " << e.what() << "\n";
              return 2;
            }
            install_teardown_signal_handlers();  // Ctrl-C during the check still leaves nothing running
            std::vector<int> ports;
            std::vector<pid_t> pids;
            try {
              Lab lab(config);
              std::cerr << "starting " << config.node_count() << " redis-server process(es) on 127.0.0.1...\n";
              lab.start();
              std::cout << std::left << std::setw(14) << "node" << std::setw(18) << "address" << std::setw(9) << "pid"
                        << std::setw(9) << "role" << std::setw(12) << "id"
                        << "slots\n";
              for (const auto& n : lab.nodes()) {
                std::cout << std::setw(14) << n.name << std::setw(18) << n.endpoint.str() << std::setw(9) << n.pid
                          << std::setw(9) << n.role << std::setw(12) << n.node_id.substr(0, 10) << slots_text(n)
                          << "\n";
                ports.push_back(n.endpoint.port);
                pids.push_back(n.pid);
              }

              ClientOptions options;
              options.seeds = lab.endpoints();
              ClusterClient client(options);
              client.connect();
              constexpr int kKeys = 1000;
              int ok = 0;
              for (int i = 0; i < kKeys; ++i) {
                const std::string key = "cachelab:spawn-check:" + std::to_string(i);
                if (client.set(key, std::to_string(i)).status == Status::Ok &&
                    client.get(key).reply.str() == std::to_string(i))
                  ++ok;
              }
              std::cout << "\nrouted SET+GET of " << kKeys << " keys: " << ok << " ok, " << client.counters().moved
                        << " MOVED, " << client.counters().ask << " ASK\n\n";

              std::cout << std::setw(14) << "node" << std::setw(8) << "role" << std::setw(14) << "used_memory"
                        << std::setw(8) << "keys" << std::setw(14) << "evicted_keys" << std::setw(14) << "expired_keys"
                        << "version\n";
              for (const auto& n : lab.nodes()) {
                NodeSnapshot s = client.info(n.endpoint);
                std::cout << std::setw(14) << n.name << std::setw(8) << s.role << std::setw(14) << s.used_memory_bytes
                          << std::setw(8) << s.keys << std::setw(14) << s.evicted_keys << std::setw(14)
                          << s.expired_keys << s.redis_version << "\n";
              }
              lab.teardown();
            } catch (const std::exception& e) {
              std::cerr << "cachelab-live: " << e.what() << "\n";
              return 1;
            }
            // The lab is gone: check it, as the user would with ps and ss.
            int left = 0;
            for (pid_t pid : pids)
              if (auto st = process_state(pid); st && *st != 'Z') ++left;  // a reused PID would be a false alarm
            for (int port : ports)
              if (!loopback_port_free(port) || (config.cluster && !loopback_port_free(port + kClusterBusPortOffset)))
                ++left;
            std::cout << "\nteardown: " << pids.size() << " process(es) stopped, "
                      << (left ? std::to_string(left) + " process(es)/port(s) still busy" : "no process or port left")
                      << "\n";
            return left ? 1 : 0;
          }};
}

}  // namespace cachelab::live::cli
