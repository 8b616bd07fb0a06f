#include "live/replay/key_cleanup.hpp"

#include <map>
#include <stdexcept>

#include "live/client/control_connection.hpp"
#include "live/client/slot_hash.hpp"

namespace cachelab::live {
namespace {

constexpr int kTimeoutMs = 5000;
constexpr const char* kScanCount = "1000";

// One SCAN pass over a node: calls `each` with every batch of matching keys.
template <typename F>
void scan(ControlConnection& c, const std::string& pattern, F&& each) {
  std::string cursor = "0";
  do {
    Reply r = c.command({"SCAN", cursor, "MATCH", pattern, "COUNT", kScanCount});
    if (r.type() != Reply::Type::Array || r.size() != 2)
      throw std::runtime_error("SCAN on " + c.endpoint().str() + " answered " + r.describe());
    cursor = std::string(r.element(0).str());
    std::vector<std::string> keys;
    const Reply batch = r.element(1);
    for (size_t i = 0; i < batch.size(); ++i) keys.emplace_back(batch.element(i).str());
    if (!keys.empty() && !each(keys)) return;
  } while (cursor != "0");
}

bool is_master(ControlConnection& c) {
  const Reply r = c.command({"ROLE"});
  if (r.type() != Reply::Type::Array || r.size() == 0)
    throw std::runtime_error("ROLE on " + c.endpoint().str() + " answered " + r.describe());
  return r.element(0).str() == "master";
}

}  // namespace

std::string prefix_match_pattern(const std::string& prefix) {
  std::string out;
  for (char ch : prefix) {
    if (ch == '*' || ch == '?' || ch == '[' || ch == ']' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "*";
}

bool any_key_with_prefix(const std::vector<Endpoint>& nodes, const std::string& prefix, const std::string& password) {
  const std::string pattern = prefix_match_pattern(prefix);
  for (const auto& ep : nodes) {
    ControlConnection c(ep, kTimeoutMs, password);
    if (!is_master(c)) continue;
    bool found = false;
    scan(c, pattern, [&](const std::vector<std::string>&) {
      found = true;
      return false;
    });
    if (found) return true;
  }
  return false;
}

uint64_t delete_keys_with_prefix(const std::vector<Endpoint>& nodes, const std::string& prefix,
                                 const std::string& password) {
  const std::string pattern = prefix_match_pattern(prefix);
  uint64_t deleted = 0;
  try {
    for (const auto& ep : nodes) {
      ControlConnection c(ep, kTimeoutMs, password);
      if (!is_master(c)) continue;
      // Collected first, deleted after the scan: SCAN guarantees every key present throughout is returned once
      // (maybe twice), deleting meanwhile is allowed but this keeps the passes simple to reason about.
      std::map<int, std::vector<std::string>> by_slot;
      scan(c, pattern, [&](const std::vector<std::string>& keys) {
        for (const auto& k : keys) by_slot[key_hash_slot(k)].push_back(k);
        return true;
      });
      for (auto& [slot, keys] : by_slot) {
        for (size_t at = 0; at < keys.size(); at += 500) {
          std::vector<std::string> args = {"UNLINK"};
          for (size_t i = at; i < keys.size() && i < at + 500; ++i) args.push_back(keys[i]);
          Reply r = c.command(args);
          if (r.type() != Reply::Type::Integer)
            throw std::runtime_error("UNLINK on " + ep.str() + " answered " + r.describe());
          deleted += static_cast<uint64_t>(r.integer());
        }
      }
    }
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string(e.what()) + " (" + std::to_string(deleted) + " keys deleted before that)");
  }
  return deleted;
}

}  // namespace cachelab::live
