#pragma once
// A popularity law as weighted classes of equally popular keys: `count` keys each requested with probability `p`
// (sum of count * p = 1). Exact pmfs are one class per key; a Zipf law over a huge catalogue keeps its head exact
// and replaces the tail sum by a quadrature whose nodes become fractional classes, so every model that sums a
// function of p over the keys (Che, FIFO/RANDOM, top-C mass) costs O(head + nodes) whatever the catalogue size.
#include <cstdint>
#include <vector>

namespace cachelab::analytic {

struct PopClass {
  double count;   // keys in the class (fractional for quadrature nodes)
  double p;       // request probability of each of them
  uint64_t rank;  // 1-based popularity rank of an exact key; 0 for a quadrature node
};

// Zipf(alpha) over n keys, p_k proportional to k^-alpha. Ranks 1..min(n, exact_head) are exact classes (in rank
// order); the tail sum over k in (head, n] is the integral over [head + 1/2, n + 1/2] (midpoint rule, whose error is
// about |g'(head)|/24, below 1e-10 of the total for head >= 10^4), computed by Simpson's rule in log k.
// Measured against the exact pmf at n = 2*10^6, alpha 0.6..1.2, C = 10^2..10^6: Che's hit ratio differs by at most
// 4e-12 with the default head (2e-9 with a head of 1000); tests/unit/analytic_che_test.cpp checks 1e-8 at n = 10^6.
std::vector<PopClass> zipf_classes(uint64_t n, double alpha, uint64_t exact_head = 20000);

// Uniform over n keys: one class.
std::vector<PopClass> uniform_classes(uint64_t n);

// An explicit pmf (normalised here), one exact class per key, rank = index + 1.
std::vector<PopClass> pmf_classes(const std::vector<double>& weights);

double total_keys(const std::vector<PopClass>& classes);

}  // namespace cachelab::analytic
