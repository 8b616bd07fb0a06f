#pragma once
// The throwaway metric of the run-metric tests (tests/run_metric/, tests/live/metric_parity/): completions the client
// logic reported to the run session, whole run. With warmup_s = 0 that equals the Recorder's `requests`, which is
// counted on another path (Recorder::request_done). Include it in one file per executable: it registers itself.
#include <cstdint>
#include <memory>

#include "cachelab/metrics/run_metric.hpp"

namespace cachelab::test {

class CompletedRequests final : public RunMetric {
 public:
  void on_completed(const Request&, Time) override { ++completed_; }
  nlohmann::json value(const RunMetricContext&) const override { return completed_; }

 private:
  uint64_t completed_ = 0;
};

inline const RegisterRunMetric completed_requests_registered({"throwaway_completed_requests",
                                                              "test only: completions seen by the session",
                                                              [] { return std::make_unique<CompletedRequests>(); }});

}  // namespace cachelab::test
