// Slot computation throughput (issue 3: `cachelab keyslot -` must do >= 20M keys/s of ~20 bytes on one core).
// BM_KeyHashSlot: key_hash_slot alone over 1M pre-built keys; BM_Crc16: the CRC over 20 bytes.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "cachelab/cluster/slots.hpp"

namespace {

std::vector<std::string> make_keys() {
  std::vector<std::string> keys;
  keys.reserve(1 << 20);
  for (int i = 0; i < (1 << 20); ++i) {
    // ~20 bytes; one key in ten carries a hash tag, as `cachelab keyslot -` inputs often do.
    keys.push_back(i % 10 ? "user:" + std::to_string(10000000 + i) + ":sess" + std::to_string(i % 1000)
                          : "{user:" + std::to_string(i) + "}:cart:" + std::to_string(i % 9999));
  }
  return keys;
}

void BM_KeyHashSlot(benchmark::State& state) {
  static const std::vector<std::string> keys = make_keys();
  size_t i = 0;
  uint64_t sum = 0;
  for (auto _ : state) {
    sum += static_cast<uint64_t>(cachelab::key_hash_slot(keys[i]));
    i = (i + 1) & (keys.size() - 1);
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_KeyHashSlot);

void BM_Crc16(benchmark::State& state) {
  const std::string key = "user:12345678:sess42";
  for (auto _ : state) {
    benchmark::DoNotOptimize(key.data());
    benchmark::DoNotOptimize(cachelab::crc16(key.data(), key.size()));
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(key.size()));
}
BENCHMARK(BM_Crc16);

}  // namespace
