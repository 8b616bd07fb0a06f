#include "topology_report.hpp"

#include <algorithm>
#include <cstdlib>

namespace cachelab {

using nlohmann::json;

namespace {

int column(const SeriesTable& s, const char* name) {
  const auto it = std::find(s.columns.begin(), s.columns.end(), name);
  return it == s.columns.end() ? -1 : static_cast<int>(it - s.columns.begin());
}

double cell(const std::vector<std::string>& row, int c) {
  if (c < 0 || row[static_cast<size_t>(c)].empty()) return -1;
  return std::strtod(row[static_cast<size_t>(c)].c_str(), nullptr);
}

json balance_json(const Balance& b) { return {{"max_over_mean", b.max_over_mean}, {"cv", b.cv}}; }

}  // namespace

json window_impact(const SeriesTable& series, double t0, double t1) {
  const int ct = column(series, "t_s"), cm = column(series, "errors_moved"), ca = column(series, "errors_ask"),
            cp = column(series, "latency_us_p99");
  double redirects = 0, seconds = 0, p99_during = -1, p99_before = -1, prev_end = 0;
  for (const auto& row : series.rows) {
    const double end = cell(row, ct), start = prev_end;
    prev_end = end;
    if (end <= t0) {  // the last interval that ends before the window starts
      p99_before = cell(row, cp);
      continue;
    }
    if (t1 >= 0 && start >= t1 && seconds > 0) break;  // an instantaneous change still gets its next interval
    redirects += cell(row, cm) + cell(row, ca);
    seconds += end - start;
    p99_during = std::max(p99_during, cell(row, cp));
  }
  return {{"redirects_per_s", seconds > 0 ? json(redirects / seconds) : json()},
          {"latency_us_p99_before", p99_before >= 0 ? json(p99_before) : json()},
          {"latency_us_p99_during_max", p99_during >= 0 ? json(p99_during) : json()}};
}

json node_ops_share(const std::vector<Node>& nodes, const std::vector<uint64_t>& ops_at_warmup) {
  uint64_t total = 0;
  for (size_t i = 0; i < nodes.size(); ++i) total += nodes[i].ops() - ops_at_warmup[i];
  json out = json::object();
  for (size_t i = 0; i < nodes.size(); ++i)
    out[nodes[i].name()] =
        total ? json(static_cast<double>(nodes[i].ops() - ops_at_warmup[i]) / static_cast<double>(total)) : json();
  return out;
}

json load_balance(const std::vector<Node>& nodes, const std::vector<int>& members,
                  const std::vector<uint64_t>& ops_at_warmup) {
  std::vector<double> keys, ops;
  json names = json::array();
  for (int m : members) {
    const Node& n = nodes[static_cast<size_t>(m)];
    names.push_back(n.name());
    keys.push_back(static_cast<double>(n.store().keys()));
    ops.push_back(static_cast<double>(n.ops() - ops_at_warmup[static_cast<size_t>(m)]));
  }
  return {{"members", names}, {"keys", balance_json(balance_of(keys))}, {"ops", balance_json(balance_of(ops))}};
}

json topology_changes_json(const ClusterGlue& glue, const Migrator& migrator, const std::vector<Node>& nodes,
                           const SeriesTable& series) {
  json out = json::array();
  const auto& changes = glue.topology_changes();
  for (size_t g = 0; g < changes.size(); ++g) {
    const auto& c = changes[g];
    json moves = json::array();
    uint64_t slots = 0, keys = 0, bytes = 0;
    for (const auto& r : migrator.reports()) {
      if (r.group != static_cast<int>(g)) continue;
      slots += static_cast<uint64_t>(r.slots);
      keys += r.keys_moved;
      bytes += r.bytes_moved;
      moves.push_back({{"from", nodes[static_cast<size_t>(r.from)].name()},
                       {"to", nodes[static_cast<size_t>(r.to)].name()},
                       {"slots", r.slots},
                       {"keys_moved", r.keys_moved}});
    }
    json row = {{"action", c.action},
                {"node", c.node},
                {"t_start_s", c.t_start_s},
                {"t_end_s", c.t_end_s >= 0 ? json(c.t_end_s) : json()},
                {"duration_s", c.t_end_s >= 0 ? json(c.t_end_s - c.t_start_s) : json()},
                {"members_before", c.members_before},
                {"members_after", c.members_after},
                {"slots_moved", slots},
                {"keys_moved", keys},
                {"bytes_moved", bytes},
                {"moves", moves}};
    if (c.t_end_s >= 0) {
      row["moved_keys_fraction"] = c.layout.moved_keys_fraction;
      row["keys_balance_before"] = balance_json(c.layout.keys_before);
      row["keys_balance_after"] = balance_json(c.layout.keys_after);
    }
    row["impact"] = window_impact(series, c.t_start_s, c.t_end_s);
    out.push_back(row);
  }
  return out;
}

}  // namespace cachelab
