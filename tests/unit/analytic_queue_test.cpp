// Erlang C / M/M/c against docs/validation.md §5 (table 5) and the M/M/1 closed forms of §1.7.
#include <gtest/gtest.h>

#include <cmath>

#include "cachelab/analytic/erlang.hpp"

using namespace cachelab::analytic;

struct Row {
  double lambda, mu;
  int c;
  double p_wait, wq_ms, w_ms, lq, l, w_p50_ms, w_p99_ms, wq_p99_ms;
};
class ErlangTable5 : public ::testing::TestWithParam<Row> {};

TEST_P(ErlangTable5, MatchesReference) {
  const Row r = GetParam();
  const Mmc q = mmc(r.lambda, r.mu, r.c);
  ASSERT_TRUE(q.stable);
  EXPECT_NEAR(q.p_wait, r.p_wait, 1e-6);
  EXPECT_NEAR(q.wait_s * 1000, r.wq_ms, 1e-4 * std::max(1.0, r.wq_ms));
  EXPECT_NEAR(q.response_s * 1000, r.w_ms, 1e-4 * r.w_ms);
  EXPECT_NEAR(q.queue_len, r.lq, 1e-4 * std::max(1.0, r.lq));
  EXPECT_NEAR(q.in_system, r.l, 1e-4 * r.l);
  EXPECT_NEAR(q.response_quantile(0.5) * 1000, r.w_p50_ms, 1e-4 * r.w_p50_ms);
  EXPECT_NEAR(q.response_quantile(0.99) * 1000, r.w_p99_ms, 1e-4 * r.w_p99_ms);
  EXPECT_NEAR(q.wait_quantile(0.99) * 1000, r.wq_p99_ms, 1e-4 * r.wq_p99_ms);
}
INSTANTIATE_TEST_SUITE_P(
    Table5, ErlangTable5,
    ::testing::Values(Row{900, 100, 10, 0.668732, 6.6873, 16.6873, 6.0186, 15.0186, 13.2909, 62.4988, 42.0280},
                      Row{950, 100, 10, 0.825586, 16.5117, 26.5117, 15.6861, 25.1861, 20.9077, 102.0852, 88.2702},
                      Row{500, 100, 8, 0.167267, 0.5576, 10.5576, 0.2788, 5.2788, 7.5632, 46.8548, 9.3900},
                      Row{50, 100, 1, 0.5, 10, 20, 0.5, 1, 13.8629, 92.1034, 78.2405},
                      Row{90, 100, 1, 0.9, 90, 100, 8.1, 9, 69.3147, 460.5170, 449.9810},
                      Row{99, 100, 1, 0.99, 990, 1000, 98.01, 99, 693.1472, 4605.1702, 4595.1199}));

// M/M/1: the response is exponential with rate mu - lambda, so P(W > t) = e^{-(mu-lambda) t} exactly.
TEST(Mmc, SingleServerResponseIsExponential) {
  const Mmc q = mmc(70, 100, 1);
  for (double t : {0.001, 0.01, 0.05, 0.2}) EXPECT_NEAR(q.p_response_exceeds(t), std::exp(-30 * t), 1e-12);
}

TEST(Mmc, UnstableQueueSaysSo) {
  const Mmc q = mmc(1000, 100, 10);
  EXPECT_FALSE(q.stable);
  EXPECT_TRUE(std::isinf(q.response_s));
}

// Large c: the Erlang B recursion stays finite where a^c/c! would overflow.
TEST(Mmc, LargeServerCountIsFinite) {
  const Mmc q = mmc(19000, 5, 4000);
  EXPECT_TRUE(std::isfinite(q.p_wait));
  EXPECT_GE(q.p_wait, 0);
  EXPECT_LE(q.p_wait, 1);
}
