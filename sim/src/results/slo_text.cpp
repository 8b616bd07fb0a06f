#include "cachelab/results/slo_text.hpp"

#include <cmath>

#include "cachelab/io/number_format.hpp"

namespace cachelab::results {

std::string slo_value_text(const std::string& n, double v) {
  if (!std::isfinite(v)) return "n/a";
  if (n.rfind("latency_", 0) == 0) return fmt::duration_ms(v);
  if (n == "hit_ratio_min" || n == "availability_min") return fmt::ratio(v);
  if (n == "error_rate_max" || n == "cache_error_rate_max") return fmt::probability(v);
  if (n == "origin_requests_per_s_max") return fmt::rate_per_s(v);
  return fmt::count(v);
}

static std::string slo_text_stream(const nlohmann::json& row) {
  return row.contains("stream") && row.at("stream").is_string() ? row.at("stream").get<std::string>() : "";
}

std::string slo_label(const nlohmann::json& row) {
  const std::string name = row.value("name", std::string("?")), stream = slo_text_stream(row);
  return stream.empty() ? name : name + " [" + stream + "]";
}

std::string slo_id(const nlohmann::json& row) {
  const std::string name = row.value("name", std::string("?")), stream = slo_text_stream(row);
  return stream.empty() ? name : "streams." + stream + "." + name;
}

}  // namespace cachelab::results
