#pragma once
// Option checks shared by both commands (cachelab, cachelab-live), with messages a user can read: CLI11's
// PositiveNumber and NonNegativeNumber print their bound as a 310-digit number ("Value -1 not in range 0.000000 to
// 179769313486231570814527...").
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <CLI/CLI.hpp>

namespace cachelab::cli {

// A finite number (>= lo, or > lo when `open`). CLI11's PositiveNumber and Range let "nan" through (NaN <= 0 and
// NaN < lo are false) and "inf" through Positive: `estimate --failover-s nan` gave a NaN availability (issue 21).
inline CLI::Validator finite_number(double lo, bool open) {
  char bound[32];
  std::snprintf(bound, sizeof bound, "%s %g", open ? ">" : ">=", lo);
  return CLI::Validator(
      [lo, open, b = std::string(bound)](std::string& text) -> std::string {
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        if (text.empty() || *end != '\0' || !std::isfinite(v)) return "expected a finite number, found '" + text + "'";
        if (open ? !(v > lo) : !(v >= lo)) return "expected a number " + b + ", found '" + text + "'";
        return "";
      },
      std::string("FINITE ") + bound);
}

// An option that must be > 0 or >= 0 (finite).
inline CLI::Validator positive_number() { return finite_number(0, true); }
inline CLI::Validator non_negative_number() { return finite_number(0, false); }

}  // namespace cachelab::cli
