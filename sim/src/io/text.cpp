#include "cachelab/io/text.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace cachelab::io {

namespace {

// Length of the well-formed UTF-8 sequence at s[i], or 0 (RFC 3629 table 3-7).
size_t sequence_length(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  const uint8_t c = b(i);
  if (c < 0x80) return 1;
  size_t n;
  uint8_t lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF)
    n = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;  // overlong
    if (c == 0xED) hi = 0x9F;  // surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;  // overlong
    if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k)
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
  return n;
}

}  // namespace

size_t invalid_utf8_at(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = sequence_length(s, i);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

std::string printable(std::string_view s, size_t max_chars) {
  std::string out;
  out.reserve(std::min(s.size(), max_chars));
  char buf[8];
  for (size_t i = 0; i < s.size();) {
    if (out.size() >= max_chars) {
      out += "...";
      break;
    }
    const size_t n = sequence_length(s, i);
    const auto c = static_cast<uint8_t>(s[i]);
    if (n == 1 && c >= 0x20 && c != 0x7F) {
      out += s[i++];
    } else if (n == 1 && c == '\n') {
      out += "\\n", ++i;
    } else if (n == 1 && c == '\t') {
      out += "\\t", ++i;
    } else if (n == 1 && c == '\r') {
      out += "\\r", ++i;
    } else if (n == 2 && c == 0xC2 && static_cast<uint8_t>(s[i + 1]) < 0xA0) {
      // C1 controls (U+0080..U+009F): some terminals read U+009B as CSI.
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<uint8_t>(s[i + 1])));
      out += buf, i += 2;
    } else if (n >= 2) {
      out.append(s.substr(i, n)), i += n;
    } else {  // a control byte or a byte that is not UTF-8
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(c));
      out += buf, ++i;
    }
  }
  return out;
}

}  // namespace cachelab::io
