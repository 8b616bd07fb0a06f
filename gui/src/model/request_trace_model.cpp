#include "model/request_trace_model.hpp"

#include <algorithm>

#include "app/format.hpp"

namespace cachelab::gui {

using cachelab::results::RequestTraceFile;
using cachelab::results::TracedRequest;
using cachelab::results::TraceHop;

QStringList requestFilterNames() { return {"all", "redirected", "failed", "degraded", "slowest"}; }

std::vector<std::size_t> filterRequests(const RequestTraceFile& f, RequestFilter filter, std::size_t slowest) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < f.requests.size(); ++i) {
    const TracedRequest& r = f.requests[i];
    bool keep = true;
    switch (filter) {
      case RequestFilter::All:
        break;
      case RequestFilter::Redirected:
        keep = r.redirects > 0;
        break;
      case RequestFilter::Failed:
        keep = r.outcome == "failed";
        break;
      case RequestFilter::Degraded:
        keep = r.degraded;
        break;
      case RequestFilter::Slowest:
        keep = r.latency_ns >= 0;
        break;
    }
    if (keep) out.push_back(i);
  }
  if (filter == RequestFilter::Slowest) {
    std::stable_sort(out.begin(), out.end(),
                     [&](std::size_t a, std::size_t b) { return f.requests[a].latency_ns > f.requests[b].latency_ns; });
    if (out.size() > slowest) out.resize(slowest);
  }
  return out;
}

long defaultRequest(const RequestTraceFile& f) {
  for (RequestFilter filter : {RequestFilter::Redirected, RequestFilter::Failed, RequestFilter::All}) {
    const auto kept = filterRequests(f, filter);
    if (!kept.empty()) return static_cast<long>(kept.front());
  }
  return -1;
}

long findRequest(const RequestTraceFile& f, std::uint64_t seq) {
  for (std::size_t i = 0; i < f.requests.size(); ++i)
    if (f.requests[i].seq == seq) return static_cast<long>(i);
  return -1;
}

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }
QString micros(std::int64_t ns) { return formatMicros(static_cast<double>(ns) / 1000.0); }

}  // namespace

QString requestListLabel(const TracedRequest& r) {
  QString s = QString("#%1  %2 %3  %4").arg(r.seq).arg(q(r.op), q(r.key), q(r.outcome));
  if (r.outcome == "failed") s += " (" + q(r.fail) + ")";
  if (r.outcome != "in_flight") s += r.hit ? "  hit" : "  miss";
  if (r.latency_ns >= 0) s += "  " + micros(r.latency_ns);
  if (r.redirects > 0) s += QString("  %1 redirect%2").arg(r.redirects).arg(r.redirects == 1 ? "" : "s");
  if (r.degraded) s += "  degraded";
  return s;
}

QString offsetLabel(std::int64_t t_ns, std::int64_t due_ns) {
  const std::int64_t d = t_ns - due_ns;
  return (d < 0 ? "-" : "+") + micros(d < 0 ? -d : d);
}

SequenceDiagram buildSequence(const TracedRequest& r) {
  SequenceDiagram d;
  d.lifelines << "client " + QString::number(r.client);
  for (const auto& n : r.nodes) d.lifelines << q(n);
  const bool db =
      std::any_of(r.hops.begin(), r.hops.end(), [](const TraceHop& h) { return h.type.rfind("db_", 0) == 0; });
  if (db) d.lifelines << "database";
  const int client = 0, database = db ? static_cast<int>(d.lifelines.size()) - 1 : 0;
  auto lane = [&](const std::string& node) {
    const int i = static_cast<int>(d.lifelines.indexOf(q(node)));
    return i < 0 ? client : i;
  };
  d.title = QString("#%1 %2 %3 (%4 key%5): CRC16(\"%6\") = %7, slot %8, issued at %9 s")
                .arg(r.seq)
                .arg(q(r.op), q(r.key))
                .arg(r.key_count)
                .arg(r.key_count == 1 ? "" : "s")
                .arg(q(r.hashed))
                .arg(r.crc16)
                .arg(r.slot)
                .arg(QString::number(static_cast<double>(r.due_ns) / 1e9, 'f', 6));
  for (const TraceHop& h : r.hops) {
    SequenceRow row;
    row.t_ns = h.t_ns;
    if (h.type == "issue") {
      row.label = "issued by the application";
    } else if (h.type == "start") {
      row.label = "taken by the client logic (after a pause, or live mode's dispatch lag)";
    } else if (h.type == "send") {
      row.to = lane(h.node);
      row.label = q(h.cmd) + " (" + q(h.purpose) + ")";
      if (h.slot >= 0) row.label += QString(" slot %1").arg(h.slot);
      row.label += ", via " + q(h.via);
      if (h.asking) row.label += ", ASKING";
      if (h.readonly) row.label += ", READONLY";
      if (h.key_count != 1) row.label += QString(", %1 keys").arg(h.key_count);
    } else if (h.type == "reply") {
      row.from = lane(h.node);
      row.reply = true;
      row.label = q(h.reply);
      if (h.reply == "moved" || h.reply == "ask") {
        row.label = (h.reply == "moved" ? "MOVED" : "ASK") + QString(" -> ") + q(h.target);
        row.problem = true;
      } else if (h.reply == "value") {
        row.label = "value, " + formatBytes(static_cast<double>(h.value_bytes));
      } else if (h.reply != "nil" && h.reply != "ok") {
        row.label = q(h.reply) + " (error)";
        row.problem = true;
      }
    } else if (h.type == "pool_wait" || h.type == "pool_granted" || h.type == "breaker_open") {
      row.from = row.to = client;
      row.label = h.type == "pool_wait"      ? "waits for a pooled connection to " + q(h.node)
                  : h.type == "pool_granted" ? "pooled connection free: sent to " + q(h.node)
                                             : "circuit breaker of " + q(h.node) + " open: not sent";
      row.problem = h.type == "breaker_open";
    } else if (h.type == "retry") {
      row.label = QString("retry %1 after %2").arg(h.attempt).arg(micros(h.delay_ns));
      row.problem = true;
    } else if (h.type == "db_query") {
      row.to = database;
      row.label = h.write ? "write query" : "read query";
    } else if (h.type == "db_service") {
      row.from = row.to = database;
      row.label = "served: queued " + micros(h.queue_ns) + ", service " + micros(h.service_ns);
    } else if (h.type == "db_reply") {
      row.from = database;
      row.reply = true;
      row.label = "database: " + q(h.outcome);
      row.problem = h.outcome != "ok";
    } else if (h.type == "l1_hit") {
      row.label = "served from the L1 cache";
    } else if (h.type == "single_flight") {
      row.label = "waits for another request's load (single-flight)";
    } else if (h.type == "lock_wait") {
      row.label = "lock held elsewhere: polls again in " + micros(h.delay_ns);
    } else if (h.type == "xfetch_early") {
      row.label = "XFetch: recomputes early";
    } else if (h.type == "stale_served") {
      row.label = "serves the stale value";
    } else if (h.type == "done") {
      row.label = "answered: " + q(h.outcome) + (h.fail.empty() ? "" : " (" + q(h.fail) + ")") +
                  (h.hit ? ", hit" : ", miss") + ", latency " + micros(h.latency_ns);
      row.problem = h.outcome != "ok";
    } else if (h.type == "end") {
      row.label = "done with the request";
    } else {
      row.label = q(h.type);
    }
    d.rows.push_back(row);
  }
  if (r.hops_truncated) {
    SequenceRow row;
    row.t_ns = r.hops.empty() ? r.due_ns : r.hops.back().t_ns;
    row.label = "... more hops than the file keeps";
    row.problem = true;
    d.rows.push_back(row);
  }
  return d;
}

}  // namespace cachelab::gui
