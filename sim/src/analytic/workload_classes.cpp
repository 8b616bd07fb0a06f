// The scenario's popularity as classes for the hit-ratio models (cachelab estimate), one law per kind:
//  - zipf: exact head + quadrature tail (popularity.hpp); uniform: one class.
//  - hotspot: two classes, the hot set and the cold set, each uniform (YCSB HotspotIntegerGenerator).
//  - scrambled_zipfian: a key's probability is the sum over every one of YCSB's 10^10 + 1 ranks hashed onto it
//    (FNV-64 modulo keys). The first R ranks (R = max(2 x 10^6, 4 x keys), at most 2 x 10^7; docs/validation.md §4 used
// 2 x 10^6) are
//    hashed exactly, each with the probability Gray's generator gives it (below); the remaining mass is spread
//    evenly over the keys, which is its expectation under the hash (each far rank carries < 1e-8 of the mass, so
//    no single one moves a key). Refused above 10^7 keys.
//  - latest without inserts: the frontier stays at loaded_keys, and YCSB reads newest - Zipf(0.99) over the loaded
//    keys, key 0 excluded: Zipf(0.99) over keys loaded-1, loaded-2, ..., 1 in that order. With inserts the hot set
//    moves along with them and no stationary law exists: refused.
//  - sequential: every key in turn; an LRU or FIFO cache smaller than the key space never hits (each key returns
//    after all the others), one that holds every key always does: not a probability law, refused.
#include <cmath>
#include <stdexcept>

#include "cachelab/analytic/estimate.hpp"
#include "cachelab/workload/ycsb.hpp"

namespace cachelab::analytic {

namespace {

std::vector<PopClass> scrambled_zipfian(uint64_t n) {
  constexpr uint64_t kMaxKeys = 10'000'000;
  if (n > kMaxKeys)
    throw std::invalid_argument("/workload/popularity/dist: scrambled_zipfian over " + std::to_string(n) +
                                " keys: estimate hashes the head ranks onto every key and stops at 10^7 keys; "
                                "simulate it instead");
  const int64_t items = ycsb::kItemCount + 1;
  const int64_t ranks = std::min<int64_t>(
      items, std::min<int64_t>(20'000'000, std::max<int64_t>(2'000'000, 4 * static_cast<int64_t>(n))));
  // The pmf Gray's generator implies (not exact Zipf: its head is heavier, docs/validation.md §4): rank 0 when
  // u zetan < 1, rank 1 below 1 + 2^-theta, else floor(items (eta u - eta + 1)^(1/(1-theta))), which is r for u in
  // [u_r, u_r+1) with u_r = ((r/items)^(1-theta) - 1 + eta) / eta. Differences of powers via expm1/log1p: the
  // intervals are ~1e-11 wide next to 1.
  const ycsb::GrayZipfian gen(items, ycsb::kZipfianConstant, ycsb::kZetaN);
  const double c = 1 - gen.theta(), eta = gen.eta(), zn = gen.zetan(), nd = static_cast<double>(items);
  const double u1 = 1 / zn, u2 = (1 + std::pow(0.5, gen.theta())) / zn;
  auto u_at = [&](double r) { return (std::pow(r / nd, c) - 1 + eta) / eta; };
  auto rank_p = [&](int64_t r) {
    double p = r == 0 ? u1 : r == 1 ? u2 - u1 : 0;
    const double rd = static_cast<double>(r);
    const double lo = r == 0 ? u_at(0) : u_at(rd);
    const double hi = r == 0 ? u_at(1) : lo + std::pow(rd / nd, c) * std::expm1(c * std::log1p(1 / rd)) / eta;
    p += std::max(0.0, std::min(hi, 1.0) - std::max(lo, u2));  // the tail branch's share of rank r
    return p;
  };
  std::vector<double> w(n, 0.0);
  double head = 0;
  const auto keys = static_cast<int64_t>(n);
  for (int64_t r = 0; r < ranks; ++r) {
    const double p = rank_p(r);
    int64_t k = ycsb::fnvhash64(r) % keys;
    if (k < 0) k += keys;
    w[static_cast<size_t>(k)] += p;
    head += p;
  }
  const double rest = std::max(0.0, 1.0 - head) / static_cast<double>(n);
  std::vector<PopClass> out;
  out.reserve(n);
  for (uint64_t k = 0; k < n; ++k) out.push_back({1.0, w[k] + rest, k + 1});
  return out;
}

bool stream_inserts(const Scenario& s) {
  const nlohmann::json& w = s.workload.section;
  if (w.is_object() && w.contains("ops") && !w.at("ops").is_null()) {
    const auto& ops = w.at("ops");
    for (const char* op : {"set", "mset", "incr", "rmw", "script"})
      if (ops.value(op, 0.0) > 0) return true;
    return false;
  }
  return s.workload.read_fraction < 1;
}

}  // namespace

std::vector<PopClass> workload_classes(const Scenario& s) {
  const uint64_t n = s.workload.keys;
  const std::string& kind = s.workload.popularity;
  const nlohmann::json pop =
      s.workload.section.is_object() ? s.workload.section.at("popularity") : nlohmann::json::object();
  if (kind == "zipf") return zipf_classes(n, s.workload.zipf_alpha);
  if (kind == "uniform") return uniform_classes(n);
  if (kind == "hotspot") {
    const auto hot = static_cast<uint64_t>(static_cast<double>(n) * pop.at("hot_keys_fraction").get<double>());
    double ops = pop.at("hot_ops_fraction").get<double>();
    if (hot == 0) ops = 0;  // as the generator: an empty set sends its share to the other
    if (hot == n) ops = 1;
    std::vector<PopClass> out;
    if (hot > 0 && ops > 0) out.push_back({static_cast<double>(hot), ops / static_cast<double>(hot), 0});
    if (hot < n && ops < 1) out.push_back({static_cast<double>(n - hot), (1 - ops) / static_cast<double>(n - hot), 0});
    return out;
  }
  if (kind == "scrambled_zipfian") return scrambled_zipfian(n);
  if (kind == "latest") {
    if (stream_inserts(s))
      throw std::invalid_argument(
          "/workload/popularity/dist: latest with writes in the stream: every insert moves "
          "the hot set, so there is no steady-state popularity for the hit-ratio model; "
          "simulate it instead");
    const auto& l = pop.at("loaded_keys");
    const uint64_t loaded = std::min<uint64_t>(n, l.is_null() ? std::max<uint64_t>(1, n / 2) : l.get<uint64_t>());
    if (loaded <= 1) return {{1.0, 1.0, 1}};  // one key: key 0 is all there is
    std::vector<PopClass> out = zipf_classes(loaded - 1, ycsb::kZipfianConstant);
    for (auto& c : out)
      if (c.rank > 0) c.rank = loaded - c.rank + 1;  // rank r is key loaded - r (rank field: key number + 1)
    return out;
  }
  if (kind == "sequential")
    throw std::invalid_argument(
        "/workload/popularity/dist: sequential is a scan, not a popularity law: an LRU or "
        "FIFO cache smaller than the key space never hits and one that holds it always does; "
        "the Che estimate does not apply");
  throw std::invalid_argument("/workload/popularity/dist: " + kind + ": no popularity model for the estimate");
}

}  // namespace cachelab::analytic
