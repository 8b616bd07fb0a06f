#include "widgets/knob_value_delegate.hpp"

#include <QComboBox>
#include <QLineEdit>

namespace cachelab::gui {

QWidget* KnobValueDelegate::createEditor(QWidget* parent, const QStyleOptionViewItem& option,
                                         const QModelIndex& index) const {
  const QStringList choices = index.data(kChoicesRole).toStringList();
  if (choices.isEmpty()) return QStyledItemDelegate::createEditor(parent, option, index);
  auto* combo = new QComboBox(parent);
  combo->addItems(choices);
  return combo;
}

void KnobValueDelegate::setEditorData(QWidget* editor, const QModelIndex& index) const {
  const QString text = index.data(kEditTextRole).toString();
  if (auto* combo = qobject_cast<QComboBox*>(editor)) {
    combo->setCurrentIndex(std::max(0, combo->findText(text)));
    return;
  }
  if (auto* line = qobject_cast<QLineEdit*>(editor)) {
    line->setText(text);
    return;
  }
  QStyledItemDelegate::setEditorData(editor, index);
}

void KnobValueDelegate::setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const {
  // Unchanged text is not written back: the panel would record it as a change.
  QString text;
  if (auto* combo = qobject_cast<QComboBox*>(editor))
    text = combo->currentText();
  else if (auto* line = qobject_cast<QLineEdit*>(editor))
    text = line->text();
  else
    return QStyledItemDelegate::setModelData(editor, model, index);
  if (text != index.data(kEditTextRole).toString()) model->setData(index, text, Qt::EditRole);
}

}  // namespace cachelab::gui
