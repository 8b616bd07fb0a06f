// In-cache LFU (docs/validation.md §0, libCacheSim's LFU): an object's count starts at 1 on
// insertion, grows by one per hit and is forgotten on eviction. The victim has the lowest count; among equal counts,
// the one that reached that count first (FIFO within the count), which for objects never hit is the oldest
// insertion. Not Redis's allkeys-lfu (a sampled, decaying 8-bit log counter: redis_pool.cpp).
// O(1) per request: one FIFO list per count, and the non-empty counts chained in increasing order, so the minimum is
// the chain's first element and a hit moves an object to the next count, which is either already next in the chain
// or is linked right after its current one.
#include <vector>

#include "cachelab/cache/object_policy.hpp"
#include "handle_lists.hpp"

namespace cachelab::policies {
namespace {

class Lfu final : public ObjectPolicy {
 public:
  explicit Lfu(const ObjectPolicyParams& p) {
    links_.reserve(p.expected_objects);
    count_.reserve(p.expected_objects);
    grow(2);
  }

  void on_hit(Handle h, const Access&) override {
    const uint32_t f = count_[h];
    grow(f + 2);
    if (buckets_[f + 1].empty()) link_after(f + 1, f);
    links_.unlink(buckets_[f], h);
    links_.push_head(buckets_[f + 1], h);
    count_[h] = f + 1;
    if (buckets_[f].empty()) unlink(f);
  }
  void insert(Handle h, const Access&, uint32_t) override {
    links_.ensure(h);
    ensure_index(count_, h);
    if (buckets_[1].empty()) link_after(1, kNil);
    links_.push_head(buckets_[1], h);
    count_[h] = 1;
  }
  Handle evict() override {
    const uint32_t f = lowest_;
    const Handle h = links_.pop_tail(buckets_[f]);
    if (buckets_[f].empty()) unlink(f);
    return h;
  }
  void remove(Handle h) override {
    const uint32_t f = count_[h];
    links_.unlink(buckets_[f], h);
    if (buckets_[f].empty()) unlink(f);
  }

 private:
  void grow(uint32_t n) {
    if (buckets_.size() >= n) return;
    buckets_.resize(n);
    higher_.resize(n, kNil);
    lower_.resize(n, kNil);
  }
  // Chains count f (just become non-empty) after count `after` (kNil: as the new lowest).
  void link_after(uint32_t f, uint32_t after) {
    const uint32_t nxt = after == kNil ? lowest_ : higher_[after];
    lower_[f] = after;
    higher_[f] = nxt;
    if (after == kNil)
      lowest_ = f;
    else
      higher_[after] = f;
    if (nxt != kNil) lower_[nxt] = f;
  }
  void unlink(uint32_t f) {
    if (lower_[f] == kNil)
      lowest_ = higher_[f];
    else
      higher_[lower_[f]] = higher_[f];
    if (higher_[f] != kNil) lower_[higher_[f]] = lower_[f];
    lower_[f] = higher_[f] = kNil;
  }

  HLinks links_;
  std::vector<uint32_t> count_;
  std::vector<HList> buckets_;            // objects per count; head = latest to reach it
  std::vector<uint32_t> higher_, lower_;  // chain of non-empty counts
  uint32_t lowest_ = kNil;
};

const RegisterObjectPolicy lfu_registration(
    {"lfu", "reference (not Redis): in-cache LFU, count from 1 on insert, forgotten on eviction, FIFO among ties",
     false, false, [](const ObjectPolicyParams& p) { return std::make_unique<Lfu>(p); }});

}  // namespace
}  // namespace cachelab::policies
