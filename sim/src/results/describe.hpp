#pragma once
// Internal to results/: how an error message names a JSON value it did not expect ("the string \"x\"").
#include <string>

#include <nlohmann/json.hpp>

namespace cachelab::results {

inline std::string describe(const nlohmann::json& v) {
  using nlohmann::json;
  switch (v.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return std::string("the boolean ") + (v.get<bool>() ? "true" : "false");
    case json::value_t::string:
      return "the string \"" + v.get<std::string>() + "\"";
    case json::value_t::array:
      return "an array";
    case json::value_t::object:
      return "an object";
    default:
      return "the number " + v.dump();
  }
}

}  // namespace cachelab::results
