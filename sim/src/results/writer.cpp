#include "cachelab/results/writer.hpp"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <chrono>
#include <ctime>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace cachelab {

namespace fs = std::filesystem;
using nlohmann::json;

static std::string utc_stamp(const char* format) {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

std::string utc_now_iso() { return utc_stamp("%Y-%m-%dT%H:%M:%SZ"); }

// A bare name ("--out d1") has an empty parent: anchor it at the working directory; "d1/" names d1.
static fs::path normal_dir(const fs::path& in) {
  fs::path p = in.lexically_normal();
  if (p.filename().empty() && p.has_parent_path()) p = p.parent_path();
  return p.has_parent_path() ? p : fs::path(".") / p;
}

static bool holds_run_files(const fs::path& dir) {
  std::error_code ec;
  for (const char* f : {"run.json", "summary.json", "series.csv", "events.jsonl"})
    if (fs::exists(dir / f, ec)) return true;
  return false;
}

// Hidden `.NAME.tmp-PID` directories of writers that were killed (kill -9) before their rename: removed when no
// process has that PID any more. Only names of exactly that shape are touched.
static void remove_stale_tmp_dirs(const fs::path& parent) {
  std::error_code ec;
  for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string n = it->path().filename().string();
    const auto at = n.rfind(".tmp-");
    if (n.size() < 7 || n[0] != '.' || at == std::string::npos || at == 0) continue;
    const std::string digits = n.substr(at + 5);
    if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = static_cast<pid_t>(std::stol(digits));
    if (pid == getpid() || (pid > 0 && !(::kill(pid, 0) != 0 && errno == ESRCH))) continue;  // ours, or alive
    std::error_code rm;
    fs::remove_all(it->path(), rm);
  }
}

fs::path reserve_run_dir(const fs::path& dir_in) {
  const fs::path dir = normal_dir(dir_in);
  std::error_code ec;
  fs::create_directories(dir.parent_path(), ec);
  if (ec) throw OutputError("cannot create " + dir.parent_path().string() + ": " + ec.message());
  if (holds_run_files(dir.parent_path()))
    throw OutputError("refusing to write a run directory inside the run directory " + dir.parent_path().string());
  if (::mkdir(dir.c_str(), 0777) != 0) {
    const int err = errno;
    if (err == EEXIST) throw OutputError(dir.string() + " exists; a run directory is never overwritten");
    throw OutputError("cannot create the run directory " + dir.string() + ": " + std::strerror(err));
  }
  // The tmp sibling is created next to it at write time: check now that it can be.
  if (::access(dir.parent_path().c_str(), W_OK | X_OK) != 0) {
    const int err = errno;
    ::rmdir(dir.c_str());
    throw OutputError("cannot write in " + dir.parent_path().string() + ": " + std::strerror(err));
  }
  remove_stale_tmp_dirs(dir.parent_path());
  return dir;
}

void release_run_dir(const fs::path& dir) noexcept { ::rmdir(normal_dir(dir).c_str()); }

fs::path default_run_dir(const fs::path& root, const std::string& name, const std::string& mode) {
  const fs::path base = root / name / (utc_stamp("%Y%m%dT%H%M%SZ") + "-" + mode);
  fs::path dir = base;
  // mkdir is atomic: two runs started in the same second get -2 and -3, never one name (issue 21).
  for (int i = 2;; ++i) {
    try {
      return reserve_run_dir(dir);
    } catch (const OutputError&) {
      std::error_code ec;
      if (!fs::exists(dir, ec) || i > 10000) throw;
    }
    dir = base.string() + "-" + std::to_string(i);
  }
}

std::string check_output_file(const fs::path& path_in) {
  if (path_in.empty()) return "an empty output path";
  const fs::path path = path_in.lexically_normal();
  if (path.filename().empty()) return path_in.string() + " names a directory, not a file";
  std::error_code ec;
  const auto st = fs::status(path, ec);
  if (fs::is_directory(st)) return path_in.string() + " is a directory, not a file";
  const fs::path parent = path.has_parent_path() ? path.parent_path() : fs::path(".");
  if (fs::exists(st) && !fs::is_regular_file(st)) return "";  // /dev/null, /dev/stdout, a FIFO: written as a stream
  if (holds_run_files(parent))
    return "refusing to write " + path_in.string() + " inside the run directory " + parent.string() +
           " (a run's files are never replaced)";
  if (!fs::is_directory(parent, ec)) return "the directory " + parent.string() + " does not exist";
  if (fs::exists(st) ? ::access(path.c_str(), W_OK) != 0 : ::access(parent.c_str(), W_OK | X_OK) != 0)
    return "cannot write " + path_in.string() + ": " + std::strerror(errno);
  return "";
}

std::string check_output_dir(const fs::path& dir_in) {
  if (dir_in.empty()) return "an empty output directory";
  const fs::path dir = normal_dir(dir_in);
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) return dir_in.string() + " exists and is not a directory";
  if (holds_run_files(dir)) return "refusing to write into the run directory " + dir.string();
  fs::path probe = dir;
  while (!probe.empty() && !fs::exists(probe, ec)) probe = probe.parent_path();
  if (probe.empty()) probe = ".";
  if (!fs::is_directory(probe, ec)) return probe.string() + " is not a directory";
  if (::access(probe.c_str(), W_OK | X_OK) != 0)
    return "cannot write in " + probe.string() + ": " + std::strerror(errno);
  return "";
}

json make_run_json(const Scenario& s, const RunOutput& out, const std::string& mode, const std::string& started_utc) {
  char host[256] = "";
  gethostname(host, sizeof host - 1);
  // The host calibration applied, if any: its file and the overrides that came from it (the first of `overrides`).
  json calibration = nullptr;
  if (auto knobs = s.calibration_overrides(); !knobs.empty())
    calibration = {{"file", s.calibration.file}, {"overrides", std::move(knobs)}};
  return {{"cachelab_version", CACHELAB_VERSION},
          {"mode", mode},
          {"seed", s.seed},
          {"scenario_file", s.file},
          {"overrides", s.overrides},
          {"calibration", calibration},
          {"scenario", s.resolved},
          {"started_utc", started_utc},
          {"wall_s", out.wall_s},
          {"cancelled", out.cancelled},
          {"host", {{"hostname", host}, {"cores", std::thread::hardware_concurrency()}}},
          {"sim", {{"events", out.events_processed}, {"simulated_requests", out.requests_issued}}}};
}

std::string format_json(const json& j) { return j.dump(2) + "\n"; }

std::string format_series_csv(const SeriesTable& t) {
  std::string out;
  for (size_t i = 0; i < t.columns.size(); ++i) {
    if (i) out += ",";
    out += t.columns[i];
  }
  out += "\n";
  for (const auto& row : t.rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) out += ",";
      out += row[i];
    }
    out += "\n";
  }
  return out;
}

std::string format_events_jsonl(const std::vector<json>& events) {
  std::string out;
  for (const auto& e : events) out += e.dump() + "\n";
  return out;
}

static void write_file(const fs::path& p, const std::string& text) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  if (!f) throw OutputError("cannot write " + p.string());
  f << text;
  f.close();
  if (!f) throw OutputError("error writing " + p.string() + " (disk full?)");
}

void write_run_dir(const fs::path& dir_in, const json& run, const json& summary, const SeriesTable& series,
                   const std::vector<json>& events, const results::RequestTraceFile* requests) {
  const fs::path dir = normal_dir(dir_in);
  std::error_code ec;
  // A directory reserved up front (reserve_run_dir, default_run_dir) exists and is empty: the rename below replaces
  // it atomically. Anything else that exists is never overwritten.
  if (fs::exists(dir, ec) && !(fs::is_directory(dir, ec) && fs::is_empty(dir, ec)))
    throw OutputError("refusing to overwrite an existing run directory: " + dir.string());
  fs::create_directories(dir.parent_path(), ec);
  if (ec) throw OutputError("cannot create " + dir.parent_path().string() + ": " + ec.message());
  const fs::path tmp = dir.parent_path() / ("." + dir.filename().string() + ".tmp-" + std::to_string(getpid()));
  fs::remove_all(tmp, ec);
  fs::create_directory(tmp, ec);
  if (ec) throw OutputError("cannot create " + tmp.string() + ": " + ec.message());
  try {
    write_file(tmp / "run.json", format_json(run));
    write_file(tmp / "summary.json", format_json(summary));
    write_file(tmp / "series.csv", format_series_csv(series));
    write_file(tmp / "events.jsonl", format_events_jsonl(events));
    if (requests) write_file(tmp / results::kRequestsFile, results::format_requests_jsonl(*requests));
    fs::rename(tmp, dir);
  } catch (...) {
    fs::remove_all(tmp, ec);
    throw;
  }
}

}  // namespace cachelab
