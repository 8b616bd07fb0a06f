#include "cachelab/core/md5.hpp"

#include <cmath>
#include <cstring>

namespace cachelab {

namespace {

// K[i] = floor(abs(sin(i + 1)) * 2^32) (RFC 1321 §3.4), computed rather than pasted; exact in double precision.
struct Tables {
  uint32_t k[64];
  Tables() {
    for (int i = 0; i < 64; ++i) k[i] = static_cast<uint32_t>(std::floor(std::fabs(std::sin(i + 1.0)) * 4294967296.0));
  }
};
const Tables kTables;

// Per-round shift amounts (RFC 1321 §3.4, rounds 1-4).
constexpr int kShift[4][4] = {{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};

inline uint32_t rotl(uint32_t x, int c) { return (x << c) | (x >> (32 - c)); }

void block(uint32_t st[4], const uint8_t* p) {
  uint32_t m[16];
  for (int i = 0; i < 16; ++i)  // words are little-endian (RFC 1321 §2)
    m[i] =
        uint32_t{p[i * 4]} | uint32_t{p[i * 4 + 1]} << 8 | uint32_t{p[i * 4 + 2]} << 16 | uint32_t{p[i * 4 + 3]} << 24;
  uint32_t a = st[0], b = st[1], c = st[2], d = st[3];
  for (int i = 0; i < 64; ++i) {
    uint32_t f;
    int g;
    const int round = i / 16;
    switch (round) {
      case 0:
        f = (b & c) | (~b & d);
        g = i;
        break;  // F
      case 1:
        f = (d & b) | (~d & c);
        g = (5 * i + 1) % 16;
        break;  // G
      case 2:
        f = b ^ c ^ d;
        g = (3 * i + 5) % 16;
        break;  // H
      default:
        f = c ^ (b | ~d);
        g = (7 * i) % 16;
        break;  // I
    }
    const uint32_t t = d;
    d = c;
    c = b;
    b = b + rotl(a + f + kTables.k[i] + m[g], kShift[round][i % 4]);
    a = t;
  }
  st[0] += a;
  st[1] += b;
  st[2] += c;
  st[3] += d;
}

}  // namespace

Md5Digest md5(std::string_view data) {
  uint32_t st[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};  // RFC 1321 §3.3
  const auto* p = reinterpret_cast<const uint8_t*>(data.data());
  size_t n = data.size();
  while (n >= 64) {
    block(st, p);
    p += 64;
    n -= 64;
  }
  // Padding: 0x80, zeros to 56 mod 64, then the message length in bits, 64-bit little-endian (§3.1, §3.2).
  uint8_t tail[128] = {};
  std::memcpy(tail, p, n);
  tail[n] = 0x80;
  const size_t tail_len = n < 56 ? 64 : 128;
  const uint64_t bits = static_cast<uint64_t>(data.size()) * 8;
  for (int i = 0; i < 8; ++i) tail[tail_len - 8 + i] = static_cast<uint8_t>(bits >> (8 * i));
  block(st, tail);
  if (tail_len == 128) block(st, tail + 64);
  Md5Digest out;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) out[static_cast<size_t>(i * 4 + j)] = static_cast<uint8_t>(st[i] >> (8 * j));
  return out;
}

std::string md5_hex(std::string_view data) {
  static const char* hex = "0123456789abcdef";
  const Md5Digest d = md5(data);
  std::string s(32, '0');
  for (size_t i = 0; i < 16; ++i) {
    s[2 * i] = hex[d[i] >> 4];
    s[2 * i + 1] = hex[d[i] & 15];
  }
  return s;
}

}  // namespace cachelab
