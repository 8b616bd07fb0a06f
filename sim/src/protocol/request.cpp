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

static size_t put_decimal(uint64_t v, char* out) {
  char digits[24];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v);
  for (int i = 0; i < n; ++i) out[i] = digits[n - 1 - i];
  return static_cast<size_t>(n);
}

// Compares instead of dividing: every command's arrival asks for its key's length (memory accounting).
static size_t decimal_length(uint64_t v) {
  static constexpr uint64_t kPow10[20] = {1ull,
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
  size_t n = 1;
  while (n < 20 && v >= kPow10[n]) ++n;
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
