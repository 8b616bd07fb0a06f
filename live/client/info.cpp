#include "live/client/info.hpp"

#include <charconv>

namespace cachelab::live {
namespace {

uint64_t to_u64(const std::map<std::string, std::string>& f, const std::string& key) {
  auto it = f.find(key);
  if (it == f.end()) return 0;
  uint64_t v = 0;
  std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
  return v;
}

std::string to_str(const std::map<std::string, std::string>& f, const std::string& key) {
  auto it = f.find(key);
  return it == f.end() ? std::string() : it->second;
}

// "keys=12,expires=3,avg_ttl=0" -> the number after `name=`.
uint64_t sub_field(const std::string& text, std::string_view name) {
  size_t pos = 0;
  while ((pos = text.find(name, pos)) != std::string::npos) {
    if ((pos == 0 || text[pos - 1] == ',') && pos + name.size() < text.size() && text[pos + name.size()] == '=') {
      uint64_t v = 0;
      const char* begin = text.data() + pos + name.size() + 1;
      std::from_chars(begin, text.data() + text.size(), v);
      return v;
    }
    pos += name.size();
  }
  return 0;
}

}  // namespace

std::map<std::string, std::string> parse_info_fields(std::string_view text) {
  std::map<std::string, std::string> fields;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && line.front() != '#') {
      auto colon = line.find(':');
      if (colon != std::string_view::npos)
        fields.emplace(std::string(line.substr(0, colon)), std::string(line.substr(colon + 1)));
    }
    start = end + 1;
  }
  return fields;
}

double server_cpu_us(const std::map<std::string, std::string>& info_fields) {
  return (std::stod(info_fields.at("used_cpu_user")) + std::stod(info_fields.at("used_cpu_sys"))) * 1e6;
}

NodeSnapshot parse_node_snapshot(std::string_view info_text) {
  auto f = parse_info_fields(info_text);
  NodeSnapshot s;
  s.role = to_str(f, "role");
  s.used_memory_bytes = to_u64(f, "used_memory");
  s.maxmemory_bytes = to_u64(f, "maxmemory");
  const std::string db0 = to_str(f, "db0");
  s.keys = sub_field(db0, "keys");
  s.expires = sub_field(db0, "expires");
  s.evicted_keys = to_u64(f, "evicted_keys");
  s.expired_keys = to_u64(f, "expired_keys");
  s.keyspace_hits = to_u64(f, "keyspace_hits");
  s.keyspace_misses = to_u64(f, "keyspace_misses");
  s.total_commands_processed = to_u64(f, "total_commands_processed");
  const auto user = f.find("used_cpu_user_main_thread"), sys = f.find("used_cpu_sys_main_thread");
  if (user != f.end() && sys != f.end())
    s.main_thread_cpu_us = (std::stod(user->second) + std::stod(sys->second)) * 1e6;
  s.master_link_status = to_str(f, "master_link_status");
  s.redis_version = to_str(f, "redis_version");
  return s;
}

}  // namespace cachelab::live
