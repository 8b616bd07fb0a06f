// {"dist": "zipf", "alpha": a}: exact Zipf, P(key k) = (k+1)^-a / H(keys, a), for every a > 0, by rejection-inversion
// (core/samplers.hpp). The generator calls ZipfSampler inline for this kind (no virtual call on the flagship's path);
// this chooser is the same sampler behind the common interface (dump, tests).
#include <cmath>

#include "cachelab/core/samplers.hpp"
#include "cachelab/workload/popularity.hpp"

namespace cachelab {
namespace {

class Zipf final : public KeyChooser {
 public:
  Zipf(uint64_t keys, double alpha) : z_(keys, alpha) {}
  uint64_t next(Rng& rng) override { return z_.sample(rng) - 1; }
  double probability(uint64_t key) const override {
    if (norm_ == 0) {  // H(keys, alpha), summed on first use only (tests): O(keys)
      if (z_.n() > 100000000) return -1;
      for (uint64_t k = z_.n(); k >= 1; --k) norm_ += std::pow(static_cast<double>(k), -z_.exponent());
    }
    return std::pow(static_cast<double>(key + 1), -z_.exponent()) / norm_;
  }

 private:
  ZipfSampler z_;
  mutable double norm_ = 0;
};

schema::ObjectPtr zipf_params() {
  auto o = std::make_shared<schema::ObjectSpec>();
  o->fields.push_back(
      schema::number("alpha").req().min(0, true).about("exponent: P(rank k) proportional to k^-alpha, exact"));
  return o;
}

const RegisterPopularity zipf_registration({"zipf", "exact Zipf over ranks 1..keys: key k has rank k+1", zipf_params(),
                                            [](const nlohmann::json& j, uint64_t keys) {
                                              return std::make_unique<Zipf>(keys, j.at("alpha").get<double>());
                                            }});

}  // namespace
}  // namespace cachelab
