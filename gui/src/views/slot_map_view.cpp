#include "views/slot_map_view.hpp"

#include <cmath>
#include <memory>

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QVBoxLayout>

#include "app/format.hpp"
#include "model/chart_model.hpp"
#include "model/slot_layout.hpp"
#include "widgets/slot_grid_widget.hpp"

namespace cachelab::gui {

SlotMapView::SlotMapView(const RunSet& runs, QWidget* parent) : QWidget(parent) {
  const RunPtr run = runs.front();
  const double tEnd = timeSpan(RunSet{run}).second;
  auto* layout = new QVBoxLayout(this);
  auto* grid = new SlotGridWidget(slotLayoutAt(*run, tEnd), this);

  // Colour by owner, or by a per-node figure of summary.json (the owner's commands over the run).
  auto* top = new QHBoxLayout();
  auto* colourBy = new QComboBox(this);
  colourBy->addItems({"colour by owner", "colour by node load (summary.json ops)"});
  top->addWidget(colourBy);
  top->addStretch();
  layout->addLayout(top);
  layout->addWidget(grid, 1);
  auto current = std::make_shared<SlotLayout>(slotLayoutAt(*run, tEnd));
  auto recolour = [run, grid, colourBy, current] {
    if (colourBy->currentIndex() == 0) return grid->setLoad({}, {});
    std::vector<double> load;
    for (const auto& owner : current->owners) {
      double ops = NAN;
      for (const auto& n : run->summary.nodes)
        if (n.name == owner) ops = n.ops;
      load.push_back(ops);
    }
    grid->setLoad(load, "ops");
  };
  connect(colourBy, &QComboBox::currentIndexChanged, this, recolour);
  // Slider in tenths of a second of virtual time: ownership replayed from events.jsonl, and at the end the ranges
  // summary.json states (simulated runs have them).
  auto* row = new QHBoxLayout();
  auto* label = new QLabel(this);
  auto* slider = new QSlider(Qt::Horizontal, this);
  slider->setRange(0, static_cast<int>(std::ceil(tEnd * 10)));
  slider->setValue(slider->maximum());
  slider->setObjectName("time");
  slider->setToolTip("Scrub through the run: slot ownership at that virtual time");
  row->addWidget(new QLabel("time:", this));
  row->addWidget(slider, 1);
  row->addWidget(label);
  layout->addLayout(row);
  auto update = [run, grid, label, current, recolour, tEnd, slider](int tenth) {
    // The slider's last step is the run's end exactly (its tenths are rounded up).
    const double t = tenth == slider->maximum() ? tEnd : tenth / 10.0;
    label->setText(QString("%1 s of %2 s").arg(QString::number(t, 'f', 1), QString::number(tEnd, 'f', 1)));
    *current = slotLayoutAt(*run, t);
    grid->setLayoutData(*current);
    recolour();  // owners may have changed: their loads follow
  };
  connect(slider, &QSlider::valueChanged, this, update);
  update(slider->value());
}

}  // namespace cachelab::gui
