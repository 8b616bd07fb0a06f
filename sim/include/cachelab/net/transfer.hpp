#pragma once
// A value's bytes in 64 KB slices (docs/redis-reference.md §12.3): Redis 7.0 hands a big reply to the kernel in one
// writev (the value is one reply-list block, src/networking.c _writevToClient; NET_MAX_WRITES_PER_EVENT only ends
// writeToClient's loop after that write, §12.1), and TCP sends it in segments of up to 64 KB (loopback's MSS,
// GSO/TSO on a NIC) as the kernel copies it, and the client reads segment k while the kernel copies segment k + 1. So
// the node's work on the bytes and each link of the path form a pipeline (cut-through per slice), not a chain of
// whole-message copies (store-and-forward). A value of B bytes travels as n = ceil(B / 64 KB) equal slices of B / n bytes; stage j (the
// node's per-byte work, then each link at 8 / Gbit/s ns per byte) takes t_j per slice, and the last byte leaves the
// last stage at
//     start + (sum of t_j) + (n - 1) x max t_j        (the flow-shop bound of equal slices: exact for this model)
// that is, roughly max(node finishes, wire finishes) + one slice's time on the other stages. A stage that is a queue
// (the node's NIC, free at `free_at`) bounds it as well: free_at + the stages from it onward. One slice (values up
// to 64 KB) is the store-and-forward sum: node time, then bytes x ns per byte of the path.
// Integer time: each candidate is rounded to whole nanoseconds once (as Time::saturated_ns), so results are
// deterministic.
#include <algorithm>
#include <cstdint>

#include "cachelab/core/time.hpp"

namespace cachelab {

inline constexpr uint64_t kValueSliceBytes = 64 * 1024;  // a TCP segment of loopback or GSO/TSO (§12.3)

// Transfer times of a value of `bytes` bytes over links of total ns_per_byte `sum` (the slowest `slowest`).
struct SlicedTransfer {
  uint64_t slices = 1;
  double slice_bytes = 0;

  explicit SlicedTransfer(uint64_t bytes)
      : slices((bytes + kValueSliceBytes - 1) / kValueSliceBytes),
        slice_bytes(slices > 1 ? static_cast<double>(bytes) / static_cast<double>(slices)
                               : static_cast<double>(bytes)) {
    if (slices == 0) slices = 1;
  }
  // The time from the first stage's start to the last byte's arrival: stages of per-byte rates `sum` in total, the
  // slowest `slowest`, in ns per byte.
  double pipeline_ns(double sum, double slowest) const {
    return slice_bytes * sum + static_cast<double>(slices - 1) * slice_bytes * slowest;
  }
};

// A reply: the node's per-byte work (`copy` of it, ending at `done`) feeds the path's links (`path_sum` ns per byte
// in total, the slowest `path_max`); the first link is the node's NIC (`nic` ns per byte), a queue free at
// `*nic_free`, which is advanced to when the NIC has sent the reply's last byte. Returns when the last byte reaches
// the client, before the return trip's propagation delay.
inline Time sliced_reply_arrival(Time done, Time copy, uint64_t bytes, double nic, double path_sum, double path_max,
                                 Time* nic_free) {
  const SlicedTransfer t(bytes);
  const Time start = done - copy;  // the node starts on the value's bytes
  const double node = copy.nanos() > 0 ? static_cast<double>(copy.nanos()) / static_cast<double>(bytes) : 0.0;
  const Time queued = *nic_free;
  // The NIC's own stage: fed by the node, or busy with earlier replies until `queued`.
  *nic_free = std::max(start + Time::saturated_ns(t.pipeline_ns(node + nic, std::max(node, nic)) + 0.5),
                       queued + Time::saturated_ns(static_cast<double>(bytes) * nic + 0.5));
  // The last byte at the client: through every stage from the node, or from the NIC's queue onward.
  return std::max(start + Time::saturated_ns(t.pipeline_ns(node + path_sum, std::max(node, path_max)) + 0.5),
                  queued + Time::saturated_ns(t.pipeline_ns(path_sum, path_max) + 0.5));
}

// A request's value bytes (SET): the links (`path_sum`, slowest `path_max`) feed the node, which reads and parses
// them at `node` ns per byte as they arrive. Returns the delay from the request's first byte leaving the client
// until the node may start its per-byte work (the node then adds bytes x node and its service time, node.cpp): the
// pipeline's length less the node's own whole-value time. One slice: bytes x path_sum, as store-and-forward.
inline Time sliced_request_lead(uint64_t bytes, double path_sum, double path_max, double node) {
  const SlicedTransfer t(bytes);
  const Time whole = Time::saturated_ns(t.pipeline_ns(path_sum + node, std::max(path_max, node)) + 0.5);
  const Time own = Time::saturated_ns(static_cast<double>(bytes) * node + 0.5);
  return whole > own ? whole - own : Time{};
}

}  // namespace cachelab
