#pragma once
// Our own PRNG: xoshiro256** (Blackman & Vigna) seeded through SplitMix64. Its output is the same on every
// platform and standard library, unlike std::*_distribution. Each subsystem draws from its own stream, derived
// from the master seed and the stream's name, so adding a random draw in one place never reshuffles another.
#include <cstdint>
#include <string_view>

namespace cachelab {

// SplitMix64 step: used to expand seeds and to mix stream names into them.
uint64_t splitmix64(uint64_t& state);
// FNV-1a, 64 bit: a stable hash of a stream name.
uint64_t fnv1a64(std::string_view s);
// The seed of stream `name` under `master`: splitmix(master ^ splitmix(fnv(name))).
uint64_t derive_seed(uint64_t master, std::string_view name);

class Rng {
 public:
  explicit Rng(uint64_t seed = 0);
  // A named sub-stream of this seed (e.g. Rng(seed).child("workload")); same as Rng(derive_seed(seed, name)).
  static Rng stream(uint64_t master, std::string_view name) { return Rng(derive_seed(master, name)); }

  uint64_t next_u64();
  // Uniform in [0, 1), 53 random bits.
  double uniform01() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  // Uniform in (0, 1]: safe for log().
  double uniform_open01() { return static_cast<double>((next_u64() >> 11) + 1) * 0x1.0p-53; }
  // Uniform integer in [0, n), unbiased (Lemire's multiply-and-reject). REQUIRES: n > 0.
  uint64_t below(uint64_t n);
  // True with probability p (p outside [0,1] is clamped by the comparison).
  bool chance(double p) { return uniform01() < p; }

 private:
  uint64_t s_[4];
};

}  // namespace cachelab
