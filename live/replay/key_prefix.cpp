#include "live/replay/key_prefix.hpp"

namespace cachelab::live {

bool has_hash_tag(std::string_view key) {
  const auto open = key.find('{');
  if (open == std::string_view::npos) return false;
  const auto close = key.find('}', open + 1);
  return close != std::string_view::npos && close > open + 1;
}

void append_prefixed_key(std::string& out, std::string_view prefix, std::string_view name, bool lock) {
  out.append(prefix);
  if (has_hash_tag(name)) {
    out.append(name);
  } else if (prefix.empty() && !lock) {
    out.append(name);
  } else {
    out += '{';
    out.append(name);
    out += '}';
  }
  if (lock) out.append(":lock");
}

std::string key_prefix_problem(std::string_view prefix) {
  if (prefix.find_first_of("{}") != std::string_view::npos)
    return "the key prefix '" + std::string(prefix) +
           "' contains a brace: it would change the hash tag of every key, and with it the slot";
  return "";
}

}  // namespace cachelab::live
