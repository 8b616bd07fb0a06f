// {"at_s": T, "action": "client_pause", "instance": N, "duration_ms": D}: application instance N stalls for D ms, as
// in a stop-the-world GC pause. Its new requests wait (their latency includes the wait), replies for it and its
// timers (lock polls, write-behind flushes, retries) are handled when it wakes (client/pause.cpp). Redis and the
// other instances carry on: a lock it holds (stampede mode "lock") expires after clients.stampede.lease_ms and
// another instance can take it while the paused one still believes it holds it.
#include "cachelab/faults/fault.hpp"

namespace cachelab {
namespace {
schema::ObjectPtr client_pause_params() {
  auto o = std::make_shared<schema::ObjectSpec>();
  o->doc = "client_pause parameters";
  o->fields.push_back(schema::integer("instance").dflt(0).min(0).max(99999).about("the client instance (0-based)"));
  o->fields.push_back(schema::number("duration_ms")
                          .req()
                          .min(0, true)
                          .max(3'600'000)
                          .in("ms")
                          .about("how long the instance stalls (at most an hour)"));
  return o;
}
const RegisterFault client_pause_registration(FaultKind{
    "client_pause",
    "a client instance stalls for a while (a GC pause): its requests, replies and timers wait until it wakes",
    client_pause_params(),
    [](const nlohmann::json& item, const nlohmann::json& scenario, const auto& report) {
      const int64_t n = scenario.at("clients").at("instances").get<int64_t>();
      if (item.at("instance").get<int64_t>() >= n)
        report("/instance", "an instance below clients.instances (" + std::to_string(n) + ")",
               item.at("instance").dump());
    },
    [](FaultTarget& t, const nlohmann::json& item) {
      t.pause_client(item.at("instance").get<int>(), item.at("duration_ms").get<double>());
    },
    /*needs_control_plane=*/false,  // nothing on the cache side changes
    /*client_side=*/true});
}  // namespace
}  // namespace cachelab
