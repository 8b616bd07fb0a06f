// Bottom-k sampling of requests and their hops (client/request_tracer.hpp).
#include "cachelab/client/request_tracer.hpp"

#include <algorithm>

#include "cachelab/core/rng.hpp"

namespace cachelab {

namespace {
uint64_t mix(uint64_t x) { return splitmix64(x); }  // splitmix64 advances its argument: a copy is mixed
}  // namespace

RequestTracer::RequestTracer(uint64_t limit, uint64_t seed, Time from, Time to)
    : limit_(limit), salt_(mix(seed ^ 0x7472616365ull)), from_(from), to_(to) {
  pool_.reserve(static_cast<size_t>(std::min<uint64_t>(limit_, 4096)));
}

void RequestTracer::begin(uint32_t tag, const Request& r, Time now) {
  if (limit_ == 0 || r.due < from_ || !(r.due < to_)) return;
  ++seen_;
  const uint64_t priority = mix(r.seq ^ salt_);
  auto less = [this](uint32_t a, uint32_t b) { return pool_[a].priority < pool_[b].priority; };
  uint32_t index;
  if (heap_.size() < limit_) {
    if (!free_.empty()) {
      index = free_.back();
      free_.pop_back();
    } else {
      index = static_cast<uint32_t>(pool_.size());
      pool_.emplace_back();
    }
  } else {
    if (priority >= pool_[heap_.front()].priority) return;
    std::pop_heap(heap_.begin(), heap_.end(), less);
    index = heap_.back();
    heap_.pop_back();
    drop(index);
  }
  Trace& t = pool_[index];
  t.req = r;
  t.priority = priority;
  t.tag = tag;
  t.active = true;
  t.done = false;
  t.truncated = false;
  t.hops.clear();
  heap_.push_back(index);
  std::push_heap(heap_.begin(), heap_.end(), less);
  if (by_tag_.size() <= tag) by_tag_.resize(static_cast<size_t>(tag) + 1, 0);
  by_tag_[tag] = index + 1;
  if (now > r.due) {
    Hop h;
    h.t = now;
    h.kind = HopKind::Start;
    t.hops.push_back(h);
  }
}

void RequestTracer::drop(uint32_t index) {
  Trace& t = pool_[index];
  if (t.active && t.tag < by_tag_.size() && by_tag_[t.tag] == index + 1) by_tag_[t.tag] = 0;
  t.active = false;
  t.hops.clear();
}

void RequestTracer::hop(uint32_t tag, const Hop& h) {
  if (!following(tag)) return;
  Trace& t = pool_[by_tag_[tag] - 1];
  if (h.kind == HopKind::Done) {
    if (t.done) return;  // answered once (a background refresh after a stale value is not the application's)
    t.done = true;
  }
  if (t.hops.size() >= kMaxHops) {
    t.truncated = true;
    return;
  }
  t.hops.push_back(h);
}

void RequestTracer::end(uint32_t tag, Time now) {
  if (!following(tag)) return;
  Trace& t = pool_[by_tag_[tag] - 1];
  Hop h;
  h.t = now;
  h.kind = HopKind::End;
  if (t.hops.size() < kMaxHops) t.hops.push_back(h);
  t.active = false;
  by_tag_[tag] = 0;
}

std::vector<const RequestTracer::Trace*> RequestTracer::traces() const {
  std::vector<const Trace*> out;
  out.reserve(heap_.size());
  for (uint32_t i : heap_) out.push_back(&pool_[i]);
  std::sort(out.begin(), out.end(), [](const Trace* a, const Trace* b) { return a->req.seq < b->req.seq; });
  return out;
}

}  // namespace cachelab
