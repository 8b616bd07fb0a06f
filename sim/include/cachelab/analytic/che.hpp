#pragma once
// Hit ratio of one cache of `capacity` keys under the independent reference model (docs/validation.md §1.1,
// §1.2). Time is counted in requests of the whole stream the classes describe (multiply by 1/rate for seconds).
//   LRU (Che):        T solves sum count*(1 - e^{-pT}) = C,     h = sum count*p*(1 - e^{-pT})
//   FIFO / RANDOM:    T solves sum count*pT/(1 + pT) = C,       h = sum count*p*pT/(1 + pT)   (Martina et al.)
//   perfect LFU:      the top-C probability mass (an upper bound for any policy without future knowledge)
// The classes need not sum to probability 1 (a cluster node sees a subset): T is then still in requests of the
// whole stream, and h is the hit mass of that subset.
#include <vector>

#include "cachelab/analytic/popularity.hpp"

namespace cachelab::analytic {

enum class CacheModel { Lru, FifoRandom, PerfectLfu };

struct CacheEstimate {
  double characteristic_time;  // T in requests; +inf when everything fits, 0 for PerfectLfu
  double hit_mass;             // sum of p over requests that hit (the hit ratio when the classes sum to 1)
  double request_mass;         // sum of count * p (1 for a whole popularity)
  double hit_ratio() const { return request_mass > 0 ? hit_mass / request_mass : 0; }
};

// REQUIRES: capacity >= 0. A capacity at least the number of keys gives h = 1 (steady state: no compulsory misses).
CacheEstimate cache_hit(const std::vector<PopClass>& classes, double capacity, CacheModel model);

}  // namespace cachelab::analytic
