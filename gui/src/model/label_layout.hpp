#pragma once
// Labels along a time axis that never overlap: equal labels a few pixels apart merge into one ("pfail master-1
// ×3"), each label goes to the lowest lane where it fits, and a label that fits in no lane is left out and counted
// (its tick still shows) rather than drawn over another. Used by the event timeline and the fault markers.
#include <functional>
#include <vector>

#include <QString>

namespace cachelab::gui {

struct LabelItem {
  double x = 0;  // the tick's position in pixels
  QString text;
};

struct PlacedLabel {
  double x = 0;     // the tick
  double left = 0;  // the label box: [left, left + width)
  double width = 0;
  int lane = 0;  // 0 = nearest the axis
  QString text;  // with " ×N" when N equal labels merged
};

struct LabelLayout {
  std::vector<PlacedLabel> placed;
  int hidden = 0;  // labels (after merging) that fit in no lane
};

// `items` in x order; `width` measures a text in pixels; labels stay within [0, right]. A label starts just right
// of its tick, or ends just left of it near the right edge.
LabelLayout layoutLabels(const std::vector<LabelItem>& items, const std::function<double(const QString&)>& width,
                         double right, int lanes, double mergePx = 4);

}  // namespace cachelab::gui
