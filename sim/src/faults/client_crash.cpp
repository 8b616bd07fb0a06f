// {"at_s": T, "action": "client_crash", "instance": N}: application instance N dies and restarts at once. What it
// held only in its own memory is gone: its write-behind buffer (the writes are lost, counted in summary.json
// clients.write_behind.lost), its L1 cache and its single-flight table. Requests it had in flight complete.
#include "cachelab/faults/fault.hpp"

namespace cachelab {
namespace {
schema::ObjectPtr client_crash_params() {
  auto o = std::make_shared<schema::ObjectSpec>();
  o->doc = "client_crash parameters";
  o->fields.push_back(schema::integer("instance").dflt(0).min(0).max(99999).about("the client instance (0-based)"));
  return o;
}
const RegisterFault client_crash_registration(FaultKind{
    "client_crash",
    "a client instance dies and restarts: its write-behind buffer is lost (counted), its L1 cache emptied",
    client_crash_params(),
    [](const nlohmann::json& item, const nlohmann::json& scenario, const auto& report) {
      const int64_t n = scenario.at("clients").at("instances").get<int64_t>();
      if (item.at("instance").get<int64_t>() >= n)
        report("/instance", "an instance below clients.instances (" + std::to_string(n) + ")",
               item.at("instance").dump());
    },
    [](FaultTarget& t, const nlohmann::json& item) { t.crash_client(item.at("instance").get<int>()); },
    /*needs_control_plane=*/true,  // kept as it was (the control plane then runs): results stay as they were
    /*client_side=*/true});
}  // namespace
}  // namespace cachelab
