#pragma once
// The requests view's model (issue 18 part 4): which recorded requests a filter keeps, and a request as a sequence
// diagram (lifelines, arrows, notes), both from requests.jsonl as the results reader types it. Nothing is computed
// that the file does not say: the filter reads the file's outcome, redirects, degraded and latency fields; the
// diagram has one row per hop, in the file's order, labelled with the hop's fields and its time.
#include <cstdint>
#include <vector>

#include <QString>
#include <QStringList>

#include "cachelab/results/request_trace.hpp"

namespace cachelab::gui {

enum class RequestFilter { All, Redirected, Failed, Degraded, Slowest };
QStringList requestFilterNames();  // "all", "redirected", "failed", "degraded", "slowest" (combo order)

// Indices into f.requests: in seq order, or for Slowest the `slowest` requests of largest latency_ns (ties by seq),
// slowest first; requests still in flight at the end have no latency and are not among them.
std::vector<std::size_t> filterRequests(const cachelab::results::RequestTraceFile& f, RequestFilter filter,
                                        std::size_t slowest = 20);

// The request a view shows first: the first redirected one, else the first failed, else the first; -1 when none.
long defaultRequest(const cachelab::results::RequestTraceFile& f);
// The index of the request with this seq, or -1.
long findRequest(const cachelab::results::RequestTraceFile& f, std::uint64_t seq);

// One line of the picker: "#123  get product:1108  ok  hit  325 µs  1 redirect".
QString requestListLabel(const cachelab::results::TracedRequest& r);

struct SequenceRow {
  std::int64_t t_ns = 0;  // the hop's time
  int from = 0, to = 0;   // lifeline indices; from == to: a note on that lifeline
  bool reply = false;     // a reply (drawn dashed)
  bool problem = false;   // a redirect, an error reply, a failure (drawn in the warning colour)
  QString label;
};

struct SequenceDiagram {
  QStringList lifelines;  // "client", the nodes in order of first contact, "database" when it was queried
  std::vector<SequenceRow> rows;
  QString title;  // the request in one line: op, key, hashed part, CRC16, slot
};

SequenceDiagram buildSequence(const cachelab::results::TracedRequest& r);

// "+1.234 ms" after the request was issued (the hop's and the request's times from the file).
QString offsetLabel(std::int64_t t_ns, std::int64_t due_ns);

}  // namespace cachelab::gui
