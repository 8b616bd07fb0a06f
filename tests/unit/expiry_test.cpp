// Expiry: the active expire cycle (docs/redis-reference.md §8.2) and TTL hit ratios against the renewal formula
// (docs/validation.md §1.4 and table 3).
#include <gtest/gtest.h>

#include <cmath>

#include "cachelab/cache/memory_model.hpp"
#include "cachelab/cache/store.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"

using namespace cachelab;

namespace {
StoreConfig plain() {
  StoreConfig c;
  c.policy = "noeviction";
  return c;
}
}  // namespace

TEST(ActiveExpire, RepeatsLoopsWhileMoreThanTenPercentOfTheSampleIsStale) {
  Store s(plain(), Rng(1));
  for (uint64_t k = 0; k < 10000; ++k) s.set(k, 16, 3, k < 5000 ? 1000 : 1'000'000, Time::ms(0));
  // At t = 2 s half of the volatile keys are expired; one cycle keeps looping until a loop finds <= 10% stale.
  const auto r = s.active_expire_cycle(Time::s(2), 20, 10, 1'000'000);
  EXPECT_GT(r.expired, 0u);
  EXPECT_GT(r.checked, 20u);  // more than one loop
  // Every loop but the last found > 10% stale, so the cycle stops only when the stale share has dropped low.
  EXPECT_EQ(s.keys(), 10000u - r.expired);
  EXPECT_EQ(s.expired_keys(), r.expired);
  // Enough cycles collect every expired key.
  for (int i = 0; i < 1000 && s.keys() > 5000; ++i) s.active_expire_cycle(Time::s(2), 20, 10, 1'000'000);
  EXPECT_EQ(s.keys(), 5000u);
  EXPECT_EQ(s.expired_keys(), 5000u);
}

TEST(ActiveExpire, StopsAtTheBudget) {
  Store s(plain(), Rng(2));
  for (uint64_t k = 0; k < 10000; ++k) s.set(k, 16, 3, 1000, Time::ms(0));
  const auto r = s.active_expire_cycle(Time::s(2), 20, 10, 100);
  EXPECT_EQ(r.checked, 100u);  // all stale, so only the budget stops it (checked in loops of 20)
  EXPECT_EQ(r.expired, 100u);
}

TEST(ActiveExpire, CronUsesRedisDefaults) {
  Store s(plain(), Rng(3));
  for (uint64_t k = 0; k < 100000; ++k) s.set(k, 16, 3, 1000, Time::ms(0));
  // hz 10, effort 1: a 25 ms budget per cron = 25,000 key checks at the modelled 1 us per check.
  const auto r = s.cron(Time::s(2));
  EXPECT_EQ(r.checked, 25000u);
}

TEST(ActiveExpire, ReplicasDoNotExpireActively) {
  StoreConfig c = plain();
  c.master = false;
  Store s(c, Rng(4));
  s.set(1, 16, 3, 1000, Time::ms(0));
  EXPECT_EQ(s.cron(Time::s(5)).checked, 0u);
  EXPECT_EQ(s.keys(), 1u);
}

// One key, Poisson(lambda) reads, TTL T set on each fill and not refreshed by hits: a renewal cycle is one miss plus
// on average lambda T hits, so h = lambda T / (1 + lambda T).
class TtlHitRatio : public ::testing::TestWithParam<std::pair<double, double>> {};
TEST_P(TtlHitRatio, MatchesTheRenewalFormula) {
  const auto [lambda, ttl_s] = GetParam();
  const double requests = 200000;
  const double duration = requests / lambda;
  const std::string text = R"({"cachelab": 1, "name": "ttl", "seed": 3, "duration_s": )" + std::to_string(duration) +
                           R"(, "metrics_interval_ms": )" + std::to_string(static_cast<int64_t>(duration * 10)) + R"(,
      "cluster": {"mode": "standalone", "masters": 1, "service_us": {"dist": "fixed", "value": 1}},
      "network": {"rtt_us": {"dist": "fixed", "value": 2}},
      "workload": {"keys": 1, "read_fraction": 1, "arrival": {"rate_per_s": )" +
                           std::to_string(lambda) + R"(},
                   "ttl_s": {"dist": "fixed", "value": )" +
                           std::to_string(ttl_s) + R"(}},
      "origin": {"service_ms": {"dist": "fixed", "value": 0.001}}})";
  const RunOutput out = simulate(load_scenario_text(text, "ttl.json"));
  const double h = out.summary["hit_ratio"].get<double>();
  const double n = out.summary["reads"].get<double>();
  const double expect = lambda * ttl_s / (1 + lambda * ttl_s);
  // Hits and misses alternate in renewal cycles, so the binomial SE is a generous scale; allow 4 of them.
  EXPECT_NEAR(h, expect, 4 * std::sqrt(expect * (1 - expect) / n) + 0.0005) << "lambda " << lambda << " T " << ttl_s;
  EXPECT_NEAR(out.summary["expired_keys"].get<double>() + 1, out.summary["misses"].get<double>(), 2.0)
      << "every miss after the first follows an expiry";
}
INSTANTIATE_TEST_SUITE_P(Table3, TtlHitRatio,
                         ::testing::Values(std::make_pair(1.0, 1.0), std::make_pair(0.1, 1.0),
                                           std::make_pair(10.0, 1.0), std::make_pair(1.0, 60.0)));

// The FAST cycle's rule (docs/redis-reference.md §8.2): only when the previous cycle hit its time limit (the stale
// estimate's condition never holds in 7.0, see below), at most once per 2 x 1000 µs, with a 1000-check budget
// (1000 µs at 1 µs per check).
TEST(FastExpire, RunsOnlyAfterATimedOutCycleAndNotMoreOftenThanTwiceItsDuration) {
  Store s(plain(), Rng(5));
  for (uint64_t k = 0; k < 100000; ++k) s.set(k, 16, 3, 1000, Time::ms(0));
  EXPECT_EQ(s.fast_expire_cycle(Time::s(2)).checked, 0u);  // no cycle yet: neither timed out nor stale
  ASSERT_EQ(s.cron(Time::s(2)).checked, 25000u);           // all stale: the slow cycle stops on its budget
  const auto r = s.fast_expire_cycle(Time::s(2));
  EXPECT_EQ(r.checked, 1000u);
  EXPECT_EQ(s.fast_expire_cycle(Time::s(2) + Time::us(1999)).checked, 0u);  // within 2 x fast_duration
  EXPECT_EQ(s.fast_expire_cycle(Time::s(2) + Time::us(2000)).checked, 1000u);
  EXPECT_EQ(s.fast_expire_cycles(), 2u);
  // A command runs it by itself when due (beforeSleep between commands).
  uint32_t b;
  s.get(123456789, Time::s(2) + Time::us(4000), &b);
  EXPECT_EQ(s.fast_expire_cycles(), 3u);
  EXPECT_EQ(s.expired_keys(), 28000u);
}

// expire.c:148 compares the stale estimate (a fraction, 0..1) with acceptable_stale (a percentage, 10): however
// stale the keys, a cycle that finished in time is never followed by a fast cycle in Redis 7.0.15.
TEST(FastExpire, NotRunAfterAnInTimeCycleHoweverStaleTheSample) {
  Store s(plain(), Rng(8));
  for (int i = 0; i < 25; ++i) {
    // Every round 1,000 keys that expire 10 ms after they are set: each slow cycle samples almost only expired keys
    // and ends in time (far under its 25,000-check budget).
    const int64_t set_ms = 2000 + 100 * i;
    for (uint64_t k = 0; k < 1000; ++k) s.set(100000 + i * 1000 + k, 16, 3, set_ms + 10, Time::ms(set_ms));
    const auto slow = s.cron(Time::ms(set_ms + 50));
    ASSERT_LT(slow.checked, 25000u) << "round " << i;
    ASSERT_GT(slow.expired * 100, 50 * slow.checked) << "round " << i;
    EXPECT_EQ(s.fast_expire_cycle(Time::ms(set_ms + 60)).checked, 0u) << "round " << i;
  }
  EXPECT_GT(s.expired_stale_perc(), 10.0);  // INFO would show it above 10 %, and still no fast cycle ran
  EXPECT_EQ(s.fast_expire_cycles(), 0u);
}

TEST(FastExpire, NotRunWhenTheLastCycleFinishedInTimeAndLittleWasStale) {
  Store s(plain(), Rng(6));
  for (uint64_t k = 0; k < 1000; ++k) s.set(k, 16, 3, k < 10 ? 1000 : 1'000'000, Time::ms(0));
  s.cron(Time::s(2));  // 1 % stale: one loop, no time-out; the estimate stays under 10 %
  EXPECT_LT(s.expired_stale_perc(), 10.0);
  EXPECT_EQ(s.fast_expire_cycle(Time::s(3)).checked, 0u);
}

// Expired keys still held count in used_memory until collected; the stale metric is exactly their share.
TEST(StaleMemory, ExpiredButUncollectedKeysAndTheirBytes) {
  Store s(plain(), Rng(7));
  for (uint64_t k = 0; k < 300; ++k) s.set(k, 16, k < 100 ? 3 : 100, k % 3 == 0 ? 1000 : 5000, Time::ms(0));
  EXPECT_EQ(s.expired_stale(Time::ms(999)).keys, 0u);
  const auto st = s.expired_stale(Time::s(2));
  // Keys 0, 3, ..., 297 expire at 1 s: 34 with 3-byte values (k < 100), 66 with 100-byte values.
  EXPECT_EQ(st.keys, 100u);
  EXPECT_EQ(st.bytes, 34 * memory::per_key_bytes(16, 3, true, true) + 66 * memory::per_key_bytes(16, 100, true, true));
  uint32_t b;
  EXPECT_FALSE(s.get(0, Time::s(2), &b));  // lazy expiry collects one
  EXPECT_EQ(s.expired_stale(Time::s(2)).keys, 99u);
}

// Beyond kStaleExactLimit keys with a TTL the per-interval figure is a sampled estimate: within 5 standard errors of
// the exact scan (binomial: sqrt(p(1-p)/n) of the share, n = kStaleExactLimit draws).
TEST(StaleMemory, SampledEstimateAgreesWithTheScan) {
  Store s(plain(), Rng(7));
  const uint64_t keys = 5 * Store::kStaleExactLimit;
  for (uint64_t k = 0; k < keys; ++k) s.set(k, 16, 100, k % 10 < 3 ? 1000 : 5000, Time::ms(0));
  const auto exact = s.expired_stale(Time::s(2));
  ASSERT_EQ(exact.keys, keys * 3 / 10);
  Rng sampler(11);
  const auto est = s.expired_stale(Time::s(2), &sampler);
  const double p = 0.3, se = std::sqrt(p * (1 - p) / Store::kStaleExactLimit);
  EXPECT_NEAR(static_cast<double>(est.keys) / keys, p, 5 * se);
  EXPECT_NEAR(static_cast<double>(est.bytes) / static_cast<double>(exact.bytes), 1.0, 5 * se / p);
  // At or below the limit the sampler is not used: exact.
  Store small(plain(), Rng(7));
  for (uint64_t k = 0; k < 1000; ++k) small.set(k, 16, 100, k % 2 ? 1000 : 5000, Time::ms(0));
  EXPECT_EQ(small.expired_stale(Time::s(2), &sampler).keys, 500u);
}
