#pragma once
// Key names on a user's servers (--redis): every key of a run carries the run's prefix, and must still hash to
// the slot the simulator computed for its bare name (docs/redis-reference.md §1: the hash tag is the text between the
// first '{' and the first '}' after it, when not empty).
//   - a name without a tag becomes  prefix{name}          (the tag is the whole name: same slot)
//   - a name with a tag   becomes  prefix name           (the prefix has no braces, so the name's own tag is still
//                                                         the first one: same slot)
// Lock keys (the client's SET NX leases) follow the same rule with ":lock" after the name. (A name with a '}'
// but no tag of its own, "{}x", cannot keep its slot under any prefix; the simulator's names never look so.)
#include <string>
#include <string_view>

namespace cachelab::live {

// True when Redis would hash only a part of `key` (a non-empty {...} tag).
bool has_hash_tag(std::string_view key);

// `prefix` + `name` (+ ":lock") as above, appended to `out`. An empty prefix keeps the bare name (spawned labs);
// its lock is name:lock for a tagged name and {name}:lock otherwise.
void append_prefixed_key(std::string& out, std::string_view prefix, std::string_view name, bool lock);

// Why `prefix` cannot be a key prefix, or "" when it can: braces would become (or break) a hash tag.
std::string key_prefix_problem(std::string_view prefix);

}  // namespace cachelab::live
