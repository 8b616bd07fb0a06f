#include "live/client/cluster_client.hpp"

#include <poll.h>

#include <algorithm>
#include <cerrno>

#include "live/client/control_connection.hpp"
#include "live/client/credentials.hpp"
#include "live/client/redirect.hpp"
#include "live/client/slot_hash.hpp"

namespace cachelab::live {

const char* to_string(Status s) {
  switch (s) {
    case Status::Ok:
      return "ok";
    case Status::ErrorReply:
      return "error-reply";
    case Status::Oom:
      return "oom";
    case Status::Timeout:
      return "timeout";
    case Status::Connection:
      return "connection";
    case Status::TryAgain:
      return "tryagain";
    case Status::ClusterDown:
      return "clusterdown";
    case Status::TooManyRedirects:
      return "too-many-redirects";
  }
  return "?";
}

struct ClusterClient::Request {
  std::vector<std::string> args;
  int slot = 0;
  std::optional<Endpoint> fixed;  // submit_to: this node, no redirects
  bool internal_refresh = false;  // our own CLUSTER SLOTS
  Clock::time_point start, deadline, ready_at;
  int redirects = 0;
  int retries = 0;
  bool asking = false;  // next send goes to ask_target, preceded by ASKING
  Endpoint ask_target;
  // What the request ends as when its deadline passes while it is not on the wire (waiting for a connection,
  // a backoff, ...). On the wire, it is always Timeout.
  Status last_failure = Status::Timeout;
  std::string last_error;
  Endpoint last_node;
  Callback callback;
};

struct ClusterClient::InFlight {
  RequestPtr req;           // null for an ASKING acknowledgement, or once the request timed out
  bool asking_ack = false;  // the +OK of an ASKING we sent before a redirected command
};

struct ClusterClient::Node {
  explicit Node(const Endpoint& e) : endpoint(e), conn(e) {}
  Endpoint endpoint;
  NodeConnection conn;
  std::deque<RequestPtr> waiting;  // not sent yet (no connection, or pipeline full)
  std::deque<InFlight> inflight;   // sent, in order: replies come back in this order
  Clock::time_point next_connect_at{};
  Clock::time_point connect_started{};
  int backoff_ms = 0;
  bool ever_connected = false;
};

namespace {

using SteadyClock = std::chrono::steady_clock;

int64_t micros_between(SteadyClock::time_point a, SteadyClock::time_point b) {
  return std::chrono::duration_cast<std::chrono::microseconds>(b - a).count();
}

}  // namespace

ClusterClient::ClusterClient(ClientOptions options) : options_(std::move(options)) {
  options_.pipeline_depth = std::max(1, options_.pipeline_depth);
}

ClusterClient::~ClusterClient() = default;

void ClusterClient::connect() {
  if (options_.seeds.empty()) throw ConnectionError("no Redis address given");
  std::string reasons;
  for (const auto& seed : options_.seeds) {
    try {
      ControlConnection c(seed, options_.connect_timeout_ms);
      Reply r = c.command({"CLUSTER", "SLOTS"});
      if (r.is_error() && r.str().find("cluster support disabled") != std::string_view::npos) {
        cluster_ = false;
        slots_.assign_all(seed);
        return;
      }
      if (r.is_error()) throw ConnectionError(seed.str() + " answered CLUSTER SLOTS with " + std::string(r.str()));
      if (!slots_.load_cluster_slots(r, seed) || slots_.covered_slots() == 0)
        throw ConnectionError(seed.str() + " has no slots assigned (cluster not created yet?)");
      cluster_ = true;
      ++counters_.slot_refreshes;
      return;
    } catch (const ConnectionError& e) {
      reasons += std::string(reasons.empty() ? "" : "; ") + e.what();
    }
  }
  throw ConnectionError(reasons);
}

ClusterClient::Node& ClusterClient::node_for(const Endpoint& endpoint) {
  auto it = nodes_.find(endpoint);
  if (it == nodes_.end()) it = nodes_.emplace(endpoint, std::make_unique<Node>(endpoint)).first;
  return *it->second;
}

void ClusterClient::submit(std::vector<std::string> args, Callback callback, SubmitOptions options) {
  const int slot = args.size() >= 2 ? key_hash_slot(args[1]) : 0;
  submit_request(std::nullopt, slot, std::move(args), std::move(callback), options);
}

void ClusterClient::submit_to(const Endpoint& node, std::vector<std::string> args, Callback callback,
                              SubmitOptions options) {
  submit_request(node, 0, std::move(args), std::move(callback), options);
}

// One request with its deadline; routed by slot, or pinned to `fixed`.
void ClusterClient::submit_request(std::optional<Endpoint> fixed, int slot, std::vector<std::string> args,
                                   Callback callback, const SubmitOptions& options) {
  auto req = std::make_unique<Request>();
  const auto now = Clock::now();
  req->fixed = std::move(fixed);
  req->slot = slot;
  req->args = std::move(args);
  req->start = options.intended_start.value_or(now);
  req->deadline =
      now + std::chrono::milliseconds(options.timeout_ms >= 0 ? options.timeout_ms : options_.request_timeout_ms);
  req->callback = std::move(callback);
  ++counters_.submitted;
  ++outstanding_;
  enqueue(std::move(req));
}

void ClusterClient::enqueue(RequestPtr req) {
  std::optional<Endpoint> target;
  if (req->fixed)
    target = req->fixed;
  else if (req->asking)
    target = req->ask_target;
  else
    target = slots_.owner(req->slot);
  if (!target) {
    // No known owner: the map is stale or the cluster lost the slot. Ask for a fresh map and try again.
    req->last_failure = Status::ClusterDown;
    req->last_error = "slot " + std::to_string(req->slot) + " has no known owner";
    request_refresh();
    retry_later(std::move(req), Clock::now(), options_.retry_backoff_ms);
    return;
  }
  req->last_node = *target;
  node_for(*target).waiting.push_back(std::move(req));
}

void ClusterClient::dispatch_waiting(Node& node) {
  std::string& out = node.conn.out();
  while (!node.waiting.empty() && static_cast<int>(node.inflight.size()) < options_.pipeline_depth) {
    RequestPtr req = std::move(node.waiting.front());
    node.waiting.pop_front();
    if (req->asking) {
      // ASKING is a one-shot flag on the connection: it must come right before the command it is for.
      append_resp_command(out, {"ASKING"});
      node.inflight.push_back(InFlight{nullptr, true});
      req->asking = false;  // a later retry goes through the slot map again
    }
    append_resp_command(out, req->args);
    node.inflight.push_back(InFlight{std::move(req), false});
  }
}

void ClusterClient::open_connection(Node& node, Clock::time_point now) {
  std::string error;
  node.connect_started = now;
  if (!node.conn.open(error)) {
    on_node_failure(node, error, now);
    return;
  }
  // A lab server wants its password first (credentials.hpp); its +OK is skipped like ASKING's. A refused
  // password shows up as -NOAUTH replies to the commands that follow.
  if (const std::string pw = password_for(node.endpoint); !pw.empty()) {
    append_resp_command(node.conn.out(), {std::string_view("AUTH"), std::string_view(pw)});
    node.inflight.push_back(InFlight{nullptr, true});
  }
  if (!node.conn.connecting()) on_connected(node);
}

void ClusterClient::on_connected(Node& node) {
  node.backoff_ms = 0;
  if (node.ever_connected) ++counters_.reconnects;
  node.ever_connected = true;
}

void ClusterClient::on_node_failure(Node& node, const std::string& error, Clock::time_point now) {
  ++counters_.connection;
  node.conn.close();
  node.backoff_ms = node.backoff_ms == 0 ? options_.reconnect_backoff_ms
                                         : std::min(node.backoff_ms * 2, options_.reconnect_backoff_max_ms);
  node.next_connect_at = now + std::chrono::milliseconds(node.backoff_ms);
  const std::string why = node.endpoint.str() + ": " + error;
  // Whatever was on the wire may or may not have run; GET/SET/DEL are safe to send again.
  auto requeue = [&](RequestPtr req) {
    if (req->internal_refresh) {
      refresh_in_flight_ = false;
      refresh_wanted_ = true;
      return;
    }
    req->last_failure = Status::Connection;
    req->last_error = why;
    ++req->retries;
    ++counters_.retries;
    retry_later(std::move(req), now, node.backoff_ms);
  };
  for (auto& entry : node.inflight)
    if (entry.req) requeue(std::move(entry.req));
  node.inflight.clear();
  while (!node.waiting.empty()) {
    RequestPtr req = std::move(node.waiting.front());
    node.waiting.pop_front();
    requeue(std::move(req));
  }
  if (cluster_) request_refresh();  // the node may be gone for good and its slots served by another
}

void ClusterClient::retry_later(RequestPtr req, Clock::time_point now, int delay_ms) {
  req->asking = false;
  req->ready_at = now + std::chrono::milliseconds(delay_ms);
  delayed_.push_back(std::move(req));
}

void ClusterClient::on_reply(Node& node, Reply reply, Clock::time_point now) {
  InFlight entry = std::move(node.inflight.front());
  node.inflight.pop_front();
  if (entry.asking_ack || !entry.req) return;  // ASKING's +OK, or the late reply of a timed-out request
  RequestPtr req = std::move(entry.req);
  req->last_node = node.endpoint;
  if (req->internal_refresh) {
    refresh_in_flight_ = false;
    handle_refresh_reply(*req, reply);
    return;
  }
  if (!reply.is_error()) {
    complete(std::move(req), Status::Ok, std::move(reply), "", now);
    return;
  }
  const ClusterError e = classify_error(reply.str(), node.endpoint);
  const std::string text(reply.str());
  if (req->fixed) {  // aimed at one node on purpose: report, do not follow
    complete(std::move(req), e.kind == ErrorKind::Oom ? Status::Oom : Status::ErrorReply, std::move(reply), text, now);
    return;
  }
  auto backoff = [&](int retries) {
    int ms = options_.retry_backoff_ms;
    for (int i = 1; i < retries && ms < options_.retry_backoff_max_ms; ++i) ms *= 2;
    return std::min(ms, options_.retry_backoff_max_ms);
  };
  switch (e.kind) {
    case ErrorKind::Moved:
    case ErrorKind::Ask: {
      const bool moved = e.kind == ErrorKind::Moved;
      ++(moved ? counters_.moved : counters_.ask);
      if (req->redirects >= options_.max_redirects) {
        complete(std::move(req), Status::TooManyRedirects, std::move(reply), text, now);
        return;
      }
      ++req->redirects;
      if (moved) {
        // The slot has a new owner for good: fix this slot now, and refresh the whole map, since a MOVED
        // usually means more than one slot changed (failover, resharding).
        slots_.set(e.slot, e.target);
        request_refresh();
      } else {
        req->asking = true;  // only this request, only once: the slot is still officially where it was
        req->ask_target = e.target;
      }
      enqueue(std::move(req));
      return;
    }
    case ErrorKind::TryAgain:
    case ErrorKind::ClusterDown: {
      const bool tryagain = e.kind == ErrorKind::TryAgain;
      ++(tryagain ? counters_.tryagain : counters_.clusterdown);
      const Status status = tryagain ? Status::TryAgain : Status::ClusterDown;
      if (!tryagain) request_refresh();
      if (req->retries >= options_.max_retries) {
        complete(std::move(req), status, std::move(reply), text, now);
        return;
      }
      ++req->retries;
      ++counters_.retries;
      req->last_failure = status;
      req->last_error = text;
      const int delay_ms = backoff(req->retries);  // before the move: argument order is unspecified
      retry_later(std::move(req), now, delay_ms);
      return;
    }
    case ErrorKind::Oom:
      ++counters_.oom;
      complete(std::move(req), Status::Oom, std::move(reply), text, now);
      return;
    case ErrorKind::CrossSlot:
    case ErrorKind::NoReplicas:
    case ErrorKind::Unavailable:
    case ErrorKind::Auth:
    case ErrorKind::Other:
      complete(std::move(req), Status::ErrorReply, std::move(reply), text, now);
      return;
  }
}

void ClusterClient::handle_refresh_reply(Request& req, const Reply& reply) {
  if (reply.is_error() && reply.str().find("cluster support disabled") != std::string_view::npos) {
    cluster_ = false;
    slots_.assign_all(req.last_node);
    return;
  }
  SlotMap fresh;
  if (!reply.is_error() && fresh.load_cluster_slots(reply, req.last_node) && fresh.covered_slots() > 0) {
    slots_ = std::move(fresh);
    ++counters_.slot_refreshes;
  } else {
    refresh_wanted_ = true;  // try another node later
  }
}

void ClusterClient::complete(RequestPtr req, Status status, Reply reply, std::string error, Clock::time_point now) {
  Result r;
  r.status = status;
  r.reply = std::move(reply);
  r.error = std::move(error);
  r.served_by = req->last_node;
  r.redirects = req->redirects;
  r.retries = req->retries;
  r.latency_us = micros_between(req->start, now);
  if (status == Status::Timeout) ++counters_.timeout;
  ++counters_.completed;
  --outstanding_;
  finished_.emplace_back(std::move(req), std::move(r));
}

void ClusterClient::request_refresh() {
  if (cluster_) refresh_wanted_ = true;
}

void ClusterClient::start_refresh_if_due(Clock::time_point now) {
  if (!cluster_ || !refresh_wanted_ || refresh_in_flight_) return;
  if (now - last_refresh_start_ < std::chrono::milliseconds(options_.min_refresh_interval_ms)) return;
  std::vector<Endpoint> candidates = slots_.known_nodes();
  for (const auto& s : options_.seeds)
    if (std::find(candidates.begin(), candidates.end(), s) == candidates.end()) candidates.push_back(s);
  if (candidates.empty()) return;
  // Prefer a node we are connected to and that is not stuck; rotate so a dead node is not asked every time.
  std::optional<Endpoint> target;
  for (size_t i = 0; i < candidates.size() && !target; ++i) {
    const Endpoint& c = candidates[(refresh_rotation_ + i) % candidates.size()];
    auto it = nodes_.find(c);
    if (it != nodes_.end() && it->second->conn.is_open() && !it->second->conn.connecting() &&
        it->second->inflight.empty())
      target = c;
  }
  if (!target) target = candidates[refresh_rotation_ % candidates.size()];
  ++refresh_rotation_;
  auto req = std::make_unique<Request>();
  req->internal_refresh = true;
  req->fixed = *target;
  req->args = {"CLUSTER", "SLOTS"};
  req->start = now;
  req->deadline = now + std::chrono::milliseconds(options_.request_timeout_ms);
  refresh_wanted_ = false;
  refresh_in_flight_ = true;
  last_refresh_start_ = now;
  enqueue(std::move(req));
}

void ClusterClient::expire_deadlines(Clock::time_point now) {
  // Connects that take too long count as connection failures.
  for (auto& [endpoint, node] : nodes_) {
    if (node->conn.connecting() &&
        now - node->connect_started >= std::chrono::milliseconds(options_.connect_timeout_ms))
      on_node_failure(*node, "connect timed out", now);
  }
  auto expire_internal = [&](RequestPtr&) {
    refresh_in_flight_ = false;
    refresh_wanted_ = true;
  };
  for (auto& [endpoint, node] : nodes_) {
    for (auto& entry : node->inflight) {
      if (!entry.req || now < entry.req->deadline) continue;
      // The entry stays (reply order is fixed); its reply, if it ever comes, is dropped.
      if (entry.req->internal_refresh) {
        expire_internal(entry.req);
        entry.req.reset();
      } else {
        complete(std::move(entry.req), Status::Timeout, {}, "no reply from " + endpoint.str() + " in time", now);
      }
    }
    std::deque<RequestPtr> keep;
    for (auto& req : node->waiting) {
      if (now < req->deadline) {
        keep.push_back(std::move(req));
      } else if (req->internal_refresh) {
        expire_internal(req);
      } else {
        Status s = req->last_failure;
        std::string why = req->last_error.empty() ? "not sent to " + endpoint.str() + " in time" : req->last_error;
        complete(std::move(req), s, {}, why, now);
      }
    }
    node->waiting.swap(keep);
  }
  std::deque<RequestPtr> keep;
  for (auto& req : delayed_) {
    if (now < req->deadline) {
      keep.push_back(std::move(req));
    } else if (req->internal_refresh) {
      expire_internal(req);
    } else {
      Status s = req->last_failure;
      std::string why = req->last_error;
      complete(std::move(req), s, {}, why, now);
    }
  }
  delayed_.swap(keep);
}

void ClusterClient::run_callbacks() {
  // Swap first: a callback may submit, and submitting never runs callbacks, but completing does.
  std::vector<std::pair<RequestPtr, Result>> done;
  done.swap(finished_);
  for (auto& [req, result] : done)
    if (req->callback) req->callback(result);
}

int ClusterClient::next_wake_ms(Clock::time_point now, int max_wait_ms) const {
  auto wake = now + std::chrono::milliseconds(max_wait_ms);
  auto consider = [&](Clock::time_point t) { wake = std::min(wake, t); };
  for (const auto& req : delayed_) {
    consider(req->ready_at);
    consider(req->deadline);
  }
  for (const auto& [endpoint, node] : nodes_) {
    for (const auto& e : node->inflight)
      if (e.req) consider(e.req->deadline);
    for (const auto& req : node->waiting) consider(req->deadline);
    if (!node->conn.is_open() && !node->waiting.empty()) consider(node->next_connect_at);
    if (node->conn.connecting())
      consider(node->connect_started + std::chrono::milliseconds(options_.connect_timeout_ms));
  }
  if (refresh_wanted_ && !refresh_in_flight_)
    consider(last_refresh_start_ + std::chrono::milliseconds(options_.min_refresh_interval_ms));
  if (wake <= now) return 0;
  // Round up: waking a little early would just spin.
  return static_cast<int>((micros_between(now, wake) + 999) / 1000);
}

void ClusterClient::run_once(int max_wait_ms) {
  auto now = Clock::now();
  auto promote_due = [&] {
    std::vector<RequestPtr> due;
    std::deque<RequestPtr> keep;
    for (auto& req : delayed_) {
      if (now >= req->ready_at)
        due.push_back(std::move(req));
      else
        keep.push_back(std::move(req));
    }
    delayed_.swap(keep);
    for (auto& req : due) enqueue(std::move(req));
  };
  auto pump = [&] {
    for (auto& [endpoint, node] : nodes_) {
      if (!node->conn.is_open() && !node->waiting.empty() && now >= node->next_connect_at) open_connection(*node, now);
      if (!node->conn.is_open() || node->conn.connecting()) continue;
      dispatch_waiting(*node);
      std::string error;
      if (node->conn.wants_write() && !node->conn.flush(error)) on_node_failure(*node, error, now);
    }
  };

  promote_due();
  start_refresh_if_due(now);
  pump();

  std::vector<pollfd> fds;
  std::vector<Node*> owners;
  for (auto& [endpoint, node] : nodes_) {
    if (!node->conn.is_open()) continue;
    short events = POLLIN;
    if (node->conn.connecting() || node->conn.wants_write()) events |= POLLOUT;
    fds.push_back(pollfd{node->conn.fd(), events, 0});
    owners.push_back(node.get());
  }
  const int wait_ms = next_wake_ms(now, std::max(0, max_wait_ms));
  int ready = ::poll(fds.data(), fds.size(), wait_ms);
  now = Clock::now();
  if (ready > 0) {
    std::vector<Reply> replies;
    for (size_t i = 0; i < fds.size(); ++i) {
      Node& node = *owners[i];
      const short rev = fds[i].revents;
      if (!rev || !node.conn.is_open() || node.conn.fd() != fds[i].fd) continue;
      std::string error;
      if (node.conn.connecting()) {
        if (node.conn.finish_connect(error))
          on_connected(node);
        else
          on_node_failure(node, error, now);
        continue;
      }
      if (rev & (POLLIN | POLLERR | POLLHUP)) {
        replies.clear();
        const bool ok = node.conn.read_replies(replies, error);
        for (auto& r : replies) {
          if (node.inflight.empty()) break;  // cannot happen with a sane server; never crash on it
          on_reply(node, std::move(r), now);
        }
        if (!ok) {
          on_node_failure(node, error, now);
          continue;
        }
      }
      if ((rev & POLLOUT) && node.conn.wants_write() && !node.conn.flush(error)) on_node_failure(node, error, now);
    }
  } else if (ready < 0 && errno != EINTR) {
    // poll itself failed (EINVAL/ENOMEM): nothing sensible to do but let deadlines run.
  }
  promote_due();
  expire_deadlines(now);
  start_refresh_if_due(now);
  pump();  // redirects and freed pipeline slots go out now, not one loop later
  run_callbacks();
}

bool ClusterClient::run_until_idle(int timeout_ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (outstanding_ > 0) {
    const auto now = Clock::now();
    if (now >= deadline) return false;
    run_once(static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count()) + 1);
  }
  return true;
}

Result ClusterClient::execute(std::vector<std::string> args, SubmitOptions options) {
  std::optional<Result> out;
  submit(
      std::move(args), [&](const Result& r) { out = r; }, options);
  while (!out) run_once(100);
  return *out;
}

Result ClusterClient::execute_on(const Endpoint& node, std::vector<std::string> args, SubmitOptions options) {
  std::optional<Result> out;
  submit_to(
      node, std::move(args), [&](const Result& r) { out = r; }, options);
  while (!out) run_once(100);
  return *out;
}

Result ClusterClient::set(const std::string& key, const std::string& value, int64_t ttl_ms) {
  if (ttl_ms > 0) return execute({"SET", key, value, "PX", std::to_string(ttl_ms)});
  return execute({"SET", key, value});
}

NodeSnapshot ClusterClient::info(const Endpoint& node) {
  Result r = execute_on(node, {"INFO"});
  if (r.status != Status::Ok)
    throw ConnectionError("INFO from " + node.str() + " failed: " + std::string(to_string(r.status)) +
                          (r.error.empty() ? "" : " (" + r.error + ")"));
  return parse_node_snapshot(r.reply.str());
}

}  // namespace cachelab::live
