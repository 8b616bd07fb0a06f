// S3-FIFO (Yang et al., SOSP 2023), with libCacheSim's defaults and its current variant (S3FIFO.c): a small FIFO
// S of 10% of the bytes, a main FIFO M of the rest, and a ghost FIFO G of ids remembering 90% of the bytes.
// - A hit increments the object's frequency (in S or M); nothing moves.
// - A miss whose id is in G is inserted into M (and leaves G); any other miss goes into S, except that until the
//   first eviction, objects arriving when S is full go into M (the variant: the cache fills before S turns over).
// - Evicting from S (chosen when M is within its share and S is non-empty): take S's oldest; with frequency >= 2
//   (move-to-main threshold) it moves to M with frequency 0, else it is evicted and its id enters G.
// - Evicting from M: take M's oldest; with frequency >= 1 it is reinserted at M's head with min(freq, 3) - 1
//   (a 2-bit CLOCK), else it is evicted.
// Objects of at least S's size are not admitted in replay (they would flush S), except on a ghost hit (they go to
// M); a Store stores every SET.
#include <algorithm>

#include "cachelab/cache/object_policy.hpp"
#include "handle_lists.hpp"

namespace cachelab::policies {
namespace {

constexpr double kSmallRatio = 0.10, kGhostRatio = 0.90;
constexpr uint32_t kMoveToMainThreshold = 2;

class S3Fifo final : public ObjectPolicy {
 public:
  explicit S3Fifo(const ObjectPolicyParams& p)
      : small_cap_(static_cast<uint64_t>(static_cast<double>(p.capacity) * kSmallRatio)),
        main_cap_(p.capacity - small_cap_),
        ghost_cap_(static_cast<uint64_t>(static_cast<double>(p.capacity) * kGhostRatio)) {
    links_.reserve(p.expected_objects);
    obj_.reserve(p.expected_objects);
    uses_misses_ = true;
    ghost_.tag = 1;
  }

  void on_hit(Handle h, const Access&) override {
    if (obj_[h].freq < 255) ++obj_[h].freq;  // only freq >= 2 and min(freq, 3) are read
  }
  void on_miss(const Access& a, uint32_t) override {
    hit_on_ghost_ = ghosts_.where(a.id) != 0;
    if (hit_on_ghost_) ghosts_.forget(ghost_, a.id);
  }
  bool admits(uint32_t size) const override { return hit_on_ghost_ ? size <= small_cap_ : size < small_cap_; }
  void insert(Handle h, const Access& a, uint32_t size) override {
    links_.ensure(h);
    ensure_index(obj_, h);
    const bool to_main = hit_on_ghost_ || (!has_evicted_ && small_.bytes >= small_cap_);
    hit_on_ghost_ = false;
    obj_[h] = Obj{a.id, size, 0, kNone};
    put(to_main ? main_ : small_, to_main ? kMain : kSmall, h);
  }
  Handle evict() override {
    has_evicted_ = true;
    if (main_.bytes <= main_cap_ && !small_.empty()) {
      while (!small_.empty()) {
        const Handle h = small_.tail;
        take(small_, h);
        if (obj_[h].freq >= kMoveToMainThreshold) {
          obj_[h].freq = 0;
          put(main_, kMain, h);
          continue;
        }
        remember(h);
        return h;
      }
    }
    for (;;) {  // one lap at most: every reinsertion lowers a frequency
      const Handle h = main_.tail;
      take(main_, h);
      if (obj_[h].freq >= 1) {
        obj_[h].freq = static_cast<uint8_t>(std::min<uint32_t>(obj_[h].freq, 3) - 1);
        put(main_, kMain, h);
        continue;
      }
      return h;
    }
  }
  void remove(Handle h) override { take(obj_[h].where == kSmall ? small_ : main_, h); }

 private:
  enum Where : uint8_t { kNone, kSmall, kMain };
  struct Obj {
    uint64_t id;
    uint32_t size;  // as inserted: the queues' byte totals stay consistent whatever the host does later
    uint8_t freq;
    uint8_t where;
  };
  void put(HList& l, Where w, Handle h) { push_sized(links_, obj_, l, w, h); }
  void take(HList& l, Handle h) { unlink_sized(links_, obj_, l, h); }
  // The ghost is itself a byte-capacity FIFO of ids (sizes as stored when evicted).
  void remember(Handle h) {
    const uint32_t size = obj_[h].size;
    if (size > ghost_cap_) return;
    while (ghost_.bytes + size > ghost_cap_) ghosts_.pop_tail(ghost_);
    ghosts_.push_head(ghost_, obj_[h].id, size);
  }

  HLinks links_;
  std::vector<Obj> obj_;
  HList small_, main_;
  GhostQueues ghosts_;
  GhostQueues::Queue ghost_;
  const uint64_t small_cap_, main_cap_, ghost_cap_;
  bool hit_on_ghost_ = false;
  bool has_evicted_ = false;
};

const RegisterObjectPolicy s3fifo_registration(
    {"s3fifo", "reference: S3-FIFO, 10% small FIFO, 90% main FIFO (2-bit CLOCK), ghost of evicted ids", false, false,
     [](const ObjectPolicyParams& p) { return std::make_unique<S3Fifo>(p); }});

}  // namespace
}  // namespace cachelab::policies
