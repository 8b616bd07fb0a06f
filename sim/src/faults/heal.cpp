// {"at_s": T, "action": "heal"}: every network cut is repaired.
#include "cachelab/faults/fault.hpp"

namespace cachelab {
namespace {

const RegisterFault heal_registration({"heal", "repair every partition", std::make_shared<schema::ObjectSpec>(),
                                       [](const nlohmann::json&, const nlohmann::json& scenario, const auto& report) {
                                         if (scenario.at("cluster").at("mode") != "cluster")
                                           report("", "cluster mode", "standalone mode");
                                       },
                                       [](FaultTarget& t, const nlohmann::json&) { t.heal(); }});

}  // namespace
}  // namespace cachelab
