#include "cachelab/sweep/grid.hpp"

#include <cstdlib>
#include <set>

#include <nlohmann/json.hpp>

namespace cachelab::sweep {

Axis parse_vary(const std::string& arg) {
  const auto eq = arg.find('=');
  if (eq == std::string::npos) throw SpecError("--vary '" + arg + "': expected /json/pointer=v1,v2,... (no '=' found)");
  Axis a;
  a.pointer = arg.substr(0, eq);
  if (a.pointer.empty() || a.pointer[0] != '/')
    throw SpecError("--vary '" + arg + "': '" + a.pointer +
                    "' is not a JSON Pointer (it must start with '/', e.g. /cluster/maxmemory)");
  try {
    (void)nlohmann::json::json_pointer(a.pointer);
  } catch (const nlohmann::json::exception& e) {
    throw SpecError("--vary '" + arg + "': bad JSON Pointer '" + a.pointer + "'");
  }
  const std::string list = arg.substr(eq + 1);
  if (!list.empty() && list[0] == '[') {
    nlohmann::json arr;
    try {
      arr = nlohmann::json::parse(list);
    } catch (const nlohmann::json::exception&) {
      throw SpecError("--vary '" + arg + "': the value list starts with '[' but is not a JSON array");
    }
    for (const auto& v : arr) a.values.push_back(v.is_string() ? v.get<std::string>() : v.dump());
  } else {
    size_t start = 0;
    while (true) {
      const auto comma = list.find(',', start);
      a.values.push_back(list.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  if (a.values.empty() || (a.values.size() == 1 && a.values[0].empty()))
    throw SpecError("--vary '" + arg + "': no values after '=' (expected v1,v2,...)");
  for (const auto& v : a.values)
    if (v.empty()) throw SpecError("--vary '" + arg + "': an empty value in the list (two commas in a row?)");
  std::set<std::string> seen;
  for (const auto& v : a.values)
    if (!seen.insert(v).second) throw SpecError("--vary '" + arg + "': value '" + v + "' is listed twice");
  return a;
}

void check_axes(const std::vector<Axis>& axes) {
  std::set<std::string> seen;
  for (const auto& a : axes) {
    if (!seen.insert(a.pointer).second) throw SpecError("--vary " + a.pointer + " is given twice");
    if (a.pointer == "/seed") throw SpecError("--vary /seed: use --seeds N (seeds are the scenario's seed + 0..N-1)");
  }
}

std::vector<GridPoint> grid_points(const std::vector<Axis>& axes) {
  size_t total = 1;
  for (const auto& a : axes) total *= a.values.size();
  std::vector<GridPoint> out;
  out.reserve(total);
  for (size_t i = 0; i < total; ++i) {
    GridPoint p{i, std::vector<std::string>(axes.size())};
    size_t rest = i;
    for (size_t k = axes.size(); k-- > 0;) {
      p.values[k] = axes[k].values[rest % axes[k].values.size()];
      rest /= axes[k].values.size();
    }
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<std::string> point_overrides(const std::vector<Axis>& axes, const GridPoint& p, uint64_t seed) {
  std::vector<std::string> o;
  for (size_t k = 0; k < axes.size(); ++k) o.push_back(axes[k].pointer + "=" + p.values[k]);
  o.push_back("/seed=" + std::to_string(seed));
  return o;
}

std::string run_dir_name(const std::vector<Axis>& axes, const GridPoint& p, uint64_t seed) {
  auto safe = [](const std::string& s) {
    std::string r;
    for (char c : s) r += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_') ? c : '_';
    return r.substr(0, 40);
  };
  char idx[16];
  std::snprintf(idx, sizeof idx, "p%04zu", p.index);
  std::string name = idx;
  for (size_t k = 0; k < axes.size(); ++k) {
    const auto slash = axes[k].pointer.rfind('/');
    name += "-" + safe(axes[k].pointer.substr(slash + 1)) + "=" + safe(p.values[k]);
  }
  return name + "-seed" + std::to_string(seed);
}

Shard parse_shard(const std::string& arg) {
  const auto slash = arg.find('/');
  Shard s;
  try {
    if (slash == std::string::npos) throw std::invalid_argument("no slash");
    size_t used = 0;
    s.index = std::stoi(arg.substr(0, slash), &used);
    if (used != slash) throw std::invalid_argument("trailing");
    const std::string n = arg.substr(slash + 1);
    s.count = std::stoi(n, &used);
    if (used != n.size()) throw std::invalid_argument("trailing");
  } catch (const std::exception&) {
    throw SpecError("--shard '" + arg + "': expected i/n with integers, e.g. 2/8");
  }
  if (s.count < 1 || s.index < 1 || s.index > s.count)
    throw SpecError("--shard '" + arg + "': expected 1 <= i <= n (shards are numbered from 1)");
  return s;
}

std::optional<std::string> process_env(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (!v) return std::nullopt;
  return std::string(v);
}

Shard resolve_shard(const std::string& arg, const EnvLookup& env, std::string* source) {
  if (arg.rfind("auto/", 0) != 0) return parse_shard(arg);
  const std::string n_text = arg.substr(5);
  int count = 0;
  try {
    size_t used = 0;
    count = std::stoi(n_text, &used);
    if (used != n_text.size()) throw std::invalid_argument("trailing");
  } catch (const std::exception&) {
    throw SpecError("--shard '" + arg + "': expected auto/N with an integer N, e.g. auto/8");
  }
  if (count < 1) throw SpecError("--shard '" + arg + "': N must be at least 1");
  // Each scheduler's 0-based task index; the first one set is used, and a second must agree with it.
  static const char* const kVars[] = {"JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID"};
  std::optional<long long> index;
  std::string from;
  for (const char* var : kVars) {
    const std::optional<std::string> v = env(var);
    if (!v) continue;
    long long value = -1;
    try {
      size_t used = 0;
      value = std::stoll(*v, &used);
      if (used != v->size() || value < 0) throw std::invalid_argument("not a non-negative integer");
    } catch (const std::exception&) {
      throw SpecError("--shard " + arg + ": " + var + "='" + *v + "' is not a non-negative integer");
    }
    if (index && *index != value)
      throw SpecError("--shard " + arg + ": " + from + "=" + std::to_string(*index) + " and " + var + "=" +
                      std::to_string(value) + " disagree");
    if (!index) {
      index = value;
      from = var;
    }
  }
  if (!index)
    throw SpecError("--shard " + arg +
                    ": neither JOB_COMPLETION_INDEX (Kubernetes Indexed Job) nor "
                    "SLURM_ARRAY_TASK_ID (sbatch --array) is set; outside a job array give --shard i/" +
                    n_text);
  if (*index >= count)
    throw SpecError("--shard " + arg + ": " + from + "=" + std::to_string(*index) + " is out of range: the index is " +
                    "0-based and must be below " + std::to_string(count) +
                    (from == "SLURM_ARRAY_TASK_ID" ? " (submit with --array=0-" + std::to_string(count - 1) + ")"
                                                   : " (set completions: " + std::to_string(count) + ")"));
  if (source) *source = from;
  return Shard{static_cast<int>(*index) + 1, count};
}

}  // namespace cachelab::sweep
