#pragma once
// `cachelab-live calibrate`: measures on real Redis the knobs that belong to the machine rather than to a scenario
// (scenario/calibration.hpp) and writes them as a calibration file. The protocol is the one
// tests/live/validation_live_test.cpp (LiveValidation.BigValuesThroughputLiveAgainstSimFrom1KBTo1MB) calibrates its
// rounds with (docs/redis-reference.md §12.3-12.4): one standalone node, one client session in a closed loop reading
// 16 keys of one fixed size, run live and then simulated on the same file.
//   - 100 B, eight client instances of one session each (a connection each): the server's CPU per GET (INFO
//     used_cpu_*_main_thread over the commands it ran) while it is kept busy is the node's service time
//     (`cluster.service_us`: what a node's capacity follows; a single session's is higher on a VM, whose idle vCPU
//     pays for every wake-up);
//   - 100 B, one session: the round trip (`network.rtt_us`) is what makes the simulated throughput live's: 40 us +
//     (1 / live throughput - 1 / simulated throughput at 40 us). It holds the client's own time per request and the
//     wake-ups.
//   - 400 KB, one session: the server's CPU per GET more than one session's at 100 B, per byte more, is the node's
//     cost per reply byte
//     (`cluster.get_ns_per_reply_byte`); the link's rate (`network.nic_gbps`) is the one at which the simulator's
//     time per GET (net/transfer.hpp's sliced transfer) equals live's.
// Each round measures all four and runs every --check size live; the file holds the medians. Then every --check size
// is simulated with the medians and set beside its live median, so the user sees how well the calibrated simulator
// predicts this machine at sizes it was not calibrated at.
#include <iosfwd>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cachelab::live {

struct CalibrateOptions {
  bool spawn = false;
  std::string redis;  // HOST:PORT of a standalone server (password from CACHELAB_REDIS_PASSWORD)
  bool allow_non_empty = false;
  int rounds = 3;
  double seconds = 2;                          // each run's measured time, after a 1 s warm-up
  std::vector<int> check_bytes{1000, 100000};  // value sizes run with the result, live and simulated
};

// One round's measurements.
struct CalibrationRound {
  double rtt_us = 0, service_us = 0, ns_per_reply_byte = 0, nic_gbps = 0;
  double one_session_cpu_us = 0;                   // Redis's CPU per 100-B GET with one session
  double live_100_per_s = 0, live_400k_per_s = 0;  // live throughputs of the one-session runs
};

// A --check size: throughput live and simulated with the calibrated knobs.
struct CalibrationCheck {
  int value_bytes = 0;
  double live_per_s = 0, sim_per_s = 0;
};

struct Calibration {
  std::vector<CalibrationRound> rounds;
  CalibrationRound median;  // the knobs: each the median of the rounds' (the live throughputs are left 0)
  std::vector<CalibrationCheck> checks;
  std::string redis_version;
  nlohmann::json document;  // the calibration file (scenario/calibration.hpp reads it)
};

// The bytes of a value the link's rate is measured with.
inline constexpr int kCalibrateLinkBytes = 400000;

// Runs the protocol; progress lines go to `log`. Throws std::runtime_error (a run failed, the server reported no CPU
// time) and std::invalid_argument (bad options).
Calibration calibrate(const CalibrateOptions& options, std::ostream& log);

// Redis's CPU per reply byte (ns) at `bytes`: its CPU per GET there (us) less at 100 B, per byte more; never below 0.
double calibrate_ns_per_reply_byte(double cpu_us, double cpu_100_us, int bytes);

// The simulator's time for a GET's `bytes` of value (net/transfer.hpp): the node's work at `node_ns_per_byte` (its
// copy into the reply block, then its write) and the link at `link_ns_per_byte`, the write and the link in 64 KB
// slices that overlap, in us.
double calibrate_bytes_us(int bytes, double node_ns_per_byte, double link_ns_per_byte);

// The link's rate (Gbit/s) at which the sliced transfer of `bytes` with the node's `node_ns_per_byte` takes
// `target_us`, by bisection over 0.08-800 Gbit/s (the bounds when the target is outside them).
double calibrate_link_gbps(int bytes, double node_ns_per_byte, double target_us);

// The knobs' defaults, as a scenario that does not set them gets them, by the table's names ("network.rtt_us").
nlohmann::json calibrate_defaults();

// The table `cachelab-live calibrate` prints: each knob's default and measured value, the rounds, the checks.
std::string calibration_text(const Calibration& c, const nlohmann::json& defaults);

}  // namespace cachelab::live
