#pragma once
// What a run changed from its scenario file, as run.json records it: the host calibration it applied (one item, by
// its file name) and each --set override after it. The overview says it; legends tell runs apart by it (runLabel).
#include <vector>

#include <QString>

#include "cachelab/results/reader.hpp"

namespace cachelab::gui {

struct RunChange {
  QString key;   // what two runs are compared by: the override as written, or "calibration:" + the file
  QString text;  // how it reads: "masters=6", "calibration host.json"
};

// The run's changes in order: its calibration first (when it applied one), then its other overrides.
std::vector<RunChange> runChanges(const cachelab::results::RunInfo& info);

// One line for the overview: "changed from the file: calibration host.json (rtt_us=61.5, ...) · masters=6", or ""
// when the run is the file as it is.
QString runChangesLine(const cachelab::results::RunInfo& info);

// An override in brief, by its last pointer token, a fixed distribution by its value:
// "/clients/stampede/mode=lock" reads "mode=lock", "/network/rtt_us={"dist":"fixed","value":61.5}" "rtt_us=61.5".
QString briefOverride(const std::string& override_text);

}  // namespace cachelab::gui
