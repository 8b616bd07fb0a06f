#pragma once
// An event's fields beyond its time, type and node (events.jsonl, results/README.md) as one line a person reads:
// "action kill", "seen_by replica-2-1, via message", and for the run's layout "master-1 (master, slots 0-5460,
// maxmemory 64.0 MiB); replica-1-1 (replica of master-1, maxmemory 64.0 MiB)", never a JSON dump. Numbers in the one
// format (app/format.hpp; a dump printed 30.000000001), sizes in bytes as sizes, fields that are null left out.
#include <QString>

#include <nlohmann/json.hpp>

namespace cachelab::gui {

QString eventDetailsText(const nlohmann::json& details);

}  // namespace cachelab::gui
