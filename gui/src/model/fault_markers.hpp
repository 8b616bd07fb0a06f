#pragma once
// The scenario's faults as they happened (events.jsonl `fault` rows: action, node, from/to), for the vertical
// markers every time chart draws, so a dip in a curve can be read against the kill or reshard that caused it.
#include <QList>
#include <QString>

#include "cachelab/results/reader.hpp"

namespace cachelab::gui {

struct ChartMarker {
  double t_s = 0;
  QString label;  // "kill master-1", "reshard master-1→master-3"
  QString action;

  bool operator==(const ChartMarker&) const = default;
};

// In time order. Runs written before faults were logged as `fault` rows carry their kill / restart / pause /
// resume as event types of their own: those count too.
QList<ChartMarker> faultMarkers(const cachelab::results::Run& run);

}  // namespace cachelab::gui
