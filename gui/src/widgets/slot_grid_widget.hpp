#pragma once
// The 16384 hash slots as a 128 x 128 grid (slot 0 top left, row by row), coloured by owner, or by a load
// figure of the owner taken from the files (darker = more), with a legend. Hovering names slot and owner.
#include <QWidget>

#include "model/slot_layout.hpp"

namespace cachelab::gui {

class SlotGridWidget : public QWidget {
  Q_OBJECT
 public:
  explicit SlotGridWidget(SlotLayout layout, QWidget* parent = nullptr);
  void setLayoutData(SlotLayout layout);
  // Colour by load: one value per owner (NaN = unknown, drawn grey), described by `label`; empty = by owner.
  void setLoad(std::vector<double> perOwner, QString label);
  QSize sizeHint() const override { return {600, 560}; }
  QSize minimumSizeHint() const override { return {200, 220}; }

 protected:
  void paintEvent(QPaintEvent*) override;
  void mouseMoveEvent(QMouseEvent* e) override;

 private:
  QRectF gridRect() const;
  QColor ownerColour(int owner) const;
  SlotLayout layout_;
  std::vector<double> load_;
  QString loadLabel_;
};

}  // namespace cachelab::gui
