// cachelab workload dump FILE [--limit N] [--out F.csv] [--seed N] [--set PTR=VALUE]...: the request stream of a
// scenario as CSV, exactly as `run` and `live` issue it (the stream is a pure function of the workload section and
// the seed; workload/generator.hpp gives the draw order). Columns:
//   seq, due_ns, op, key_count, keys (the key names, space-separated), client, session, value_bytes, ttl_ms
// and, with workload.streams, `stream` (the stream's name; the main workload is "main").
// Closed loop: due times depend on latencies the dump cannot know; it writes the stream as if every request completed
// the instant it was issued (due = previous due + think time), sessions interleaved in due order, open-loop streams
// beside closed-loop ones (workload.streams) interleaved with them by due time.
#include <fstream>
#include <functional>
#include <iostream>
#include <queue>
#include <string>
#include <vector>

#include "cachelab/io/text.hpp"
#include "cachelab/results/writer.hpp"
#include "cachelab/scenario/loader.hpp"
#include "cachelab/workload/generator.hpp"
#include "commands.hpp"

namespace cachelab::cli {

namespace {

// RFC 4180: quote a field holding a comma, a quote or a line break (key prefixes may contain anything).
void put_field(std::ostream& out, const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) {
    out << s;
    return;
  }
  out << '"';
  for (char c : s) out << (c == '"' ? "\"\"" : std::string(1, c));
  out << '"';
}

void put_row(std::ostream& out, const Request& r, const KeyNamer& namer, const std::vector<std::string>& streams) {
  std::string keys;
  // The names the cache sees: a stream with its own key_prefix names its keys with it (protocol/request.hpp).
  for (uint32_t i = 0; i < r.key_count; ++i) keys += (i ? " " : "") + namer.name(cache_key(r) + i);
  out << r.seq << ',' << r.due.nanos() << ',' << op_name(r.op) << ',' << static_cast<int>(r.key_count) << ',';
  put_field(out, keys);
  out << ',' << r.client << ',' << r.session << ',' << r.value_bytes << ',' << r.ttl_ms;
  if (!streams.empty()) {
    out << ',';
    put_field(out, r.stream < streams.size() ? streams[r.stream] : std::string("?"));
  }
  out << '\n';
}

// Closed-loop sessions beside open-loop streams (workload.streams): each session's next request drawn ahead, written
// in due order with the open-loop streams' (ties: the open-loop request first).
uint64_t dump_mixed(WorkloadGenerator& gen, Time end, uint64_t limit, std::ostream& out,
                    const std::vector<std::string>& streams) {
  using Item = std::pair<int64_t, uint32_t>;  // (due time of the session's drawn request, session)
  std::priority_queue<Item, std::vector<Item>, std::greater<>> drawn;
  std::vector<Request> next(gen.sessions());
  for (uint32_t i = 0; i < gen.sessions(); ++i)
    if (gen.next_for(i, Time::ns(0), next[i], end)) drawn.push({next[i].due.nanos(), i});
  Request open;
  bool have_open = gen.next(open, end);
  uint64_t n = 0;
  while ((limit == 0 || n < limit) && (have_open || !drawn.empty())) {
    if (have_open && (drawn.empty() || open.due.nanos() <= drawn.top().first)) {
      put_row(out, open, gen.namer(), streams);
      have_open = gen.next(open, end);
    } else {
      const uint32_t session = drawn.top().second;
      drawn.pop();
      put_row(out, next[session], gen.namer(), streams);
      if (gen.next_for(session, next[session].due, next[session], end))
        drawn.push({next[session].due.nanos(), session});
    }
    ++n;
  }
  return n;
}

uint64_t dump(const Scenario& s, uint64_t limit, std::ostream& out) {
  WorkloadGenerator gen(s);
  const Time end = Time::from_seconds(s.duration_s);
  std::vector<std::string> streams;
  if (!s.streams.empty()) {
    streams.push_back(s.workload.stream_name);
    for (const auto& st : s.streams) streams.push_back(st.stream_name);
  }
  out << "seq,due_ns,op,key_count,keys,client,session,value_bytes,ttl_ms" << (streams.empty() ? "" : ",stream") << '\n';
  uint64_t n = 0;
  Request r;
  if (!gen.closed_loop()) {
    while ((limit == 0 || n < limit) && gen.next(r, end)) {
      put_row(out, r, gen.namer(), streams);
      ++n;
    }
    return n;
  }
  using Item = std::pair<int64_t, uint32_t>;  // (time a session asks for its next request, session)
  std::priority_queue<Item, std::vector<Item>, std::greater<>> ready;
  for (uint32_t i = 0; i < gen.sessions(); ++i) ready.push({0, i});
  if (gen.has_open()) return dump_mixed(gen, end, limit, out, streams);
  while ((limit == 0 || n < limit) && !ready.empty()) {
    const auto [t, session] = ready.top();
    ready.pop();
    if (!gen.next_for(session, Time::ns(t), r, end)) continue;
    put_row(out, r, gen.namer(), streams);
    ++n;
    ready.push({r.due.nanos(), session});
  }
  return n;
}

}  // namespace

static void add_workload(CLI::App& app, Context& ctx) {
  int* code_ptr = &ctx.code;
  auto* cmd = app.add_subcommand("workload", "inspect a scenario's request stream");
  cmd->require_subcommand(1);
  auto* d = cmd->add_subcommand("dump", "write the request stream as CSV (stdout, or --out)");
  auto file = std::make_shared<std::string>();
  auto out_path = std::make_shared<std::string>();
  auto sets = std::make_shared<std::vector<std::string>>();
  auto limit = std::make_shared<uint64_t>(0);
  auto seed = std::make_shared<int64_t>(-1);
  d->add_option("FILE", *file, "scenario file")->required();
  d->add_option("--limit", *limit, "at most this many requests (0 = every request up to duration_s)")
      ->check(non_negative_number());  // "-1" would wrap to 2^64 - 1 in an unsigned option
  d->add_option("--out", *out_path, "write the CSV here instead of stdout");
  d->add_option("--seed", *seed, "override the scenario's seed")->check(non_negative_number());
  d->add_option("--set", *sets, "override a knob: /json/pointer=VALUE (repeatable)");
  d->callback([code_ptr, file, out_path, sets, limit, seed] {
    try {
      std::vector<std::string> overrides = *sets;
      if (*seed >= 0) overrides.push_back("/seed=" + std::to_string(*seed));
      const Scenario s = load_scenario_file(*file, overrides);
      if (out_path->empty()) {
        dump(s, *limit, std::cout);  // main() checks that the standard output took it
      } else {
        if (const std::string why = check_output_file(*out_path); !why.empty()) {
          std::cerr << "cachelab workload dump: --out: " << io::printable(why) << "\n";
          *code_ptr = kExitBadInput;
          return;
        }
        std::ofstream f(*out_path, std::ios::binary);
        if (!f) {
          std::cerr << "cannot write " << io::printable(*out_path) << "\n";
          *code_ptr = kExitFailure;
          return;
        }
        const uint64_t n = dump(s, *limit, f);
        f.close();
        if (!f) {
          std::cerr << "cachelab workload dump: error writing " << io::printable(*out_path) << " (disk full?)\n";
          *code_ptr = kExitFailure;
          return;
        }
        std::cerr << n << " requests written to " << io::printable(*out_path) << "\n";
      }
      *code_ptr = kExitOk;
    } catch (const ScenarioError& e) {
      std::cerr << e.what() << "\n";
      *code_ptr = kExitBadInput;
    }
  });
}

static const Command workload_command("workload", add_workload);

}  // namespace cachelab::cli
