#include "cachelab/workload/generator.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "cachelab/cluster/slots.hpp"

namespace cachelab {

size_t KeyNamer::format(uint64_t key, char* buf) const {
  std::memcpy(buf, prefix_.data(), prefix_.size());
  char digits[24];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + key % 10);
    key /= 10;
  } while (key);
  for (int i = 0; i < n; ++i) buf[prefix_.size() + i] = digits[n - 1 - i];
  return prefix_.size() + n;
}

size_t KeyNamer::length(uint64_t key) const {
  size_t n = 1;
  while (key >= 10) {
    key /= 10;
    ++n;
  }
  return prefix_.size() + n;
}

std::string KeyNamer::name(uint64_t key) const {
  char buf[96];
  return std::string(buf, format(key, buf));
}

int KeyNamer::slot(uint64_t key) const {
  char buf[96];
  return key_hash_slot(std::string_view(buf, format(key, buf)));
}

// Redis's largest string value (proto-max-bulk-len default 512 MB).
static constexpr double kMaxValueBytes = 512.0 * 1024 * 1024;

WorkloadGenerator::WorkloadGenerator(const Scenario& s)
    : seed_(s.seed),
      keys_(s.workload.keys),
      read_fraction_(s.workload.read_fraction),
      clients_(static_cast<uint16_t>(std::min(s.clients.instances, 65535))),
      value_dist_(make_dist(s.workload.value_bytes)),
      arrivals_(RateShape(s.workload.rate_per_s, s.workload.shape), Rng::stream(s.seed, "workload/arrivals")),
      rng_(Rng::stream(s.seed, "workload")),
      namer_(s.workload.key_prefix) {
  if (s.workload.popularity == "zipf") zipf_.emplace(keys_, s.workload.zipf_alpha);
  if (!s.workload.ttl_s.is_null()) ttl_dist_ = make_dist(s.workload.ttl_s);
  if (s.workload.value_bytes.at("dist") == "fixed")
    fixed_value_ = static_cast<uint32_t>(std::llround(s.workload.value_bytes.at("value").get<double>()));
}

uint32_t WorkloadGenerator::value_bytes(uint64_t key) const {
  if (fixed_value_) return *fixed_value_;
  Rng r(derive_seed(seed_, "workload/value_bytes") ^ (key * 0x9E3779B97F4A7C15ull));
  const double v = std::clamp(std::round(value_dist_->sample(r)), 0.0, kMaxValueBytes);
  return static_cast<uint32_t>(v);
}

bool WorkloadGenerator::next(Request& out, Time end) {
  const double t = arrivals_.next();
  if (!std::isfinite(t) || t > end.seconds()) return false;
  out.seq = seq_++;
  out.due = Time::from_seconds(t);
  out.op = rng_.chance(read_fraction_) ? Op::Read : Op::Write;
  out.key = zipf_ ? zipf_->sample(rng_) - 1 : rng_.below(keys_);
  out.client = static_cast<uint16_t>(rng_.below(clients_));
  out.value_bytes = value_bytes(out.key);
  if (ttl_dist_) {
    // At least 1 ms: Redis refuses SET ... PX 0.
    out.ttl_ms = std::max<int64_t>(1, std::llround(ttl_dist_->sample(rng_) * 1000.0));
  } else {
    out.ttl_ms = -1;
  }
  return true;
}

}  // namespace cachelab
