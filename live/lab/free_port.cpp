#include "live/lab/free_port.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>

namespace cachelab::live {
namespace {

std::mutex g_claimed_mutex;
std::set<int> g_claimed;  // process-wide by nature: ports are a process-wide (even machine-wide) resource

struct PortRange {
  int low;
  int high;
};

// The kernel hands out local ports for outgoing connections from this range; lab ports stay out of it.
PortRange ephemeral_range() {
  PortRange range{32768, 60999};  // Linux default
  std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
  int low = 0, high = 0;
  if (in >> low >> high && low > 0 && high >= low) range = {low, high};
  return range;
}

bool in_range(int port, PortRange r) { return port >= r.low && port <= r.high; }

}  // namespace

bool loopback_port_free(int port) {
  if (port <= 0 || port > 65535) return false;
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

bool port_has_listener(int port) {
  for (const char* path : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      // "  sl  local_address rem_address   st ...": local_address is HEXIP:HEXPORT, st 0A is LISTEN.
      std::istringstream fields(line);
      std::string sl, local, remote, state;
      if (!(fields >> sl >> local >> remote >> state)) continue;
      auto colon = local.rfind(':');
      if (colon == std::string::npos || state != "0A") continue;
      if (std::stoi(local.substr(colon + 1), nullptr, 16) == port) return true;
    }
  }
  return false;
}

std::vector<int> claim_free_ports(int count, bool need_bus_port) {
  const PortRange ephemeral = ephemeral_range();
  // Candidate client ports: 12000..21999 (bus ports 22000..31999, disjoint, so releasing p+10000 never frees another
  // lab's client port). A random starting point keeps parallel test
  // processes from all probing the same ports first.
  constexpr int kLow = 12000, kHigh = 21999;
  std::random_device rd;
  std::mt19937 rng(rd() ^ static_cast<unsigned>(::getpid()) ^
                   static_cast<unsigned>(std::chrono::steady_clock::now().time_since_epoch().count()));
  const int span = kHigh - kLow + 1;
  int cursor = std::uniform_int_distribution<int>(0, span - 1)(rng);

  std::lock_guard lock(g_claimed_mutex);
  std::vector<int> ports;
  for (int tried = 0; tried < span && static_cast<int>(ports.size()) < count; ++tried, cursor = (cursor + 1) % span) {
    const int port = kLow + cursor;
    const int bus = port + kClusterBusPortOffset;
    if (in_range(port, ephemeral) || (need_bus_port && in_range(bus, ephemeral))) continue;
    if (g_claimed.count(port) || g_claimed.count(bus)) continue;
    if (!loopback_port_free(port) || (need_bus_port && !loopback_port_free(bus))) continue;
    ports.push_back(port);
    g_claimed.insert(port);
    if (need_bus_port) g_claimed.insert(bus);
  }
  if (static_cast<int>(ports.size()) < count) {
    for (int p : ports) {
      g_claimed.erase(p);
      g_claimed.erase(p + kClusterBusPortOffset);
    }
    throw std::runtime_error("no free loopback ports found for the lab (needed " + std::to_string(count) + ")");
  }
  return ports;
}

void release_ports(const std::vector<int>& ports) {
  std::lock_guard lock(g_claimed_mutex);
  for (int p : ports) {
    g_claimed.erase(p);
    g_claimed.erase(p + kClusterBusPortOffset);
  }
}

}  // namespace cachelab::live
