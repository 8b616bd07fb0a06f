// {"at_s": T, "action": "restart", "node": "master-1"}: start a killed node again, empty (no persistence); it rejoins the cluster.
#include "cachelab/faults/fault.hpp"

namespace cachelab {
namespace {
const RegisterNodeFault restart_registration(
    "restart", "start a killed node again, empty (no persistence); it rejoins the cluster", &FaultTarget::restart);
}  // namespace
}  // namespace cachelab
