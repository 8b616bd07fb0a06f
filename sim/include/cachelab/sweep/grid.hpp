#pragma once
// A sweep's grid: axes given as `--vary /json/pointer=v1,v2,...` (or `/ptr=[json array]` for values containing
// commas), their Cartesian product in row-major order (the last axis varies fastest), times seeds. A point is
// exactly `cachelab run FILE --set /ptr=v ... --set /seed=S`, so any scheduler can also run points one by one.
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace cachelab::sweep {

// A malformed --vary or --shard (the CLI exits 2 with its message).
class SpecError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Axis {
  std::string pointer;              // JSON Pointer into the scenario, e.g. /cluster/maxmemory
  std::vector<std::string> values;  // override texts (parsed as JSON when they parse, else strings)
};

Axis parse_vary(const std::string& arg);
// Checks a set of axes (duplicate pointers, /seed varied while --seeds is used).
void check_axes(const std::vector<Axis>& axes);

struct GridPoint {
  size_t index;                     // 0-based in row-major order over the full grid
  std::vector<std::string> values;  // one per axis
};
std::vector<GridPoint> grid_points(const std::vector<Axis>& axes);

// The overrides for one run of a point: each axis, then /seed.
std::vector<std::string> point_overrides(const std::vector<Axis>& axes, const GridPoint& p, uint64_t seed);

// Directory name of one run: p<index>-<last pointer token>=<value>...-seed<S>, filesystem-safe.
std::string run_dir_name(const std::vector<Axis>& axes, const GridPoint& p, uint64_t seed);

// `--shard i/n`, 1 <= i <= n: the shard runs the points with index % n == i - 1.
struct Shard {
  int index = 1, count = 1;
  bool contains(size_t point) const { return static_cast<int>(point % static_cast<size_t>(count)) == index - 1; }
};
Shard parse_shard(const std::string& arg);

// An environment variable's value, or nothing when unset (std::getenv in the CLI; a map in tests).
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
std::optional<std::string> process_env(const std::string& name);

// `--shard auto/N`: the index comes from the scheduler running this process as one task of an array of N.
// - JOB_COMPLETION_INDEX (a Kubernetes Indexed Job with `completions: N`): 0-based, shard = value + 1.
// - SLURM_ARRAY_TASK_ID (an sbatch job array): taken as 0-based too, so the array must be `--array=0-(N-1)`
//   (any subset of it, e.g. `--array=3,7` to rerun two shards, also works; SLURM_ARRAY_TASK_MIN is not used, since
//   a rerun of a subset would shift every index).
// If both are set they must agree. Throws SpecError (exit 2) when neither is set, when a value is not a
// non-negative integer, or when it is >= N; the message names the variable. `source` receives its name.
// Any other text (i/n) is parse_shard's.
Shard resolve_shard(const std::string& arg, const EnvLookup& env, std::string* source = nullptr);

}  // namespace cachelab::sweep
