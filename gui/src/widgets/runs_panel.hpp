#pragma once
// The runs of this session (opened, or made from the knob panel), newest last: pick one to show it, or two to
// compare them (the newer one is shown as the primary run, the older one is the reference).
#include <QWidget>

#include "model/run_set.hpp"

class QListWidget;
class QPushButton;

namespace cachelab::gui {

class RunsPanel : public QWidget {
  Q_OBJECT
 public:
  explicit RunsPanel(QWidget* parent = nullptr);
  // Adds a run unless one with the same directory is listed already.
  void add(const RunPtr& run);
  const RunSet& runs() const { return runs_; }
  QListWidget* list() const { return list_; }
  // The selected runs for showing: one, or two ordered primary (newer) then reference (older).
  RunSet selection() const;

  // The list's text for a run: scenario name, run directory name, and its --set overrides.
  static QString describe(const cachelab::results::Run& run);

 signals:
  void showRequested(const cachelab::gui::RunSet& runs);

 private:
  void updateButtons();
  RunSet runs_;
  QListWidget* list_;
  QPushButton* show_;
  QPushButton* compare_;
};

}  // namespace cachelab::gui
