// Popularity kinds against their definitions: YCSB's FNV-64 and scrambled zipfian (docs/validation.md §1.6, §4),
// hotspot, latest, sequential. Fixed seeds; every statistical bound is at least 4.5 standard errors (or chi-square at
// 0.001).
#include <gtest/gtest.h>

#include <cmath>
#include <string_view>
#include <vector>

#include "cachelab/workload/popularity.hpp"
#include "cachelab/workload/ycsb.hpp"

using namespace cachelab;
using nlohmann::json;

namespace {

// FNV-1a 64 over a byte string, written independently of ycsb::fnvhash64 (the textbook loop).
uint64_t fnv1a_bytes(std::string_view bytes) {
  uint64_t h = 0xCBF29CE484222325ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// YCSB hashes the 8 octets of the long, least significant first, then Math.abs.
int64_t reference_fnvhash64(int64_t v) {
  char le[8];
  for (int i = 0; i < 8; ++i) le[i] = static_cast<char>((static_cast<uint64_t>(v) >> (8 * i)) & 0xFF);
  const auto h = static_cast<int64_t>(fnv1a_bytes(std::string_view(le, 8)));
  return h == INT64_MIN ? h : (h < 0 ? -h : h);
}

// Gray's zipfian pmf over n items (docs/validation.md §1.6, derived there from YCSB's nextLong).
double gray_pmf(int64_t k, double n, double theta, double zetan) {
  const double eta = (1 - std::pow(2.0 / n, 1 - theta)) / (1 - (1 + std::pow(0.5, theta)) / zetan);
  if (k == 0) return 1 / zetan;
  if (k == 1) return std::pow(0.5, theta) / zetan;
  return (std::pow((k + 1) / n, 1 - theta) - std::pow(k / n, 1 - theta)) / eta;
}

}  // namespace

TEST(YcsbFnv, TextbookVectorsValidateTheReference) {
  // FNV-1a 64 test vectors (Noll's published table): "" -> offset basis, "a" -> af63dc4c8601ec8c.
  EXPECT_EQ(fnv1a_bytes(""), 0xCBF29CE484222325ull);
  EXPECT_EQ(fnv1a_bytes("a"), 0xAF63DC4C8601EC8Cull);
  EXPECT_EQ(fnv1a_bytes("foobar"), 0x85944171F73967E8ull);
}

TEST(YcsbFnv, GoldenValuesAndAgreementWithTheReference) {
  // Computed with the YCSB loop in Python (xor octet, multiply, 8 octets LSB first, abs of the signed result).
  EXPECT_EQ(ycsb::fnvhash64(0), 6284781860667377211LL);
  EXPECT_EQ(ycsb::fnvhash64(1), 8517097267634966620LL);
  EXPECT_EQ(ycsb::fnvhash64(12345), 1792800413050876852LL);
  EXPECT_EQ(ycsb::fnvhash64(10000000000LL), 1201321332300452516LL);
  for (int64_t v = 0; v < 100000; v += 7) ASSERT_EQ(ycsb::fnvhash64(v), reference_fnvhash64(v)) << v;
  for (int64_t v : {INT64_MAX, int64_t{-1}, int64_t{-123456789}}) EXPECT_EQ(ycsb::fnvhash64(v), reference_fnvhash64(v));
}

TEST(YcsbZipfian, ZetaNIsZetaOfTenToTheTen) {
  // The precomputed constant is zeta(10^10, 0.99): check the first 10^7 terms plus the Euler-Maclaurin tail.
  const double theta = 0.99;
  const double m = 1e7, n = 1e10;
  double head = ycsb::zeta(0, static_cast<int64_t>(m), theta, 0);
  const double tail =
      (std::pow(n, 1 - theta) - std::pow(m, 1 - theta)) / (1 - theta) + (std::pow(n, -theta) - std::pow(m, -theta)) / 2;
  EXPECT_NEAR(head + tail, ycsb::kZetaN, 1e-6);
}

// docs/validation.md §4: P(top key) for 10^4 keys is 0.03785 for the scrambled zipfian. The expectation is recomputed
// here the way §4 did: ranks 0..2*10^6-1 hashed exactly with FNV-64, the remaining mass spread evenly over the keys.
TEST(ScrambledZipfian, TopKeyProbabilityMatchesValidationSection4) {
  const int64_t keys = 10000;
  const double n = static_cast<double>(ycsb::kItemCount + 1);
  const int64_t top = ycsb::fnvhash64(0) % keys;  // rank 0's key
  double mass = 0, top_mass = 0;
  for (int64_t r = 0; r < 2000000; ++r) {
    const double p = gray_pmf(r, n, 0.99, ycsb::kZetaN);
    mass += p;
    if (ycsb::fnvhash64(r) % keys == top) top_mass += p;
  }
  const double expected = top_mass + (1 - mass) / keys;
  EXPECT_NEAR(expected, 0.03785, 5e-6);
  EXPECT_NEAR(1 - mass, 0.3848, 1e-4);

  auto chooser = make_key_chooser({{"dist", "scrambled_zipfian"}}, keys);
  Rng rng(2024);
  const int samples = 2000000;
  std::vector<int> counts(keys, 0);
  for (int i = 0; i < samples; ++i) ++counts[chooser->next(rng)];
  const double p = counts[static_cast<size_t>(top)] / static_cast<double>(samples);
  EXPECT_NEAR(p, expected, 4.5 * std::sqrt(expected * (1 - expected) / samples));
  // It is the most requested key, and far below exact Zipf(0.99)'s 0.09781 (§4).
  EXPECT_EQ(std::max_element(counts.begin(), counts.end()) - counts.begin(), top);
}

TEST(GrayZipfian, SampledPmfMatchesTheClosedFormChiSquare) {
  const int64_t n = 50;
  ycsb::GrayZipfian g(n, 0.99);
  Rng rng(9);
  const int samples = 500000;
  std::vector<int> counts(n, 0);
  for (int i = 0; i < samples; ++i) ++counts[static_cast<size_t>(g.next(rng))];
  double chi2 = 0;
  for (int64_t k = 0; k < n; ++k) {
    const double e = samples * gray_pmf(k, static_cast<double>(n), 0.99, g.zetan());
    chi2 += (counts[k] - e) * (counts[k] - e) / e;
  }
  EXPECT_LT(chi2, 85.35);  // chi-square, 49 degrees of freedom, 0.001
}

TEST(Hotspot, HotSetGetsItsShareUniformly) {
  const uint64_t keys = 1000;
  auto c = make_key_chooser({{"dist", "hotspot"}, {"hot_keys_fraction", 0.2}, {"hot_ops_fraction", 0.8}}, keys);
  Rng rng(3);
  const int samples = 400000;
  int hot = 0;
  std::vector<int> counts(keys, 0);
  for (int i = 0; i < samples; ++i) {
    const uint64_t k = c->next(rng);
    ASSERT_LT(k, keys);
    hot += k < 200;
    ++counts[k];
  }
  EXPECT_NEAR(hot / double(samples), 0.8, 4.5 * std::sqrt(0.8 * 0.2 / samples));
  // Uniform within each set: chi-square over all keys against probability().
  double chi2 = 0;
  for (uint64_t k = 0; k < keys; ++k) {
    const double e = samples * c->probability(k);
    chi2 += (counts[k] - e) * (counts[k] - e) / e;
  }
  EXPECT_LT(chi2, 1143.9);  // 999 degrees of freedom, 0.001
}

TEST(Latest, NewestKeyIsHottestAndTheFrontierGrowsWithInserts) {
  const uint64_t keys = 100000, loaded = 1000;
  auto c = make_key_chooser({{"dist", "latest"}, {"loaded_keys", loaded}}, keys);
  Rng rng(4);
  const int samples = 300000;
  int newest = 0, key0 = 0;
  for (int i = 0; i < samples; ++i) {
    const uint64_t k = c->next(rng);
    ASSERT_LT(k, loaded);
    newest += k == loaded - 1;
    key0 += k == 0;
  }
  // YCSB: newest - zipfian(newest), so P(newest) = P_gray(0) = 1 / zeta(loaded - 1, 0.99), and key 0 is never read.
  const double p = 1 / ycsb::zeta(0, loaded - 1, 0.99, 0);
  EXPECT_NEAR(newest / double(samples), p, 4.5 * std::sqrt(p * (1 - p) / samples));
  EXPECT_EQ(key0, 0);
  // Inserts take the next key numbers; reads follow the frontier.
  uint64_t k = 0;
  for (int i = 0; i < 500; ++i) {
    ASSERT_TRUE(c->insert(k));
    EXPECT_EQ(k, loaded + i);
  }
  int recent = 0;
  for (int i = 0; i < 10000; ++i) {
    const uint64_t r = c->next(rng);
    ASSERT_LT(r, loaded + 500);
    recent += r >= loaded;
  }
  EXPECT_GT(recent, 5000);  // the 500 newest keys draw most reads (about 0.66 of them for these counts)
}

TEST(Sequential, WalksTheKeysAndWraps) {
  auto c = make_key_chooser({{"dist", "sequential"}, {"start", 8}}, 10);
  Rng rng(1);
  std::vector<uint64_t> got;
  for (int i = 0; i < 5; ++i) got.push_back(c->next(rng));
  EXPECT_EQ(got, (std::vector<uint64_t>{8, 9, 0, 1, 2}));
}
