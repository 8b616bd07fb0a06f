// {"dist": "latest", "loaded_keys": n}: YCSB's SkewedLatestGenerator (workload D): reads favour the most recently
// inserted keys. What "inserted" means here: key numbers 0..loaded_keys-1 exist at the start (YCSB's load phase);
// every insert (a write request of the stream, set/mset/incr, or an rmw's write) takes the next key number, so the
// frontier grows with the writes of the stream. A read then picks newest - GrayZipfian(newest), with the Gray
// zipfian (theta 0.99) over newest items, zeta grown incrementally as YCSB does, and YCSB's quirks kept: key 0 is
// never read once another exists, and eta keeps the initial item count. When the key space is full, inserts
// overwrite the newest key (make `keys` large enough for the run). Not stationary: probability() is unknown.
#include <algorithm>

#include "cachelab/workload/popularity.hpp"
#include "cachelab/workload/ycsb.hpp"

namespace cachelab {
namespace {

class Latest final : public KeyChooser {
 public:
  Latest(uint64_t keys, uint64_t loaded)
      : keys_(keys),
        count_(std::clamp<uint64_t>(loaded, 1, keys)),
        // YCSB: new ZipfianGenerator(basis.lastValue()) with lastValue = loaded - 1 (at least one item).
        gen_(static_cast<int64_t>(std::max<uint64_t>(1, count_ - 1)), ycsb::kZipfianConstant) {}
  uint64_t next(Rng& rng) override {
    const auto max = static_cast<int64_t>(count_ - 1);  // the newest key (basis.lastValue())
    if (max == 0) return 0;
    return static_cast<uint64_t>(max - gen_.next(rng, max));
  }
  // The newest keys are the hottest (rank 0 is the newest).
  bool top_keys(uint64_t k, std::vector<uint64_t>& out) const override {
    for (uint64_t i = 0; i < k && i < count_; ++i) out.push_back(count_ - 1 - i);
    return true;
  }
  bool insert(uint64_t& key) override {
    if (count_ < keys_) ++count_;
    key = count_ - 1;
    return true;
  }

 private:
  uint64_t keys_, count_;  // count_: keys inserted so far (the frontier)
  ycsb::GrayZipfian gen_;
};

schema::ObjectPtr latest_params() {
  auto o = std::make_shared<schema::ObjectSpec>();
  o->fields.push_back(schema::integer("loaded_keys")
                          .dflt(nlohmann::json())
                          .null_ok()
                          .min(1)
                          .about("keys that exist at the start (YCSB recordcount); inserts add keys after them; null = "
                                 "half the key space"));
  return o;
}

const RegisterPopularity latest_registration(
    {"latest", "YCSB latest: Gray zipfian over recency, the newest inserted keys hottest", latest_params(),
     [](const nlohmann::json& j, uint64_t keys) {
       const auto& l = j.at("loaded_keys");
       const uint64_t loaded = l.is_null() ? std::max<uint64_t>(1, keys / 2) : l.get<uint64_t>();
       return std::make_unique<Latest>(keys, loaded);
     }});

}  // namespace
}  // namespace cachelab
