#pragma once
// Lesson mode's panel (issue 18 part 5): a lesson's text beside the charts. The predict question comes first,
// with a box for the participant's prediction; then one button per step (runStepRequested: the window runs the
// step's variant through sim's library and adds the run to the Runs list), each step's look-at figures once it
// ran, the lesson's claims as passed / failed / waiting with the values they read, and, when every step has
// run, the explanation, the discussion questions and what to try next. Everything shown comes from the
// LessonSession (sim's loader and evaluator); the panel formats no number itself.
#include <vector>

#include <QScrollArea>

#include "model/lesson_session.hpp"

class QBoxLayout;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QWidget;

namespace cachelab::gui {

class LessonView : public QScrollArea {
  Q_OBJECT
 public:
  // `session` must outlive the view.
  explicit LessonView(LessonSession* session, QWidget* parent = nullptr);

  // Re-reads the session: figures, checks, the prediction beside them, the explanation.
  void refresh();
  // The step being run (-1: none): its button says so and every step button waits.
  void setRunning(int step);

  QLabel* predictQuestion() const { return predict_; }
  QPlainTextEdit* predictionEdit() const { return prediction_; }
  QPushButton* stepButton(int step) const { return steps_.at(static_cast<std::size_t>(step)).button; }
  QPushButton* runAllButton() const { return runAll_; }
  // What the panel shows, as plain text (for tests): a step's figures ("label: value"), the checks section
  // ("PASS claim", "FAIL claim", "WAITING claim (run B)", each followed by its values), the explanation.
  QStringList lookAtLines(int step) const;
  QString checksText() const;
  QWidget* explanation() const { return why_; }

 signals:
  void runStepRequested(int step);
  void runAllRequested();

 protected:
  void resizeEvent(QResizeEvent* e) override;

 private:
  struct StepWidgets {
    QPushButton* button = nullptr;
    QLabel* figures = nullptr;
    QStringList lines;  // the figures as plain text
  };
  QWidget* buildText();
  QWidget* buildResults();

  LessonSession* session_;
  QBoxLayout* columns_ = nullptr;  // text | results side by side when wide, stacked in a narrow dock
  QLabel* predict_ = nullptr;
  QPlainTextEdit* prediction_ = nullptr;
  QPushButton* runAll_ = nullptr;
  std::vector<StepWidgets> steps_;
  QLabel* predicted_ = nullptr;  // the prediction again, beside the results
  QLabel* checks_ = nullptr;
  QString checksPlain_;
  QLabel* whyPending_ = nullptr;
  QWidget* why_ = nullptr;
  int running_ = -1;
};

}  // namespace cachelab::gui
