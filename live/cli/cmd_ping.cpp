// cachelab-live ping --redis HOST:PORT[,...]: can we reach the servers the user names, and what are they?
// Sends only PING and INFO server: read-only, nothing written.
#include <cstdlib>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "sim/cli/validators.hpp"
#include "live/client/control_connection.hpp"
#include "live/client/endpoint.hpp"
#include "live/client/info.hpp"

namespace cachelab::live::cli {

Command add_ping(CLI::App& app) {
  auto* sub = app.add_subcommand("ping", "Check that Redis servers answer (PING) and show their version and role");
  auto redis = std::make_shared<std::string>();
  auto timeout_ms = std::make_shared<int>(1000);
  sub->add_option("--redis", *redis, "HOST:PORT[,HOST:PORT...]")->required();
  sub->add_option("--timeout-ms", *timeout_ms, "Connect and reply timeout per server")
      ->check(cachelab::cli::positive_number());
  return {sub, [redis, timeout_ms]() -> int {
            std::vector<Endpoint> endpoints;
            try {
              endpoints = parse_endpoint_list(*redis);
            } catch (const std::invalid_argument& e) {
              std::cerr << "cachelab-live: --redis: " << e.what() << "\n";
              return 2;
            }
            int failures = 0;
            for (const auto& ep : endpoints) {
              try {
                // The password as for `live --redis`: from the environment, never from the command line.
                const char* pw = std::getenv("CACHELAB_REDIS_PASSWORD");
                ControlConnection c(ep, *timeout_ms, pw ? pw : "");
                Reply pong = c.command({"PING"});
                if (pong.is_error()) throw ConnectionError(ep.str() + " answered PING with " + pong.describe());
                auto info = parse_info_fields(c.command({"INFO", "server"}).str());
                auto repl = parse_info_fields(c.command({"INFO", "replication"}).str());
                auto cluster = parse_info_fields(c.command({"INFO", "cluster"}).str());
                std::cout << ep.str() << "  " << pong.str() << "  redis " << info["redis_version"] << "  role "
                          << repl["role"] << "  cluster " << (cluster["cluster_enabled"] == "1" ? "yes" : "no") << "\n";
              } catch (const ConnectionError& e) {
                std::cerr << "cachelab-live: " << e.what() << "\n";
                ++failures;
              }
            }
            return failures ? 2 : 0;
          }};
}

}  // namespace cachelab::live::cli
