// {"dist": "lognormal", "median": m, "p99": q}: the way latency is usually quoted. mu = ln m and
// sigma = ln(q/m) / z_0.99 with z_0.99 = 2.326347874 (the standard normal's 99th percentile).
#include <cmath>

#include "cachelab/core/dist.hpp"
#include "cachelab/core/samplers.hpp"

namespace cachelab {
namespace {

constexpr double kZ99 = 2.3263478740408408;

class Lognormal final : public RealDist {
 public:
  Lognormal(double median, double p99) : mu_(std::log(median)), sigma_(std::log(p99 / median) / kZ99) {}
  double sample(Rng& rng) const override { return sample_lognormal(rng, mu_, sigma_); }
  double mean() const override { return std::exp(mu_ + sigma_ * sigma_ / 2); }

 private:
  double mu_, sigma_;
};

schema::ObjectPtr lognormal_params() {
  auto o = std::make_shared<schema::ObjectSpec>();
  o->fields.push_back(schema::number("median").req().min(0, true).about("the median (50th percentile)"));
  o->fields.push_back(schema::number("p99").req().min(0, true).about("the 99th percentile (>= median)"));
  o->cross_check = [](const nlohmann::json& j, const auto& report) {
    if (j.at("p99").get<double>() < j.at("median").get<double>())
      report("/p99", "a number >= median (" + j.at("median").dump() + ")", j.at("p99").dump());
  };
  return o;
}

const RegisterDist lognormal_registration({"lognormal", "lognormal given by its median and 99th percentile",
                                           lognormal_params(), [](const nlohmann::json& j) {
                                             return std::make_unique<Lognormal>(j.at("median").get<double>(),
                                                                                j.at("p99").get<double>());
                                           }});

}  // namespace
}  // namespace cachelab
