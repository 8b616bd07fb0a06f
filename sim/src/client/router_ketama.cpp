// Ketama and modulo client-side sharding (client/sharding.hpp).
#include <algorithm>
#include <stdexcept>

#include "cachelab/client/sharding.hpp"
#include "cachelab/core/md5.hpp"

namespace cachelab {

Sharding parse_sharding(const std::string& name) {
  if (name == "redis-cluster") return Sharding::RedisCluster;
  if (name == "ketama") return Sharding::Ketama;
  if (name == "modulo") return Sharding::Modulo;
  throw std::invalid_argument("unknown sharding scheme \"" + name + "\" (redis-cluster, ketama, modulo)");
}

const char* sharding_name(Sharding s) {
  switch (s) {
    case Sharding::RedisCluster:
      return "redis-cluster";
    case Sharding::Ketama:
      return "ketama";
    case Sharding::Modulo:
      return "modulo";
  }
  return "?";
}

static uint32_t point_of(const Md5Digest& d, int h) {
  const size_t b = static_cast<size_t>(h) * 4;
  return uint32_t{d[b + 3]} << 24 | uint32_t{d[b + 2]} << 16 | uint32_t{d[b + 1]} << 8 | uint32_t{d[b]};
}

uint32_t ketama_hash(std::string_view key) { return point_of(md5(key), 0); }

KetamaRing::KetamaRing(const std::vector<std::string>& names, const std::vector<int>& ids, int points_per_server) {
  points_.reserve(names.size() * static_cast<size_t>(points_per_server));
  for (size_t s = 0; s < names.size(); ++s)
    for (int i = 0; i < points_per_server / 4; ++i) {
      const Md5Digest d = md5(names[s] + "-" + std::to_string(i));
      for (int h = 0; h < 4; ++h) points_.emplace_back(point_of(d, h), ids[s]);
    }
  // libketama sorts with qsort by point; equal points (rare) are ordered by server id here so the ring is
  // deterministic.
  std::sort(points_.begin(), points_.end());
}

int KetamaRing::lookup(uint32_t hash) const {
  // twemproxy's ketama_dispatch: the first point >= hash, wrapping around to the first point.
  auto it = std::lower_bound(points_.begin(), points_.end(), hash,
                             [](const std::pair<uint32_t, int>& p, uint32_t h) { return p.first < h; });
  if (it == points_.end()) it = points_.begin();
  return it->second;
}

std::vector<double> KetamaRing::arc_shares(const std::vector<int>& ids) const {
  std::vector<double> share(ids.size(), 0.0);
  for (size_t i = 0; i < points_.size(); ++i) {
    // Hashes in (previous point, this point] go to this point's server.
    const uint64_t prev = i == 0 ? points_.back().first : points_[i - 1].first;
    const uint64_t arc = i == 0 ? (uint64_t{1} << 32) - prev + points_[0].first : points_[i].first - prev;
    const auto pos = std::find(ids.begin(), ids.end(), points_[i].second) - ids.begin();
    if (pos < static_cast<long>(ids.size())) share[static_cast<size_t>(pos)] += static_cast<double>(arc) / 4294967296.0;
  }
  return share;
}

void ClientSharding::set_members(const std::vector<std::string>& names, const std::vector<int>& ids) {
  ids_ = ids;
  if (scheme_ == Sharding::Ketama) ring_ = KetamaRing(names, ids, points_);
}

}  // namespace cachelab
