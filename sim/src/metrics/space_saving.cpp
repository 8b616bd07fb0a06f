#include "cachelab/metrics/space_saving.hpp"

#include <algorithm>

namespace cachelab {

SpaceSaving::SpaceSaving(size_t k) : item_(k), count_(k), error_(k), used_(k), order_(k), pos_(k) {
  size_t size = 1;
  int bits = 0;
  while (size < 4 * k) {  // load factor <= 1/4: probes stay short
    size <<= 1;
    ++bits;
  }
  table_.assign(size, 0);
  shift_ = 64 - bits;
  clear();
}

void SpaceSaving::clear() {
  std::fill(count_.begin(), count_.end(), 0);
  std::fill(error_.begin(), error_.end(), 0);
  std::fill(used_.begin(), used_.end(), 0);
  std::fill(table_.begin(), table_.end(), 0);
  for (uint32_t i = 0; i < order_.size(); ++i) order_[i] = pos_[i] = i;
  total_ = 0;
}

uint32_t* SpaceSaving::find_slot(uint64_t item) {
  const size_t mask = table_.size() - 1;
  for (size_t b = bucket(item);; b = (b + 1) & mask) {
    uint32_t& e = table_[b];
    if (e == 0 || item_[e - 1] == item) return &e;
  }
}

void SpaceSaving::erase(uint64_t item) {
  // Linear probing with backward-shift deletion: no tombstones, so probes never lengthen over time.
  const size_t mask = table_.size() - 1;
  size_t b = bucket(item);
  while (item_[table_[b] - 1] != item) b = (b + 1) & mask;
  size_t hole = b;
  for (size_t j = (hole + 1) & mask; table_[j] != 0; j = (j + 1) & mask) {
    const size_t home = bucket(item_[table_[j] - 1]);
    // Move j into the hole unless its home lies cyclically in (hole, j].
    const bool stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
    if (stays) continue;
    table_[hole] = table_[j];
    hole = j;
  }
  table_[hole] = 0;
}

void SpaceSaving::increment(uint32_t id) {
  // Keep order_ sorted: swap the counter with the last one of its count before incrementing it.
  const uint64_t v = count_[id];
  uint32_t p = pos_[id];
  const uint32_t n = static_cast<uint32_t>(order_.size());
  uint32_t last = p;
  if (p + 1 < n && count_[order_[p + 1]] == v) {
    uint32_t lo = p + 1, hi = n;  // first position with count > v in [p+1, n)
    while (lo < hi) {
      const uint32_t mid = (lo + hi) / 2;
      if (count_[order_[mid]] > v)
        hi = mid;
      else
        lo = mid + 1;
    }
    last = lo - 1;
  }
  if (last != p) {
    const uint32_t other = order_[last];
    order_[p] = other;
    pos_[other] = p;
    order_[last] = id;
    pos_[id] = last;
  }
  count_[id] = v + 1;
}

void SpaceSaving::add(uint64_t item) {
  ++total_;
  uint32_t* slot = find_slot(item);
  if (*slot != 0) {
    increment(*slot - 1);
    return;
  }
  // Not monitored: it takes over the counter with the smallest count, inheriting that count as its error.
  const uint32_t id = order_[0];
  if (used_[id]) {
    erase(item_[id]);
    slot = find_slot(item);  // the table changed
  }
  used_[id] = 1;
  item_[id] = item;
  error_[id] = count_[id];
  *slot = id + 1;
  increment(id);
}

std::vector<SpaceSaving::Entry> SpaceSaving::top(size_t n) const {
  std::vector<Entry> out;
  for (size_t i = order_.size(); i-- > 0 && out.size() < n;) {
    const uint32_t id = order_[i];
    if (!used_[id]) break;
    out.push_back({item_[id], count_[id], error_[id]});
  }
  return out;
}

}  // namespace cachelab
