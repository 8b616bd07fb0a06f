#pragma once
// What the application asks of the cache: a request (workload/generator.hpp draws them; the client logic serves
// them) and how a key number becomes the key's name.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cachelab/core/time.hpp"

namespace cachelab {

// Read = GET (cache-aside read), Write = SET (an update of the value in the origin, then the cache), Del = delete
// from the origin and the cache, Incr = INCR on the cache (a counter living only in the cache), MGet / MSet = the
// multi-key forms over keys key, key+1, ..., key+key_count-1 (docs/redis-reference.md §1: same slot only with tags).
// Keys = KEYS * and Scan = SCAN 0 COUNT c (value_bytes carries c) on the node that owns `key`'s slot (the key only
// picks the node: neither command is keyed); their node time grows with the keys they walk (cluster.keys_ns_per_key,
// scan_ns_per_key). Script = a server-side script (docs/redis-reference.md §11) of value_bytes redis.call INCR over
// the keys key .. key+key_count-1 in turn: one EVALSHA, or as many round trips (clients.script_mode).
enum class Op : uint8_t { Read, Write, Del, Incr, MGet, MSet, Keys, Scan, Script };
const char* op_name(Op op);  // "get", "set", "del", "incr", "mget", "mset", "keys", "scan", "script"

struct Request {
  uint64_t seq = 0;  // 0, 1, 2, ... in arrival order
  Time due;          // when the application issues it (open loop)
  uint64_t key = 0;  // key number; its name is KeyNamer::format(key)
  Op op = Op::Read;
  uint8_t key_count = 1;  // MGet / MSet / Script: how many consecutive key numbers, from `key`
  uint16_t client = 0;    // client instance
  uint32_t value_bytes = 0;
  int64_t ttl_ms = -1;    // TTL to set if this request writes the cache; -1 = none
  uint32_t session = 0;   // closed loop: the session that issued it (it issues its next one when this completes)
  uint16_t stream = 0;    // which stream drew it: 0 the main workload, i + 1 the workload.streams item i
  uint8_t name_form = 0;  // how the stream names its keys: KeyNamer's form (0 = the main workload's key_prefix)
};

// A cache key: the key number (the origin's object) with its name form in bits 56-62 (bit 63 is the lock key's,
// protocol/backend.hpp). Two forms of one key number are two cache keys of one object: the inconsistent key naming
// pitfall (workload.streams[].key_prefix). The origin and the database's versions see the key number only.
inline constexpr int kNameFormShift = 56;
inline constexpr uint64_t kNameFormMask = uint64_t{0x7F} << kNameFormShift;
inline constexpr uint32_t kMaxNameForms = 128;
inline constexpr uint64_t cache_key(const Request& r) { return r.key | (uint64_t{r.name_form} << kNameFormShift); }

// Key numbers become names the way the application would write them: prefix + decimal number. With key groups of
// size g, key k is field k mod g of group k / g and is named "{<prefix><group>}:<field>" (field names from the
// scenario, else the field's index), so a group's keys share a hash tag and therefore a slot (ref. §1).
// A cache key (cache_key) with name form f > 0 uses the f-th prefix added with add_form instead of `prefix`.
class KeyNamer {
 public:
  explicit KeyNamer(std::string prefix, uint32_t group_size = 0, std::vector<std::string> fields = {});
  // The name form of `prefix`: 0 for the namer's own prefix, else the form of an earlier add_form with this prefix,
  // else a new one. REQUIRES: prefix at most 64 bytes; fewer than kMaxNameForms distinct prefixes.
  uint8_t add_form(const std::string& prefix);
  size_t forms() const { return prefixes_.size(); }
  // Writes the name into buf (at least 96 + the longest field name bytes) and returns its length. No allocation.
  size_t format(uint64_t key, char* buf) const;
  size_t length(uint64_t key) const;
  std::string name(uint64_t key) const;
  // The hash slot of key's name (protocol/slot_hash.hpp).
  int slot(uint64_t key) const;
  uint32_t group_size() const { return group_; }  // 0 = no groups
  uint64_t group_first(uint64_t key) const { return group_ ? key - key % group_ : key; }

 private:
  const std::string& prefix_of(uint64_t key) const {
    return prefixes_[static_cast<size_t>((key & kNameFormMask) >> kNameFormShift)];
  }
  std::vector<std::string> prefixes_;  // [0] the namer's prefix, then add_form's
  uint32_t group_ = 0;
  std::vector<std::string> fields_;
};

}  // namespace cachelab
