// The request stream: op mix, value sizes, key groups (hash tags), rate modulation, trace input, rmw pairs, and the
// purity of the stream (same section + seed = same requests). Statistical bounds: chi-square at 0.001 or >= 4.5 SE.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "cachelab/cluster/slots.hpp"
#include "cachelab/scenario/loader.hpp"
#include "cachelab/workload/generator.hpp"
#include "test_util.hpp"

using namespace cachelab;

namespace {

Scenario scenario(const std::string& workload, double duration_s = 10, const std::string& extra = "") {
  return load_scenario_text(R"({"cachelab": 1, "name": "w", "duration_s": )" + std::to_string(duration_s) +
                                R"(, "clients": {"instances": 8}, "workload": )" + workload + extra + "}",
                            "w.json");
}

std::vector<Request> stream(const Scenario& s, size_t limit = SIZE_MAX) {
  WorkloadGenerator g(s);
  std::vector<Request> out;
  Request r;
  while (out.size() < limit && g.next(r, Time::from_seconds(s.duration_s))) out.push_back(r);
  return out;
}

}  // namespace

TEST(OpMix, FractionsPassChiSquare) {
  const Scenario s = scenario(R"({"keys": 1000, "arrival": {"rate_per_s": 20000},
      "ops": {"get": 0.5, "set": 0.2, "del": 0.1, "incr": 0.1, "mget": 0.05, "mset": 0.05}})");
  const auto reqs = stream(s);
  ASSERT_GT(reqs.size(), 150000u);
  std::map<Op, double> counts;
  for (const auto& r : reqs) ++counts[r.op];
  const std::map<Op, double> share = {{Op::Read, 0.5}, {Op::Write, 0.2}, {Op::Del, 0.1},
                                      {Op::Incr, 0.1}, {Op::MGet, 0.05}, {Op::MSet, 0.05}};
  double chi2 = 0;
  for (const auto& [op, p] : share) {
    const double e = p * reqs.size();
    chi2 += (counts[op] - e) * (counts[op] - e) / e;
  }
  EXPECT_LT(chi2, 20.52);  // 5 degrees of freedom, 0.001
  for (const auto& r : reqs) {
    if (r.op == Op::MGet || r.op == Op::MSet) {
      EXPECT_EQ(r.key_count, 10);  // multi_key_count defaults to 10
      EXPECT_LE(r.key + r.key_count, 1000u);
    } else {
      EXPECT_EQ(r.key_count, 1);
    }
  }
  // The typed read share follows the mix.
  EXPECT_NEAR(s.workload.read_fraction, 0.55, 1e-12);
}

TEST(OpMix, RmwIsAReadThenAWriteOfTheSameKey) {
  const Scenario s = scenario(R"({"keys": 1000, "arrival": {"rate_per_s": 1000}, "ops": {"get": 0.5, "rmw": 0.5}})");
  const auto reqs = stream(s);
  size_t writes = 0;
  for (size_t i = 0; i < reqs.size(); ++i) {
    EXPECT_EQ(reqs[i].seq, i);
    if (reqs[i].op != Op::Write) continue;
    ++writes;
    ASSERT_GT(i, 0u);
    EXPECT_EQ(reqs[i - 1].op, Op::Read);
    EXPECT_EQ(reqs[i - 1].key, reqs[i].key);
    EXPECT_EQ(reqs[i - 1].client, reqs[i].client);
    EXPECT_EQ(reqs[i - 1].due, reqs[i].due);
  }
  // One draw in two is an rmw: writes are a third of the requests.
  const double n = static_cast<double>(reqs.size());
  EXPECT_NEAR(writes / n, 1.0 / 3, 4.5 * std::sqrt(2.0 / 9 / (n * 2 / 3)));
}

TEST(ValueSizes, WeightedListFollowsItsWeights) {
  const Scenario s = scenario(R"({"keys": 200000, "arrival": {"rate_per_s": 1000},
      "value_bytes": {"dist": "weighted", "values": [{"value": 100, "weight": 7}, {"value": 1000, "weight": 3}]}})");
  WorkloadGenerator g(s);
  int small = 0;
  const int n = 200000;
  for (uint64_t k = 0; k < static_cast<uint64_t>(n); ++k) {
    const uint32_t v = g.value_bytes(k);
    ASSERT_TRUE(v == 100 || v == 1000) << v;
    small += v == 100;
    EXPECT_EQ(v, g.value_bytes(k)) << "a key's size is a pure function of (seed, key)";
  }
  EXPECT_NEAR(small / double(n), 0.7, 4.5 * std::sqrt(0.21 / n));
}

TEST(KeyGroups, GroupKeysShareOneSlotAndNamesCarryTheTag) {
  const Scenario s = scenario(R"({"keys": 40000, "key_prefix": "user:", "arrival": {"rate_per_s": 5000},
      "key_groups": {"size": 4, "fields": "profile,cart,orders,session", "fraction": 0.3},
      "multi_key_count": {"min": 1, "max": 4}, "ops": {"get": 0.6, "set": 0.2, "mget": 0.1, "mset": 0.1}})");
  WorkloadGenerator g(s);
  const KeyNamer& n = g.namer();
  EXPECT_EQ(n.name(0), "{user:0}:profile");
  EXPECT_EQ(n.name(5), "{user:1}:cart");
  EXPECT_EQ(n.name(39999), "{user:9999}:session");
  for (uint64_t k = 0; k < 40000; ++k) {
    const std::string name = n.name(k);
    ASSERT_EQ(n.length(k), name.size());
    ASSERT_EQ(n.slot(k), key_hash_slot(name));  // KeyNamer::slot agrees with the name
    ASSERT_EQ(n.slot(k), n.slot(n.group_first(k))) << name;
  }
  // Without field names, fields are numbered.
  EXPECT_EQ(KeyNamer("t", 3).name(7), "{t2}:1");
  // Multi-key requests stay inside one group; about 30% of get/set become whole-group requests.
  const auto reqs = stream(s);
  size_t whole = 0, single = 0;
  for (const auto& r : reqs) {
    if (r.op == Op::MGet || r.op == Op::MSet) {
      ASSERT_EQ(n.group_first(r.key), n.group_first(r.key + r.key_count - 1)) << r.key << "+" << int(r.key_count);
      for (int i = 1; i < r.key_count; ++i) ASSERT_EQ(n.slot(r.key + i), n.slot(r.key));
    }
    if (r.key_count == 4 && r.key % 4 == 0) ++whole;
    if (r.op == Op::Read || r.op == Op::Write) ++single;
  }
  // get+set (0.8 of draws) become whole groups with p = 0.3: 0.24 of requests, plus mget/mset of 4 at group start.
  EXPECT_NEAR(single / double(reqs.size()), 0.8 * 0.7, 4.5 * std::sqrt(0.56 * 0.44 / reqs.size()));
  EXPECT_GT(whole, reqs.size() * 0.24 * 0.9);
}

TEST(RateShape, DiurnalAndFlashSpikeCountsFollowTheExactRate) {
  const Scenario s = scenario(R"({"keys": 100, "arrival": {"rate_per_s": 2000,
      "diurnal": {"amplitude": 0.6, "period_s": 20, "peak_at_s": 5},
      "spikes": [{"at_s": 12, "multiplier": 4, "rise_s": 0.5, "hold_s": 1, "decay_s": 1.5}]}})",
                              40);
  // The exact rate (the product, no interpolation), integrated per second with Simpson's rule.
  auto exact_integral = [&](double a, double b) {
    const int n = 400;
    const double h = (b - a) / n;
    double sum = RateShape::exact_rate(s.workload, a) + RateShape::exact_rate(s.workload, b);
    for (int i = 1; i < n; ++i) sum += (i % 2 ? 4 : 2) * RateShape::exact_rate(s.workload, a + i * h);
    return sum * h / 3;
  };
  const RateShape shape = RateShape::modulated(s.workload, 40);
  std::vector<int> counts(40, 0);
  for (const auto& r : stream(s)) ++counts[static_cast<size_t>(r.due.seconds())];
  double total = 0, expected_total = 0;
  for (int w = 0; w < 40; ++w) {
    const double mean = exact_integral(w, w + 1);
    EXPECT_NEAR(shape.integral(w, w + 1), mean, 2e-4 * mean) << "sampled shape vs exact rate, window " << w;
    EXPECT_NEAR(counts[w], mean, 5 * std::sqrt(mean)) << "window " << w;
    total += counts[w];
    expected_total += mean;
  }
  EXPECT_NEAR(total, expected_total, 4 * std::sqrt(expected_total));
  // The spike's top: 4 x the diurnal rate at t = 13.
  EXPECT_NEAR(RateShape::exact_rate(s.workload, 13), 4 * 2000 * (1 + 0.6 * std::cos(2 * M_PI * 8 / 20)), 1e-9);
}

TEST(TraceInput, ReproducesTheTraceKeysSizesAndTimes) {
  const auto dir = test::temp_dir("wl-trace");
  test::write_file(dir / "t.csv",
                   "time,key,size\n100,alpha,10\n100,beta,20\n101,alpha,10\n103,gamma,30\n103,beta,20\n");
  const Scenario s = scenario(R"({"keys": 10, "arrival": {"rate_per_s": 1}, "read_fraction": 1,
      "trace": {"path": ")" + (dir / "t.csv").string() +
                              R"(", "format": "csv", "speedup": 2}})");
  const auto reqs = stream(s);
  ASSERT_EQ(reqs.size(), 5u);
  const uint64_t keys[] = {0, 1, 0, 2, 1};  // dense ids in order of first appearance
  const uint32_t sizes[] = {10, 20, 10, 30, 20};
  const double due[] = {0.25 / 2, 0.75 / 2, 1.5 / 2, 3.25 / 2, 3.75 / 2};  // spread within each second, 2x faster
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(reqs[i].key, keys[i]) << i;
    EXPECT_EQ(reqs[i].value_bytes, sizes[i]) << i;
    EXPECT_NEAR(reqs[i].due.seconds(), due[i], 1e-9) << i;
    EXPECT_EQ(reqs[i].op, Op::Read);
  }
  std::filesystem::remove_all(dir);
}

TEST(Stream, PureFunctionOfSectionAndSeed) {
  const std::string w = R"({"keys": 5000, "arrival": {"rate_per_s": 5000}, "popularity": {"dist": "hotspot"},
      "value_bytes": {"dist": "lognormal", "median": 100, "p99": 1000}, "ttl_s": {"dist": "uniform", "min": 1, "max": 9},
      "ops": {"get": 0.7, "set": 0.1, "mget": 0.1, "rmw": 0.1}, "multi_key_count": {"min": 2, "max": 20}})";
  auto same = [](const std::vector<Request>& a, const std::vector<Request>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (a[i].seq != b[i].seq || a[i].due != b[i].due || a[i].key != b[i].key || a[i].op != b[i].op ||
          a[i].key_count != b[i].key_count || a[i].client != b[i].client || a[i].value_bytes != b[i].value_bytes ||
          a[i].ttl_ms != b[i].ttl_ms)
        return false;
    return true;
  };
  const auto a = stream(scenario(w)), b = stream(scenario(w));
  EXPECT_TRUE(same(a, b));
  // Other sections do not change it (origin, cluster), another seed does.
  EXPECT_TRUE(same(a, stream(scenario(w, 10, R"(, "origin": {"servers": 3}, "cluster": {"masters": 5})"))));
  EXPECT_FALSE(same(a, stream(scenario(w, 10, R"(, "seed": 99)"))));
}

TEST(Stream, DefaultPathDrawOrderIsUnchanged) {
  // Zipf + read_fraction + fixed size: op, key, client, TTL from "workload" in that order (generator.hpp). Replaying
  // the draws by hand must give the same requests, so existing scenarios keep their streams.
  const Scenario s = scenario(R"({"keys": 1000, "read_fraction": 0.8, "arrival": {"rate_per_s": 100},
      "ttl_s": {"dist": "uniform", "min": 1, "max": 2}})");
  const auto reqs = stream(s, 200);
  Rng rng = Rng::stream(s.seed, "workload");
  ZipfSampler z(1000, 0.99);
  for (const auto& r : reqs) {
    const Op op = rng.chance(0.8) ? Op::Read : Op::Write;
    const uint64_t key = z.sample(rng) - 1;
    const auto client = static_cast<uint16_t>(rng.below(8));
    const int64_t ttl = std::max<int64_t>(1, std::llround((1 + rng.uniform01()) * 1000.0));
    ASSERT_EQ(r.op, op);
    ASSERT_EQ(r.key, key);
    ASSERT_EQ(r.client, client);
    ASSERT_EQ(r.ttl_ms, ttl);
  }
}
