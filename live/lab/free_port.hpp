#pragma once
// Finding loopback ports for lab nodes at run time (other programs on the machine may already use the usual Redis
// ports). A cluster node needs two ports: its client port and its bus port (client port + 10000).
#include <cstdint>
#include <vector>

namespace cachelab::live {

inline constexpr int kClusterBusPortOffset = 10000;  // CLUSTER_PORT_INCR, docs/redis-reference.md §0

// True when a TCP socket can bind 127.0.0.1:port right now with SO_REUSEADDR, as redis-server binds: a listener
// (on 127.0.0.1 or the wildcard) makes it busy; connections of a stopped server lingering in TIME_WAIT do not.
bool loopback_port_free(int port);

// True when /proc/net/tcp or tcp6 lists a socket in LISTEN state on this local port (any address).
bool port_has_listener(int port);

// Picks `count` ports p with p and p+10000 both free (when need_bus_port), none in the kernel's ephemeral range
// (an outgoing connection could grab it between our check and redis-server's bind). The ports are also claimed
// machine-wide (an flock per port under $TMPDIR/cachelab-port-locks-UID, held until release_ports() or exit), so
// two labs never pick the same ones, in one process or in two, even while a lab has a node stopped on purpose.
// The check is only a hint: the caller must still retry when redis-server fails to bind (another process may win
// the race). Throws std::runtime_error when no ports are found.
std::vector<int> claim_free_ports(int count, bool need_bus_port);
// Claims exactly `port` (and its bus port) when it can be bound and no other process holds its claim.
bool try_claim_port(int port, bool need_bus_port);
void release_ports(const std::vector<int>& ports);

}  // namespace cachelab::live
