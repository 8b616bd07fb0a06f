// {"dist": "uniform", "min": a, "max": b}: uniform on [a, b).
#include "cachelab/core/dist.hpp"
#include "cachelab/core/samplers.hpp"

namespace cachelab {
namespace {

class Uniform final : public RealDist {
 public:
  Uniform(double lo, double hi) : lo_(lo), hi_(hi) {}
  double sample(Rng& rng) const override { return sample_uniform(rng, lo_, hi_); }
  double mean() const override { return (lo_ + hi_) / 2; }

 private:
  double lo_, hi_;
};

schema::ObjectPtr uniform_params() {
  auto o = std::make_shared<schema::ObjectSpec>();
  o->fields.push_back(schema::number("min").req().min(0).about("lower bound"));
  o->fields.push_back(schema::number("max").req().min(0).about("upper bound (>= min)"));
  o->cross_check = [](const nlohmann::json& j, const auto& report) {
    if (j.at("max").get<double>() < j.at("min").get<double>())
      report("/max", "a number >= min (" + j.at("min").dump() + ")", j.at("max").dump());
  };
  return o;
}

const RegisterDist uniform_registration({"uniform", "uniform between min and max", uniform_params(),
                                         [](const nlohmann::json& j) {
                                           return std::make_unique<Uniform>(j.at("min").get<double>(),
                                                                            j.at("max").get<double>());
                                         }});

}  // namespace
}  // namespace cachelab
