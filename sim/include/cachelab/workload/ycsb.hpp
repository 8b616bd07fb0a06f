#pragma once
// YCSB's key generators, reproduced algorithm for algorithm (docs/validation.md §1.6; brianfrankcooper/YCSB @ d9faaac8,
// core/src/main/java/site/ycsb/generator/*.java and Utils.java), so that a "YCSB workload" here skews keys the way
// YCSB does, including its known departures from exact Zipf (docs/validation.md §4). Only the uniform draws differ:
// they
// come from our Rng instead of java.util.Random.
#include <cstdint>

#include "cachelab/core/rng.hpp"

namespace cachelab::ycsb {

// ZipfianGenerator.ZIPFIAN_CONSTANT; ScrambledZipfianGenerator.ITEM_COUNT and ZETAN (zeta(10^10, 0.99)).
constexpr double kZipfianConstant = 0.99;
constexpr int64_t kItemCount = 10000000000LL;
constexpr double kZetaN = 26.46902820178302;

// Utils.fnvhash64: FNV-1a over the 8 octets of the long, least significant first (xor the octet, then multiply by the
// prime 1099511628211, from the offset basis 0xCBF29CE484222325), then Math.abs on the signed result. Math.abs leaves
// Long.MIN_VALUE negative; so does this.
int64_t fnvhash64(int64_t val);

// Sum_{i=st+1..n} i^-theta added to `initial` (ZipfianGenerator.zetastatic). O(n - st).
double zeta(int64_t st, int64_t n, double theta, double initial);

// ZipfianGenerator (Gray et al., SIGMOD 1994) over [0, items): P(0) = 1/zeta_n, P(1) = 2^-theta/zeta_n, then the
// closed-form tail (docs/validation.md §1.6). next(itemcount) may grow the item count as YCSB's nextLong does: zeta is
// extended incrementally and eta recomputed with the *constructor's* item count, exactly as YCSB writes it.
class GrayZipfian {
 public:
  // REQUIRES: items >= 1. zetan < 0: computed (O(items)).
  GrayZipfian(int64_t items, double theta, double zetan = -1);
  int64_t next(Rng& rng) { return next(rng, items_); }
  int64_t next(Rng& rng, int64_t itemcount);
  int64_t items() const { return items_; }
  double zetan() const { return zetan_; }
  double eta() const { return eta_; }
  double theta() const { return theta_; }

 private:
  int64_t items_, countforzeta_;
  double theta_, alpha_, zeta2theta_, zetan_, eta_, half_pow_theta_;
};

}  // namespace cachelab::ycsb
