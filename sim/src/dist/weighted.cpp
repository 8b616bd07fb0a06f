// {"dist": "weighted", "values": [{"value": 100, "weight": 7}, {"value": 1000, "weight": 3}]}: a discrete list, each
// value with probability weight / (sum of weights), as memtier's --data-size-list=100:7,1000:3. (Pairs are objects
// because the scenario schema validates arrays of objects, with a JSON Pointer to each bad item.) One uniform draw.
#include "cachelab/core/dist.hpp"

namespace cachelab {
namespace {

class Weighted final : public RealDist {
 public:
  explicit Weighted(const nlohmann::json& values) {
    double total = 0;
    for (const auto& v : values) total += v.at("weight").get<double>();
    double cum = 0;
    for (const auto& v : values) {
      cum += v.at("weight").get<double>() / total;
      values_.push_back(v.at("value").get<double>());
      cum_.push_back(cum);
      mean_ += values_.back() * v.at("weight").get<double>() / total;
    }
    cum_.back() = 2;  // rounding can leave the sum just below 1: the last value takes the rest
  }
  double sample(Rng& rng) const override {
    const double u = rng.uniform01();
    size_t i = 0;
    while (u >= cum_[i]) ++i;
    return values_[i];
  }
  double mean() const override { return mean_; }

 private:
  std::vector<double> values_, cum_;
  double mean_ = 0;
};

schema::ObjectPtr weighted_params() {
  auto item = std::make_shared<schema::ObjectSpec>();
  item->fields.push_back(schema::number("value").req().min(0).about("the value"));
  item->fields.push_back(schema::number("weight").req().min(0).about("its relative weight"));
  auto o = std::make_shared<schema::ObjectSpec>();
  auto values = schema::array("values", item).req().about("the values and their weights (normalised to sum 1)");
  values.max_items = 10000;
  o->fields.push_back(values);
  o->cross_check = [](const nlohmann::json& j, const auto& report) {
    double total = 0;
    for (const auto& v : j.at("values")) total += v.at("weight").get<double>();
    if (!(total > 0)) report("/values", "at least one value with a weight > 0", "no positive weight");
  };
  return o;
}

const RegisterDist weighted_registration({"weighted", "a list of values with weights (memtier's --data-size-list)",
                                          weighted_params(), [](const nlohmann::json& j) {
                                            return std::make_unique<Weighted>(j.at("values"));
                                          }});

}  // namespace
}  // namespace cachelab
