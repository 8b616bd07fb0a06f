// cachelab-live live FILE (--spawn | --redis HOST:PORT[,...]): the default command, so `cachelab live FILE --spawn`
// (which execs `cachelab-live FILE --spawn`) lands here. The work is in live/replay/driver.
#include <memory>

#include "commands.hpp"
#include "live/replay/driver.hpp"

namespace cachelab::live::cli {

Command add_live(CLI::App& app) {
  auto* sub = app.add_subcommand("live", "Replay a scenario on real Redis (the default: cachelab-live FILE --spawn)");
  auto o = std::make_shared<LiveOptions>();
  auto seed = std::make_shared<uint64_t>(0);
  sub->add_option("file", o->file, "Scenario file")->required();
  sub->add_flag("--spawn", o->spawn, "Start a private lab of redis-server processes on loopback");
  sub->add_option("--redis", o->redis, "Use these servers (HOST:PORT[,...]); password from CACHELAB_REDIS_PASSWORD");
  sub->add_option("--prefix", o->prefix, "--redis: key prefix (default cachelab:<start time>:)");
  sub->add_flag("--allow-non-empty", o->allow_non_empty, "--redis: use a target that already holds keys");
  auto* seed_opt = sub->add_option("--seed", *seed, "Override the scenario's seed");
  sub->add_option("--set", o->sets, "Override a knob: /json/pointer=value (repeatable)");
  sub->add_option("--out", o->out, "Run directory (default results/<name>/<UTC time>-live)");
  sub->add_option("--results", o->results_root, "Root of the default run directory")->capture_default_str();
  sub->add_flag("--json", o->json, "Print summary.json on stdout");
  sub->add_flag("--closed-loop", o->closed_loop, "Issue requests as fast as replies come (benchmarks)");
  sub->add_option("--concurrency", o->concurrency, "--closed-loop: requests in flight")->capture_default_str();
  return {sub, [o, seed, seed_opt]() -> int {
            LiveOptions opts = *o;
            if (seed_opt->count()) opts.seed = *seed;
            return run_live(opts);
          }};
}

}  // namespace cachelab::live::cli
