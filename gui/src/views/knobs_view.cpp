#include "views/knobs_view.hpp"

#include <cmath>
#include <functional>

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QSet>
#include <QSettings>
#include <QShortcut>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>
#include <QVBoxLayout>

#include "app/theme.hpp"
#include "widgets/knob_value_delegate.hpp"

namespace cachelab::gui {
namespace {

// A size knob's bytes in the unit `maxmemory 64mb` means (1024-based, as redis.conf's mb).
QString binaryBytes(const nlohmann::json& v) {
  if (!v.is_number()) return {};
  double b = v.get<double>();
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (std::fabs(b) >= 1024 && u < 4) b /= 1024, ++u;
  if (u == 0) return {};
  return QString::fromUtf8("= ") + QString::number(b, 'g', 4) + " " + units[u];
}

QString shownValue(const KnobNode& n) {
  if (n.value.is_array()) return QString("%1 item%2").arg(n.value.size()).arg(n.value.size() == 1 ? "" : "s");
  if (n.value.is_object()) {
    if (!n.variantTag.isEmpty() && n.value.contains(n.variantTag.toStdString()))
      return knobValueText(n.value[n.variantTag.toStdString()]);
    return {};
  }
  return knobValueText(n.value);
}

// True when `pointer` is the target of an override or lies inside one (a replaced object's fields).
bool coveredBy(const QString& pointer, const QSet<QString>& targets) {
  for (const auto& t : targets)
    if (pointer == t || pointer.startsWith(t + "/")) return true;
  return false;
}

QSet<QString> targetsOf(const QStringList& assignments) {
  QSet<QString> out;
  for (const auto& a : assignments) out.insert(a.section('=', 0, 0));
  return out;
}

QString shellQuote(const QString& s) {
  static const QString safe = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-=:,+";
  for (QChar c : s)
    if (!safe.contains(c)) return "'" + QString(s).replace("'", "'\\''") + "'";
  return s;
}

}  // namespace

KnobsView::KnobsView(const RunSet& runs, QWidget* parent) : QWidget(parent) {
  QString note;
  edit_ = ScenarioEdit::fromRun(*runs.front(), &note);
  build(note);
}

KnobsView::KnobsView(ScenarioEdit edit, const QString& note, QWidget* parent)
    : QWidget(parent), edit_(std::move(edit)) {
  build(note);
}

void KnobsView::build(const QString& note) {
  auto* layout = new QVBoxLayout(this);
  auto* head = new QLabel("<b>Knobs</b> of " + edit_.file().toHtmlEscaped() + "<br><small>" + note.toHtmlEscaped() +
                              " Double-click a value to change it; every change is checked as <code>cachelab run "
                              "--set</code> checks it.</small>",
                          this);
  head->setWordWrap(true);
  head->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(head);

  filter_ = new QLineEdit(this);
  filter_->setPlaceholderText("Filter knobs by name, pointer or doc (e.g. maxmemory, origin, ttl)");
  filter_->setClearButtonEnabled(true);
  layout->addWidget(filter_);

  tree_ = new QTreeWidget(this);
  tree_->setColumnCount(4);
  tree_->setHeaderLabels({"knob", "value", "unit", "type / range"});
  tree_->setItemDelegateForColumn(1, new KnobValueDelegate(tree_));
  tree_->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                         QAbstractItemView::SelectedClicked);
  tree_->setAlternatingRowColors(true);
  tree_->header()->setSectionResizeMode(0, QHeaderView::Interactive);
  tree_->header()->resizeSection(0, 260);
  tree_->header()->resizeSection(1, 200);
  tree_->header()->resizeSection(2, 140);
  layout->addWidget(tree_, 1);

  doc_ = new QLabel(this);
  doc_->setWordWrap(true);
  doc_->setMinimumHeight(36);
  doc_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(doc_);

  changes_ = new QLabel(this);
  changes_->setWordWrap(true);
  changes_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(changes_);
  status_ = new QLabel(this);
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(status_);

  auto* buttons = new QHBoxLayout();
  run_ = new QPushButton("Run as a new run", this);
  run_->setToolTip("Runs the scenario with these knobs (Ctrl+Return); earlier runs stay in the Runs list");
  reset_ = new QPushButton("Undo changes", this);
  save_ = new QPushButton("Save scenario as…", this);
  buttons->addWidget(run_);
  buttons->addWidget(reset_);
  buttons->addStretch();
  buttons->addWidget(save_);
  layout->addLayout(buttons);

  connect(tree_, &QTreeWidget::itemChanged, this, &KnobsView::onItemChanged);
  connect(tree_, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
    if (!item) return doc_->clear();
    const KnobNode* n = findKnob(nodes_, item->data(0, kPointerRole).toString());
    if (!n) return doc_->clear();
    QString text = "<b>" + n->pointer.toHtmlEscaped() + "</b>: " + n->doc.toHtmlEscaped();
    if (!n->defaultText.isEmpty()) text += " <i>Default " + n->defaultText.toHtmlEscaped() + ".</i>";
    doc_->setText(text);
  });
  connect(filter_, &QLineEdit::textChanged, this, &KnobsView::applyFilter);
  connect(run_, &QPushButton::clicked, this, [this] {
    if (edit_.valid()) emit runRequested(edit_.runRequest());
  });
  connect(new QShortcut(QKeySequence("Ctrl+Return"), this), &QShortcut::activated, run_, &QPushButton::click);
  connect(reset_, &QPushButton::clicked, this, [this] {
    edit_.resetEdits();
    refresh();
  });
  connect(save_, &QPushButton::clicked, this, &KnobsView::saveInteractive);
  refresh();
}

void KnobsView::refresh() {
  // Rebuilt from the resolved scenario after each change (a variant switch changes the rows); what was open,
  // selected and scrolled to is kept by pointer.
  QSet<QString> expanded;
  for (QTreeWidgetItemIterator it(tree_); *it; ++it)
    if ((*it)->isExpanded()) expanded.insert((*it)->data(0, kPointerRole).toString());
  const bool first = tree_->topLevelItemCount() == 0;
  const QString current = tree_->currentItem() ? tree_->currentItem()->data(0, kPointerRole).toString() : QString();
  const int scroll = tree_->verticalScrollBar()->value();

  rebuildPending_ = false;
  building_ = true;
  tree_->clear();
  nodes_ = knobTree(edit_.resolved());
  const QSet<QString> changed = targetsOf(edit_.overrides());
  const QStringList problems = edit_.problemPointers();
  QTreeWidgetItem* currentItem = nullptr;
  std::function<void(const KnobNode&, QTreeWidgetItem*)> add = [&](const KnobNode& n, QTreeWidgetItem* parent) {
    auto* item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(tree_);
    item->setText(0, n.name);
    item->setData(0, kPointerRole, n.pointer);
    item->setText(1, shownValue(n));
    item->setData(1, kEditTextRole,
                  n.value.is_object() && !n.variantTag.isEmpty() ? shownValue(n) : knobValueText(n.value));
    item->setData(1, kChoicesRole, n.choices);
    item->setText(2, n.type.startsWith("size") ? ("bytes " + binaryBytes(n.value)).trimmed()
                     : n.unit == "us"          ? QString::fromUtf8("µs")
                                               : n.unit);
    item->setText(3, n.range.isEmpty() ? n.type : n.type + " " + n.range);
    const QString tip = n.pointer + "\n" + n.doc + (n.defaultText.isEmpty() ? "" : "\ndefault " + n.defaultText);
    for (int c = 0; c < 4; ++c) item->setToolTip(c, tip);
    // Plain objects are edited through their fields; everything else (null objects, arrays as JSON) in place.
    const bool editable = n.editable && !(n.value.is_object() && n.variantTag.isEmpty() && !n.children.empty());
    if (editable) item->setFlags(item->flags() | Qt::ItemIsEditable);
    if (coveredBy(n.pointer, changed)) {
      QFont f = item->font(0);
      f.setBold(true);
      item->setFont(0, f);
      item->setFont(1, f);
    }
    for (const auto& p : problems)
      if (p == n.pointer || (p.startsWith(n.pointer + "/") && !n.children.empty())) {
        item->setForeground(0, passColor(false));
        item->setForeground(1, passColor(false));
      }
    if (n.pointer == current) currentItem = item;
    for (const auto& c : n.children) add(c, item);
    item->setExpanded(first ? (parent == nullptr && n.children.size() <= 40) : expanded.contains(n.pointer));
  };
  for (const auto& n : nodes_) add(n, nullptr);
  if (currentItem) tree_->setCurrentItem(currentItem);
  building_ = false;
  applyFilter();
  tree_->verticalScrollBar()->setValue(scroll);

  updateStatus();
}

void KnobsView::updateStatus() {
  const QStringList edits = edit_.edits();
  changes_->setText(commandLine().isEmpty() ? "No changes from the scenario file."
                                            : "<b>Changes</b> (" + QString::number(edits.size()) + " new): <code>" +
                                                  commandLine().toHtmlEscaped() + "</code>");
  if (edit_.valid()) {
    status_->setText("<span style='color:" + passColor(true).name() + "'>Valid: ready to run.</span>");
  } else {
    status_->setText("<span style='color:" + passColor(false).name() +
                     "'><b>Not valid</b> (as <code>cachelab "
                     "validate</code> says):<br>" +
                     edit_.error().toHtmlEscaped().replace("\n", "<br>") + "</span>");
  }
  run_->setEnabled(edit_.valid() && !edit_.empty());
  save_->setEnabled(edit_.valid() && !edit_.empty());
  reset_->setEnabled(!edits.isEmpty());
}

QString KnobsView::problemText() const { return edit_.valid() ? QString() : edit_.error(); }

QString KnobsView::commandLine() const {
  const QStringList all = edit_.overrides();
  if (all.isEmpty()) return {};
  QString cmd = "cachelab run " + shellQuote(edit_.file());
  for (const auto& o : all) cmd += " --set " + shellQuote(o);
  return cmd;
}

void KnobsView::applyFilter() {
  const QString f = filter_->text().trimmed();
  // An item shows when it or a descendant matches; a matching group shows its whole subtree.
  std::function<bool(QTreeWidgetItem*, bool)> walk = [&](QTreeWidgetItem* item, bool ancestorMatches) {
    const KnobNode* n = findKnob(nodes_, item->data(0, kPointerRole).toString());
    const bool self = f.isEmpty() || ancestorMatches ||
                      item->data(0, kPointerRole).toString().contains(f, Qt::CaseInsensitive) ||
                      (n && n->doc.contains(f, Qt::CaseInsensitive));
    bool any = false;
    for (int i = 0; i < item->childCount(); ++i) any = walk(item->child(i), self && !f.isEmpty()) || any;
    item->setHidden(!(self || any));
    if (!f.isEmpty() && any) item->setExpanded(true);
    return self || any;
  };
  for (int i = 0; i < tree_->topLevelItemCount(); ++i) walk(tree_->topLevelItem(i), false);
}

void KnobsView::onItemChanged(QTreeWidgetItem* item, int column) {
  if (building_ || column != 1) return;
  const KnobNode* n = findKnob(nodes_, item->data(0, kPointerRole).toString());
  if (!n) return;
  edit_.set(n->pointer, knobAssignmentText(*n, item->text(1)));
  updateStatus();
  // The tree is rebuilt once this signal has returned: the item that emitted it is still in use by its setData.
  rebuildPending_ = true;
  QMetaObject::invokeMethod(
      this,
      [this] {
        if (rebuildPending_) refresh();
      },
      Qt::QueuedConnection);
}

bool KnobsView::setKnob(const QString& pointer, const QString& text) {
  for (QTreeWidgetItemIterator it(tree_); *it; ++it)
    if ((*it)->data(0, kPointerRole).toString() == pointer) {
      (*it)->setText(1, text);  // the same path as the cell editor's commit
      if (rebuildPending_) refresh();
      return true;
    }
  return false;
}

void KnobsView::saveInteractive() {
  const QString suggested = QFileInfo(edit_.file()).absolutePath() + "/" +
                            QString::fromStdString(edit_.resolved().value("name", std::string("scenario"))) +
                            "-edited.json";
  const QString path = QFileDialog::getSaveFileName(this, "Save scenario as", suggested, "Scenarios (*.json)");
  if (path.isEmpty()) return;
  QString error;
  if (!saveTo(path, &error))
    QMessageBox::warning(this, "Save failed", error);
  else
    status_->setText(status_->text() + " Saved to " + path.toHtmlEscaped() + ".");
}

}  // namespace cachelab::gui
