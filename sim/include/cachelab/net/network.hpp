#pragma once
// The network between clients and nodes. For now one round-trip-time distribution for every client-node pair,
// sampled per command and split evenly between the two directions. (The Boost.Graph topology with hosts, zones,
// links and partitions is the control-plane issue's; it will replace the single distribution behind this class.)
#include <memory>

#include <nlohmann/json.hpp>

#include "cachelab/core/dist.hpp"
#include "cachelab/core/time.hpp"

namespace cachelab {

class Network {
 public:
  Network(const nlohmann::json& rtt_us, Rng rng) : rtt_us_(make_dist(rtt_us)), rng_(rng) {}
  Time sample_rtt() {
    const double us = rtt_us_->sample(rng_);
    return Time::ns(static_cast<int64_t>(us * 1000.0 + 0.5));
  }
  double mean_rtt_us() const { return rtt_us_->mean(); }

 private:
  std::unique_ptr<RealDist> rtt_us_;
  Rng rng_;
};

}  // namespace cachelab
