// {"at_s": T, "action": "kill", "node": "master-1"}: SIGKILL the node: it stops at once; connections to it are refused.
#include "cachelab/faults/fault.hpp"

namespace cachelab {
namespace {
const RegisterNodeFault kill_registration("kill", "SIGKILL the node: it stops at once; connections to it are refused",
                                          &FaultTarget::kill);
}  // namespace
}  // namespace cachelab
