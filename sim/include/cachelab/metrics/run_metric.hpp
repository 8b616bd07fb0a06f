#pragma once
// A metric declared once and computed by the run session in both modes (run/session.hpp): it sees every issued and
// every completed application request, writes its value at summary.json `/<name>` in the simulator's and in live
// mode's runs, and `cachelab compare` lines it up by that name (results/compare.cpp). One file with a
// RegisterRunMetric line adds one; nothing else changes.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cachelab/core/time.hpp"
#include "cachelab/protocol/request.hpp"

namespace cachelab {

class Recorder;

// What a metric may read when the summary is built.
struct RunMetricContext {
  const Recorder& recorder;
  double measured_s;  // the measured period (after warmup_s)
  Time warmup_end;
};

class RunMetric {
 public:
  virtual ~RunMetric() = default;
  virtual void on_issued(const Request& r) { (void)r; }
  virtual void on_completed(const Request& r, Time done) { (void)r, (void)done; }
  // The value at summary.json `/<name>`: a number, or null when it does not exist.
  virtual nlohmann::json value(const RunMetricContext& ctx) const = 0;
};

struct RunMetricKind {
  std::string name;  // the summary.json key and compare's metric name; must not clash with a key of the schema
  std::string doc;
  std::function<std::unique_ptr<RunMetric>()> make;
};

// A catalogue filled at load time, like the fault and policy registries (not run state).
class RunMetricRegistry {
 public:
  static RunMetricRegistry& instance();
  void add(RunMetricKind k);
  const std::vector<RunMetricKind>& all() const { return kinds_; }

 private:
  std::vector<RunMetricKind> kinds_;
};

struct RegisterRunMetric {
  explicit RegisterRunMetric(RunMetricKind k) { RunMetricRegistry::instance().add(std::move(k)); }
};

}  // namespace cachelab
