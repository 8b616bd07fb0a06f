// The node's sizing of a command's arguments (docs/redis-reference.md §7.8.2) against memory::command_args_bytes
// with the arguments spelled out as the live client sends them.
#include <gtest/gtest.h>

#include "cachelab/cache/memory_model.hpp"
#include "cachelab/cluster/command_args.hpp"

using namespace cachelab;

namespace {
CacheCommand command_args_test_cmd(CacheCmd cmd, uint32_t value_bytes = 0, int64_t ttl_ms = -1, bool nx = false,
                                   uint8_t keys = 1) {
  CacheCommand c;
  c.cmd = cmd;
  c.value_bytes = value_bytes;
  c.ttl_ms = ttl_ms;
  c.nx = nx;
  c.key_count = keys;
  return c;
}
}  // namespace

TEST(NodeCommandArgs, AsTheArgumentsTheClientSends) {
  for (uint32_t k : {10u, 16u, 40u, 45u, 300u}) {
    EXPECT_EQ(node_command_args_bytes(command_args_test_cmd(CacheCmd::Get), k), memory::command_args_bytes({3u, k}));
    EXPECT_EQ(node_command_args_bytes(command_args_test_cmd(CacheCmd::Incr), k), memory::command_args_bytes({4u, k}));
    for (uint32_t v : {1u, 44u, 45u, 512u, 16384u}) {
      EXPECT_EQ(node_command_args_bytes(command_args_test_cmd(CacheCmd::Set, v), k),
                memory::command_args_bytes({3u, k, v}));
      // SET key value PX 300000 (6 digits), NX; a TTL of 13 digits.
      EXPECT_EQ(node_command_args_bytes(command_args_test_cmd(CacheCmd::Set, v, 300000), k),
                memory::command_args_bytes({3u, k, v, 2u, 6u}));
      EXPECT_EQ(node_command_args_bytes(command_args_test_cmd(CacheCmd::Set, v, 300000, true), k),
                memory::command_args_bytes({3u, k, v, 2u, 6u, 2u}));
      EXPECT_EQ(node_command_args_bytes(command_args_test_cmd(CacheCmd::Set, v, -1, true), k),
                memory::command_args_bytes({3u, k, v, 2u}));
      EXPECT_EQ(node_command_args_bytes(command_args_test_cmd(CacheCmd::Set, v, 1'000'000'000'000), k),
                memory::command_args_bytes({3u, k, v, 2u, 13u}));
      EXPECT_EQ(node_command_args_bytes(command_args_test_cmd(CacheCmd::MSet, v, -1, false, 2), k),
                memory::command_args_bytes({4u, k, v, k, v}));
    }
    EXPECT_EQ(node_command_args_bytes(command_args_test_cmd(CacheCmd::MGet, 0, -1, false, 3), k),
              memory::command_args_bytes({4u, k, k, k}));
    EXPECT_EQ(node_command_args_bytes(command_args_test_cmd(CacheCmd::Del, 0, -1, false, 2), k),
              memory::command_args_bytes({3u, k, k}));
  }
}
