#pragma once
// JSON Pointer (RFC 6901) pieces shared by the schema's validation messages and the scenario reader's
// duplicate-key report: one escaping rule for both.
#include <string>

namespace cachelab::schema {

// One reference token: "~" becomes "~0" and "/" becomes "~1".
std::string escape_pointer_token(const std::string& token);

}  // namespace cachelab::schema
