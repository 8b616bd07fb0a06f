#pragma once
// Virtual time: an integer count of nanoseconds, as a strong type.
// Integer time makes event order exact and runs reproducible; a bare double would round differently as the
// clock grows. int64 nanoseconds covers 292 years of simulated time.
#include <cstdint>
#include <compare>
#include <limits>

namespace cachelab {

// std::llround (half away from zero) without the libm call, for every finite x with |x| < 2^63: the truncation
// is exact, and so is x - trunc(x) (a double's fractional part is representable). Two calls per request went to
// libm for it. Tested against std::llround in tests/unit/time_test.cpp.
constexpr int64_t round_to_int64(double x) {
  const auto i = static_cast<int64_t>(x);
  const double frac = x - static_cast<double>(i);
  return i + (frac >= 0.5 ? 1 : 0) - (frac <= -0.5 ? 1 : 0);
}

class Time {
 public:
  constexpr Time() = default;
  static constexpr Time ns(int64_t v) { return Time(v); }
  static constexpr Time us(int64_t v) { return Time(v * 1'000); }
  static constexpr Time ms(int64_t v) { return Time(v * 1'000'000); }
  static constexpr Time s(int64_t v) { return Time(v * 1'000'000'000); }
  // Rounds to the nearest nanosecond (halves away from zero, as llround): the only place a double becomes time.
  static constexpr Time from_seconds(double s) { return Time(round_to_int64(s * 1e9)); }
  static constexpr Time max() { return Time(std::numeric_limits<int64_t>::max()); }
  // A sampled delay in nanoseconds as Time: truncated as static_cast<int64_t> truncates, but saturated at
  // +-2^62 ns (146 years; NaN counts as the ceiling). A distribution's tail (a lognormal with a wide p99) or a
  // slow-node factor can give a double beyond int64, and a cast would wrap the clock into the past (issue 21).
  // Values within range convert exactly as the cast did, so results do not change.
  static constexpr Time saturated_ns(double ns) {
    constexpr double kCeiling = 4611686018427387904.0;  // 2^62
    if (!(ns < kCeiling)) return Time(int64_t{1} << 62);
    if (!(ns > -kCeiling)) return Time(-(int64_t{1} << 62));
    return Time(static_cast<int64_t>(ns));
  }

  constexpr int64_t nanos() const { return v_; }
  constexpr double seconds() const { return static_cast<double>(v_) * 1e-9; }
  constexpr double millis() const { return static_cast<double>(v_) * 1e-6; }
  constexpr double micros() const { return static_cast<double>(v_) * 1e-3; }

  constexpr Time operator+(Time o) const { return Time(v_ + o.v_); }
  constexpr Time operator-(Time o) const { return Time(v_ - o.v_); }
  constexpr Time& operator+=(Time o) {
    v_ += o.v_;
    return *this;
  }
  constexpr Time& operator-=(Time o) {
    v_ -= o.v_;
    return *this;
  }
  constexpr Time operator*(int64_t k) const { return Time(v_ * k); }
  constexpr auto operator<=>(const Time&) const = default;

 private:
  constexpr explicit Time(int64_t v) : v_(v) {}
  int64_t v_ = 0;
};

}  // namespace cachelab
