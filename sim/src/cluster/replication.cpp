#include "cachelab/cluster/replication.hpp"

#include <algorithm>
#include <string>

namespace cachelab {

Replication::Replication(Simulation& sim, std::vector<Node>& nodes, Network& link)
    : sim_(sim),
      nodes_(nodes),
      link_(link),
      replicas_of_(nodes.size()),
      last_delivery_(nodes.size()),
      acked_(nodes.size()),
      superseded_(nodes.size(), 0) {
  rebuild();
}

void Replication::rebuild() {
  for (auto& r : replicas_of_) r.clear();
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].role_kind() == Role::Replica) superseded_[i] = 0;  // demoted: it acknowledges nothing more
    if (nodes_[i].role_kind() == Role::Replica && nodes_[i].master_index() >= 0)
      replicas_of_[static_cast<size_t>(nodes_[i].master_index())].push_back(static_cast<int>(i));
  }
}

static uint64_t digits(uint64_t v) {
  uint64_t d = 1;
  while (v >= 10) {
    v /= 10;
    ++d;
  }
  return d;
}
static uint64_t bulk(uint64_t len) { return 1 + digits(len) + 2 + len + 2; }  // $<len>\r\n<bytes>\r\n

uint64_t Replication::resp_bytes(const ReplOp& op) {
  if (op.kind == ReplOp::Kind::Del) return 4 + bulk(3) + bulk(op.key_len);  // *2\r\n $3 DEL $n key
  uint64_t b = 4 + bulk(3) + bulk(op.key_len) + bulk(op.value_bytes);       // *3 or *5 header: 4 bytes either way
  if (op.expire_at_ms >= 0) b += bulk(4) + bulk(digits(static_cast<uint64_t>(op.expire_at_ms)));  // PXAT ms
  return b;
}

void Replication::propagate(Node& master, const ReplOp& op, Time at) {
  const int m = master.index();
  const uint64_t offset = master.repl_offset() + resp_bytes(op);
  master.set_repl_offset(offset);
  if (superseded_[static_cast<size_t>(m)]) ++acked_while_superseded_;
  if (replicas_of_[static_cast<size_t>(m)].empty()) return;
  acked_[static_cast<size_t>(m)].push_back(offset);
  for (int r : replicas_of_[static_cast<size_t>(m)]) {
    if (!nodes_[static_cast<size_t>(r)].alive() || (link_up && !link_up(m, r))) continue;  // the link is down
    uint32_t slot;
    if (!free_.empty()) {
      slot = free_.back();
      free_.pop_back();
    } else {
      slot = static_cast<uint32_t>(in_flight_.size());
      in_flight_.emplace_back();
    }
    in_flight_[slot] = Pending{r, op, offset};
    const Time one_way = link_.one_way(m, r);  // half an RTT sample, or the topology's path (zones)
    Time arrive = std::max(at + one_way, last_delivery_[static_cast<size_t>(r)]);
    last_delivery_[static_cast<size_t>(r)] = arrive;
    sim_.at(arrive, this, slot);
  }
}

void Replication::on_event(Time now, uint64_t s) {
  const Pending p = in_flight_[s];
  free_.push_back(static_cast<uint32_t>(s));
  Node& replica = nodes_[static_cast<size_t>(p.replica)];
  if (replica.role_kind() != Role::Replica || !replica.alive()) return;  // promoted or killed meanwhile
  const Time done = replica.occupy(now, replica.sample_service());
  Store& st = replica.mutable_store();
  if (p.op.kind == ReplOp::Kind::Set) {
    st.set(p.op.key, p.op.key_len, p.op.value_bytes, p.op.expire_at_ms, done, p.op.slot, 0, p.op.version, p.op.hash);
  } else {
    st.del(p.op.key, done);
  }
  replica.set_repl_offset(p.offset);
  if (on_applied) on_applied(p.replica);
  // Trim the master's window to what every replica has applied.
  const int m = replica.master_index();
  uint64_t min_applied = UINT64_MAX;
  for (int r : replicas_of_[static_cast<size_t>(m)])
    min_applied = std::min(min_applied, nodes_[static_cast<size_t>(r)].repl_offset());
  auto& window = acked_[static_cast<size_t>(m)];
  while (!window.empty() && window.front() <= min_applied) window.pop_front();
}

uint64_t Replication::lost_if_promoted(int master, int replica) const {
  const uint64_t applied = nodes_[static_cast<size_t>(replica)].repl_offset();
  const auto& window = acked_[static_cast<size_t>(master)];
  return static_cast<uint64_t>(window.end() - std::upper_bound(window.begin(), window.end(), applied));
}

}  // namespace cachelab
