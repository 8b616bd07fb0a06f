// ARC (Megiddo & Modha, FAST 2003), generalised to bytes. Resident lists T1 (seen once recently) and T2 (seen at
// least twice), ghost lists B1 and B2 of ids recently evicted from each, and a target p for T1's share.
// With unit sizes this is the paper's algorithm step for step; with sizes, every |X| is X's bytes and the
// adaptation step max(|B2|/|B1|, 1) is scaled by the requested object's size so that p stays in bytes.
// - Hit in T1 or T2: move to T2's head (MRU).
// - Miss found in B1: p = min(c, p + delta) (recency was under-provisioned); in B2: p = max(0, p - delta).
//   The object leaves the ghost list and is inserted into T2.
// - Other misses are inserted into T1; before that, the paper's case IV keeps |T1| + |B1| <= c and the whole
//   directory <= 2c by dropping ghost tails, and evicts T1's tail outright when T1 alone fills the cache.
// - REPLACE (each eviction the host asks for): T1's tail goes to B1 if |T1| > p (or == p on a B2 hit),
//   otherwise T2's tail goes to B2.
// In a Store, c is the bytes the keys may take (the adapter's estimate), and an eviction asked outside a miss
// (make_room after the bucket array grew) is a plain REPLACE.
#include <algorithm>

#include "cachelab/cache/object_policy.hpp"
#include "handle_lists.hpp"

namespace cachelab::policies {
namespace {

class Arc final : public ObjectPolicy {
 public:
  explicit Arc(const ObjectPolicyParams& p) : cap_(p.capacity) {
    links_.reserve(p.expected_objects);
    obj_.reserve(p.expected_objects);
    uses_misses_ = true;
    b1_.tag = kB1;
    b2_.tag = kB2;
  }

  void on_hit(Handle h, const Access&) override {
    take(obj_[h].where == kT1 ? t1_ : t2_, h);
    put(t2_, kT2, h);
  }
  void on_miss(const Access& a, uint32_t size) override {
    ghost_ = ghosts_.where(a.id);
    incoming_ = size;
    if (ghost_ == kB1) {
      const uint64_t delta = std::max<uint64_t>(b1_.bytes ? b2_.bytes / b1_.bytes : 1, 1) * incoming_;
      p_ = std::min(cap_, p_ + delta);
      ghosts_.forget(b1_, a.id);
    } else if (ghost_ == kB2) {
      const uint64_t delta = std::max<uint64_t>(b2_.bytes ? b1_.bytes / b2_.bytes : 1, 1) * incoming_;
      p_ = p_ > delta ? p_ - delta : 0;
      ghosts_.forget(b2_, a.id);
    }
    in_miss_ = true;
  }
  void insert(Handle h, const Access& a, uint32_t size) override {
    links_.ensure(h);
    ensure_index(obj_, h);
    obj_[h] = Obj{a.id, size, kNone};
    if (ghost_ == kB1 || ghost_ == kB2)
      put(t2_, kT2, h);
    else
      put(t1_, kT1, h);
    ghost_ = kNone;
    in_miss_ = false;
  }
  Handle evict() override {
    if (in_miss_ && ghost_ == kNone) {
      // Case IV: a brand-new object; first bound the directory.
      if (t1_.bytes + b1_.bytes + incoming_ > cap_) {
        while (!b1_.empty() && t1_.bytes + b1_.bytes + incoming_ > cap_) ghosts_.pop_tail(b1_);
        if (b1_.empty() && t1_.bytes + incoming_ > cap_) {
          const Handle h = t1_.tail;  // T1 alone fills the cache: evict without a ghost
          take(t1_, h);
          return h;
        }
      } else {
        while (!b2_.empty() && t1_.bytes + t2_.bytes + b1_.bytes + b2_.bytes + incoming_ > 2 * cap_)
          ghosts_.pop_tail(b2_);
      }
    }
    return replace();
  }
  void remove(Handle h) override { take(obj_[h].where == kT1 ? t1_ : t2_, h); }

 private:
  enum Where : uint8_t { kNone, kT1, kT2, kB1, kB2 };
  struct Obj {
    uint64_t id;
    uint32_t size;  // as inserted
    uint8_t where;
  };
  void put(HList& l, Where w, Handle h) { push_sized(links_, obj_, l, w, h); }
  void take(HList& l, Handle h) { unlink_sized(links_, obj_, l, h); }
  Handle replace() {
    const bool from_t1 = !t1_.empty() && (t1_.bytes > p_ || (ghost_ == kB2 && t1_.bytes == p_) || t2_.empty());
    HList& from = from_t1 ? t1_ : t2_;
    const Handle h = from.tail;
    take(from, h);
    ghosts_.push_head(from_t1 ? b1_ : b2_, obj_[h].id, obj_[h].size);  // the ghost keeps the id and its size
    return h;
  }

  HLinks links_;
  std::vector<Obj> obj_;
  HList t1_, t2_;
  GhostQueues ghosts_;
  GhostQueues::Queue b1_, b2_;
  const uint64_t cap_;
  uint64_t p_ = 0;
  uint8_t ghost_ = kNone;  // where the current miss was found
  bool in_miss_ = false;   // between on_miss and insert
  uint64_t incoming_ = 0;
};

const RegisterObjectPolicy arc_registration(
    {"arc", "reference: ARC, adaptive split between recency (T1) and frequency (T2) lists, with ghosts; in bytes",
     false, false, [](const ObjectPolicyParams& p) { return std::make_unique<Arc>(p); }});

}  // namespace
}  // namespace cachelab::policies
