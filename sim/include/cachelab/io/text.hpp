#pragma once
// Text from untrusted files and command lines on its way to a terminal or a JSON writer (issue 21).
#include <cstddef>
#include <string>
#include <string_view>

namespace cachelab::io {

// The byte offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF), or npos when all of `s` is valid. nlohmann::json refuses to dump a string
// that is not UTF-8, so text that ends in a results file is checked on the way in.
size_t invalid_utf8_at(std::string_view s);

// `s` safe to print: control characters (ESC, NUL, CR, ...) as \xNN or \n, \t, \r; invalid UTF-8 bytes as \xNN;
// C1 controls as \u00NN; a backslash is kept as is. Printable text (ASCII and valid UTF-8) is unchanged.
// With `max_chars`, the result stops after about that many bytes and ends in "...".
std::string printable(std::string_view s, size_t max_chars = std::string::npos);

}  // namespace cachelab::io
