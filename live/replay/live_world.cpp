#include "live/replay/live_world.hpp"

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

namespace cachelab::live {

using nlohmann::json;

LiveWorld::LiveWorld(const Scenario& s, LiveCacheOptions cache, const RunSession& session, LiveTarget target)
    : s_(s), target_(std::move(target)), clock_(timers_), cache_(std::move(cache), session.namer(), clock_) {
  cache_.set_known_owners(target_.owners);
  cache_.set_on_wake([this] { timers_.tick(); });  // the replies of one read share its time (WallScheduler)
}

LiveWorld::~LiveWorld() = default;

namespace {
// This process's CPU time so far (every thread, user + system), in s.
double process_cpu_s() {
  timespec ts{};
  if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0) return std::nan("");
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}
}  // namespace

void LiveWorld::start(RunSession& session) {
  cpu_at_start_s_ = process_cpu_s();
  wall_at_start_ = std::chrono::steady_clock::now();
  faults_ = std::make_unique<LiveFaultTarget>(target_.lab, target_.names, target_.lab_names, timers_,
                                              [&session](json e) { session.emit(std::move(e)); });
  // Failover times from the servers (CLUSTER NODES / CLUSTER INFO every 50 ms), on the run's clock.
  if (target_.lab && s_.cluster.mode != "standalone") {
    std::vector<FailoverWatch::NodeInfo> infos;
    for (size_t i = 0; i < target_.names.size(); ++i) {
      const LabNode& ln = target_.lab->node(target_.lab_names[i]);
      infos.push_back({target_.names[i], ln.endpoint, ln.node_id, ln.role == "master" ? "" : ln.master_id});
    }
    watch_ = std::make_unique<FailoverWatch>(std::move(infos), [this] { return timers_.read_clock().seconds(); });
    watch_->start();
    faults_->set_watch(watch_.get());
  }
}

void LiveWorld::step(Time until) {
  timers_.tick();
  const Time now = timers_.now();
  const Time wake = std::min(until, timers_.next_time());
  cache_.pump(wake > now ? wake - now : Time::ns(0));
  // An auth refusal or an error on every command (fatal_guard.hpp) ends the run with no result written.
  if (!cache_.fatal().empty()) throw std::runtime_error("run stopped, no results written: " + cache_.fatal());
  timers_.run_due();
}

void LiveWorld::advance_to(Time t) {
  timers_.run_due();
  while (timers_.now() < t) step(t);
}

void LiveWorld::drain(RunSession& session) {
  // Requests still in flight finish (or time out), so every issued request is accounted for.
  const Time limit = session.end() + Time::from_seconds((s_.clients.timeout_ms + s_.origin.timeout_ms) / 1000.0 + 2.0);
  while (session.client().in_flight() > 0 && timers_.now() < limit) step(limit);
}

void LiveWorld::finish(RunSession& session) {
  (void)session;
  driver_cpu_s_ = process_cpu_s() - cpu_at_start_s_;
  driver_wall_s_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_at_start_).count();
  resharding_ = faults_->finish_reshards();
  if (watch_) {
    watch_->stop();
    for (auto& e : watch_->take_events()) session.emit(std::move(e));
  }
  if (faults_->resharded() && target_.refresh_slots) target_.refresh_slots();  // the slot ranges the reshards left
}

void LiveWorld::sample_nodes(Time, std::vector<NodeSample>& out) {
  target_.snapshot();
  out = node_samples(*target_.tracks);
  for (auto& n : *target_.tracks) {  // the interval's counters into the running totals
    n.ops += n.iv_ops;
    n.evicted += n.iv_evicted;
    n.expired += n.iv_expired;
    n.iv_ops = n.iv_evicted = n.iv_expired = 0;
  }
}

std::vector<results::NodeSummary> LiveWorld::nodes_at_end(Time t) {
  std::vector<results::NodeSummary> out;
  for (const auto& n : *target_.tracks) {
    results::NodeSummary r;
    r.name = n.name;
    r.role = n.role;
    auto count = [](uint64_t v) { return static_cast<double>(v); };
    r.slot_count = n.slots;
    r.slot_ranges = n.slot_ranges;
    r.keys = count(n.last.keys);
    r.used_memory_bytes = count(n.last.used_memory_bytes);
    r.maxmemory_bytes = count(n.last.maxmemory_bytes);
    r.ops = count(n.ops);
    r.evicted_keys = count(n.evicted);
    r.expired_keys = count(n.expired);
    // The main thread's CPU time over the run's wall time, as the simulator's busy time over its time (the thread
    // that runs commands; its event loop and cron add a little the simulator does not count). Null when the server
    // does not report it (unknown, not made up).
    if (n.busy_known && t.nanos() > 0) r.utilization = n.busy_us / 1e6 / t.seconds();
    r.extra = {{"redis_version", n.last.redis_version}};
    out.push_back(std::move(r));
  }
  return out;
}

uint64_t LiveWorld::writes_lost(const RunSession& session) const { return session.recorder().totals().writes_lost; }

void LiveWorld::summary_extras(RunSession& session, Time, json& summary) {
  summary["in_flight_at_end"] = session.client().in_flight();
  if (watch_) summary["failovers"] = watch_->failovers_json();
  summary["resharding"] = resharding_;
}

}  // namespace cachelab::live
