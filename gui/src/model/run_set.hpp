#pragma once
// The runs a window shows: the first is the primary run, a second one (say the live run of the same
// scenario) is overlaid on the time-series charts and compared in the compare view.
#include <memory>
#include <vector>

#include <QString>

#include "cachelab/results/reader.hpp"

namespace cachelab::gui {

using RunPtr = std::shared_ptr<const cachelab::results::Run>;
using RunSet = std::vector<RunPtr>;

// A short label telling runs apart in legends: the scenario name when the runs are of different scenarios, the
// mode ("sim", "live") for one scenario in two modes, else the overrides only this run has (or its directory).
QString runLabel(const RunSet& runs, std::size_t index);

// Loads a run directory; throws cachelab::ResultsError (the reader's message) on any problem.
RunPtr loadRun(const QString& dir);

}  // namespace cachelab::gui
