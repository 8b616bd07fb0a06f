#pragma once
// The keys of a run on a user's servers (--redis): all of them, and nothing else, start with the run's prefix.
// Before the run, a prefix already in use is refused (so the clean-up can never take a key the user wrote); after
// it, the run's keys are deleted (SCAN MATCH prefix*, UNLINK) unless --keep-keys.
#include <cstdint>
#include <string>
#include <vector>

#include "live/client/endpoint.hpp"

namespace cachelab::live {

// The SCAN MATCH pattern for "starts with `prefix`": glob characters in it escaped.
std::string prefix_match_pattern(const std::string& prefix);

// True when some node holds a key starting with `prefix`. Throws std::runtime_error on an error reply.
bool any_key_with_prefix(const std::vector<Endpoint>& masters, const std::string& prefix, const std::string& password);

// Deletes every key starting with `prefix` on the given masters (replicas follow their master); returns how many
// were deleted. UNLINK goes per hash slot, so a cluster never answers CROSSSLOT. Throws std::runtime_error (with
// the count so far) on an error reply or a lost connection.
uint64_t delete_keys_with_prefix(const std::vector<Endpoint>& masters, const std::string& prefix,
                                 const std::string& password);

}  // namespace cachelab::live
