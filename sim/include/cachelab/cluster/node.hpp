#pragma once
// A cache node: one Redis process. Commands are served one at a time in arrival order (Redis's single command
// thread), each taking a service time drawn from the scenario's distribution; before each command the store evicts
// while over maxmemory, and commands that need memory get OOM when it cannot (docs/redis-reference.md §7.2).
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "cachelab/cache/store.hpp"
#include "cachelab/protocol/backend.hpp"
#include "cachelab/core/dist.hpp"

namespace cachelab {

class Node;

// One write a master propagates to its replicas (the replication stream carries the command; here its effect).
struct ReplOp {
  enum class Kind : uint8_t { Set, Del } kind = Kind::Set;
  uint64_t key = 0;
  uint32_t key_len = 0;
  uint32_t value_bytes = 0;
  int64_t expire_at_ms = -1;
  uint16_t slot = 0;
  uint32_t version = 0;  // the value's database version (staleness): a replica serves what it was sent
  bool hash = false;     // an HSET of the workload's hash objects (CacheCommand::hash)
};

class ReplicationSink {
 public:
  // `master` executed a write that completes at `at`; it must reach the master's replicas.
  virtual void propagate(Node& master, const ReplOp& op, Time at) = 0;

 protected:
  ~ReplicationSink() = default;
};

enum class Role : uint8_t { Master, Replica };

// A command's service time (cluster.service_us) is that of a command read alone: one read(2), the command, one
// write(2) of its reply and an event-loop turn. In a pipeline the node reads many commands per read and writes their
// replies together, so a command after the first costs only its own execution. Measured with redis-benchmark 7.0.15
// on loopback (docs/redis-reference.md §9): GET 135,501 rps alone and 1,333,333 rps with -P 16, so
// 7.38 µs alone and 12.0 µs per 16, i.e. 0.31 µs per further command (4.2% of a lone command); SET 7.65 µs alone and
// 13.95 µs per 16: 0.42 µs (5.5%). Half-way: 5%.
inline constexpr double kPipelinedCommandShare = 0.05;
// PROTO_IOBUF_LEN (Redis 7.0 src/server.h): what readQueryFromClient reads from a client's socket at a time.
inline constexpr uint32_t kQueryReadBytes = 16 * 1024;

class Node final : private StoreListener {
 public:
  static constexpr uint16_t kNoNode = 0xFFFF;

  Node(std::string name, uint16_t index, const StoreConfig& store_cfg, Rng store_rng, const RealDist& service_us,
       Rng service_rng);

  // Executes a command that reaches the node at `arrival` (calls must come in arrival order): it starts when the
  // node is free, and its effect on the keyspace is applied at its start time. Returns the completion time.
  // In cluster mode the node first decides, as getNodeByQuery does (docs/redis-reference.md §2.2), whether to serve
  // it or to answer CLUSTERDOWN (unbound slot), ASK (migrating slot, key absent) or MOVED (not the owner, unless
  // importing and the client said ASKING).
  // `keys_span_slots`: a multi-key command whose keys hash to different slots (the caller hashed every key name, as
  // getNodeByQuery does first): -CROSSSLOT (ref. §2.2 step 1).
  // An Eval (a script) also holds the thread for script_node_time(value_bytes) (cluster/script_cost.hpp) once it
  // passes the cluster checks: its redis.call run back to back, nothing interleaves.
  // `in_batch`: a command after the first of a batch read in one read (clients.batch): it costs
  // kPipelinedCommandShare of a sampled service time, the read, the reply's write and the event loop's turn being
  // paid once per batch by its first command.
  Time execute(const CacheCommand& c, uint32_t key_len, Time arrival, CacheReply& reply, bool keys_span_slots = false,
               bool in_batch = false);

  // Occupies the command thread for `service` from max(arrival, free): admin commands (SETSLOT, GETKEYSINSLOT,
  // MIGRATE). Returns the completion time.
  Time occupy(Time arrival, Time service);
  Time sample_service();
  // A sampled service time as paid by a command after the first of a batch.
  static Time batched(Time service) {
    return Time::saturated_ns(static_cast<double>(service.nanos()) * kPipelinedCommandShare + 0.5);
  }
  // A slow node (the slow_node fault): service times x factor from now on; 1 = normal.
  void set_service_factor(double factor) { service_factor_ = factor; }
  // The node time a GET/MGET reply of `bytes` value bytes costs (what execute() added for it), and the knob a
  // SET's bytes cost per byte: the transfer's slices overlap this work (net/transfer.hpp, ref. §12.3).
  Time reply_copy_time(uint64_t bytes) const {
    return get_ns_per_byte() > 0 ? byte_cost(get_ns_per_byte(), bytes) : Time{};
  }
  double set_ns_per_request_byte() const { return set_ns_per_byte() * service_factor_; }

  // This node's view of slot ownership (CLUSTER SLOTS as it would answer) and its migration states.
  // With the control plane running, the node's view is the control plane's (gossip moves it); without, its own
  // table (set at creation and by resharding's SETSLOT NODE).
  void set_owner(int slot, uint16_t node) { owner_[static_cast<size_t>(slot)] = node; }
  uint16_t owner(int slot) const { return view_ ? view_[slot] : owner_[static_cast<size_t>(slot)]; }
  std::vector<uint16_t> owners() const { return view_ ? std::vector<uint16_t>(view_, view_ + 16384) : owner_; }
  void use_view(const uint16_t* table) { view_ = table; }
  void set_migrating(int slot, uint16_t to) { migrating_to_[static_cast<size_t>(slot)] = to; }
  void set_importing(int slot, uint16_t from) { importing_from_[static_cast<size_t>(slot)] = from; }
  uint16_t index() const { return index_; }
  Store& mutable_store() { return store_; }

  // serverCron: the active expire cycle (masters).
  void cron(Time now) { store_.cron(now); }

  const std::string& name() const { return name_; }
  const Store& store() const { return store_; }
  const char* role() const { return !alive_ ? "down" : role_ == Role::Master ? "master" : "replica"; }
  Role role_kind() const { return role_; }
  int master_index() const { return master_; }  // a replica's master, -1 for a master
  void make_replica_of(int master) {
    role_ = Role::Replica;
    master_ = master;
    store_.set_master(false);
  }
  void make_master() {
    role_ = Role::Master;
    master_ = -1;
    store_.set_master(true);
  }
  // Master: the replication offset produced (bytes of the stream, as master_repl_offset). Replica: applied so far.
  uint64_t repl_offset() const { return repl_offset_; }
  void set_repl_offset(uint64_t o) { repl_offset_ = o; }
  // Process state, set by faults and the control plane.
  bool alive() const { return alive_; }
  bool paused() const { return paused_; }
  bool cluster_ok() const { return cluster_ok_; }
  void set_alive(bool a) { alive_ = a; }
  void set_paused(bool p) { paused_ = p; }
  void set_cluster_ok(bool ok) { cluster_ok_ = ok; }
  // A restart without persistence (save "", appendonly no): the keyspace and the replication offset are gone.
  void restart_empty(Time now) {
    store_.clear();
    repl_offset_ = 0;
    free_at_ = now;
    alive_ = true;
    paused_ = false;
  }
  void attach_replication(ReplicationSink* sink) {
    repl_ = sink;
    store_.set_listener(this);
  }
  uint64_t ops() const { return ops_; }
  Time busy() const { return busy_; }  // total service time so far
  // min-replicas-to-write (docs/redis-reference.md §0, §6.1): a master with fewer good replicas than `min` answers
  // writes with -NOREPLICAS. ReplicaAcks (cluster/repl_acks.hpp) keeps the good count; 0 = off (no acks modelled).
  void set_min_replicas(int min) { min_replicas_ = static_cast<uint8_t>(min); }
  void set_good_replicas(int good) { good_replicas_ = good; }
  int good_replicas() const { return good_replicas_; }

 private:
  std::string name_;
  uint16_t index_;
  bool cluster_mode_;
  std::vector<uint16_t> owner_, migrating_to_, importing_from_;
  const uint16_t* view_ = nullptr;
  Store store_;
  double keys_ns_per_key_, scan_ns_per_key_;  // KEYS / SCAN: node time per key walked
  // Node time per value byte replied by GET/MGET, sent with SET/MSET (docs/redis-reference.md §12).
  // Read from the store's config (not copied here: a smaller Node is cheaper to index on every command).
  double get_ns_per_byte() const { return store_.config().get_ns_per_reply_byte; }
  double set_ns_per_byte() const { return store_.config().set_ns_per_request_byte; }
  // A GET/MGET found values of `bytes` bytes: the node copies them into the reply (ref. §12.1), after the lookup.
  void add_reply_copy(uint64_t bytes) {
    if (get_ns_per_byte() <= 0) return;
    const Time copy = byte_cost(get_ns_per_byte(), bytes);
    free_at_ += copy;
    busy_ += copy;
  }
  Time byte_cost(double ns_per_byte, uint64_t bytes) const {
    return Time::saturated_ns(ns_per_byte * static_cast<double>(bytes) * service_factor_ + 0.5);
  }
  const RealDist& service_us_;
  Rng service_rng_;
  double service_factor_ = 1.0;  // x 1.0 is exact: unchanged results when no node is slowed
  void on_store_delete(uint64_t key, Time now) override;
  // A command's writes leave with its reply, when the thread is free again. A deletion outside a command (the
  // active expire cycle of serverCron on an idle node) leaves at the cron's own time: free_at_ is then in the past.
  void replicate(const ReplOp& op, Time not_before = Time::ns(0)) {
    if (repl_ && role_ == Role::Master) repl_->propagate(*this, op, std::max(free_at_, not_before));
  }

  bool alive_ = true, paused_ = false, cluster_ok_ = true;
  uint8_t min_replicas_ = 0;
  int good_replicas_ = 0;
  Role role_ = Role::Master;
  int master_ = -1;
  uint64_t repl_offset_ = 0;
  ReplicationSink* repl_ = nullptr;
  Time free_at_;
  uint64_t ops_ = 0;
  Time busy_;
  // Per client connection (instance x connections_per_instance + CacheCommand::conn): when the node last read it and
  // the bytes of the commands that read took (StoreConfig::coalesce_client_reads, ref. §9.1).
  struct ConnRead {
    Time at = Time::ns(-1);  // none yet
    uint32_t bytes = 0;
  };
  bool coalesce_reads_ = false;
  uint32_t conns_per_instance_ = 1;
  std::vector<ConnRead> reads_;
  // Whether a command arriving at `arrival` and starting at `start` was read with its connection's previous one.
  bool read_with_previous(uint32_t conn, Time arrival, Time start, uint32_t bytes);
};

}  // namespace cachelab
