// cachelab-live keys-cost: the node time of KEYS * and of a full SCAN COUNT c iteration against the keys in the
// database, on a standalone redis-server of our own lab (live/memgrid/keys_cost.hpp), and the line through the KEYS
// points. docs/measurements/keys-scan-cost-redis-7.0.csv is its output.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "live/memgrid/keys_cost.hpp"
#include "size_list.hpp"

namespace cachelab::live::cli {

Command add_keys_cost(CLI::App& app) {
  auto* sub =
      app.add_subcommand("keys-cost", "Node time of KEYS * and SCAN COUNT c against the keys walked (real Redis)");
  auto sizes = std::make_shared<std::string>("10000,100000,1000000");
  auto runs = std::make_shared<int>(5);
  auto count = std::make_shared<uint64_t>(1000);
  auto out = std::make_shared<std::string>();
  auto shape = std::make_shared<KeysCostShape>();
  sub->add_option("--keys", *sizes, "Comma-separated database sizes")->capture_default_str();
  sub->add_option("--runs", *runs, "KEYS calls and SCAN iterations per size")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  sub->add_option("--count", *count, "SCAN's COUNT")->capture_default_str()->check(CLI::Range(1, 1000000));
  sub->add_option("--name-prefix", shape->name_prefix, "Keys are named PREFIX + key:%08d (default: no prefix)");
  sub->add_flag("--match", shape->match, "KEYS PREFIX* and SCAN MATCH PREFIX* instead of KEYS * (needs --name-prefix)");
  sub->add_flag("--ttl", shape->ttl, "Every key has a TTL (SET ... EX 3600)");
  sub->add_option("--out", *out, "CSV file (default: stdout)");
  return {sub, [sizes, runs, count, out, shape]() -> int {
            if (shape->match && shape->name_prefix.empty()) {
              std::cerr << "cachelab-live keys-cost: --match: expected a --name-prefix to match, found none\n";
              return 2;
            }
            if (shape->name_prefix.find_first_of("*?[\\") != std::string::npos) {
              std::cerr << "cachelab-live keys-cost: --name-prefix: expected no glob character (* ? [ \\), found '"
                        << shape->name_prefix << "'\n";
              return 2;
            }
            const auto parsed = parse_size_list(*sizes, 100'000'000, 64);
            if (!parsed) {
              std::cerr << "cachelab-live keys-cost: --keys: expected up to 64 comma-separated sizes in 1..100000000, "
                           "found '"
                        << *sizes << "'\n";
              return 2;
            }
            const std::vector<uint64_t>& list = *parsed;
            std::vector<KeysCostRow> rows;
            try {
              rows = keys_cost_run(list, *runs, *count, *shape);
            } catch (const std::exception& e) {
              std::cerr << "cachelab-live keys-cost: " << e.what() << "\n";
              return 1;
            }
            const KeysCostFit keys = keys_cost_fit(rows, "keys"), scan = keys_cost_fit(rows, "scan");
            if (list.size() < 2) {  // a line through one point says nothing
              std::fprintf(stderr, "no line fitted: it needs two or more sizes in --keys\n");
            } else {
              std::fprintf(stderr, "fit KEYS: CPU us per call = %.2f + %.3f ns x keys / 1000 (R^2 %.5f)\n",
                           keys.base_us, keys.ns_per_key, keys.r2);
              std::fprintf(stderr, "SCAN COUNT %llu: CPU us per call %.2f + %.6f x keys (R^2 %.5f)\n",
                           static_cast<unsigned long long>(*count), scan.base_us, scan.ns_per_key / 1000.0, scan.r2);
            }
            const std::string csv = keys_cost_csv(rows);
            if (out->empty()) {
              std::cout << csv;
              return 0;
            }
            std::ofstream f(*out);
            f << csv;
            if (!f) {
              std::cerr << "cachelab-live keys-cost: cannot write " << *out << "\n";
              return 1;
            }
            return 0;
          }};
}

}  // namespace cachelab::live::cli
