// Whether a fault needs the cluster control plane, and whether it acts on the client side, is declared by the
// fault's own file (FaultKind), not kept as a list of names elsewhere.
#include <gtest/gtest.h>

#include "cachelab/faults/fault.hpp"

namespace cachelab {
namespace {

TEST(FaultDeclarations, DataPlaneActionsRunWithoutTheControlPlane) {
  // Slot moves and a slow node change nothing that failure detection reacts to (sim/README.md "faults").
  for (const char* a : {"reshard", "add_node", "remove_node", "slow_node"})
    EXPECT_FALSE(fault_needs_control_plane(a)) << a;
  // Process and network faults are what the control plane detects.
  for (const char* a : {"kill", "restart", "pause", "resume", "partition", "heal", "failover", "link"})
    EXPECT_TRUE(fault_needs_control_plane(a)) << a;
  EXPECT_TRUE(fault_needs_control_plane("no-such-action"));  // unknown: the safe side
}

TEST(FaultDeclarations, OnlyTheClientCrashAndPauseActOnTheClientSide) {
  for (const auto& k : FaultRegistry::instance().all())
    EXPECT_EQ(k.client_side, k.action == "client_crash" || k.action == "client_pause") << k.action;
  EXPECT_FALSE(fault_needs_control_plane("client_pause"));  // nothing on the cache side changes
}

}  // namespace
}  // namespace cachelab
