// ARC (Megiddo & Modha, FAST 2003), generalised to bytes. Resident lists T1 (seen once recently) and T2 (seen at
// least twice), ghost lists B1 and B2 of ids recently evicted from each, and a target p for T1's share.
// With unit sizes this is the paper's algorithm step for step; with sizes, every |X| is X's bytes and the
// adaptation step max(|B2|/|B1|, 1) is scaled by the requested object's size so that p stays in bytes.
// - Hit in T1 or T2: move to T2's head (MRU).
// - Miss found in B1: p = min(c, p + delta) (recency was under-provisioned); in B2: p = max(0, p - delta).
//   The object leaves the ghost list and is inserted into T2.
// - Other misses are inserted into T1; before that, the paper's case IV keeps |T1| + |B1| <= c and the whole
//   directory <= 2c by dropping ghost tails, and evicts T1's tail outright when T1 alone fills the cache.
// - REPLACE (each eviction the simulator asks for): T1's tail goes to B1 if |T1| > p (or == p on a B2 hit),
//   otherwise T2's tail goes to B2.
#include <algorithm>

#include "../id_list.hpp"
#include "cachelab/replay/policy.hpp"

namespace cachelab::replay {
namespace {

class Arc final : public ReplayPolicy {
 public:
  explicit Arc(const PolicyContext& c) : size_(c.stored_size), links_(c.objects), where_(c.objects, kNone),
                                         cap_(c.capacity_bytes) {}

  void on_hit(uint32_t obj, uint64_t) override {
    take(list(where_[obj]), obj);
    put(t2_, kT2, obj);
  }
  void on_miss(uint32_t obj, uint64_t, uint32_t size_bytes) override {
    ghost_ = where_[obj];
    incoming_ = size_bytes;
    if (ghost_ == kB1) {
      const uint64_t delta = std::max<uint64_t>(b1_.bytes ? b2_.bytes / b1_.bytes : 1, 1) * incoming_;
      p_ = std::min(cap_, p_ + delta);
      take(b1_, obj);
    } else if (ghost_ == kB2) {
      const uint64_t delta = std::max<uint64_t>(b2_.bytes ? b1_.bytes / b2_.bytes : 1, 1) * incoming_;
      p_ = p_ > delta ? p_ - delta : 0;
      take(b2_, obj);
    } else {
      ghost_ = kNone;
    }
  }
  void insert(uint32_t obj, uint64_t) override {
    if (ghost_ == kB1 || ghost_ == kB2) put(t2_, kT2, obj);
    else put(t1_, kT1, obj);
    ghost_ = kNone;
  }
  uint32_t evict() override {
    if (ghost_ == kNone) {
      // Case IV: a brand-new object; first bound the directory.
      if (t1_.bytes + b1_.bytes + incoming_ > cap_) {
        while (!b1_.empty() && t1_.bytes + b1_.bytes + incoming_ > cap_) take(b1_, b1_.tail);
        if (b1_.empty() && t1_.bytes + incoming_ > cap_) {
          const uint32_t obj = t1_.tail;  // T1 alone fills the cache: evict without a ghost
          take(t1_, obj);
          return obj;
        }
      } else {
        while (!b2_.empty() && t1_.bytes + t2_.bytes + b1_.bytes + b2_.bytes + incoming_ > 2 * cap_)
          take(b2_, b2_.tail);
      }
    }
    return replace();
  }
  void remove(uint32_t obj) override { take(list(where_[obj]), obj); }


 private:
  enum Where : uint8_t { kNone, kT1, kT2, kB1, kB2 };
  IdList& list(uint8_t w) { return w == kT1 ? t1_ : w == kT2 ? t2_ : w == kB1 ? b1_ : b2_; }
  void put(IdList& l, Where w, uint32_t obj) {
    links_.push_head(l, obj);
    l.bytes += size_[obj];
    where_[obj] = w;
  }
  void take(IdList& l, uint32_t obj) {
    links_.unlink(l, obj);
    l.bytes -= size_[obj];
    where_[obj] = kNone;
  }
  uint32_t replace() {
    const bool from_t1 = !t1_.empty() && (t1_.bytes > p_ || (ghost_ == kB2 && t1_.bytes == p_) || t2_.empty());
    IdList& from = from_t1 ? t1_ : t2_;
    const uint32_t obj = from.tail;
    take(from, obj);
    put(from_t1 ? b1_ : b2_, from_t1 ? kB1 : kB2, obj);  // the ghost keeps the id and the size it had
    return obj;
  }

  const uint32_t* size_;
  IdLinks links_;
  std::vector<uint8_t> where_;
  IdList t1_, t2_, b1_, b2_;
  const uint64_t cap_;
  uint64_t p_ = 0;
  uint8_t ghost_ = kNone;  // where the current miss was found
  uint64_t incoming_ = 0;
};

const RegisterReplayPolicy registered(
    {"arc", "ARC: adaptive split between recency (T1) and frequency (T2) lists, with ghosts; in bytes",
     [](const PolicyContext& c) { return std::make_unique<Arc>(c); }});

}  // namespace
}  // namespace cachelab::replay
