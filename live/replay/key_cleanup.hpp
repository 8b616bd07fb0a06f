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

// Both look at the nodes that are masters *now* (ROLE): a failover during the run may have swapped roles, and a
// replica refuses UNLINK (its keys go with its master's). Every node must answer: one that cannot be reached
// may hold keys, so the call throws std::runtime_error naming it (as for an error reply).

// True when some master holds a key starting with `prefix`.
bool any_key_with_prefix(const std::vector<Endpoint>& nodes, const std::string& prefix, const std::string& password);

// Deletes every key starting with `prefix`; returns how many were deleted. UNLINK goes per hash slot, so a cluster
// never answers CROSSSLOT. The exception's message carries the count deleted before the failure.
uint64_t delete_keys_with_prefix(const std::vector<Endpoint>& nodes, const std::string& prefix,
                                 const std::string& password);

}  // namespace cachelab::live
