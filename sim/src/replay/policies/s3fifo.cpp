// S3-FIFO (Yang et al., SOSP 2023), with libCacheSim's defaults and its current variant (S3FIFO.c): a small FIFO
// S of 10% of the bytes, a main FIFO M of the rest, and a ghost FIFO G of ids remembering 90% of the bytes.
// - A hit increments the object's frequency (in S or M); nothing moves.
// - A miss whose id is in G is inserted into M (and leaves G); any other miss goes into S, except that until the
//   first eviction, objects arriving when S is full go into M (the variant: the cache fills before S turns over).
// - Evicting from S (chosen when M is within its share and S is non-empty): take S's oldest; with frequency >= 2
//   (move-to-main threshold) it moves to M with frequency 0, else it is evicted and its id enters G.
// - Evicting from M: take M's oldest; with frequency >= 1 it is reinserted at M's head with min(freq, 3) - 1
//   (a 2-bit CLOCK), else it is evicted.
// Objects of at least S's size are not admitted (they would flush S), except on a ghost hit (they go to M).
#include <algorithm>

#include "../id_list.hpp"
#include "cachelab/replay/policy.hpp"

namespace cachelab::replay {
namespace {

constexpr double kSmallRatio = 0.10, kGhostRatio = 0.90;
constexpr uint32_t kMoveToMainThreshold = 2;

class S3Fifo final : public ReplayPolicy {
 public:
  explicit S3Fifo(const PolicyContext& c)
      : size_(c.stored_size),
        links_(c.objects),
        where_(c.objects, kNone),
        freq_(c.objects, 0),
        small_cap_(static_cast<uint64_t>(static_cast<double>(c.capacity_bytes) * kSmallRatio)),
        main_cap_(c.capacity_bytes - small_cap_),
        ghost_cap_(static_cast<uint64_t>(static_cast<double>(c.capacity_bytes) * kGhostRatio)) {}

  void on_hit(uint32_t obj, uint64_t) override { ++freq_[obj]; }
  void on_miss(uint32_t obj, uint64_t, uint32_t) override {
    hit_on_ghost_ = where_[obj] == kGhost;
    if (hit_on_ghost_) take(ghost_, obj);
  }
  bool admits(uint32_t size_bytes) const override {
    return hit_on_ghost_ ? size_bytes <= small_cap_ : size_bytes < small_cap_;
  }
  void insert(uint32_t obj, uint64_t) override {
    const bool to_main = hit_on_ghost_ || (!has_evicted_ && small_.bytes >= small_cap_);
    hit_on_ghost_ = false;
    freq_[obj] = 0;
    put(to_main ? main_ : small_, to_main ? kMain : kSmall, obj);
  }
  uint32_t evict() override {
    has_evicted_ = true;
    if (main_.bytes <= main_cap_ && !small_.empty()) {
      while (!small_.empty()) {
        const uint32_t obj = small_.tail;
        take(small_, obj);
        if (freq_[obj] >= kMoveToMainThreshold) {
          freq_[obj] = 0;
          put(main_, kMain, obj);
          continue;
        }
        remember(obj);
        return obj;
      }
    }
    for (;;) {  // one lap at most: every reinsertion lowers a frequency
      const uint32_t obj = main_.tail;
      take(main_, obj);
      if (freq_[obj] >= 1) {
        freq_[obj] = std::min<uint32_t>(freq_[obj], 3) - 1;
        put(main_, kMain, obj);
        continue;
      }
      return obj;
    }
  }
  void remove(uint32_t obj) override { take(where_[obj] == kSmall ? small_ : main_, obj); }

 private:
  enum Where : uint8_t { kNone, kSmall, kMain, kGhost };
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
  // The ghost is itself a byte-capacity FIFO of ids (sizes as stored when evicted).
  void remember(uint32_t obj) {
    if (size_[obj] > ghost_cap_) return;
    while (ghost_.bytes + size_[obj] > ghost_cap_) take(ghost_, ghost_.tail);
    put(ghost_, kGhost, obj);
  }

  const uint32_t* size_;
  IdLinks links_;
  std::vector<uint8_t> where_;
  std::vector<uint32_t> freq_;
  IdList small_, main_, ghost_;
  const uint64_t small_cap_, main_cap_, ghost_cap_;
  bool hit_on_ghost_ = false;
  bool has_evicted_ = false;
};

const RegisterReplayPolicy registered(
    {"s3fifo", "S3-FIFO: 10% small FIFO, 90% main FIFO (2-bit CLOCK), ghost of evicted ids",
     [](const PolicyContext& c) { return std::make_unique<S3Fifo>(c); }});

}  // namespace
}  // namespace cachelab::replay
