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

  // Inline (as below()): every sampler on the request path and the control plane (~100 draws per gossip message)
  // draw through these, and a call into the shared library per draw cost more than the draw.
  uint64_t next_u64() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, 1), 53 random bits.
  double uniform01() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  // Uniform in (0, 1]: safe for log().
  double uniform_open01() { return static_cast<double>((next_u64() >> 11) + 1) * 0x1.0p-53; }
  // Uniform integer in [0, n), unbiased (Lemire's multiply-and-reject). REQUIRES: n > 0.
  uint64_t below(uint64_t n) {
    __extension__ typedef unsigned __int128 u128;
    u128 m = static_cast<u128>(next_u64()) * n;
    uint64_t low = static_cast<uint64_t>(m);
    if (low < n) [[unlikely]] {
      const uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<u128>(next_u64()) * n;
        low = static_cast<uint64_t>(m);
      }
    }
    return static_cast<uint64_t>(m >> 64);
  }
  // True with probability p (p outside [0,1] is clamped by the comparison).
  bool chance(double p) { return uniform01() < p; }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace cachelab
