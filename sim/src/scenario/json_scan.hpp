#pragma once
// Private to sim/src/scenario: one linear SAX pass over scenario text before it becomes a DOM (issue 21).
// It bounds what the DOM would cost (nesting depth, string length), finds duplicate keys (which plain parsing
// resolves silently by keeping the last) and locates syntax errors and numbers too large for a double.
#include <cstddef>
#include <string>
#include <vector>

#include "cachelab/schema/schema.hpp"

namespace cachelab::scan {

inline constexpr size_t kMaxDepth = 64;               // objects and arrays inside each other
inline constexpr size_t kMaxStringBytes = 64 * 1024;  // one string or key
inline constexpr size_t kMaxDuplicateReports = 20;    // then one line says how many more

struct Result {
  bool parsed = false;                // the text is JSON within the depth limit
  std::string error;                  // when not parsed: what is wrong ("invalid JSON at line 3, column 7 (...)")
  bool number_overflow = false;       // the error is a number beyond a double's range
  std::vector<schema::Issue> issues;  // duplicate keys and over-long strings (with parsed = true)
};

// `base` prefixes every pointer (an override's target).
Result scan(const std::string& text, const std::string& base = "");

}  // namespace cachelab::scan
