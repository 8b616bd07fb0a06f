#pragma once
// MD5 (RFC 1321), our own compact implementation: ketama consistent hashing (client/sharding.hpp) is defined on MD5
// digests, and the kernel depends on no crypto library. Not for security: only for placing keys and servers on a ring.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cachelab {

using Md5Digest = std::array<uint8_t, 16>;

// The 16-byte digest of `data` (RFC 1321 §3: padding, length in bits little-endian, 64 steps per block).
Md5Digest md5(std::string_view data);
// Lower-case hexadecimal, as md5sum prints it (RFC 1321 §A.5 test suite).
std::string md5_hex(std::string_view data);

}  // namespace cachelab
