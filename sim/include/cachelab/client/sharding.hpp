#pragma once
// Client-side sharding over plain (standalone) servers, the alternatives to Redis Cluster's hash slots that
// cachelab compares it with (issue 3): ketama consistent hashing and modulo hashing. The client alone decides
// where a key lives; when a server joins or leaves it recomputes its ring and the keys that now map elsewhere
// simply miss on their new server (nothing is migrated).
//
// Ketama, as libketama (ketama.c) and twemproxy (nc_ketama.c) build it with equal weights: for each server,
// points_per_server/4 strings "<name>-<i>" (i = 0, 1, ...), each MD5-hashed; each 16-byte digest gives 4 points,
// point h = digest[4h+3]<<24 | digest[4h+2]<<16 | digest[4h+1]<<8 | digest[4h] (160 points = 40 digests x 4 by
// default). The points are sorted; a key goes to the first point >= its hash, wrapping to the first point.
// A key's hash is libketama's ketama_hashi: the first 4 bytes of MD5(key), little-endian (twemproxy lets the
// hash be chosen; we use MD5 for both). Server names are cachelab's node names (master-1 ...), where a real
// deployment would use "ip:port": the placement differs, its statistics do not.
// Modulo: server = hash(key) mod (number of servers), in server order, with the same 32-bit key hash, so the two
// schemes differ only in how hashes map to servers.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cachelab {

enum class Sharding : uint8_t { RedisCluster, Ketama, Modulo };
// "redis-cluster", "ketama" or "modulo" (the scenario knob cluster.sharding); throws std::invalid_argument.
Sharding parse_sharding(const std::string& name);
const char* sharding_name(Sharding s);

// libketama's ketama_hashi: MD5(key)[0..3] little-endian.
uint32_t ketama_hash(std::string_view key);

// The ring for a set of servers. Server ids are the caller's (node indices); names feed the point strings.
class KetamaRing {
 public:
  KetamaRing() = default;
  // REQUIRES: points_per_server is a positive multiple of 4; names.size() == ids.size() >= 1.
  KetamaRing(const std::vector<std::string>& names, const std::vector<int>& ids, int points_per_server);
  int lookup(uint32_t hash) const;
  size_t points() const { return points_.size(); }
  // The share of the 2^32 hash circle each server owns (arc lengths), by position in `ids`.
  std::vector<double> arc_shares(const std::vector<int>& ids) const;

 private:
  std::vector<std::pair<uint32_t, int>> points_;  // (point, server id), sorted by point then id
};

// The client's shard map for ketama or modulo: the current member servers and, for ketama, their ring.
class ClientSharding {
 public:
  ClientSharding(Sharding scheme, int points_per_server) : scheme_(scheme), points_(points_per_server) {}
  Sharding scheme() const { return scheme_; }
  // The member servers, in order (modulo indexes this list); rebuilds the ring.
  void set_members(const std::vector<std::string>& names, const std::vector<int>& ids);
  const std::vector<int>& members() const { return ids_; }
  int server_for(uint32_t hash) const {
    return scheme_ == Sharding::Modulo ? ids_[hash % ids_.size()] : ring_.lookup(hash);
  }

 private:
  Sharding scheme_;
  int points_;
  std::vector<int> ids_;
  KetamaRing ring_;
};

}  // namespace cachelab
