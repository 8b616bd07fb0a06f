// {"at_s": T, "action": "pause", "node": "master-1"}: SIGSTOP the node: frozen, TCP stays up, nothing answers (clients time out).
#include "cachelab/faults/fault.hpp"

namespace cachelab {
namespace {
const RegisterNodeFault pause_registration("pause",
                                           "SIGSTOP the node: frozen, TCP stays up, nothing answers (clients time out)",
                                           &FaultTarget::pause);
}  // namespace
}  // namespace cachelab
