// {"dist": "uniform"}: every key equally likely (one Rng::below draw).
#include "cachelab/workload/popularity.hpp"

namespace cachelab {
namespace {

class Uniform final : public KeyChooser {
 public:
  explicit Uniform(uint64_t keys) : keys_(keys) {}
  uint64_t next(Rng& rng) override { return rng.below(keys_); }
  double probability(uint64_t) const override { return 1.0 / static_cast<double>(keys_); }

 private:
  uint64_t keys_;
};

const RegisterPopularity uniform_registration(
    {"uniform", "every key equally likely", std::make_shared<schema::ObjectSpec>(),
     [](const nlohmann::json&, uint64_t keys) { return std::make_unique<Uniform>(keys); }});

}  // namespace
}  // namespace cachelab
