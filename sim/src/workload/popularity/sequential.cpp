// {"dist": "sequential", "start": s}: keys s, s+1, ..., keys-1, 0, 1, ... in turn (YCSB's SequentialGenerator and
// memtier's S pattern, wrapping at the end of the key space). No random draw.
#include "cachelab/workload/popularity.hpp"

namespace cachelab {
namespace {

class Sequential final : public KeyChooser {
 public:
  Sequential(uint64_t keys, uint64_t start) : keys_(keys), next_(start % keys) {}
  uint64_t next(Rng&) override {
    const uint64_t k = next_;
    next_ = next_ + 1 == keys_ ? 0 : next_ + 1;
    return k;
  }

 private:
  uint64_t keys_, next_;
};

schema::ObjectPtr sequential_params() {
  auto o = std::make_shared<schema::ObjectSpec>();
  o->fields.push_back(schema::integer("start").dflt(0).min(0).about("the first key number (taken modulo keys)"));
  return o;
}

const RegisterPopularity sequential_registration({"sequential", "keys in order, wrapping around", sequential_params(),
                                                  [](const nlohmann::json& j, uint64_t keys) {
                                                    return std::make_unique<Sequential>(keys,
                                                                                        j.at("start").get<uint64_t>());
                                                  }});

}  // namespace
}  // namespace cachelab
