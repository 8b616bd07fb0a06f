#include "cachelab/io/number_format.hpp"

#include <cmath>
#include <cstdio>

namespace cachelab::fmt {

namespace {

const char* kNotAvailable = "n/a";

// Digits after the decimal point so that `v` shows `sig_digits` significant digits.
int decimals_for(double v, int sig_digits) {
  if (v == 0) return 0;
  const int magnitude = static_cast<int>(std::floor(std::log10(std::fabs(v))));
  const int d = sig_digits - 1 - magnitude;
  return d < 0 ? 0 : (d > 12 ? 12 : d);
}

std::string printf_fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s(buf);
  if (s == "-0" || s.rfind("-0.", 0) == 0) {
    bool all_zero = true;
    for (char c : s) all_zero = all_zero && (c == '-' || c == '0' || c == '.');
    if (all_zero) s.erase(0, 1);
  }
  return s;
}

// Round first, so that 999.7 with 3 digits becomes "1000" and the unit can move up.
double round_sig(double v, int sig_digits) {
  if (v == 0 || !std::isfinite(v)) return v;
  const int magnitude = static_cast<int>(std::floor(std::log10(std::fabs(v))));
  // Integer digits are never rounded away: 12345.6 at 3 digits is "12346", not "12300".
  if (magnitude >= sig_digits - 1) return std::round(v);
  const double scale = std::pow(10.0, sig_digits - 1 - magnitude);
  return std::round(v * scale) / scale;
}

struct Unit {
  const char* name;
  double size;      // in the base unit
  double from = 0;  // used from this magnitude on (0: from `size`); "90.0 s" reads better than "1.50 min"
};

template <size_t N>
std::string scaled(double v, const Unit (&units)[N], int sig_digits, const char* sep) {
  if (!std::isfinite(v)) return kNotAvailable;
  auto from = [&](size_t i) { return units[i].from > 0 ? units[i].from : units[i].size; };
  size_t u = 0;
  for (size_t i = 0; i < N; ++i)
    if (std::fabs(v) >= from(i)) u = i;
  double x = round_sig(v / units[u].size, sig_digits);
  // Rounding may reach the next unit: 999.96 ms at 3 digits is 1000 ms, printed as "1.00 s".
  if (u + 1 < N && std::fabs(x) * units[u].size >= from(u + 1)) {
    ++u;
    x = round_sig(v / units[u].size, sig_digits);
  }
  return sig(x, sig_digits) + sep + units[u].name;
}

}  // namespace

std::string sig(double v, int sig_digits) {
  if (!std::isfinite(v)) return kNotAvailable;
  if (sig_digits < 1) sig_digits = 1;
  const double r = round_sig(v, sig_digits);
  if (r != 0 && std::fabs(r) < 1e-4) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*e", sig_digits - 1, r);
    return buf;
  }
  if (std::fabs(r) >= 1e15) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*e", sig_digits - 1, r);
    return buf;
  }
  return printf_fixed(r, decimals_for(r, sig_digits));
}

std::string count(double n) {
  if (!std::isfinite(n)) return kNotAvailable;
  if (std::fabs(n) >= 1e18) return sig(n, 3);
  const long long v = std::llround(n);
  std::string digits = std::to_string(v < 0 ? -v : v);
  std::string out;
  const size_t len = digits.size();
  for (size_t i = 0; i < len; ++i) {
    out.push_back(digits[i]);
    const size_t rest = len - 1 - i;
    if (rest > 0 && rest % 3 == 0) out.push_back(',');
  }
  return v < 0 ? "-" + out : out;
}

std::string duration_ns(double ns, int sig_digits) {
  static const Unit units[] = {{"ns", 1},  {"µs", 1e3},          {"ms", 1e6},
                               {"s", 1e9}, {"min", 60e9, 120e9}, {"h", 3600e9, 7200e9}};
  return scaled(ns, units, sig_digits, " ");
}
std::string duration_us(double us, int sig_digits) { return duration_ns(us * 1e3, sig_digits); }
std::string duration_ms(double ms, int sig_digits) { return duration_ns(ms * 1e6, sig_digits); }
std::string duration_s(double s, int sig_digits) { return duration_ns(s * 1e9, sig_digits); }

std::string bytes(double b, int sig_digits) {
  if (std::isfinite(b) && std::fabs(b) < 1024) return count(b) + " B";
  static const Unit units[] = {{"B", 1},
                               {"KiB", 1024.0},
                               {"MiB", 1024.0 * 1024},
                               {"GiB", 1024.0 * 1024 * 1024},
                               {"TiB", 1024.0 * 1024 * 1024 * 1024}};
  return scaled(b, units, sig_digits, " ");
}

std::string rate_per_s(double r, int sig_digits) {
  // A model's "nothing" (1.33e-11/s when every key is cached) is not a rate anyone can act on.
  if (std::isfinite(r) && r != 0 && std::fabs(r) < 1e-3) return "< 0.001/s";
  if (std::isfinite(r) && std::fabs(r) < 1000) return sig(r, sig_digits) + "/s";
  static const Unit units[] = {{"", 1}, {"k", 1e3}, {"M", 1e6}, {"G", 1e9}};
  return scaled(r, units, sig_digits, "") + "/s";
}

std::string ratio(double r) {
  if (!std::isfinite(r)) return kNotAvailable;
  if (r == 0) return "0";
  if (r == 1) return "1";
  return printf_fixed(r, 4);
}

std::string percent(double share, int sig_digits) {
  if (!std::isfinite(share)) return kNotAvailable;
  const double p = share * 100;
  if (p != 0 && std::fabs(p) < 0.001) return "< 0.001%";
  if (std::fabs(p) >= 10) return printf_fixed(p, p == std::round(p) ? 0 : 1) + "%";
  return sig(p, sig_digits) + "%";
}

std::string probability(double p) {
  if (!std::isfinite(p)) return kNotAvailable;
  if (p == 0) return "0";
  if (std::fabs(p) < 1e-9) return "< 1e-9";
  return sig(p, 3);
}

std::string money(double amount) {
  if (!std::isfinite(amount)) return kNotAvailable;
  const double cents = std::round(amount * 100);
  const double whole = std::trunc(cents / 100);
  const int frac = static_cast<int>(std::fabs(cents - whole * 100));
  char buf[16];
  std::snprintf(buf, sizeof buf, ".%02d", frac % 100);
  return (amount < 0 && whole == 0 ? "-" : "") + count(whole) + buf;
}

}  // namespace cachelab::fmt
