#pragma once
// One number format for everything a person reads (CLI, compare, plan, estimate, lesson, report, GUI labels).
// JSON and CSV keep full precision; these functions are for text only. Each picks the unit for the magnitude and
// prints the significant digits a reader needs (3 by default): "351 µs", "3.78 ms", "80.0 s", "53.3 MiB",
// "2,395,801", "29.9k/s", "0.7584", "< 1e-9". Non-finite values print as "n/a".
#include <string>

namespace cachelab::fmt {

// `v` rounded to `sig` significant digits, in plain notation ("0.000123", "12300"), no trailing zeros beyond
// the significant ones ("80.0" keeps its zero: it says three digits are known).
std::string sig(double v, int sig_digits = 3);
// An integer count with thousands separators: 2395801 -> "2,395,801". Rounds to the nearest integer.
std::string count(double n);
// A duration; input in the unit of the function's name. Units: ns, µs, ms, s, min, h.
std::string duration_ns(double ns, int sig_digits = 3);
std::string duration_us(double us, int sig_digits = 3);
std::string duration_ms(double ms, int sig_digits = 3);
std::string duration_s(double s, int sig_digits = 3);
// A size in bytes with binary units: B, KiB, MiB, GiB, TiB ("64.0 MiB").
std::string bytes(double b, int sig_digits = 3);
// A rate per second: "950/s", "29.9k/s", "2.40M/s"; below 0.001/s (but not 0) "< 0.001/s".
std::string rate_per_s(double r, int sig_digits = 3);
// A ratio in 0..1 (hit ratio, availability) with 4 decimals: "0.7584"; "1" and "0" stay exact.
std::string ratio(double r);
// A share as a percentage: 0.037 -> "3.7%", 0.00012 -> "0.012%".
std::string percent(double share, int sig_digits = 2);
// A probability or error rate: "< 1e-9" below 1e-9, else 3 significant digits ("0.00212", "2.1e-07" style for
// tiny values is avoided: values below 1e-4 print as "1.23e-05").
std::string probability(double p);
// Money with two decimals and separators: 1234.5 -> "1,234.50".
std::string money(double amount);

}  // namespace cachelab::fmt
