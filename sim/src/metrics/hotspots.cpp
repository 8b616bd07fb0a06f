#include "cachelab/metrics/hotspots.hpp"

#include <algorithm>
#include <numeric>

#include "cachelab/protocol/slot_hash.hpp"

namespace cachelab {

using nlohmann::json;

HotSpots::HotSpots(std::shared_ptr<KeyHashMemo> memo, const KeyNamer& namer, Time warmup_end)
    : memo_(std::move(memo)),
      namer_(namer),
      warmup_end_(warmup_end),
      recent_(kClusterSlots, 0),
      slot_ops_(kClusterSlots, 0),
      at_warmup_(kClusterSlots, 0),
      at_interval_(kClusterSlots, 0),
      keys_(kKeyCounters) {}

void HotSpots::flush() {
  for (size_t s = 0; s < recent_.size(); ++s) slot_ops_[s] += recent_[s];
  std::fill(recent_.begin(), recent_.end(), 0);
  samples_since_flush_ = 0;
}

void HotSpots::sample(uint64_t key) {
  until_sample_ = kKeySampleEvery;
  if (measuring_) keys_.add(key);
  if (++samples_since_flush_ >= (uint64_t{1} << 31) / kKeySampleEvery) flush();
}

void HotSpots::start_measuring() {
  measuring_ = true;
  flush();
  at_warmup_ = slot_ops_;
}

HotSpots::IntervalTop HotSpots::close_interval() {
  flush();
  IntervalTop top;
  for (size_t s = 0; s < slot_ops_.size(); ++s) {
    const uint64_t d = slot_ops_[s] - at_interval_[s];
    top.total += d;
    if (d > top.ops) {  // ties: the lowest slot
      top.ops = d;
      top.slot = static_cast<int>(s);
    }
  }
  at_interval_ = slot_ops_;
  return top;
}

json HotSpots::hot_slots_json(size_t n) const {
  std::vector<uint64_t> ops(slot_ops_.size());
  for (size_t s = 0; s < ops.size(); ++s) ops[s] = measuring_ ? slot_ops_[s] - at_warmup_[s] : 0;
  const uint64_t total = std::accumulate(ops.begin(), ops.end(), uint64_t{0});
  std::vector<int> idx(ops.size());
  std::iota(idx.begin(), idx.end(), 0);
  const size_t m = std::min(n, idx.size());
  std::partial_sort(idx.begin(), idx.begin() + static_cast<long>(m), idx.end(), [&](int a, int b) {
    return ops[static_cast<size_t>(a)] != ops[static_cast<size_t>(b)]
               ? ops[static_cast<size_t>(a)] > ops[static_cast<size_t>(b)]
               : a < b;
  });
  json out = json::array();
  for (size_t i = 0; i < m && ops[static_cast<size_t>(idx[i])] > 0; ++i) {
    const uint64_t o = ops[static_cast<size_t>(idx[i])];
    out.push_back({{"slot", idx[i]}, {"ops", o}, {"share", static_cast<double>(o) / static_cast<double>(total)}});
  }
  return out;
}

json HotSpots::hot_keys_json(size_t n) const {
  json out = json::array();
  const double sampled = static_cast<double>(keys_.total());
  for (const auto& e : keys_.top(n))
    out.push_back({{"key", namer_.name(e.item)},
                   {"ops", e.count * kKeySampleEvery},
                   {"share", static_cast<double>(e.count) / sampled},
                   {"ops_max_overcount", e.error * kKeySampleEvery}});
  return out;
}

}  // namespace cachelab
