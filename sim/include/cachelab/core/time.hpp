#pragma once
// Virtual time: an integer count of nanoseconds, as a strong type.
// Integer time makes event order exact and runs reproducible; a bare double would round differently as the
// clock grows. int64 nanoseconds covers 292 years of simulated time.
#include <cstdint>
#include <compare>
#include <limits>

namespace cachelab {

class Time {
 public:
  constexpr Time() = default;
  static constexpr Time ns(int64_t v) { return Time(v); }
  static constexpr Time us(int64_t v) { return Time(v * 1'000); }
  static constexpr Time ms(int64_t v) { return Time(v * 1'000'000); }
  static constexpr Time s(int64_t v) { return Time(v * 1'000'000'000); }
  // Rounds to the nearest nanosecond: the only place a double becomes time.
  static Time from_seconds(double s);
  static constexpr Time max() { return Time(std::numeric_limits<int64_t>::max()); }

  constexpr int64_t nanos() const { return v_; }
  constexpr double seconds() const { return static_cast<double>(v_) * 1e-9; }
  constexpr double millis() const { return static_cast<double>(v_) * 1e-6; }
  constexpr double micros() const { return static_cast<double>(v_) * 1e-3; }

  constexpr Time operator+(Time o) const { return Time(v_ + o.v_); }
  constexpr Time operator-(Time o) const { return Time(v_ - o.v_); }
  constexpr Time& operator+=(Time o) { v_ += o.v_; return *this; }
  constexpr Time& operator-=(Time o) { v_ -= o.v_; return *this; }
  constexpr Time operator*(int64_t k) const { return Time(v_ * k); }
  constexpr auto operator<=>(const Time&) const = default;

 private:
  constexpr explicit Time(int64_t v) : v_(v) {}
  int64_t v_ = 0;
};

}  // namespace cachelab
