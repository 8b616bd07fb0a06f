#include "widgets/runs_panel.hpp"

#include <algorithm>

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace cachelab::gui {

RunsPanel::RunsPanel(QWidget* parent) : QWidget(parent), list_(new QListWidget(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  auto* hint = new QLabel("Runs of this session. Select one to show it, two (Ctrl+click) to compare them.", this);
  hint->setWordWrap(true);
  layout->addWidget(hint);
  list_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  list_->setWordWrap(true);
  layout->addWidget(list_, 1);
  auto* buttons = new QHBoxLayout();
  show_ = new QPushButton("Show", this);
  compare_ = new QPushButton("Compare", this);
  buttons->addWidget(show_);
  buttons->addWidget(compare_);
  layout->addLayout(buttons);
  connect(list_, &QListWidget::itemSelectionChanged, this, &RunsPanel::updateButtons);
  connect(list_, &QListWidget::itemDoubleClicked, this, [this](QListWidgetItem* item) {
    emit showRequested({runs_.at(static_cast<std::size_t>(list_->row(item)))});
  });
  connect(show_, &QPushButton::clicked, this, [this] { emit showRequested(selection()); });
  connect(compare_, &QPushButton::clicked, this, [this] { emit showRequested(selection()); });
  updateButtons();
}

QString RunsPanel::describe(const cachelab::results::Run& run) {
  QString text =
      QString::fromStdString(run.info.name) + " · " + QFileInfo(QString::fromStdString(run.dir.string())).fileName();
  for (const auto& o : run.info.overrides) text += "\n  --set " + QString::fromStdString(o);
  return text;
}

void RunsPanel::add(const RunPtr& run) {
  for (const auto& r : runs_)
    if (r->dir == run->dir) return;
  runs_.push_back(run);
  auto* item = new QListWidgetItem(describe(*run), list_);
  item->setToolTip(QString::fromStdString(run->dir.string()));
  updateButtons();
}

RunSet RunsPanel::selection() const {
  std::vector<int> rows;
  for (const auto* item : list_->selectedItems()) rows.push_back(list_->row(item));
  std::sort(rows.begin(), rows.end(), std::greater<>());  // newest first: the primary run
  RunSet out;
  for (int r : rows) out.push_back(runs_.at(static_cast<std::size_t>(r)));
  return out;
}

void RunsPanel::updateButtons() {
  const auto n = list_->selectedItems().size();
  show_->setEnabled(n == 1);
  compare_->setEnabled(n == 2);
}

}  // namespace cachelab::gui
