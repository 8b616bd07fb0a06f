#include "cachelab/run/session.hpp"

#include <algorithm>

#include "cachelab/client/sharding.hpp"
#include "cachelab/faults/fault.hpp"
#include "cachelab/results/summary_core.hpp"
#include "fault_timeline.hpp"
#include "request_feed.hpp"
#include "request_trace_out.hpp"

namespace cachelab {

using nlohmann::json;

namespace {

// The world's hook at the end of the warm-up, as an event on its scheduler.
class WarmupEnd final : public EventHandler {
 public:
  explicit WarmupEnd(RunWorld& world) : world_(world) {}

 private:
  void on_event(Time, uint64_t) override { world_.on_warmup_end(); }
  RunWorld& world_;
};

}  // namespace

RunSession::RunSession(const Scenario& s, FeedOptions feed)
    : s_(s),
      feed_opts_(feed),
      end_(Time::from_seconds(s.duration_s)),
      warmup_end_(Time::from_seconds(s.warmup_s)),
      interval_(Time::ms(s.metrics_interval_ms)),
      gen_(s),
      rec_(warmup_end_) {
  rec_.set_streams(gen_.stream_count());
}

// The streams' names, in stream order (Request::stream): the main workload's first.
static std::vector<std::string> stream_names(const Scenario& s) {
  std::vector<std::string> names{s.workload.stream_name};
  for (const auto& st : s.streams) names.push_back(st.stream_name);
  return names;
}

RunSession::~RunSession() = default;

uint64_t RunSession::issued() const { return feed_ ? feed_->issued() : 0; }

void RunSession::on_db_service(void* self, uint32_t tag, Time issued, Time start, Time service) {
  auto* session = static_cast<RunSession*>(self);
  RequestTracer::Hop h;
  h.t = start;
  h.kind = RequestTracer::HopKind::DbService;
  h.value = (start - issued).nanos();
  h.value2 = service.nanos();
  session->tracer_->hop(tag, h);
}

void RunSession::on_completed(void* self, const Request& r, Time done) {
  auto* session = static_cast<RunSession*>(self);
  for (const auto& m : session->metrics_) m->on_completed(r, done);
  session->feed_->completed(r, done);
}

// The client side, the same in both modes: each subsystem draws from its own named stream of the one seed.
void RunSession::build_client(RunWorld& world) {
  origin_ = std::make_unique<Origin>(world.scheduler(), s_.origin, &rec_, Rng::stream(s_.seed, "origin"));
  origin_->versions()->use_dense(s_.key_space());  // key numbers 0 .. key_space-1 (versions.hpp)
  // Client-side sharding (ketama, modulo): one ring shared by every client instance (client/sharding.hpp).
  const Sharding sharding = parse_sharding(s_.cluster.sharding);
  if (sharding != Sharding::RedisCluster)
    sharding_ = std::make_shared<ClientSharding>(sharding, s_.cluster.ketama_points_per_server);
  SlotRouter router(gen_.namer(), world.initial_slot_owners(), s_.cluster.mode == "standalone", s_.key_space(),
                    s_.clients.instances, sharding_);
  // Hot slots and keys from the issued requests (results/README.md), in both modes from the same stream.
  hot_ = std::make_unique<HotSpots>(router.memo(), gen_.namer(), warmup_end_);
  memo_ = router.memo();
  ClientOptions copt(s_.clients);
  copt.hash_objects = s_.workload.hash_objects.fields > 0;
  if (s_.cluster.mode != "standalone" && sharding == Sharding::RedisCluster) {  // replicas to read from
    copt.masters = s_.cluster.masters;
    copt.replicas_per_master = s_.cluster.replicas_per_master;
  }
  client_ = std::make_unique<ClientLogic>(world.cache(), *origin_, rec_, world.clock(), std::move(router), copt,
                                          &world.scheduler(), Rng::stream(s_.seed, "clients"));
  world.connect(*client_);
  if (trace_.limit > 0) {
    tracer_ = std::make_unique<RequestTracer>(trace_.limit, s_.seed, Time::from_seconds(trace_.from_s),
                                              trace_.to_s < 0 ? Time::ns(INT64_MAX) : Time::from_seconds(trace_.to_s));
    client_->set_tracer(tracer_.get());
    origin_->on_service(&on_db_service, this);
  }
  origin_->on_reply([this](uint32_t tag, OriginOutcome o) { client_->on_origin_reply(tag, o); });
  // Cache warming (clients.warm): the top keys are loaded and SET through the client logic from t = 0.
  if (s_.clients.warm_top_keys > 0) {
    Rng warm_rng = Rng::stream(s_.seed, "clients/warm");
    client_->warm(gen_.warm_requests(static_cast<uint64_t>(s_.clients.warm_top_keys), warm_rng));
  }
  for (const auto& kind : RunMetricRegistry::instance().all()) metrics_.push_back(kind.make());
  feed_ = std::make_unique<RequestFeed>(world.scheduler(), gen_, *client_, rec_, *hot_, end_,
                                        feed_opts_.saturate_concurrency, metrics_);
  if (feed_->wants_completions() || !metrics_.empty()) client_->set_completion_observer(&on_completed, this);
}

RunOutput RunSession::run(RunWorld& world, RunObserver* observer) {
  emit({{"t_s", 0.0}, {"type", "run_start"}});
  build_client(world);
  world.start(*this);
  timeline_ = std::make_unique<FaultTimeline>(s_.resolved.at("faults"), world.fault_target(), *this);
  timeline_->schedule(world.scheduler());
  client_->schedule_start();  // clients.seeds: after the faults due at t = 0 (client_logic.hpp)
  WarmupEnd warmup(world);
  world.scheduler().at(warmup_end_, &warmup, 0);

  // series.csv (results/README.md): the writer's columns, then the hot slot, then the cluster bus.
  series_ = std::make_unique<SeriesWriter>(world.node_names());
  out_.series.columns = series_->columns();
  for (const char* c : {"hot_slot", "hot_slot_ops_per_s", "hot_slot_share", "bus_messages_per_s", "bus_bytes_per_s"})
    out_.series.columns.push_back(c);
  // Then the keys of reads and the stale reads per source (issue 16).
  out_.series.columns.push_back("key_hit_ratio");
  for (size_t k = 0; k < static_cast<size_t>(StaleSource::kCount); ++k) {
    const std::string src = stale_source_name(static_cast<StaleSource>(k));
    out_.series.columns.push_back("stale_reads_" + src);
    out_.series.columns.push_back("stale_age_ms_max_" + src);
  }
  // Then, with mixed streams, each stream's requests and hit ratio (issue 16 part 4).
  if (rec_.streams() > 0)
    for (const std::string& name : stream_names(s_)) {
      out_.series.columns.push_back("stream_" + name + "_requests_per_s");
      out_.series.columns.push_back("stream_" + name + "_hit_ratio");
    }
  samples_.resize(world.node_names().size());

  Time t = Time::ns(0);
  bool warmup_logged = warmup_end_ == Time::ns(0);
  while (t < end_) {
    const Time next = std::min(end_, t + interval_);
    world.advance_to(next);
    if (!warmup_logged && next >= warmup_end_) {
      emit({{"t_s", s_.warmup_s}, {"type", "warmup_end"}});
      warmup_logged = true;
    }
    close_interval(world, t, next);
    t = next;
    if (observer) {
      observer->on_interval(out_.series);
      observer->on_progress(t.seconds() / end_.seconds(), issued());
      if (observer->cancelled()) {
        out_.cancelled = true;
        break;
      }
    }
  }
  world.drain(*this);
  emit({{"t_s", t.seconds()}, {"type", out_.cancelled ? "cancelled" : "run_end"}});
  world.finish(*this);
  std::stable_sort(out_.events.begin(), out_.events.end(),
                   [](const json& a, const json& b) { return a.at("t_s").get<double>() < b.at("t_s").get<double>(); });
  build_summary(world, t);
  out_.events_processed = world.events_processed();
  out_.requests_issued = issued();
  if (tracer_) {
    out_.traced = true;
    out_.requests = request_trace_file(*tracer_, gen_.namer(), world.node_names(), s_.seed, warmup_end_);
  }
  return std::move(out_);
}

void RunSession::close_interval(RunWorld& world, Time from, Time to) {
  const double secs = (to - from).seconds();
  world.sample_nodes(to, samples_);
  auto row = series_->row(to.seconds(), from < warmup_end_, secs, rec_.interval(), samples_);
  const HotSpots::IntervalTop top = hot_->close_interval();
  row.push_back(top.slot >= 0 ? std::to_string(top.slot) : "");
  row.push_back(format_fixed(static_cast<double>(top.ops) / secs, 3));
  row.push_back(top.total ? format_fixed(static_cast<double>(top.ops) / static_cast<double>(top.total), 6) : "");
  // Bus traffic per second; empty cells where the world does not see the bus (live mode).
  if (const std::optional<BusTotals> bus = world.bus_totals()) {
    const BusTotals before = bus_before_.value_or(BusTotals{});
    row.push_back(format_fixed(static_cast<double>(bus->messages - before.messages) / secs, 3));
    row.push_back(format_fixed(static_cast<double>(bus->bytes - before.bytes) / secs, 3));
    bus_before_ = bus;
  } else {
    row.push_back("");
    row.push_back("");
  }
  const Counters& c = rec_.interval().c;
  row.push_back(c.key_hits + c.key_misses
                    ? format_fixed(static_cast<double>(c.key_hits) / static_cast<double>(c.key_hits + c.key_misses), 6)
                    : "");
  for (const StaleCounts& st : c.stale) {
    row.push_back(std::to_string(st.reads));
    row.push_back(st.reads ? format_fixed(static_cast<double>(st.age_ns_max) / 1e6, 3) : "");
  }
  for (size_t i = 0; i < rec_.streams(); ++i) {
    const StreamCounters& sc = rec_.stream_interval(i);
    row.push_back(format_fixed(static_cast<double>(sc.requests) / secs, 3));
    row.push_back(sc.reads ? format_fixed(static_cast<double>(sc.hits) / static_cast<double>(sc.reads), 6) : "");
  }
  out_.series.rows.push_back(std::move(row));
  rec_.reset_interval();
}

void RunSession::build_summary(RunWorld& world, Time t) {
  const double measured_s = (t - std::min(t, warmup_end_)).seconds();
  json summary = summary_from_recorder(rec_, world.mode(), s_.seed, measured_s);
  const std::vector<results::NodeSummary> nodes = world.nodes_at_end(t);
  // Whole-run totals: eviction and expiry are properties of the cache state, counted from the start.
  uint64_t evicted = 0, expired = 0;
  json node_list = json::array();
  for (const auto& n : nodes) {
    evicted += static_cast<uint64_t>(n.evicted_keys);
    expired += static_cast<uint64_t>(n.expired_keys);
    node_list.push_back(results::node_to_json(n));
  }
  summary["evicted_keys"] = evicted;
  summary["expired_keys"] = expired;
  const uint64_t lost_replication = world.writes_lost(*this);
  summary["writes_lost"] = lost_replication;
  // Every kind of acknowledged write lost, named (results/README.md). Write-behind losses count over the whole run.
  results::WritesLost lost;
  const std::optional<uint64_t> deposed = world.writes_lost_deposed(*this);
  lost.deposed_master = deposed ? static_cast<double>(*deposed) : results::kMissing;
  lost.failover = static_cast<double>(lost_replication - deposed.value_or(0));
  lost.write_behind = static_cast<double>(client_->stats().wb_lost);
  lost.total = static_cast<double>(lost_replication + client_->stats().wb_lost);
  summary["writes_lost_by_kind"] = results::writes_lost_to_json(lost);
  summary["clients"] = client_->stats().to_json(client_->options());
  summary["failovers"] = json::array();
  summary["resharding"] = json::array();
  world.summary_extras(*this, t, summary);
  summary["hot_slots"] = hot_->hot_slots_json(10);
  summary["hot_keys"] = hot_->hot_keys_json(10);
  summary["hot_keys_counters"] = HotSpots::kKeyCounters;
  summary["hot_keys_sample_every"] = HotSpots::kKeySampleEvery;
  summary["nodes"] = node_list;
  if (rec_.streams() > 0) {
    // Each stream's figures over the measured period (results/README.md `streams`).
    json streams = json::object();
    const std::vector<std::string> names = stream_names(s_);
    for (size_t i = 0; i < rec_.streams(); ++i) {
      const StreamCounters& c = rec_.stream_totals(i);
      const auto n = static_cast<double>(c.requests);
      auto per_s = [&](uint64_t v) { return measured_s > 0 ? static_cast<double>(v) / measured_s : 0.0; };
      streams[names[i]] = {
          {"index", i},
          {"requests", c.requests},
          {"requests_per_s", per_s(c.requests)},
          {"reads", c.reads},
          {"hits", c.hits},
          {"misses", c.misses},
          {"hit_ratio", c.reads ? json(static_cast<double>(c.hits) / static_cast<double>(c.reads)) : json()},
          {"latency_us", latency_json(rec_.stream_latency(i))},
          {"failed_requests", c.failed},
          {"error_rate", c.requests ? static_cast<double>(c.failed) / n : 0.0},
          {"cache_failed_requests", c.cache_failed},
          {"origin_requests", c.origin_requests},
          {"origin_requests_per_s", per_s(c.origin_requests)}};
    }
    summary["streams"] = std::move(streams);
  }
  const RunMetricContext ctx{rec_, measured_s, warmup_end_};
  const auto& kinds = RunMetricRegistry::instance().all();
  for (size_t i = 0; i < metrics_.size(); ++i) summary[kinds[i].name] = metrics_[i]->value(ctx);
  summary["slo"] = evaluate_slos(s_.slo, summary);
  out_.summary = std::move(summary);
}

}  // namespace cachelab
