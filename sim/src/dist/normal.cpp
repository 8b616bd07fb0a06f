// {"dist": "normal", "mean": m, "stddev": s}: samples below 0 are clamped to 0 (times and sizes are never negative),
// so the mean reported for estimates is that of the clamped variable.
#include <cmath>

#include "cachelab/core/dist.hpp"
#include "cachelab/core/samplers.hpp"

namespace cachelab {
namespace {

class Normal final : public RealDist {
 public:
  Normal(double m, double s) : m_(m), s_(s) {}
  double sample(Rng& rng) const override {
    const double x = sample_normal(rng, m_, s_);
    return x < 0 ? 0 : x;
  }
  double mean() const override {
    if (s_ == 0) return m_ < 0 ? 0 : m_;
    // E[max(X, 0)] = m Phi(m/s) + s phi(m/s).
    const double z = m_ / s_;
    const double Phi = 0.5 * std::erfc(-z / std::sqrt(2.0));
    const double phi = std::exp(-z * z / 2) / std::sqrt(2 * M_PI);
    return m_ * Phi + s_ * phi;
  }

 private:
  double m_, s_;
};

schema::ObjectPtr normal_params() {
  auto o = std::make_shared<schema::ObjectSpec>();
  o->fields.push_back(schema::number("mean").req().min(0).about("the mean before clamping at 0"));
  o->fields.push_back(schema::number("stddev").req().min(0).about("the standard deviation"));
  return o;
}

const RegisterDist normal_registration({"normal", "normal, clamped at 0", normal_params(), [](const nlohmann::json& j) {
                                          return std::make_unique<Normal>(j.at("mean").get<double>(),
                                                                          j.at("stddev").get<double>());
                                        }});

}  // namespace
}  // namespace cachelab
