// {"dist": "exponential", "mean": m}: memoryless service and inter-arrival times.
#include "cachelab/core/dist.hpp"
#include "cachelab/core/samplers.hpp"

namespace cachelab {
namespace {

class Exponential final : public RealDist {
 public:
  explicit Exponential(double mean) : mean_(mean) {}
  double sample(Rng& rng) const override { return sample_exponential(rng, mean_); }
  double mean() const override { return mean_; }

 private:
  double mean_;
};

schema::ObjectPtr exponential_params() {
  auto o = std::make_shared<schema::ObjectSpec>();
  o->fields.push_back(schema::number("mean").req().min(0, true).about("the mean"));
  return o;
}

const RegisterDist exponential_registration({"exponential", "exponential with the given mean", exponential_params(),
                                             [](const nlohmann::json& j) {
                                               return std::make_unique<Exponential>(j.at("mean").get<double>());
                                             }});

}  // namespace
}  // namespace cachelab
