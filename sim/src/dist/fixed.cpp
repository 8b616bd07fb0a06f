// {"dist": "fixed", "value": v}: always v.
#include "cachelab/core/dist.hpp"

namespace cachelab {
namespace {

class Fixed final : public RealDist {
 public:
  explicit Fixed(double v) : v_(v) {}
  double sample(Rng&) const override { return v_; }
  double mean() const override { return v_; }

 private:
  double v_;
};

schema::ObjectPtr fixed_params() {
  auto o = std::make_shared<schema::ObjectSpec>();
  o->fields.push_back(schema::number("value").req().min(0).about("the constant"));
  return o;
}

const RegisterDist fixed_registration({"fixed", "a constant", fixed_params(), [](const nlohmann::json& j) {
                                         return std::make_unique<Fixed>(j.at("value").get<double>());
                                       }});

}  // namespace
}  // namespace cachelab
