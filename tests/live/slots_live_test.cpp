// Our hash slots against a real Redis (issue 3): CLUSTER KEYSLOT for 10,000 generated keys, and the slot ranges
// redis-cli --cluster create gives a 3-master cluster against redis_cli_slot_ranges (docs/redis-reference.md §1.2,
// §1.4). The cluster is spawned by the test on free loopback ports.
#include <algorithm>
#include <set>

#include "cachelab/cluster/slots.hpp"
#include "lab_helpers.hpp"
#include "live/client/control_connection.hpp"

namespace cachelab::live {
namespace {

using namespace cachelab::live::testing;

// Keys that exercise every branch of keyHashSlot (cluster.c:939): plain, tagged, empty tag then a tag, nested
// braces, unclosed braces, braces at the ends, and binary bytes (NUL, 0x80-0xFF, CR/LF) inside and around tags.
std::vector<std::string> generated_keys(int n) {
  std::vector<std::string> keys;
  uint64_t x = 0x243F6A8885A308D3ull;
  auto next = [&x] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  const std::vector<std::string> shapes = {"K",   "{T}K", "K{T}",   "K{T}K", "{}K", "K{}{T}", "{{T}}K", "K{{T}",
                                           "K{T", "K}T{", "{T}{U}", "{",     "}",   "{}",     "K{T}}",  "{T{U}}"};
  for (int i = 0; i < n; ++i) {
    auto part = [&] {
      std::string s;
      const size_t len = next() % 12;
      const bool binary = next() % 4 == 0;
      for (size_t j = 0; j < len; ++j)
        s.push_back(binary ? static_cast<char>(next() & 0xFF) : static_cast<char>("abcxyz:_-0123456789"[next() % 19]));
      return s;
    };
    const std::string& shape = shapes[static_cast<size_t>(i) % shapes.size()];
    std::string key;
    for (char c : shape) {
      if (c == 'K')
        key += "user:" + part();
      else if (c == 'T')
        key += part();
      else if (c == 'U')
        key += part();
      else
        key.push_back(c);
    }
    keys.push_back(std::move(key));
  }
  return keys;
}

TEST(SlotsLive, KeyslotOf10000GeneratedKeysAndCreateSlotRangesMatchRealRedis) {
  CACHELAB_REQUIRE_REDIS();
  Lab lab(cluster_config(3, 0));
  lab.start();
  const Endpoint ep = lab.nodes().front().endpoint;

  ControlConnection c(ep, 2000);
  const auto keys = generated_keys(10000);
  std::set<int> distinct;
  int binary = 0;
  for (const auto& key : keys) {
    const int server = static_cast<int>(c.command({"CLUSTER", "KEYSLOT", key}).integer());
    ASSERT_EQ(::cachelab::key_hash_slot(key), server) << "key of " << key.size() << " bytes";
    distinct.insert(server);
    binary += key.find('\0') != std::string::npos;
  }
  // Keys holding a NUL byte (about 0.8 % of them: a quarter of the parts are binary, ~5 bytes each, 1/256 per
  // byte): they went through intact, binary-safe both ways.
  EXPECT_GT(binary, 40);
  EXPECT_GT(distinct.size(), 4000u);  // the keys spread over the slot space

  // CLUSTER SLOTS: [[first, last, [ip, port, id], ...], ...]; the cluster was made by redis-cli --cluster create.
  const Reply slots = c.command({"CLUSTER", "SLOTS"});
  std::vector<std::pair<int, int>> ranges;
  for (size_t i = 0; i < slots.size(); ++i)
    ranges.emplace_back(static_cast<int>(slots.element(i).element(0).integer()),
                        static_cast<int>(slots.element(i).element(1).integer()));
  std::sort(ranges.begin(), ranges.end());
  EXPECT_EQ(ranges, ::cachelab::redis_cli_slot_ranges(3));
}

}  // namespace
}  // namespace cachelab::live
