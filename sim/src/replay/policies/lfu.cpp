// In-cache LFU (validation.md §1.3, libCacheSim's LFU): an object's count starts at 1 on insertion, grows by one per
// hit and is forgotten on eviction. The victim has the lowest count; among equal counts, the one that reached that
// count first (FIFO within the count), which for objects never hit is the oldest insertion.
// O(1) per request: one FIFO list per count, and the non-empty counts chained in increasing order, so the minimum is
// the chain's first element and a hit moves an object to the next count, which is either already next in the chain
// or is linked right after its current one.
#include <vector>

#include "../id_list.hpp"
#include "cachelab/replay/policy.hpp"

namespace cachelab::replay {
namespace {

class Lfu final : public ReplayPolicy {
 public:
  explicit Lfu(const PolicyContext& c) : links_(c.objects), count_(c.objects, 0) { grow(2); }

  void on_hit(uint32_t obj, uint64_t) override {
    const uint32_t f = count_[obj];
    grow(f + 2);
    if (buckets_[f + 1].empty()) link_after(f + 1, f);
    links_.unlink(buckets_[f], obj);
    links_.push_head(buckets_[f + 1], obj);
    count_[obj] = f + 1;
    if (buckets_[f].empty()) unlink(f);
  }
  void insert(uint32_t obj, uint64_t) override {
    if (buckets_[1].empty()) link_after(1, kNil);
    links_.push_head(buckets_[1], obj);
    count_[obj] = 1;
  }
  uint32_t evict() override {
    const uint32_t f = lowest_;
    const uint32_t obj = links_.pop_tail(buckets_[f]);
    if (buckets_[f].empty()) unlink(f);
    return obj;
  }
  void remove(uint32_t obj) override {
    const uint32_t f = count_[obj];
    links_.unlink(buckets_[f], obj);
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
    if (after == kNil) lowest_ = f;
    else higher_[after] = f;
    if (nxt != kNil) lower_[nxt] = f;
  }
  void unlink(uint32_t f) {
    if (lower_[f] == kNil) lowest_ = higher_[f];
    else higher_[lower_[f]] = higher_[f];
    if (higher_[f] != kNil) lower_[higher_[f]] = lower_[f];
    lower_[f] = higher_[f] = kNil;
  }

  IdLinks links_;
  std::vector<uint32_t> count_;
  std::vector<IdList> buckets_;               // objects per count; head = latest to reach it
  std::vector<uint32_t> higher_, lower_;      // chain of non-empty counts
  uint32_t lowest_ = kNil;
};

const RegisterReplayPolicy registered(
    {"lfu", "in-cache LFU: count from 1 on insert, forgotten on eviction, FIFO among equal counts",
     [](const PolicyContext& c) { return std::make_unique<Lfu>(c); }});

}  // namespace
}  // namespace cachelab::replay
