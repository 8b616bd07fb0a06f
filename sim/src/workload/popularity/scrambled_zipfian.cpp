// {"dist": "scrambled_zipfian"}: what YCSB's `requestdistribution=zipfian` really is (ScrambledZipfianGenerator,
// docs/validation.md §1.6): a Gray zipfian with theta 0.99 over ITEM_COUNT + 1 = 10^10 + 1 ranks (YCSB constructs
// ZipfianGenerator(0, ITEM_COUNT), min and max inclusive) with the precomputed ZETAN = 26.46902820178302, each rank
// hashed with Utils.fnvhash64 and taken modulo the key count. Popular ranks land on scattered keys, and because
// 10^10 ranks fold onto the keys, the head is much flatter than Zipf(0.99) (docs/validation.md §4: P(top key) = 0.03785
// for 10^4 keys, against 0.09781 for exact Zipf).
#include <algorithm>
#include <vector>

#include "cachelab/workload/popularity.hpp"
#include "cachelab/workload/ycsb.hpp"

namespace cachelab {
namespace {

class ScrambledZipfian final : public KeyChooser {
 public:
  explicit ScrambledZipfian(uint64_t keys)
      : keys_(static_cast<int64_t>(keys)), gen_(ycsb::kItemCount + 1, ycsb::kZipfianConstant, ycsb::kZetaN) {}
  // Ranks in order, hashed onto keys, first occurrence kept: the keys that hold the most popular ranks. A key's
  // popularity is a sum over every rank folded onto it, but the far ranks spread almost evenly, so the head ranks
  // decide the order. Bounded: at most 64 x keys ranks are looked at.
  bool top_keys(uint64_t k, std::vector<uint64_t>& out) const override {
    const auto n = static_cast<uint64_t>(keys_);
    k = std::min(k, n);
    std::vector<uint8_t> seen(n, 0);
    for (int64_t rank = 0; out.size() < k && rank < keys_ * 64 && rank <= ycsb::kItemCount; ++rank) {
      int64_t key = ycsb::fnvhash64(rank) % keys_;
      if (key < 0) key += keys_;
      if (!seen[static_cast<size_t>(key)]) {
        seen[static_cast<size_t>(key)] = 1;
        out.push_back(static_cast<uint64_t>(key));
      }
    }
    for (uint64_t key = 0; out.size() < k && key < n; ++key)  // never reached in practice: the rest in key order
      if (!seen[key]) out.push_back(key);
    return true;
  }
  uint64_t next(Rng& rng) override {
    // Java's %: the sign of the dividend. Only fnvhash64 == Long.MIN_VALUE is negative (Math.abs's one exception);
    // YCSB would return a negative key there, we wrap it into range.
    int64_t k = ycsb::fnvhash64(gen_.next(rng)) % keys_;
    if (k < 0) k += keys_;
    return static_cast<uint64_t>(k);
  }

 private:
  int64_t keys_;
  ycsb::GrayZipfian gen_;
};

const RegisterPopularity scrambled_zipfian_registration(
    {"scrambled_zipfian",
     "YCSB's zipfian (ScrambledZipfianGenerator): Gray zipfian 0.99 over 10^10 ranks, FNV-64 "
     "hashed onto the keys; not exact Zipf",
     std::make_shared<schema::ObjectSpec>(),
     [](const nlohmann::json&, uint64_t keys) { return std::make_unique<ScrambledZipfian>(keys); }});

}  // namespace
}  // namespace cachelab
