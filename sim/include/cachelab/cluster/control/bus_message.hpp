#pragma once
// Cluster bus message kinds and their sizes on the wire (docs/redis-reference.md §3.4, §3.5).
#include <cstdint>

namespace cachelab::control {

// clusterMsg.type values (cluster.h), the ones the control plane sends.
enum class MsgType : uint8_t {
  kPing = 0,
  kPong = 1,
  kMeet = 2,
  kFail = 3,
  kAuthRequest = 5,
  kAuthAck = 6,
  kUpdate = 7,
  kMfStart = 8,
};
constexpr int kMsgTypes = 9;

constexpr int64_t kHeaderBytes = 2256;                          // offsetof(clusterMsg, data), cluster.h:371
constexpr int64_t kGossipEntryBytes = 104;                      // sizeof(clusterMsgDataGossip), cluster.h:223-233
constexpr int64_t kFailBytes = kHeaderBytes + 40;               // + nodename
constexpr int64_t kUpdateBytes = kHeaderBytes + 8 + 40 + 2048;  // + configEpoch, nodename, slot bitmap

// Bytes of one message; gossip entries count for PING, PONG and MEET only (§3.4 totlen).
constexpr int64_t message_bytes(MsgType t, int gossip_entries) {
  switch (t) {
    case MsgType::kPing:
    case MsgType::kPong:
    case MsgType::kMeet:
      return kHeaderBytes + kGossipEntryBytes * gossip_entries;
    case MsgType::kFail:
      return kFailBytes;
    case MsgType::kUpdate:
      return kUpdateBytes;
    default:
      return kHeaderBytes;  // AUTH_REQUEST, AUTH_ACK, MFSTART
  }
}

// Gossip entries picked at random in a PING/PONG (§3.4, cluster.c:2965): floor(known/10), at least 3, at most
// known - 2 (myself and the receiver are never gossiped). `known` counts myself. PFAIL nodes are added on top.
constexpr int gossip_wanted(int known_nodes) {
  int wanted = known_nodes / 10;
  if (wanted < 3) wanted = 3;
  const int fresh = known_nodes - 2;
  if (wanted > fresh) wanted = fresh;
  return wanted < 0 ? 0 : wanted;
}

const char* msg_type_name(MsgType t);

}  // namespace cachelab::control
