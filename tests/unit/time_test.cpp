// Time::from_seconds rounds through round_to_int64, an inline replacement for std::llround: it must agree with
// llround everywhere the simulator can use it (finite, |x| < 2^63), halves and the doubles next to them included.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "cachelab/core/rng.hpp"
#include "cachelab/core/time.hpp"

using namespace cachelab;

TEST(Time, RoundToInt64AgreesWithLlround) {
  auto check = [](double x) { EXPECT_EQ(round_to_int64(x), std::llround(x)) << std::hexfloat << x; };
  for (double x : {0.0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994, -0.49999999999999994,
                   4503599627370495.5, -4503599627370495.5, 4503599627370496.0, 9007199254740993.0,
                   9.2233720368547748e18, -9.2233720368547758e18, 1e-300, -1e-300})
    check(x);
  for (double h = 0.5; h < 1e15; h = h * 3 + 0.5) {  // halves and their neighbours at many magnitudes
    for (double x : {h, std::nextafter(h, 0.0), std::nextafter(h, 1e300)}) {
      check(x);
      check(-x);
    }
  }
  Rng rng(5);
  for (int i = 0; i < 1000000; ++i) {
    const double mag = std::ldexp(1.0, static_cast<int>(rng.below(70)) - 8);  // 2^-8 .. 2^61
    const double x = (rng.uniform01() * 2 - 1) * mag;
    check(x);
  }
}

TEST(Time, FromSecondsRoundsToTheNearestNanosecond) {
  EXPECT_EQ(Time::from_seconds(2.5e-9).nanos(), std::llround(2.5e-9 * 1e9));
  EXPECT_EQ(Time::from_seconds(-2.5e-9).nanos(), std::llround(-2.5e-9 * 1e9));
  EXPECT_EQ(Time::from_seconds(120.0).nanos(), 120'000'000'000);
  EXPECT_EQ(Time::from_seconds(0.0001234564).nanos(), std::llround(0.0001234564 * 1e9));
}
