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
// The node's work on a reply's bytes is two copies (§12.1): the command copies the value into the reply block
// (addReplyBulk, inside the command), and only then does writev copy it into the socket. So a share of that work
// (kReplyCopyBeforeWriteShare) is done whole before the first slice leaves, and only the rest overlaps the links.
// Integer time: each candidate is rounded to whole nanoseconds once (as Time::saturated_ns), so results are
// deterministic.
#include <algorithm>
#include <cstdint>

#include "cachelab/core/time.hpp"

namespace cachelab {

inline constexpr uint64_t kValueSliceBytes = 64 * 1024;  // a TCP segment of loopback or GSO/TSO (§12.3)
// The share of the node's time per reply byte spent copying the value into the reply block, before the write
// starts: INFO commandstats' usec_per_call for GET (the command, which makes that copy) over the server's CPU per
// GET, each less its 100 B figure, was 0.22 at 100 KB, 0.26-0.29 at 400 KB and 0.27-0.29 at 1 MB (Redis 7.0.15 on
// loopback under Reno, redis-benchmark -c 1; docs/redis-reference.md §12.3). The rest is the write (the kernel's
// copy into the socket and its TCP work), which overlaps the transfer slice by slice.
inline constexpr double kReplyCopyBeforeWriteShare = 0.27;

// Transfer times of a value of `bytes` bytes over links of total ns_per_byte `sum` (the slowest `slowest`).
struct SlicedTransfer {
  uint64_t slices = 1;
  double slice_bytes = 0;
  double bytes = 0;

  explicit SlicedTransfer(uint64_t value_bytes)
      : slices((value_bytes + kValueSliceBytes - 1) / kValueSliceBytes),
        slice_bytes(slices > 1 ? static_cast<double>(value_bytes) / static_cast<double>(slices)
                               : static_cast<double>(value_bytes)),
        bytes(static_cast<double>(value_bytes)) {
    if (slices == 0) slices = 1;
  }
  // The time from the first stage's start to the last byte's arrival: stages of per-byte rates `sum` in total, the
  // slowest `slowest`, in ns per byte.
  double pipeline_ns(double sum, double slowest) const {
    return slice_bytes * sum + static_cast<double>(slices - 1) * slice_bytes * slowest;
  }
  // A reply, its links idle: from the node's start on the bytes (`node` ns per byte in all) to the last byte through
  // links of `path_sum` ns per byte (the slowest `path_max`): the copy into the reply block whole, then the write
  // pipelined with the links. One slice: the same sum as store-and-forward.
  double reply_ns(double node, double path_sum, double path_max) const {
    const double write = node * (1 - kReplyCopyBeforeWriteShare);
    return bytes * (node - write) + pipeline_ns(write + path_sum, std::max(write, path_max));
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
  // The NIC's own stage: fed by the node's write once the reply block is made, or busy with earlier replies until
  // `queued`.
  *nic_free = std::max(start + Time::saturated_ns(t.reply_ns(node, nic, nic) + 0.5),
                       queued + Time::saturated_ns(t.bytes * nic + 0.5));
  // The last byte at the client: through every stage from the node, or from the NIC's queue onward.
  return std::max(start + Time::saturated_ns(t.reply_ns(node, path_sum, path_max) + 0.5),
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
