#pragma once
// The knob panel: every knob of the shown run's scenario, generated from sim's knob declarations (type, unit,
// range, default, doc, allowed values), editable in place. Each change is a `--set` assignment validated by sim's
// loader, so messages are the CLI's; the panel lists the changes as the equivalent command line, runs the
// changed scenario as a new run (runRequested) and saves it as a scenario file.
#include <QWidget>

#include "model/knob_tree.hpp"
#include "model/run_set.hpp"
#include "model/scenario_edit.hpp"

class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace cachelab::gui {

class KnobsView : public QWidget {
  Q_OBJECT
 public:
  explicit KnobsView(const RunSet& runs, QWidget* parent = nullptr);
  KnobsView(ScenarioEdit edit, const QString& note, QWidget* parent = nullptr);

  const ScenarioEdit& edit() const { return edit_; }
  QTreeWidget* tree() const { return tree_; }
  QPushButton* runButton() const { return run_; }
  QString problemText() const;  // what the status line says
  QString commandLine() const;  // the changes as `cachelab run FILE --set ...`
  // Sets a knob as typing `text` into its value cell does; false when there is no such knob row.
  bool setKnob(const QString& pointer, const QString& text);
  bool saveTo(const QString& path, QString* error) const { return edit_.save(path, error); }

 signals:
  void runRequested(const cachelab::gui::RunRequest& request);

 private:
  void build(const QString& note);
  void refresh();       // rebuilds the tree from the resolved scenario, then updateStatus()
  void updateStatus();  // the changes line, the validity message and the buttons
  void applyFilter();
  void onItemChanged(QTreeWidgetItem* item, int column);
  void saveInteractive();

  ScenarioEdit edit_;
  std::vector<KnobNode> nodes_;
  QTreeWidget* tree_ = nullptr;
  QLineEdit* filter_ = nullptr;
  QLabel* doc_ = nullptr;
  QLabel* changes_ = nullptr;
  QLabel* status_ = nullptr;
  QPushButton* run_ = nullptr;
  QPushButton* reset_ = nullptr;
  QPushButton* save_ = nullptr;
  bool building_ = false;
  bool rebuildPending_ = false;
};

}  // namespace cachelab::gui
