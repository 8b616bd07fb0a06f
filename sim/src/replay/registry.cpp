#include <algorithm>
#include <cctype>

#include "cachelab/replay/policy.hpp"

namespace cachelab::replay {

namespace {
std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
}  // namespace

ReplayPolicyRegistry& ReplayPolicyRegistry::instance() {
  static ReplayPolicyRegistry r;  // filled by static initializers of the policy files, read-only afterwards
  return r;
}

void ReplayPolicyRegistry::add(ReplayPolicyKind k) {
  k.name = lower(k.name);
  kinds_.push_back(std::move(k));
  // Sorted so listings do not depend on static-initialization order across files.
  std::sort(kinds_.begin(), kinds_.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
}

const ReplayPolicyKind* ReplayPolicyRegistry::find(const std::string& name) const {
  const std::string n = lower(name);
  for (const auto& k : kinds_)
    if (k.name == n) return &k;
  return nullptr;
}

std::vector<std::string> ReplayPolicyRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& k : kinds_) out.push_back(k.name);
  return out;
}

}  // namespace cachelab::replay
