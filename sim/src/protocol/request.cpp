#include "cachelab/protocol/request.hpp"

#include <cstring>
#include <stdexcept>
#include <string_view>

#include "cachelab/protocol/slot_hash.hpp"

namespace cachelab {

const char* op_name(Op op) {
  switch (op) {
    case Op::Read:
      return "get";
    case Op::Write:
      return "set";
    case Op::Del:
      return "del";
    case Op::Incr:
      return "incr";
    case Op::MGet:
      return "mget";
    case Op::MSet:
      return "mset";
    case Op::Keys:
      return "keys";
    case Op::Scan:
      return "scan";
    case Op::Script:
      return "script";
  }
  return "?";
}

KeyNamer::KeyNamer(std::string prefix, uint32_t group_size, std::vector<std::string> fields)
    : prefixes_{std::move(prefix)}, group_(group_size), fields_(std::move(fields)) {}

uint8_t KeyNamer::add_form(const std::string& prefix) {
  for (size_t i = 0; i < prefixes_.size(); ++i)
    if (prefixes_[i] == prefix) return static_cast<uint8_t>(i);
  if (prefixes_.size() >= kMaxNameForms || prefix.size() > 64)
    throw std::invalid_argument("KeyNamer::add_form: at most 128 prefixes of at most 64 bytes");
  prefixes_.push_back(prefix);
  return static_cast<uint8_t>(prefixes_.size() - 1);
}

// Compares instead of dividing: every command's arrival asks for its key's length (memory accounting). The bit
// width gives the digit count to within one (1233 / 4096 ~ log10 2); one comparison settles it.
constexpr uint64_t request_pow10[20] = {1ull,
                                        10ull,
                                        100ull,
                                        1000ull,
                                        10000ull,
                                        100000ull,
                                        1000000ull,
                                        10000000ull,
                                        100000000ull,
                                        1000000000ull,
                                        10000000000ull,
                                        100000000000ull,
                                        1000000000000ull,
                                        10000000000000ull,
                                        100000000000000ull,
                                        1000000000000000ull,
                                        10000000000000000ull,
                                        100000000000000000ull,
                                        1000000000000000000ull,
                                        10000000000000000000ull};
static size_t decimal_length(uint64_t v) {
  const unsigned bits = 64 - static_cast<unsigned>(__builtin_clzll(v | 1));
  const unsigned t = (bits * 1233) >> 12;               // <= 19
  return t + 1 - ((v | 1) < request_pow10[t] ? 1 : 0);  // v | 1: 0 has one digit, and no other count moves
}

// Two digits per division, written from the end (the length known first).
static size_t put_decimal(uint64_t v, char* out) {
  static constexpr char kPairs[] =
      "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
      "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
      "8081828384858687888990919293949596979899";
  const size_t n = decimal_length(v);
  char* p = out + n;
  while (v >= 100) {
    const size_t k = static_cast<size_t>(v % 100) * 2;
    v /= 100;
    *--p = kPairs[k + 1];
    *--p = kPairs[k];
  }
  if (v >= 10) {
    *--p = kPairs[v * 2 + 1];
    *--p = kPairs[v * 2];
  } else {
    *--p = static_cast<char>('0' + v);
  }
  return n;
}

size_t KeyNamer::format(uint64_t key, char* buf) const {
  const std::string& prefix = prefix_of(key);
  key &= ~kNameFormMask;
  if (group_ == 0) {
    std::memcpy(buf, prefix.data(), prefix.size());
    return prefix.size() + put_decimal(key, buf + prefix.size());
  }
  // "{<prefix><group>}:<field>": the tag is the first {...}, so every field of a group hashes alike
  // (docs/redis-reference.md §1).
  size_t n = 0;
  buf[n++] = '{';
  std::memcpy(buf + n, prefix.data(), prefix.size());
  n += prefix.size();
  n += put_decimal(key / group_, buf + n);
  buf[n++] = '}';
  buf[n++] = ':';
  const uint64_t field = key % group_;
  if (field < fields_.size()) {
    std::memcpy(buf + n, fields_[field].data(), fields_[field].size());
    return n + fields_[field].size();
  }
  return n + put_decimal(field, buf + n);
}

size_t KeyNamer::length(uint64_t key) const {
  const std::string& prefix = prefix_of(key);
  key &= ~kNameFormMask;
  if (group_ == 0) return prefix.size() + decimal_length(key);
  const uint64_t field = key % group_;
  return 3 + prefix.size() + decimal_length(key / group_) +
         (field < fields_.size() ? fields_[field].size() : decimal_length(field));
}

std::string KeyNamer::name(uint64_t key) const {
  char buf[128];
  return std::string(buf, format(key, buf));
}

int KeyNamer::slot(uint64_t key) const {
  char buf[128];
  return key_hash_slot(std::string_view(buf, format(key, buf)));
}

}  // namespace cachelab
