#include "live/client/credentials.hpp"

#include <map>
#include <mutex>

namespace cachelab::live {
namespace {

std::mutex g_mutex;
std::map<Endpoint, std::string>& table() {
  static std::map<Endpoint, std::string> t;
  return t;
}

}  // namespace

void register_password(const Endpoint& endpoint, const std::string& password) {
  std::lock_guard lock(g_mutex);
  table()[endpoint] = password;
}

void forget_password(const Endpoint& endpoint) {
  std::lock_guard lock(g_mutex);
  table().erase(endpoint);
}

std::string password_for(const Endpoint& endpoint) {
  std::lock_guard lock(g_mutex);
  auto it = table().find(endpoint);
  return it == table().end() ? std::string() : it->second;
}

}  // namespace cachelab::live
