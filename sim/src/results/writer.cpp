#include "cachelab/results/writer.hpp"

#include <unistd.h>

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

fs::path default_run_dir(const fs::path& root, const std::string& name, const std::string& mode) {
  const fs::path base = root / name / (utc_stamp("%Y%m%dT%H%M%SZ") + "-" + mode);
  fs::path dir = base;
  for (int i = 2; fs::exists(dir); ++i) dir = base.string() + "-" + std::to_string(i);
  return dir;
}

json make_run_json(const Scenario& s, const RunOutput& out, const std::string& mode, const std::string& started_utc) {
  char host[256] = "";
  gethostname(host, sizeof host - 1);
  return {{"cachelab_version", CACHELAB_VERSION},
          {"mode", mode},
          {"seed", s.seed},
          {"scenario_file", s.file},
          {"overrides", s.overrides},
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
  if (!f) throw std::runtime_error("cannot write " + p.string());
  f << text;
  f.flush();
  if (!f) throw std::runtime_error("error writing " + p.string());
}

void write_run_dir(const fs::path& dir_in, const json& run, const json& summary, const SeriesTable& series,
                   const std::vector<json>& events) {
  // A bare name ("--out d1") has an empty parent: anchor it at the working directory.
  const fs::path dir = dir_in.has_parent_path() ? dir_in : fs::path(".") / dir_in;
  if (fs::exists(dir)) throw std::runtime_error("refusing to overwrite an existing run directory: " + dir.string());
  std::error_code ec;
  fs::create_directories(dir.parent_path(), ec);
  if (ec) throw std::runtime_error("cannot create " + dir.parent_path().string() + ": " + ec.message());
  const fs::path tmp = dir.parent_path() / ("." + dir.filename().string() + ".tmp-" + std::to_string(getpid()));
  fs::remove_all(tmp, ec);
  fs::create_directory(tmp, ec);
  if (ec) throw std::runtime_error("cannot create " + tmp.string() + ": " + ec.message());
  try {
    write_file(tmp / "run.json", format_json(run));
    write_file(tmp / "summary.json", format_json(summary));
    write_file(tmp / "series.csv", format_series_csv(series));
    write_file(tmp / "events.jsonl", format_events_jsonl(events));
    fs::rename(tmp, dir);
  } catch (...) {
    fs::remove_all(tmp, ec);
    throw;
  }
}

}  // namespace cachelab
