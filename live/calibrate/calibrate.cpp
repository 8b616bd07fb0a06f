#include "live/calibrate/calibrate.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <stdexcept>

#include "cachelab/cache/value_cost.hpp"
#include "cachelab/io/number_format.hpp"
#include "cachelab/net/transfer.hpp"
#include "cachelab/results/reader.hpp"
#include "cachelab/results/writer.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/calibration.hpp"
#include "cachelab/scenario/loader.hpp"
#include "live/replay/driver.hpp"

namespace cachelab::live {

using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

// The round trip the simulated twin of the 100 B run starts from; the measured one replaces it.
constexpr double kCalibrateBaseRttUs = 40;
// The link rate the 400 KB run is simulated at before the measured one is solved for (0.8 ns per byte).
constexpr double kCalibrateBaseGbps = 10;
constexpr double kCalibrateWarmupS = 1;

// Client instances (a connection each, one closed-loop session each) that keep the node busy for its service time.
constexpr int kCalibrateBusyClients = 8;

// The runs' scenario: one standalone node, `clients` instances of one closed-loop session each (a connection each,
// so every command is read alone) reading 16 keys of `value_bytes` (after the first 16 misses every GET hits), as
// scenarios/validation/live/big-values.json with one.
std::string calibrate_scenario(int value_bytes, double seconds, int clients = 1) {
  const json doc = {
      {"cachelab", 1},
      {"name", "calibrate"},
      {"title", "cachelab-live calibrate: " +
                    (clients == 1 ? std::string("one session") : std::to_string(clients) + " connections") +
                    " reading " + std::to_string(value_bytes) + "-byte values"},
      {"seed", 16},
      {"duration_s", seconds + kCalibrateWarmupS},
      {"warmup_s", kCalibrateWarmupS},
      {"metrics_interval_ms", 1000},
      {"cluster", {{"mode", "standalone"}, {"masters", 1}}},
      {"network", {{"rtt_us", {{"dist", "fixed"}, {"value", kCalibrateBaseRttUs}}}, {"nic_gbps", kCalibrateBaseGbps}}},
      {"workload",
       {{"keys", 16},
        {"popularity", {{"dist", "uniform"}}},
        {"value_bytes", {{"dist", "fixed"}, {"value", value_bytes}}},
        {"read_fraction", 1},
        {"arrival", {{"dist", "closed"}, {"sessions_per_instance", 1}}}}},
      {"clients", {{"instances", clients}, {"timeout_ms", 1000}}},
      {"origin", {{"servers", 8}, {"service_ms", {{"dist", "fixed"}, {"value", 0.1}}}, {"timeout_ms", 1000}}}};
  return doc.dump(2) + "\n";
}

std::string calibrate_fixed(const char* pointer, double value) {
  return std::string(pointer) + "=" + json{{"dist", "fixed"}, {"value", value}}.dump();
}
std::string calibrate_number(const char* pointer, double value) {
  return std::string(pointer) + "=" + json(value).dump();
}

// The runs' files and directories, removed at the end whatever happens.
struct CalibrateDir {
  fs::path path;
  CalibrateDir() {
    path = fs::temp_directory_path() / ("cachelab-calibrate-" + std::to_string(::getpid()));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~CalibrateDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

struct CalibrateRun {
  double per_s = 0;     // requests completed per second after the warm-up
  double cpu_us = -1;   // the node's CPU (live) or busy (simulated) time per command it ran
  std::string version;  // live: the server's redis_version
};

CalibrateRun calibrate_read(const json& summary, double seconds) {
  CalibrateRun r;
  r.per_s = summary.at("requests").get<double>() / seconds;
  const json& node = summary.at("nodes").at(0);
  if (node.at("utilization").is_number() && node.at("ops").get<double>() > 0)
    r.cpu_us =
        node.at("utilization").get<double>() * (seconds + kCalibrateWarmupS) * 1e6 / node.at("ops").get<double>();
  return r;
}

class Calibrator {
 public:
  explicit Calibrator(const CalibrateOptions& o) : o_(o) {}

  CalibrateRun live(int value_bytes, const std::vector<std::string>& sets, int clients = 1) {
    const std::string name = "live-" + std::to_string(++runs_);
    const fs::path file = dir_.path / (name + ".json");
    std::ofstream(file) << calibrate_scenario(value_bytes, o_.seconds, clients);
    LiveOptions lo;
    lo.file = file.string();
    lo.sets = sets;
    lo.spawn = o_.spawn;
    lo.redis = o_.redis;
    lo.allow_non_empty = o_.allow_non_empty;
    lo.out = (dir_.path / name).string();
    lo.quiet = true;
    if (const int rc = run_live(lo); rc == 2)  // refused: the address, the server's state (said above)
      throw std::invalid_argument("the live run was refused (its message is above)");
    else if (rc != 0)
      throw std::runtime_error("the live run of " + std::to_string(value_bytes) + "-byte values failed (exit " +
                               std::to_string(rc) + "; its messages are above)");
    const results::Run run = results::load_run(lo.out);
    CalibrateRun r = calibrate_read(run.summary.raw, o_.seconds);
    std::ifstream in(fs::path(lo.out) / "run.json");
    const json info = json::parse(in, nullptr, false);
    const json::json_pointer version("/host/redis_nodes/0/redis_version");
    if (!info.is_discarded() && info.contains(version) && info[version].is_string()) r.version = info[version];
    if (!(r.cpu_us > 0))
      throw std::runtime_error(
          "the server reported no CPU time for its main thread (INFO used_cpu_user_main_thread, "
          "Redis 6.2 or later), which the service time and the cost per byte are measured by");
    if (!(r.per_s > 0)) throw std::runtime_error("the live run completed no request after its warm-up");
    return r;
  }

  CalibrateRun sim(int value_bytes, const std::vector<std::string>& sets) {
    const Scenario s = load_scenario_text(calibrate_scenario(value_bytes, o_.seconds), "calibrate", sets);
    return calibrate_read(simulate(s).summary, o_.seconds);
  }

  CalibrationRound round() {
    CalibrationRound r;
    // The service time is Redis's CPU per command while it is kept busy: with one session it waits idle between
    // commands, and on a VM each wake-up costs CPU (this 2-vCPU VM, idle: 26.5-39.8 us per 100-B GET with one
    // session, 8.2-9.7 us with a build beside it). One session's wake-ups are part of its request's time: the round
    // trip below takes them.
    const CalibrateRun busy = live(100, {}, kCalibrateBusyClients);
    r.service_us = busy.cpu_us;
    const CalibrateRun live_small = live(100, {});
    r.one_session_cpu_us = live_small.cpu_us;
    version_ = live_small.version;
    const CalibrateRun sim_small = sim(100, {calibrate_fixed("/cluster/service_us", r.service_us)});
    r.live_100_per_s = live_small.per_s;
    r.rtt_us = kCalibrateBaseRttUs + (1e6 / live_small.per_s - 1e6 / sim_small.per_s);
    if (!(r.rtt_us > 0))
      throw std::runtime_error("the live 100-byte GETs (" + fmt::rate_per_s(live_small.per_s) +
                               ") outran the simulated node alone (" + fmt::rate_per_s(sim_small.per_s) +
                               " at a 40 us round trip): no round trip makes the two agree");
    const CalibrateRun live_big = live(kCalibrateLinkBytes, {});
    r.live_400k_per_s = live_big.per_s;
    r.ns_per_reply_byte = calibrate_ns_per_reply_byte(live_big.cpu_us, live_small.cpu_us, kCalibrateLinkBytes);
    const std::vector<std::string> sets = {calibrate_fixed("/cluster/service_us", r.service_us),
                                           calibrate_fixed("/network/rtt_us", r.rtt_us),
                                           calibrate_number("/cluster/get_ns_per_reply_byte", r.ns_per_reply_byte)};
    const CalibrateRun sim_big = sim(kCalibrateLinkBytes, sets);
    // What the simulated GET spends besides its value's bytes, which the link's rate does not change.
    const double rest_us =
        1e6 / sim_big.per_s - calibrate_bytes_us(kCalibrateLinkBytes, r.ns_per_reply_byte, 8 / kCalibrateBaseGbps);
    r.nic_gbps = calibrate_link_gbps(kCalibrateLinkBytes, r.ns_per_reply_byte, 1e6 / live_big.per_s - rest_us);
    return r;
  }

  const std::string& version() const { return version_; }

 private:
  const CalibrateOptions& o_;
  CalibrateDir dir_;
  int runs_ = 0;
  std::string version_;
};

double calibrate_median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// Rounded as the file keeps them: what is printed is what is applied.
double calibrate_round(double v, int decimals) {
  const double f = std::pow(10.0, decimals);
  return std::round(v * f) / f;
}

std::string calibrate_load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one;
  in >> one;
  return one.empty() ? "unknown" : one;
}

}  // namespace

double calibrate_ns_per_reply_byte(double cpu_us, double cpu_100_us, int bytes) {
  return std::max(0.0, (cpu_us - cpu_100_us) * 1000 / (bytes - 100));
}

double calibrate_bytes_us(int bytes, double node_ns_per_byte, double link_ns_per_byte) {
  const SlicedTransfer t(static_cast<uint64_t>(bytes));
  return t.reply_ns(node_ns_per_byte, link_ns_per_byte, link_ns_per_byte) / 1000;
}

double calibrate_link_gbps(int bytes, double node_ns_per_byte, double target_us) {
  double lo = 0.01, hi = 100;  // ns per byte: 800 to 0.08 Gbit/s
  for (int i = 0; i < 100; ++i) {
    const double w = (lo + hi) / 2;
    (calibrate_bytes_us(bytes, node_ns_per_byte, w) < target_us ? lo : hi) = w;
  }
  return 8 / ((lo + hi) / 2);
}

Calibration calibrate(const CalibrateOptions& o, std::ostream& log) {
  if (o.spawn == !o.redis.empty()) throw std::invalid_argument("give exactly one of --spawn or --redis HOST:PORT");
  if (o.redis.find(',') != std::string::npos)
    throw std::invalid_argument("--redis: one standalone server (HOST:PORT), found '" + o.redis + "'");
  if (o.rounds < 1 || o.rounds > 20) throw std::invalid_argument("--rounds: expected 1..20");
  if (!(o.seconds >= 1 && o.seconds <= 60)) throw std::invalid_argument("--seconds: expected 1..60");
  Calibrator c(o);
  Calibration out;
  // The check sizes run live in every round, beside the calibration's own runs, and are compared on their median:
  // one session's throughput on loopback moves between runs seconds apart as much as the checks would show.
  std::vector<std::vector<double>> check_live(o.check_bytes.size());
  std::string sizes = "100 B with " + std::to_string(kCalibrateBusyClients) + " connections and with one, 400 KB";
  for (const int bytes : o.check_bytes) sizes += ", " + fmt::count(bytes) + " B";
  for (int i = 0; i < o.rounds; ++i) {
    log << "calibrate: round " << i + 1 << " of " << o.rounds << " (live runs of " << sizes << ")\n" << std::flush;
    CalibrationRound r = c.round();
    for (size_t k = 0; k < o.check_bytes.size(); ++k) check_live[k].push_back(c.live(o.check_bytes[k], {}).per_s);
    // Rounded as the file keeps them, so the table's rounds and medians are the figures applied.
    r.rtt_us = calibrate_round(r.rtt_us, 1);
    r.service_us = calibrate_round(r.service_us, 2);
    r.ns_per_reply_byte = calibrate_round(r.ns_per_reply_byte, 4);
    r.nic_gbps = calibrate_round(r.nic_gbps, 2);
    r.one_session_cpu_us = calibrate_round(r.one_session_cpu_us, 2);
    out.rounds.push_back(r);
  }
  const auto med = [&](double CalibrationRound::*field, int decimals) {
    std::vector<double> v;
    for (const auto& r : out.rounds) v.push_back(r.*field);
    return calibrate_round(calibrate_median(v), decimals);
  };
  out.median.rtt_us = med(&CalibrationRound::rtt_us, 1);
  out.median.service_us = med(&CalibrationRound::service_us, 2);
  out.median.ns_per_reply_byte = med(&CalibrationRound::ns_per_reply_byte, 4);
  out.median.nic_gbps = med(&CalibrationRound::nic_gbps, 2);
  out.redis_version = c.version();
  const json knobs = {{"/network/rtt_us", {{"dist", "fixed"}, {"value", out.median.rtt_us}}},
                      {"/cluster/service_us", {{"dist", "fixed"}, {"value", out.median.service_us}}},
                      {"/cluster/get_ns_per_reply_byte", out.median.ns_per_reply_byte},
                      {"/network/nic_gbps", out.median.nic_gbps}};
  std::vector<std::string> sets;
  for (const auto& [k, v] : knobs.items()) sets.push_back(k + "=" + v.dump());
  for (size_t i = 0; i < o.check_bytes.size(); ++i) {
    CalibrationCheck k;
    k.value_bytes = o.check_bytes[i];
    k.live_per_s = calibrate_median(check_live[i]);
    k.sim_per_s = c.sim(k.value_bytes, sets).per_s;
    out.checks.push_back(k);
  }
  json rounds = json::array();
  for (const auto& r : out.rounds)
    rounds.push_back({{"rtt_us", calibrate_round(r.rtt_us, 1)},
                      {"service_us", calibrate_round(r.service_us, 2)},
                      {"get_ns_per_reply_byte", calibrate_round(r.ns_per_reply_byte, 4)},
                      {"nic_gbps", calibrate_round(r.nic_gbps, 2)},
                      {"one_session_cpu_per_100B_get_us", calibrate_round(r.one_session_cpu_us, 2)},
                      {"live_100B_per_s", calibrate_round(r.live_100_per_s, 0)},
                      {"live_400KB_per_s", calibrate_round(r.live_400k_per_s, 0)}});
  json checks = json::array();
  for (const auto& k : out.checks)
    checks.push_back({{"value_bytes", k.value_bytes},
                      {"live_per_s", calibrate_round(k.live_per_s, 0)},
                      {"sim_per_s", calibrate_round(k.sim_per_s, 0)},
                      {"sim_over_live", calibrate_round(k.sim_per_s / k.live_per_s, 3)}});
  out.document = {{"cachelab_calibration", kCalibrationFormat},
                  {"measured",
                   {{"at", utc_now_iso()},
                    {"target", o.spawn ? "a redis-server of our own on 127.0.0.1 (--spawn)" : "redis " + o.redis},
                    {"redis_version", out.redis_version},
                    {"rounds", o.rounds},
                    {"seconds_per_run", o.seconds},
                    {"load_average_1min", calibrate_load_average()},
                    {"protocol", "cachelab-live calibrate (live/calibrate/calibrate.hpp)"}}},
                  {"knobs", knobs},
                  {"rounds", rounds},
                  {"check", checks}};
  return out;
}

json calibrate_defaults() {
  json doc = json::parse(calibrate_scenario(100, 1));
  doc.erase("network");
  const Scenario s = load_scenario_text(doc.dump(), "defaults");
  const json& r = s.resolved;
  // A sampled knob's default as a reader knows it: "8 µs", "lognormal, median 250 µs".
  const auto dist_text = [](const json& d) -> std::string {
    const std::string kind = d.value("dist", "");
    if (kind == "fixed") return fmt::duration_us(d.at("value").get<double>());
    if (d.contains("median")) return kind + ", median " + fmt::duration_us(d.at("median").get<double>());
    if (d.contains("mean")) return kind + ", mean " + fmt::duration_us(d.at("mean").get<double>());
    return kind;
  };
  const json& per_byte = r.at("cluster").at("get_ns_per_reply_byte");  // null: Redis 7.0's fit
  return {{"network.rtt_us", dist_text(r.at("network").at("rtt_us"))},
          {"cluster.service_us", dist_text(r.at("cluster").at("service_us"))},
          {"cluster.get_ns_per_reply_byte",
           fmt::sig(per_byte.is_null() ? kFitGetNsPerReplyByte : per_byte.get<double>()) + " ns"},
          {"network.nic_gbps", fmt::sig(r.at("network").at("nic_gbps").get<double>()) + " Gbit/s"}};
}

// `text` padded to `width` characters as a terminal shows them (µ is two bytes and one column).
std::string calibrate_pad(const std::string& text, size_t width) {
  size_t columns = 0;
  for (const unsigned char ch : text) columns += (ch & 0xC0) != 0x80;
  return text + std::string(columns < width ? width - columns : 1, ' ');
}

std::string calibration_text(const Calibration& c, const json& defaults) {
  std::string t;
  char line[256];
  t += "  " + calibrate_pad("knob", 32) + calibrate_pad("default", 27) + calibrate_pad("measured", 13) + "rounds\n";
  struct Row {
    const char* name;
    double CalibrationRound::*field;
    std::string (*show)(double);
  };
  const Row rows[] = {
      {"network.rtt_us", &CalibrationRound::rtt_us, [](double v) { return fmt::duration_us(v); }},
      {"cluster.service_us", &CalibrationRound::service_us, [](double v) { return fmt::duration_us(v); }},
      {"cluster.get_ns_per_reply_byte", &CalibrationRound::ns_per_reply_byte,
       [](double v) { return fmt::sig(v) + " ns"; }},
      {"network.nic_gbps", &CalibrationRound::nic_gbps, [](double v) { return fmt::sig(v) + " Gbit/s"; }},
  };
  for (const auto& r : rows) {
    std::string rounds;
    for (const auto& x : c.rounds) rounds += (rounds.empty() ? "" : ", ") + r.show(x.*r.field);
    const std::string d = defaults.contains(r.name) ? defaults.at(r.name).get<std::string>() : "?";
    t += "  " + calibrate_pad(r.name, 32) + calibrate_pad(d, 27) + calibrate_pad(r.show(c.median.*r.field), 13) +
         rounds + "\n";
  }
  std::string one;
  std::vector<double> ones;
  for (const auto& x : c.rounds) {
    one += (one.empty() ? "" : ", ") + fmt::duration_us(x.one_session_cpu_us);
    ones.push_back(x.one_session_cpu_us);
  }
  t += "Redis's CPU per 100-B GET: " + fmt::duration_us(c.median.service_us) + " with " +
       std::to_string(kCalibrateBusyClients) + " connections keeping it busy (the service time),\n  " +
       fmt::duration_us(calibrate_median(ones)) + " with one session (" + one +
       "): one session's wake-ups are in its round trip\n";
  if (!c.checks.empty()) {
    t += "check: one session in a closed loop reading values of each size, GET/s after the warm-up (live: the "
         "median of the rounds)\n";
    std::snprintf(line, sizeof line, "  %-14s %-12s %-22s %s\n", "value size", "live", "simulated (calibrated)",
                  "sim / live");
    t += line;
    for (const auto& k : c.checks) {
      std::snprintf(line, sizeof line, "  %-14s %-12s %-22s %.2f\n", (fmt::count(k.value_bytes) + " B").c_str(),
                    fmt::rate_per_s(k.live_per_s).c_str(), fmt::rate_per_s(k.sim_per_s).c_str(),
                    k.sim_per_s / k.live_per_s);
      t += line;
    }
  }
  return t;
}

}  // namespace cachelab::live
