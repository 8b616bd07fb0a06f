#pragma once
// The control plane's internal state: one NodeState per node (its own config and its view of every node), the
// pooled in-flight messages, and the member functions split over bus.cpp (messages, gossip), cron.cpp (clusterCron,
// failure detection, cluster state), failover.cpp (elections, votes, manual failover, migration) and
// slots_config.cpp (slot ownership updates, roles).
#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstddef>
#include <cstdlib>
#include <deque>
#include <memory>
#include <new>
#include <span>
#include <type_traits>
#include <string>
#include <utility>
#include <vector>

#include "cachelab/cluster/control/control_plane.hpp"
#include "cachelab/cluster/control/hot_word.hpp"
#include "cachelab/cluster/slots.hpp"
#include "cachelab/core/event_queue.hpp"
#include "cachelab/core/rng.hpp"

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace cachelab::control {

constexpr Time kLongAgo = Time::ns(-(int64_t{1} << 60));

// A clusterCron period is never exactly its nominal length: ae re-arms serverCron's timer 1000/hz ms after serverCron
// returns (ae.c:327-332, `te->when = now + retval*1000` with `now` read after the call) and epoll_wait takes its
// timeout in whole milliseconds rounded up (ae_epoll.c:113-114), so a loop woken meanwhile by other events (bus
// messages, clients) sleeps on to the next whole millisecond past the timer. The control plane adds to every period
// a lateness drawn uniform on [0, kCronLatenessMaxNs) (one draw per clusterCron call; docs/redis-reference.md §3.2).
// It is small but never negative, so a rule "more than k periods since" (the NT/2 ping, PFAIL after NT) fires on the
// k-th call after its start, not the (k+1)-th: on Redis 7.0 at NT 1 s CLUSTER NODES shows a peer's pong_received
// 502-534 ms apart (the NT/2 ping on the 5th call), not 600 ms.
constexpr int64_t kCronLatenessMaxNs = 1'000'000;

using Ranges = std::vector<std::pair<int, int>>;  // slot ranges [first, last]

struct FailReport {
  int reporter;
  Time time;
};

// What node `viewer` knows about node `peer` (clusterNode in the viewer's dict) is split in two by how often it is
// read: the hot word (NodeState::hot[peer], cachelab/cluster/control/hot_word.hpp) and
// PeerView: the rest, read for the sender and receiver of a message and for the peers cron() looks at. The fields a
// message touches come first (one cache line). Changing is_master, master or the FAIL flag must be followed by
// ++view_version (see cron.cpp).
// What cron() compares with a threshold to find the peers it must look at: a link down or a ping pending always, else
// pong_received in ticks (shifted, low bits cleared). It only grows, except through the NodeState setters.
inline int32_t scan_key(uint32_t w) {
  return (w & (kHotPending | kHotLinkDown)) ? INT32_MIN : static_cast<int32_t>(w & ~((uint32_t{1} << kHotShift) - 1));
}
constexpr int kScanBlock = 16;

struct alignas(64) PeerView {
  // First cache line: what the receiver of a message from this peer reads and writes (clusterProcessPacket).
  bool is_master = false;
  int master = -1;
  Time data_received;
  uint64_t config_epoch = 0;
  uint64_t repl_offset = 0;
  Time pong_exact;  // pong_received, unless the hot word says it was adopted from gossip (NodeState::pong_received)
  // Slot-config check cache: skip the per-slot comparison when nothing changed since the last one.
  uint64_t checked_claims_version = ~uint64_t{0};
  uint64_t checked_table_version = ~uint64_t{0};
  uint64_t checked_epoch = ~uint64_t{0};
  // Second cache line: what sending to this peer and clusterCron's per-peer rules use, then the rarely used rest.
  Time ping_sent;
  Time link_created;
  Time fifo_floor;  // the viewer's link to this peer: TCP keeps order, no message arrives before an earlier one
  int slots = 0;    // slots the viewer assigns to this peer
  Time fail_time;
  Time voted_time = kLongAgo;      // when the viewer (a master) last voted for a replica of this master (§5.2)
  Time orphaned_since = kLongAgo;  // for migration (§5.5); kLongAgo = not orphaned
};
static_assert(sizeof(PeerView) == 128);

// A zero-initialised array of trivially destructible T, in 2 MB pages where the OS offers them: the per-peer views of
// a 1000-node cluster are 128 MB read at random, and 4 KB pages would add a TLB miss to most reads.
template <class T>
class BigArray {
 public:
  BigArray() = default;
  BigArray(const BigArray&) = delete;
  BigArray& operator=(const BigArray&) = delete;
  ~BigArray() { std::free(data_); }
  void reset(size_t count) {
    static_assert(std::is_trivially_destructible_v<T>);
    std::free(data_);
    constexpr size_t kPage = size_t{2} << 20;
    const size_t bytes = std::max<size_t>((count * sizeof(T) + kPage - 1) / kPage * kPage, kPage);
    data_ = static_cast<T*>(std::aligned_alloc(std::max(kPage, alignof(T)), bytes));
    if (data_ == nullptr) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    madvise(data_, bytes, MADV_HUGEPAGE);  // a hint: without it (or without THP) plain pages
#endif
    for (size_t i = 0; i < count; ++i) new (data_ + i) T();
    size_ = count;
  }
  T* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  T* data_ = nullptr;
  size_t size_ = 0;
};

struct alignas(64) NodeState {
  // The first three cache lines hold what sending or receiving any message reads (post() prefetches them).
  std::span<PeerView> peers;  // indexed by node; peers[self] is myself (a row of Impl::peer_store)
  std::span<uint32_t> hot;    // indexed by node: the hot word of each peer (see PeerView; a row of Impl::hot_store)
  bool alive = true;
  bool paused = false;
  bool is_master = false;
  bool state_ok = true;
  bool mf_active = false;  // manual failover (§5.4), see below
  bool mf_offset_known = false;
  int master = -1;
  int pfail_count = 0;
  // stats_pfail_nodes: the peers flagged PFAIL when clusterCron last started. A ping or pong appends at most this many
  // PFAIL entries (clusterSendPing's pfail_wanted, §3.4), so a PFAIL set by this cron is gossiped from the next one.
  int stats_pfail = 0;
  int peers_with_reports = 0;  // peers whose kHotReports bit is set
  uint64_t current_epoch = 0;
  uint64_t config_epoch = 0;
  Rng rng;        // gossip sampling, random pings
  Rng net_rng;    // delays of messages it sends
  Ranges claims;  // the slots I own in my table (sent in my headers when I am a master)
  uint64_t claims_version = 0;
  // Per block of kScanBlock peers, a lower bound of scan_key() over the block (cron.cpp): cron() reads only the blocks
  // whose bound says a peer may be due. A write to `hot` that can lower a key lowers the bound (the setters below).
  std::span<int32_t> scan_min;
  uint64_t cron_iteration = 0;  // clusterCron's static `iteration` (random ping every 10th call)
  Rng cron_rng;                 // each period's lateness (control_config.hpp), the iteration's phase
  // (end of the third cache line)

  std::string name;
  Rng failover_rng;      // election delay
  EventId cron_event;    // the sequence number of its pending cron in Impl::calendar; none when dead or paused
  Time repl_ping_phase;  // the phase of this node's REPLCONF pings when master (repl-ping-replica-period)

  std::vector<std::vector<FailReport>> reports;  // per peer: failure reports about it, one per reporting master (§4.2)
  std::vector<uint16_t> owner;                   // slot -> node, ControlPlane::kNoOwner if unassigned
  int unassigned = 0;
  uint64_t table_version = 0;

  uint64_t last_vote_epoch = 0;

  Time first_call_time = kLongAgo;
  Time among_minority_time = kLongAgo;

  // clusterHandleSlaveFailover (§5.1)
  Time auth_time = kLongAgo;
  int auth_count = 0;
  bool auth_sent = false;
  int auth_rank = 0;
  uint64_t auth_epoch = 0;
  bool cant_failover_logged = false;

  // Manual failover (§5.4): on the replica mf_end and the master offset; on the master mf_end and mf_replica
  // (mf_active and mf_offset_known are above).
  Time mf_end;  // 0 = none
  int mf_replica = -1;
  bool mf_can_start = false;
  uint64_t mf_master_offset = 0;

  // The replication link of a replica to its master (§5.1 data age, §6 timeouts).
  bool repl_up = true;
  bool repl_ever = true;  // false after a restart until the first sync: data age is then unbounded (§5.1)
  Time repl_down_since;
  Time repl_last_io;

  std::vector<uint32_t> held;  // messages that arrived while paused, in order

  // Replica migration counts (§5.5) as of the last cron that computed them; recomputed when the view changed.
  uint64_t view_version = 0;  // bumped when a peer's is_master, master or FAIL flag changes
  bool migr_valid = false;
  uint64_t migr_view_version = 0, migr_table_version = 0;
  bool migr_is_master = false;
  int migr_master = -1;
  int migr_orphaned = 0, migr_max_slaves = 0, migr_this_slaves = 0;

  // --- the hot word's fields (see PeerView)
  uint8_t flags(int j) const { return static_cast<uint8_t>(hot[j] & kHotFlags); }
  void set_flags(int j, uint8_t f) { hot[j] = (hot[j] & ~kHotFlags) | f; }
  bool ping_pending(int j) const { return hot[j] & kHotPending; }
  void set_ping_pending(int j, bool p) {
    hot[j] = p ? hot[j] | kHotPending : hot[j] & ~kHotPending;
    if (p) scan_min[static_cast<size_t>(j) / kScanBlock] = INT32_MIN;
  }
  Time pong_received(int j) const {
    return (hot[j] & kHotAdopted) ? Time::ns(hot_ticks(hot[j]) * kHotTickNs) : peers[j].pong_exact;
  }
  void set_pong_received(int j, Time t) {
    peers[j].pong_exact = t;
    hot[j] = (hot[j] & ~kHotPongMask) | hot_pack_ticks(floor_div(t.nanos(), kHotTickNs));
    int32_t& low = scan_min[static_cast<size_t>(j) / kScanBlock];
    low = std::min(low, scan_key(hot[j]));  // an exact pong may be earlier than one adopted (up to now + 500 ms)
  }
  // Adopting a pong from gossip (process_gossip) writes the word directly: it only moves pong_received later.
  bool link_connected(int j) const { return !(hot[j] & kHotLinkDown); }
  void set_link_connected(int j, bool c) {
    hot[j] = c ? hot[j] & ~kHotLinkDown : hot[j] | kHotLinkDown;
    if (!c) scan_min[static_cast<size_t>(j) / kScanBlock] = INT32_MIN;
  }
  void sync_reports(int j) {
    const bool has = !reports[j].empty(), had = hot[j] & kHotReports;
    peers_with_reports += static_cast<int>(has) - static_cast<int>(had);
    hot[j] = has ? hot[j] | kHotReports : hot[j] & ~kHotReports;
  }
};

struct Message {
  MsgType type;
  bool reply = false;  // a PONG answering the receiver's PING (the receiver's outbound link, §3.1)
  int from = 0, to = 0;
  uint64_t current_epoch = 0, config_epoch = 0, offset = 0;
  bool sender_master = false;
  int sender_master_of = -1;
  bool sender_state_ok = true;
  bool paused_flag = false;  // mflags PAUSED (manual failover, §5.4)
  bool forceack = false;
  int subject = -1;  // FAIL / UPDATE: the node it is about
  uint64_t subject_epoch = 0;
  uint64_t claims_version = 0;
  Ranges slots;                     // header myslots (sender's claims, or its master's for a replica), UPDATE slots
  std::vector<GossipEntry> gossip;  // a buffer that only grows: the section is its first gossip_count entries
  int gossip_count = 0;
  bool gossip_failing = false;  // some entry may flag PFAIL or FAIL (false: none does)
};

struct ControlPlane::Impl final : EventHandler {
  Impl(Simulation& sim, Topology& topo, ControlConfig cfg, ControlHooks& hooks);

  Simulation& sim;
  Topology& topo;
  ControlConfig cfg;
  ControlHooks& hooks;
  Time nt;  // node timeout
  Time cron_period;
  int n = 0;
  std::vector<NodeState> nodes;
  BigArray<PeerView> peer_store;        // [viewer * n + peer]
  BigArray<uint32_t> hot_store;         // [viewer * n + peer]
  std::vector<int32_t> scan_min_store;  // [viewer * scan_blocks + block]
  int scan_blocks = 0;
  // Messages by id. Each is its own allocation: processing a message may send others without moving it, and an id
  // finds its message with one load (a deque of these ~200-byte messages needs two).
  struct MessagePool {
    std::vector<std::unique_ptr<Message>> items;
    Message& operator[](uint32_t id) { return *items[id]; }
    size_t size() const { return items.size(); }
    void emplace_back() { items.push_back(std::make_unique<Message>()); }
  } pool;
  std::vector<uint32_t> free_msgs;
  BusStats stats;
  std::vector<FailoverRecord> records;
  std::vector<int> open_record;  // per node: index into records of a failover in progress, or -1
  std::vector<int> scratch_ok_replicas;
  std::vector<uint32_t> gossip_mark;  // gossip_mark[j] == gossip_stamp: j is in the packet being built
  uint32_t gossip_stamp = 0;

  // EventHandler: tag = kind << 56 | value
  static constexpr uint64_t kTagCron = 1ull << 56;
  static constexpr uint64_t kTagMsg = 2ull << 56;
  void on_event(Time now, uint64_t tag) override;

  // --- events and records (control_plane.cpp)
  void emit(const char* type, int node, nlohmann::json extra = {});
  void note_pfail(int target);
  void note_fail(int target);
  void note_promoted(int node, int old_master);
  void check_ok_after_failover();
  double now_s() const { return sim.now().seconds(); }
  int index_of(const std::string& name) const;

  // --- bus (bus.cpp)
  uint32_t new_message(MsgType type, int from, int to);
  void fill_header(Message& m);
  void add_gossip(Message& m);
  void post(uint32_t id);  // hands a message to the network
  void send_ping(int from, int to, MsgType type, bool reply = false);
  void broadcast_pong(int from, bool local_replicas_only);
  void send_fail(int from, int about);
  void send_update(int from, int to, int about);
  void broadcast_auth_request(int from);
  void send_auth_ack(int from, int to);
  void send_mfstart(int from, int to);
  void deliver(uint32_t id);
  void process(const Message& m);
  void process_gossip(int self, const Message& m);

  // --- cron and failure detection (cron.cpp)
  void schedule_cron(int node, Time at);
  Time cron_interval(int node);  // the period to the node's next clusterCron: nominal + lateness
  void cancel_cron(int node);
  // The clusterCron calendar: every node's next cron, in (time, sequence) order. Crons are periodic, so a new one
  // almost always goes at the back. The event queue holds only the front (and any earlier front not yet run), so
  // its heap has a dozen events instead of one per node; sequence numbers are reserved when Redis' loop would have
  // scheduled the cron, so every tie breaks as it did with one event per cron.
  struct CronEntry {
    Time at;
    uint64_t seq;
    int node;
    bool queued;  // handed to the event queue
  };
  std::deque<CronEntry> calendar;
  void queue_calendar_front();
  void cron(int node);
  void migration_view(int self);  // fills migr_orphaned / migr_max_slaves / migr_this_slaves
  std::vector<int> scratch_due;
  void update_repl_link(int node);
  void set_pfail(int self, int peer);
  void add_failure_report(int self, int about, int reporter);
  void remove_failure_report(int self, int about, int reporter);
  int valid_reports(int self, int about);
  void mark_failing_if_needed(int self, int about);
  void clear_failure_if_needed(int self, int about);
  int cluster_size(int self) const;  // masters with slots in self's view
  void update_state(int self);

  // --- slot config and roles (slots_config.cpp)
  void assign_slot(int self, int slot, int node);
  void refresh_claims(int self);
  Ranges ranges_of(int self, int node) const;
  void del_node_slots(int self, int node);
  void update_slots_config_with(int self, int sender, uint64_t epoch, const Ranges& slots);
  void check_slot_config(int self, const Message& m);
  void set_node_as_master_view(int self, int peer);
  void set_master(int self, int new_master);  // self becomes a replica of new_master
  void handle_epoch_collision(int self, int sender);

  // --- failover (failover.cpp)
  int replica_rank(int self);
  void handle_replica_failover(int self);
  void replace_master(int self);
  void handle_auth_request(int self, const Message& m);
  void handle_auth_ack(int self, const Message& m);
  void reset_manual_failover(int self);
  void manual_failover_check_timeout(int self);
  void handle_manual_failover(int self);
  void handle_mfstart(int self, int sender);
  void handle_migration(int self, int max_slaves);
  int ok_replicas(int self, int master) const;
};

}  // namespace cachelab::control
