#include "cachelab/cluster/slots.hpp"

#include <array>
#include <cmath>

namespace cachelab {

namespace {
// The table for polynomial 0x1021, built at compile time rather than pasted.
constexpr std::array<uint16_t, 256> make_table() {
  std::array<uint16_t, 256> t{};
  for (int i = 0; i < 256; ++i) {
    uint16_t crc = static_cast<uint16_t>(i << 8);
    for (int b = 0; b < 8; ++b) crc = static_cast<uint16_t>((crc & 0x8000) ? (crc << 1) ^ 0x1021 : (crc << 1));
    t[i] = crc;
  }
  return t;
}
constexpr std::array<uint16_t, 256> kTable = make_table();
}  // namespace

uint16_t crc16(const char* buf, size_t len) {
  uint16_t crc = 0;
  for (size_t i = 0; i < len; ++i)
    crc = static_cast<uint16_t>((crc << 8) ^ kTable[((crc >> 8) ^ static_cast<uint8_t>(buf[i])) & 0xFF]);
  return crc;
}

int key_hash_slot(std::string_view key) {
  const size_t keylen = key.size();
  size_t s = 0;
  for (; s < keylen; ++s)
    if (key[s] == '{') break;
  if (s == keylen) return crc16(key.data(), keylen) & 0x3FFF;
  size_t e = s + 1;
  for (; e < keylen; ++e)
    if (key[e] == '}') break;
  if (e == keylen || e == s + 1) return crc16(key.data(), keylen) & 0x3FFF;
  return crc16(key.data() + s + 1, e - s - 1) & 0x3FFF;
}

std::vector<std::pair<int, int>> redis_cli_slot_ranges(int masters) {
  // redis-cli.c:6205-6223 computes in C float; doing the same in float reproduces its boundaries.
  std::vector<std::pair<int, int>> out;
  const float slots_per_node = static_cast<float>(kClusterSlots) / static_cast<float>(masters);
  long first = 0;
  float cursor = 0.0f;
  for (int i = 0; i < masters; ++i) {
    long last = std::lround(cursor + slots_per_node - 1);
    if (last > kClusterSlots || i == masters - 1) last = kClusterSlots - 1;
    if (last < first) last = first;
    out.emplace_back(static_cast<int>(first), static_cast<int>(last));
    first = last + 1;
    cursor += slots_per_node;
  }
  return out;
}

}  // namespace cachelab
