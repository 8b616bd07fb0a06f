#pragma once
// Space-Saving (Metwally, Agrawal, El Abbadi, "Efficient computation of frequent and top-k elements in data
// streams", ICDT 2005): the heavy hitters of a stream in k counters, whatever the number of distinct items.
// Guarantees after N updates: every item whose true count exceeds N/k is monitored; a monitored item's estimate
// `count` satisfies true <= count <= true + error, and error <= min counter <= N/k.
// Cost per update: one probe of a small open-addressing table, and O(1) for items whose count is unique (the hot
// ones) or a binary search over k otherwise; no allocation after construction.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace cachelab {

class SpaceSaving {
 public:
  explicit SpaceSaving(size_t k);
  void add(uint64_t item);
  void clear();
  struct Entry {
    uint64_t item, count, error;
  };
  // The monitored items by estimated count, highest first (at most `n`).
  std::vector<Entry> top(size_t n) const;
  uint64_t total() const { return total_; }
  size_t capacity() const { return count_.size(); }

 private:
  void increment(uint32_t id);
  uint32_t* find_slot(uint64_t item);
  void erase(uint64_t item);
  size_t bucket(uint64_t item) const { return static_cast<size_t>((item * 0x9E3779B97F4A7C15ull) >> shift_); }

  std::vector<uint64_t> item_, count_, error_;
  std::vector<uint8_t> used_;
  std::vector<uint32_t> order_;  // counter ids sorted by count ascending
  std::vector<uint32_t> pos_;    // id -> position in order_
  std::vector<uint32_t> table_;  // open addressing: id + 1, 0 = empty
  int shift_ = 0;
  uint64_t total_ = 0;
};

}  // namespace cachelab
