#pragma once
// Edits a knob's value cell: a drop-down of the allowed values for enums, booleans and variants (kChoicesRole),
// else a line edit starting from the value's full text (kEditTextRole: the cell may show a summary instead).
#include <QStyledItemDelegate>

namespace cachelab::gui {

inline constexpr int kPointerRole = Qt::UserRole + 1;   // column 0: the knob's JSON Pointer
inline constexpr int kChoicesRole = Qt::UserRole + 2;   // column 1: QStringList of allowed values
inline constexpr int kEditTextRole = Qt::UserRole + 3;  // column 1: the text an editor starts from

class KnobValueDelegate : public QStyledItemDelegate {
  Q_OBJECT
 public:
  using QStyledItemDelegate::QStyledItemDelegate;
  QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
  void setEditorData(QWidget* editor, const QModelIndex& index) const override;
  void setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const override;
};

}  // namespace cachelab::gui
