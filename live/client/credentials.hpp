#pragma once
// The password of each lab server, for every in-process tool that talks to it. Lab servers run with a random
// requirepass; the lab registers it here for its endpoints, so the control connections, the replay back-end,
// the cluster client, the fault injector, the reshard and the failover watch all authenticate without each call
// site carrying the secret. A process-wide table, like the PID registry: the secret never leaves this process
// except on the wire to our own servers and in their 0600 config files.
#include <string>

#include "live/client/endpoint.hpp"

namespace cachelab::live {

void register_password(const Endpoint& endpoint, const std::string& password);
void forget_password(const Endpoint& endpoint);
// The registered password, or "" when the endpoint has none (a user's server: the caller passes its own).
std::string password_for(const Endpoint& endpoint);

}  // namespace cachelab::live
