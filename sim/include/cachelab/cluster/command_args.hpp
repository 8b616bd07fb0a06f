#pragma once
// A command's arguments while performEvictions runs before it (docs/redis-reference.md §7.8.2), as the live client
// sends it (GET key; SET key value [PX ms] [NX]; MGET / DEL keys; MSET key value ...; INCR key; HGETALL key): the argv
// array and one string object per argument, memory::command_args_bytes without its loop. An HSET of a hash object's
// fields and EVAL are not itemised (0). Run before every command on a node with maxmemory (Node::execute), so kept
// to a few instructions for GET and SET.
#include <cstdint>

#include "cachelab/protocol/backend.hpp"

namespace cachelab {

uint64_t node_command_args_bytes(const CacheCommand& c, uint32_t key_len);

}  // namespace cachelab
