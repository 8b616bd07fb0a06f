#pragma once
// Draws one ClusterFrame (model/cluster_animation.hpp): each node as a box in its shard's column (role colour,
// memory bar, traffic ring and rate, slots, PFAIL / FAIL badges with arrows from the nodes that flag it, a
// CLUSTERDOWN tag, a promoted highlight, a dotted line to a replica's master), vote arrows of recent elections,
// the migrating slot's arrow, partition sides as coloured halos, and the slot ownership strip with its axis.
// It only draws: every number comes from the frame.
#include <QWidget>

#include "model/cluster_animation.hpp"

namespace cachelab::gui {

class ClusterWidget : public QWidget {
  Q_OBJECT
 public:
  ClusterWidget(int columns, double peakOpsPerS, QWidget* parent = nullptr);
  void setFrame(ClusterFrame frame);
  const ClusterFrame& frame() const { return frame_; }
  // Where a node's box was last drawn (empty before the first paint): for tests.
  QRectF nodeRect(int index) const;

  QSize minimumSizeHint() const override { return {480, 320}; }

 protected:
  void paintEvent(QPaintEvent*) override;

 private:
  void layoutBoxes(const QRectF& area);
  void drawNode(QPainter& p, int i) const;
  void drawSlotStrip(QPainter& p, const QRectF& area) const;

  int columns_;
  double peakOps_;
  ClusterFrame frame_;
  std::vector<QRectF> boxes_;
};

}  // namespace cachelab::gui
