// {"dist": "hotspot", "hot_keys_fraction": 0.2, "hot_ops_fraction": 0.8}: YCSB's HotspotIntegerGenerator over
// [0, keys): the hot set is the first (int)(keys * hot_keys_fraction) keys; a request goes to it with probability
// hot_ops_fraction, uniformly within it, else uniformly over the cold rest. YCSB's defaults (hotspotdatafraction 0.2,
// hotspotopnfraction 0.8) are ours. YCSB draws Math.abs(nextLong()) % interval; we draw an unbiased Rng::below.
// Empty hot or cold sets (a fraction of 0 or 1) send every request to the other set instead of dividing by zero.
#include <cmath>

#include "cachelab/workload/popularity.hpp"

namespace cachelab {
namespace {

class Hotspot final : public KeyChooser {
 public:
  Hotspot(uint64_t keys, double data_fraction, double ops_fraction)
      : hot_(static_cast<uint64_t>(static_cast<double>(keys) * data_fraction)), cold_(keys - hot_), ops_(ops_fraction) {
    if (hot_ == 0) ops_ = 0;
    if (cold_ == 0) ops_ = 1;
  }
  uint64_t next(Rng& rng) override {
    if (rng.uniform01() < ops_) return rng.below(hot_);
    return hot_ + rng.below(cold_);
  }
  double probability(uint64_t key) const override {
    return key < hot_ ? ops_ / static_cast<double>(hot_) : (1 - ops_) / static_cast<double>(cold_);
  }

 private:
  uint64_t hot_, cold_;
  double ops_;
};

schema::ObjectPtr hotspot_params() {
  auto o = std::make_shared<schema::ObjectSpec>();
  o->fields.push_back(
      schema::number("hot_keys_fraction")
          .dflt(0.2)
          .min(0)
          .max(1)
          .about("share of the key space that is hot: key numbers below keys x this (YCSB hotspotdatafraction)"));
  o->fields.push_back(schema::number("hot_ops_fraction")
                          .dflt(0.8)
                          .min(0)
                          .max(1)
                          .about("share of requests that go to the hot set (YCSB hotspotopnfraction)"));
  return o;
}

const RegisterPopularity hotspot_registration({"hotspot", "YCSB hotspot: a hot set and a cold set, each uniform",
                                               hotspot_params(), [](const nlohmann::json& j, uint64_t keys) {
                                                 return std::make_unique<Hotspot>(
                                                     keys, j.at("hot_keys_fraction").get<double>(),
                                                     j.at("hot_ops_fraction").get<double>());
                                               }});

}  // namespace
}  // namespace cachelab
