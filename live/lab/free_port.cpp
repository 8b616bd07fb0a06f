#include "live/lab/free_port.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <stdexcept>

namespace cachelab::live {
namespace {

std::mutex g_claimed_mutex;
// Claimed port -> the descriptor holding its machine-wide lock file. Process-wide by nature: ports are a
// machine-wide resource.
std::map<int, int> g_claimed;

// Machine-wide claims. A port checked free can be taken by another lab in another process (ctest -j runs live tests
// side by side) while ours is not bound: between the check and redis-server's bind, and while a lab restarts a node
// it killed on purpose (the CI run of stop 17 lost a restart to a parallel test that way). Each claimed port holds
// an flock on its own file in a per-user directory; other cachelab processes skip locked ports. The kernel drops
// the lock when the descriptor closes, so a crashed process leaves no stale claim behind.
std::string lock_dir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string dir = (tmp != nullptr && *tmp != '\0') ? tmp : "/tmp";
  dir += "/cachelab-port-locks-" + std::to_string(::getuid());
  ::mkdir(dir.c_str(), 0700);  // EEXIST is fine; any other failure shows as open() failing below
  return dir;
}

// Returns the locked descriptor, -1 when another process holds the port, -2 when locking is unavailable (then the
// bind check alone decides, as before).
int lock_port(const std::string& dir, int port) {
  const std::string path = dir + "/" + std::to_string(port) + ".lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return -2;
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

void unlock_port(int port) {
  auto it = g_claimed.find(port);
  if (it == g_claimed.end()) return;
  if (it->second >= 0) ::close(it->second);
  g_claimed.erase(it);
}

// Claims `port` (and its bus port) for this process: true when both are locked (or locking is unavailable).
bool try_claim(const std::string& dir, int port, int bus, bool need_bus_port) {
  if (g_claimed.count(port) || (need_bus_port && g_claimed.count(bus))) return false;
  const int fd = lock_port(dir, port);
  if (fd == -1) return false;
  int bus_fd = -2;
  if (need_bus_port) {
    bus_fd = lock_port(dir, bus);
    if (bus_fd == -1) {
      if (fd >= 0) ::close(fd);
      return false;
    }
  }
  g_claimed[port] = fd;
  if (need_bus_port) g_claimed[bus] = bus_fd;
  return true;
}

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
  const std::string dir = lock_dir();
  std::vector<int> ports;
  for (int tried = 0; tried < span && static_cast<int>(ports.size()) < count; ++tried, cursor = (cursor + 1) % span) {
    const int port = kLow + cursor;
    const int bus = port + kClusterBusPortOffset;
    if (in_range(port, ephemeral) || (need_bus_port && in_range(bus, ephemeral))) continue;
    if (!try_claim(dir, port, bus, need_bus_port)) continue;
    if (!loopback_port_free(port) || (need_bus_port && !loopback_port_free(bus))) {
      unlock_port(port);
      if (need_bus_port) unlock_port(bus);
      continue;
    }
    ports.push_back(port);
  }
  if (static_cast<int>(ports.size()) < count) {
    for (int p : ports) {
      unlock_port(p);
      unlock_port(p + kClusterBusPortOffset);
    }
    throw std::runtime_error("no free loopback ports found for the lab (needed " + std::to_string(count) + ")");
  }
  return ports;
}

bool try_claim_port(int port, bool need_bus_port) {
  std::lock_guard lock(g_claimed_mutex);
  const int bus = port + kClusterBusPortOffset;
  if (!try_claim(lock_dir(), port, bus, need_bus_port)) return false;
  if (!loopback_port_free(port) || (need_bus_port && !loopback_port_free(bus))) {
    unlock_port(port);
    if (need_bus_port) unlock_port(bus);
    return false;
  }
  return true;
}

void release_ports(const std::vector<int>& ports) {
  std::lock_guard lock(g_claimed_mutex);
  for (int p : ports) {
    unlock_port(p);
    unlock_port(p + kClusterBusPortOffset);
  }
}

}  // namespace cachelab::live
