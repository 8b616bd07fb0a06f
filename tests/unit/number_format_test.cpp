// The one number format (sim/include/cachelab/io/number_format.hpp): units chosen for the magnitude, the
// significant digits a reader needs, and the cases issue 15 names ("60.00000000000001 s", "2.12e-218",
// "9928.7 µs" beside "19.7 ms").
#include "cachelab/io/number_format.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace fmt = cachelab::fmt;

TEST(NumberFormat, SignificantDigits) {
  EXPECT_EQ(fmt::sig(60.00000000000001), "60.0");
  EXPECT_EQ(fmt::sig(-0.011666266629777766), "-0.0117");
  EXPECT_EQ(fmt::sig(12345.6), "12346");
  EXPECT_EQ(fmt::sig(0.5), "0.500");
  EXPECT_EQ(fmt::sig(0), "0");
  EXPECT_EQ(fmt::sig(1.234e-6), "1.23e-06");
  EXPECT_EQ(fmt::sig(std::nan("")), "n/a");
  EXPECT_EQ(fmt::sig(-0.0000000001, 3), "-1.00e-10");
}

TEST(NumberFormat, Counts) {
  EXPECT_EQ(fmt::count(2395801), "2,395,801");
  EXPECT_EQ(fmt::count(999), "999");
  EXPECT_EQ(fmt::count(1000), "1,000");
  EXPECT_EQ(fmt::count(-1234567), "-1,234,567");
  EXPECT_EQ(fmt::count(0), "0");
}

TEST(NumberFormat, DurationsPickTheUnit) {
  EXPECT_EQ(fmt::duration_us(9928.7), "9.93 ms");
  EXPECT_EQ(fmt::duration_us(351.2), "351 µs");
  EXPECT_EQ(fmt::duration_us(19700), "19.7 ms");
  EXPECT_EQ(fmt::duration_s(60.00000000000001), "60.0 s");
  EXPECT_EQ(fmt::duration_s(30.000000001), "30.0 s");
  EXPECT_EQ(fmt::duration_ms(999.96), "1.00 s");  // rounding moves the unit up
  EXPECT_EQ(fmt::duration_s(600), "10.0 min");
  EXPECT_EQ(fmt::duration_ns(12), "12.0 ns");
  EXPECT_EQ(fmt::duration_us(1e6), "1.00 s");  // not "1e+06 µs"
  EXPECT_EQ(fmt::duration_s(std::numeric_limits<double>::infinity()), "n/a");
}

TEST(NumberFormat, Bytes) {
  EXPECT_EQ(fmt::bytes(512), "512 B");
  EXPECT_EQ(fmt::bytes(64.0 * 1024 * 1024), "64.0 MiB");
  EXPECT_EQ(fmt::bytes(1536), "1.50 KiB");
  EXPECT_EQ(fmt::bytes(3.0 * 1024 * 1024 * 1024), "3.00 GiB");
}

TEST(NumberFormat, Rates) {
  EXPECT_EQ(fmt::rate_per_s(29948), "29.9k/s");
  EXPECT_EQ(fmt::rate_per_s(950), "950/s");
  EXPECT_EQ(fmt::rate_per_s(2.4e6), "2.40M/s");
  EXPECT_EQ(fmt::rate_per_s(0.5), "0.500/s");
  EXPECT_EQ(fmt::rate_per_s(1.33e-11), "< 0.001/s");  // an analytic model's "nothing", not 1.33e-11/s
  EXPECT_EQ(fmt::rate_per_s(0), "0/s");
}

TEST(NumberFormat, RatiosPercentsProbabilities) {
  EXPECT_EQ(fmt::ratio(0.75843), "0.7584");
  EXPECT_EQ(fmt::ratio(1.0), "1");
  EXPECT_EQ(fmt::percent(0.037), "3.7%");
  EXPECT_EQ(fmt::percent(0.00012), "0.012%");
  EXPECT_EQ(fmt::percent(0.5), "50%");
  EXPECT_EQ(fmt::percent(0.105), "10.5%");
  EXPECT_EQ(fmt::probability(2.12e-218), "< 1e-9");
  EXPECT_EQ(fmt::probability(0.00212), "0.00212");
  EXPECT_EQ(fmt::probability(0), "0");
}

TEST(NumberFormat, Money) {
  EXPECT_EQ(fmt::money(1234.5), "1,234.50");
  EXPECT_EQ(fmt::money(0.126), "0.13");
  EXPECT_EQ(fmt::money(-0.5), "-0.50");
}
