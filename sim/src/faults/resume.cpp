// {"at_s": T, "action": "resume", "node": "master-1"}: SIGCONT a paused node.
#include "cachelab/faults/fault.hpp"

namespace cachelab {
namespace {
const RegisterNodeFault resume_registration("resume", "SIGCONT a paused node", &FaultTarget::resume);
}  // namespace
}  // namespace cachelab
