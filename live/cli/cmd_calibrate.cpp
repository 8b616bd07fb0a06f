// cachelab-live calibrate (--spawn | --redis HOST:PORT): this machine's round trip, Redis's time per command and per
// reply byte and the link's rate, measured on real Redis (live/calibrate/calibrate.hpp), written as a calibration
// file that `cachelab run/sweep/plan --calibration FILE` (and `cachelab-live live --compare`) apply.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <vector>

#include "cachelab/scenario/calibration.hpp"
#include "cachelab/scenario/loader.hpp"
#include "commands.hpp"
#include "live/calibrate/calibrate.hpp"
#include "size_list.hpp"

namespace cachelab::live::cli {

namespace {

// The directories above --out's file that did not exist before the command: removed (each only if empty) when it
// ends without writing the file, so a failed measurement leaves nothing behind.
struct CalibrateMadeDirs {
  std::vector<std::filesystem::path> dirs;  // deepest first
  bool keep = false;
  explicit CalibrateMadeDirs(std::filesystem::path dir) {
    std::error_code ec;
    while (!dir.empty() && !std::filesystem::exists(dir, ec)) {
      dirs.push_back(dir);
      if (!dir.has_parent_path() || dir.parent_path() == dir) break;
      dir = dir.parent_path();
    }
  }
  ~CalibrateMadeDirs() {
    if (keep) return;
    std::error_code ec;
    for (const auto& d : dirs) std::filesystem::remove(d, ec);  // fails, harmlessly, on a directory not empty
  }
};

}  // namespace

Command add_calibrate(CLI::App& app) {
  auto* sub = app.add_subcommand(
      "calibrate",
      "Measure this machine's round trip, Redis's time per command and per byte, and the link's rate on "
      "real Redis; write them as a calibration file (--calibration FILE)");
  auto o = std::make_shared<CalibrateOptions>();
  auto out = std::make_shared<std::string>("results/calibration.json");
  auto check = std::make_shared<std::string>("1000,100000");
  sub->add_flag("--spawn", o->spawn, "Start a private redis-server on loopback for each run");
  sub->add_option("--redis", o->redis,
                  "Measure this standalone server (HOST:PORT); password from CACHELAB_REDIS_PASSWORD; the runs' keys "
                  "are deleted after each run");
  sub->add_flag("--allow-non-empty", o->allow_non_empty, "--redis: use a server that already holds keys");
  sub->add_option("--rounds", o->rounds, "Rounds of measurement; the file holds their medians")
      ->capture_default_str()
      ->check(CLI::Range(1, 20));
  sub->add_option("--seconds", o->seconds, "Measured seconds of each run (after a 1 s warm-up)")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 60.0));
  sub->add_option("--check", *check,
                  "Value sizes in bytes run live and simulated with the result, comma-separated (or none)")
      ->capture_default_str();
  sub->add_option("--out", *out, "The calibration file to write")->capture_default_str();
  return {sub, [o, out, check]() -> int {
            const auto sizes = *check == "none" ? std::optional<std::vector<uint64_t>>(std::vector<uint64_t>{})
                                                : parse_size_list(*check, 16 * 1048576, 8);
            if (!sizes) {
              std::cerr << "cachelab-live calibrate: --check: expected up to 8 comma-separated sizes in "
                           "1..16777216 bytes (or none), found '"
                        << *check << "'\n";
              return 2;
            }
            o->check_bytes.assign(sizes->begin(), sizes->end());
            // --out's directory is made now, so a path that cannot be written is refused before a minute of
            // measuring; the directories made here are removed again unless the file is written.
            namespace fs = std::filesystem;
            const fs::path file(*out);
            const fs::path parent = file.parent_path().empty() ? fs::path(".") : file.parent_path();
            std::error_code ec;
            if (!file.has_filename() || fs::is_directory(file, ec)) {
              std::cerr << "cachelab-live calibrate: --out: expected a file name, found the directory '" << *out
                        << "'\n";
              return 2;
            }
            CalibrateMadeDirs made(parent);
            fs::create_directories(parent, ec);
            if (ec || !fs::is_directory(parent, ec) || access(parent.c_str(), W_OK) != 0) {
              std::cerr << "cachelab-live calibrate: --out: cannot write in " << parent.string() << "\n";
              return 2;
            }
            Calibration c;
            try {
              c = calibrate(*o, std::cerr);
            } catch (const std::invalid_argument& e) {
              std::cerr << "cachelab-live calibrate: " << e.what() << "\n";
              return 2;
            } catch (const std::exception& e) {
              std::cerr << "cachelab-live calibrate: " << e.what() << "\nnothing was written\n";
              return 1;
            }
            // The file must read back as a calibration before it replaces anything.
            try {
              calibration_overrides_from(c.document, file.string());
            } catch (const std::exception& e) {
              std::cerr << "cachelab-live calibrate: the measurement is not a usable calibration:\n"
                        << e.what() << "\nnothing was written\n";
              return 1;
            }
            const fs::path tmp = file.string() + ".tmp-" + std::to_string(::getpid());
            {
              std::ofstream f(tmp);
              f << c.document.dump(2) << "\n";
              if (!f) {
                std::cerr << "cachelab-live calibrate: cannot write " << tmp.string() << "\n";
                fs::remove(tmp, ec);
                return 1;
              }
            }
            fs::rename(tmp, file, ec);
            if (ec) {
              std::cerr << "cachelab-live calibrate: cannot write " << file.string() << ": " << ec.message() << "\n";
              fs::remove(tmp, ec);
              return 1;
            }
            made.keep = true;
            std::cout << "calibration of " << (o->spawn ? "a redis-server of our own on 127.0.0.1" : o->redis)
                      << " (Redis " << (c.redis_version.empty() ? "?" : c.redis_version) << "), " << o->rounds
                      << " round" << (o->rounds == 1 ? "" : "s") << " of " << o->seconds << "-s runs:\n"
                      << calibration_text(c, calibrate_defaults()) << "written to " << file.string()
                      << "; apply it with: cachelab run FILE --calibration " << file.string() << "\n";
            return 0;
          }};
}

}  // namespace cachelab::live::cli
