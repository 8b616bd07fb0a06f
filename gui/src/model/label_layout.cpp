#include "model/label_layout.hpp"

#include <algorithm>

namespace cachelab::gui {

LabelLayout layoutLabels(const std::vector<LabelItem>& items, const std::function<double(const QString&)>& width,
                         double right, int lanes, double mergePx) {
  // Merge runs of one label at (nearly) one place: a failover's repeated pfail reports, say.
  struct Group {
    double x;
    QString text;
    int count;
  };
  std::vector<Group> groups;
  for (const auto& it : items) {
    if (!groups.empty() && groups.back().text == it.text && it.x - groups.back().x <= mergePx) {
      ++groups.back().count;
      continue;
    }
    groups.push_back({it.x, it.text, 1});
  }
  constexpr double kGap = 4;
  LabelLayout out;
  std::vector<double> laneEnd(static_cast<std::size_t>(std::max(lanes, 0)), -1e300);
  for (const auto& g : groups) {
    const QString text = g.count > 1 ? g.text + QString::fromUtf8(" ×") + QString::number(g.count) : g.text;
    const double w = width(text) + 6;
    double left = g.x + 3;
    if (left + w > right) left = std::max(0.0, g.x - 3 - w);
    int lane = -1;
    for (int l = 0; l < lanes; ++l)
      if (laneEnd[static_cast<std::size_t>(l)] + kGap <= left) {
        lane = l;
        break;
      }
    if (lane < 0) {
      ++out.hidden;
      continue;
    }
    laneEnd[static_cast<std::size_t>(lane)] = left + w;
    out.placed.push_back({g.x, left, w, lane, text});
  }
  return out;
}

}  // namespace cachelab::gui
