#pragma once
// A Redis Cluster client over hiredis (0.14 has no cluster support, so the cluster logic is ours):
// CLUSTER SLOTS discovery, slot routing, MOVED / ASK / TRYAGAIN / CLUSTERDOWN handling, reconnect with backoff,
// per-request deadlines, one connection per node with configurable pipelining. It also talks to a standalone
// server (every slot maps to it).
//
// Why our own poll() loop over hiredis' reader rather than blocking redisContexts with socket timeouts:
//  - open-loop replay must send at the scheduled time without waiting for earlier replies, over many nodes at
//    once, from one thread: that needs non-blocking sockets;
//  - a socket timeout bounds one read(), not a request: a deadline per request (covering redirects, retries and
//    queueing behind a pipeline) is only possible when we own the loop;
//  - a timed-out blocking redisContext is unusable and must be rebuilt, so a paused node would cost a reconnect
//    per timeout; here a timed-out request is reported and its late reply discarded, and the connection lives on;
//  - the libevent adapter would add a dependency for no gain.
// hiredis does what it is good at: RESP parsing (redisReader).
//
// Single-threaded: every call, and every callback, happens on the thread that calls run_once().
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "live/client/client_types.hpp"
#include "live/client/endpoint.hpp"
#include "live/client/info.hpp"
#include "live/client/node_connection.hpp"
#include "live/client/slot_map.hpp"

namespace cachelab::live {

struct ClientOptions {
  std::vector<Endpoint> seeds;  // nodes to discover the cluster from (any reachable one is enough)
  int connect_timeout_ms = 1000;
  int request_timeout_ms = 1000;  // default deadline of a request, redirects and retries included
  int pipeline_depth = 16;        // max commands in flight per connection (1 = no pipelining)
  int max_redirects = 5;
  int max_retries = 8;       // TRYAGAIN / CLUSTERDOWN
  int retry_backoff_ms = 5;  // first retry delay; doubles per retry up to retry_backoff_max_ms
  int retry_backoff_max_ms = 200;
  int reconnect_backoff_ms = 10;  // first reconnect delay after a failure; doubles up to the max
  int reconnect_backoff_max_ms = 1000;
  int min_refresh_interval_ms = 100;  // CLUSTER SLOTS at most this often, however many MOVED arrive
};

struct SubmitOptions {
  int timeout_ms = -1;  // -1: ClientOptions::request_timeout_ms
  // When the request was meant to start (open-loop replay): latency is measured from here, so a client that
  // falls behind shows it (no coordinated omission). Default: now.
  std::optional<std::chrono::steady_clock::time_point> intended_start;
};

class ClusterClient {
 public:
  using Clock = std::chrono::steady_clock;

  explicit ClusterClient(ClientOptions options);
  ~ClusterClient();
  ClusterClient(const ClusterClient&) = delete;
  ClusterClient& operator=(const ClusterClient&) = delete;

  // Learns the topology from the first seed that answers CLUSTER SLOTS (blocking, connect_timeout_ms per seed).
  // A server with cluster support disabled makes this a standalone client. Throws ConnectionError naming every
  // seed and why it failed.
  void connect();
  bool is_cluster() const { return cluster_; }

  // Routes by the slot of args[1] (the key of GET/SET/DEL/EXPIRE/...). The callback runs inside run_once().
  void submit(std::vector<std::string> args, Callback callback, SubmitOptions options = {});
  // To one node regardless of slots (INFO, PING, CLUSTER ...). Redirects are not followed.
  void submit_to(const Endpoint& node, std::vector<std::string> args, Callback callback, SubmitOptions options = {});

  // One turn of the loop: sends what is queued, waits up to max_wait_ms for replies/deadlines, runs callbacks.
  void run_once(int max_wait_ms);
  // Turns the loop until no request of ours is outstanding, or timeout_ms passed. True when idle.
  bool run_until_idle(int timeout_ms);
  size_t outstanding() const { return outstanding_; }

  // Blocking conveniences on top of submit + run_once (never call them from a callback).
  Result execute(std::vector<std::string> args, SubmitOptions options = {});
  Result execute_on(const Endpoint& node, std::vector<std::string> args, SubmitOptions options = {});
  Result get(const std::string& key) { return execute({"GET", key}); }
  // ttl_ms > 0 adds PX (millisecond TTL); use execute() for EX or other flags.
  Result set(const std::string& key, const std::string& value, int64_t ttl_ms = 0);
  Result del(const std::string& key) { return execute({"DEL", key}); }
  // INFO of one node, parsed. Throws ConnectionError when the node does not answer.
  NodeSnapshot info(const Endpoint& node);

  // Asks for a fresh CLUSTER SLOTS soon (rate-limited by min_refresh_interval_ms).
  void request_refresh();
  const SlotMap& slot_map() const { return slots_; }
  const ClientCounters& counters() const { return counters_; }
  const ClientOptions& options() const { return options_; }

 private:
  struct Request;
  struct InFlight;
  struct Node;
  using RequestPtr = std::unique_ptr<Request>;

  Node& node_for(const Endpoint& endpoint);
  void submit_request(std::optional<Endpoint> fixed, int slot, std::vector<std::string> args, Callback callback,
                      const SubmitOptions& options);
  void enqueue(RequestPtr req);       // picks the node (route) and queues it there
  void dispatch_waiting(Node& node);  // waiting -> wire, up to the pipeline depth
  void open_connection(Node& node, Clock::time_point now);
  void on_connected(Node& node);
  void on_node_failure(Node& node, const std::string& error, Clock::time_point now);
  void on_reply(Node& node, Reply reply, Clock::time_point now);
  void handle_refresh_reply(Request& req, const Reply& reply);
  void retry_later(RequestPtr req, Clock::time_point now, int delay_ms);
  void complete(RequestPtr req, Status status, Reply reply, std::string error, Clock::time_point now);
  void expire_deadlines(Clock::time_point now);
  void start_refresh_if_due(Clock::time_point now);
  void run_callbacks();
  int next_wake_ms(Clock::time_point now, int max_wait_ms) const;

  ClientOptions options_;
  bool cluster_ = true;
  SlotMap slots_;
  std::map<Endpoint, std::unique_ptr<Node>> nodes_;
  std::deque<RequestPtr> delayed_;                       // retries waiting for their backoff
  std::vector<std::pair<RequestPtr, Result>> finished_;  // callbacks run at the end of run_once()
  ClientCounters counters_;
  size_t outstanding_ = 0;
  uint64_t next_id_ = 1;
  bool refresh_wanted_ = false;
  bool refresh_in_flight_ = false;
  Clock::time_point last_refresh_start_{};
  size_t refresh_rotation_ = 0;
};

}  // namespace cachelab::live
