// Fuzz target: RESP replies. hiredis parses the protocol (its reader API, as live/client/node_connection.cpp feeds
// it); what is ours, and fuzzed here, is everything that handles a parsed reply: Reply (type, text, elements,
// describe), the CLUSTER SLOTS reader (SlotMap::load_cluster_slots), MOVED/ASK classification and INFO parsing.
// The input is fed in two pieces, as a socket would deliver it.
#include <hiredis.h>

#include <cstddef>
#include <cstdint>

#include "live/client/info.hpp"
#include "live/client/redirect.hpp"
#include "live/client/reply.hpp"
#include "live/client/slot_map.hpp"

namespace {

void walk(const cachelab::live::Reply& r, int depth) {
  using T = cachelab::live::Reply::Type;
  (void)r.describe();
  switch (r.type()) {
    case T::Error:
      (void)cachelab::live::classify_error(r.str(), cachelab::live::Endpoint{"127.0.0.1", 6379});
      break;
    case T::String:
    case T::Status:
      (void)cachelab::live::parse_node_snapshot(r.str());
      break;
    case T::Integer:
      (void)r.integer();
      break;
    case T::Array:
      if (depth < 8)
        for (size_t i = 0; i < r.size() && i < 64; ++i) walk(r.element(i), depth + 1);
      break;
    default:
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  redisReader* reader = redisReaderCreate();
  const size_t half = size / 2;
  const char* bytes = reinterpret_cast<const char*>(data);
  bool ok = redisReaderFeed(reader, bytes, half) == REDIS_OK &&
            redisReaderFeed(reader, bytes + half, size - half) == REDIS_OK;
  for (int n = 0; ok && n < 64; ++n) {
    void* raw = nullptr;
    if (redisReaderGetReply(reader, &raw) != REDIS_OK || raw == nullptr) break;
    const cachelab::live::Reply reply = cachelab::live::Reply::adopt(static_cast<redisReply*>(raw));
    walk(reply, 0);
    cachelab::live::SlotMap map;
    (void)map.load_cluster_slots(reply, cachelab::live::Endpoint{"127.0.0.1", 6379});
    (void)map.covered_slots();
    (void)map.known_nodes();
  }
  redisReaderFree(reader);
  return 0;
}
