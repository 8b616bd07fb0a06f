#include "views/lesson_view.hpp"

#include <QBoxLayout>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QResizeEvent>

#include "app/theme.hpp"

namespace cachelab::gui {

namespace {

namespace lesson = cachelab::lesson;

QString q(const std::string& s) { return QString::fromStdString(s); }

QLabel* para(const QString& html, QWidget* parent) {
  auto* l = new QLabel(html, parent);
  l->setWordWrap(true);
  l->setTextFormat(Qt::RichText);
  l->setTextInteractionFlags(Qt::TextSelectableByMouse);
  return l;
}

QLabel* heading(const QString& text, QWidget* parent) { return para("<h3>" + text.toHtmlEscaped() + "</h3>", parent); }

QString html(const std::string& s) { return q(s).toHtmlEscaped().replace("\n", "<br>"); }

QString small(const QString& escaped) { return "<span style='color:gray'>" + escaped + "</span>"; }

}  // namespace

LessonView::LessonView(LessonSession* session, QWidget* parent) : QScrollArea(parent), session_(session) {
  setObjectName("lessonView");
  setWidgetResizable(true);
  setFrameShape(QFrame::NoFrame);
  setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);  // the text wraps to the dock's width
  auto* content = new QWidget(this);
  columns_ = new QBoxLayout(QBoxLayout::TopToBottom, content);
  columns_->addWidget(buildText(), 1);
  columns_->addWidget(buildResults(), 1);
  setWidget(content);
  refresh();
}

QWidget* LessonView::buildText() {
  const lesson::Lesson& l = session_->lesson();
  auto* w = new QWidget(this);
  auto* v = new QVBoxLayout(w);
  v->setContentsMargins(6, 6, 6, 6);
  QString concepts;
  for (const auto& c : l.concepts) concepts += (concepts.isEmpty() ? "" : ", ") + q(c);
  v->addWidget(para("<h2>" + session_->heading().toHtmlEscaped() + "</h2>" +
                        small(QString("%1 minutes · concepts: %2").arg(l.minutes).arg(concepts.toHtmlEscaped())),
                    w));
  v->addWidget(para("<b>Goal.</b> " + html(l.goal), w));

  // The question comes before any button: participants commit to an answer, then run.
  v->addWidget(heading("Predict (before you run anything)", w));
  predict_ = para(html(l.predict), w);
  predict_->setObjectName("lessonPredict");
  v->addWidget(predict_);
  prediction_ = new QPlainTextEdit(w);
  prediction_->setObjectName("lessonPrediction");
  prediction_->setPlaceholderText("Your prediction (kept for this session, shown again beside the results)…");
  prediction_->setFixedHeight(prediction_->fontMetrics().lineSpacing() * 4 + 12);
  prediction_->setPlainText(session_->prediction());
  connect(prediction_, &QPlainTextEdit::textChanged, this, [this] {
    session_->setPrediction(prediction_->toPlainText());
    refresh();
  });
  v->addWidget(prediction_);

  auto* stepsHead = new QHBoxLayout();
  stepsHead->addWidget(heading("Steps", w), 1);
  runAll_ = new QPushButton("Run every step", w);
  runAll_->setToolTip("Runs the steps not run yet, one after the other (cachelab lesson run " + q(l.id()) + ")");
  connect(runAll_, &QPushButton::clicked, this, [this] { emit runAllRequested(); });
  stepsHead->addWidget(runAll_);
  v->addLayout(stepsHead);
  const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
  for (std::size_t i = 0; i < l.steps.size(); ++i) {
    const lesson::Step& s = l.steps[i];
    StepWidgets sw;
    // A short button and the title wrapped beside it: a long title on the button would widen a narrow dock.
    auto* row = new QHBoxLayout();
    sw.button = new QPushButton(QString("▶ Run step %1 [%2]").arg(i + 1).arg(q(s.id)), w);
    sw.button->setObjectName(QString("lessonStep%1").arg(i + 1));
    sw.button->setToolTip(q(s.title) + "\nRuns this variant as a new run (it joins the Runs list)");
    const int step = static_cast<int>(i);
    connect(sw.button, &QPushButton::clicked, this, [this, step] { emit runStepRequested(step); });
    row->addWidget(sw.button, 0, Qt::AlignTop);
    row->addWidget(para("<b>" + html(s.title) + "</b>", w), 1);
    v->addLayout(row);
    auto* cmd = para(small("$ " + html(lesson::reproduce_command(s))), w);
    cmd->setFont(mono);
    v->addWidget(cmd);
    QString hints;
    if (!s.cli.empty()) hints += "<br><i>CLI:</i> " + html(s.cli);
    if (!s.gui.empty()) hints += "<br><i>GUI:</i> " + html(s.gui);
    if (!s.note.empty()) hints += "<br>" + html(s.note);
    if (!hints.isEmpty()) v->addWidget(para(hints.mid(4), w));
    sw.figures = para("", w);
    sw.figures->setObjectName(QString("lessonFigures%1").arg(i + 1));
    v->addWidget(sw.figures);
    steps_.push_back(sw);
  }
  v->addStretch(1);
  return w;
}

QWidget* LessonView::buildResults() {
  const lesson::Lesson& l = session_->lesson();
  auto* w = new QWidget(this);
  auto* v = new QVBoxLayout(w);
  v->setContentsMargins(6, 6, 6, 6);
  v->addWidget(heading("What the runs show", w));
  predicted_ = para("", w);
  v->addWidget(predicted_);
  checks_ = para("", w);
  checks_->setObjectName("lessonChecks");
  v->addWidget(checks_);
  whyPending_ = para(small("The explanation appears once every step has run."), w);
  v->addWidget(whyPending_);
  why_ = new QWidget(w);
  why_->setObjectName("lessonWhy");
  auto* wv = new QVBoxLayout(why_);
  wv->setContentsMargins(0, 0, 0, 0);
  wv->addWidget(heading("Why", why_));
  wv->addWidget(para(html(l.explain), why_));
  if (!l.discuss.empty()) {
    QString d;
    for (std::size_t i = 0; i < l.discuss.size(); ++i)
      d += QString("<p>%1. %2</p>").arg(i + 1).arg(html(l.discuss[i].question));
    wv->addWidget(heading("Discuss", why_));
    wv->addWidget(para(d, why_));
  }
  if (!l.try_next.empty()) {
    wv->addWidget(heading("Try next", why_));
    wv->addWidget(para(html(l.try_next), why_));
  }
  v->addWidget(why_);
  v->addStretch(1);
  return w;
}

void LessonView::refresh() {
  for (std::size_t i = 0; i < steps_.size(); ++i) {
    StepWidgets& sw = steps_[i];
    const int step = static_cast<int>(i);
    sw.lines.clear();
    if (running_ == step) {
      sw.figures->setText(small("running…"));
    } else if (!session_->hasRun(step)) {
      sw.figures->setText(small("not run yet"));
    } else {
      QString rows;
      for (const auto& r : session_->lookAt(step)) {
        sw.lines << r.label + ": " + r.value;
        rows += "<tr><td>" + r.label.toHtmlEscaped() + "</td><td align='right'>&nbsp;&nbsp;<b>" +
                r.value.toHtmlEscaped() + "</b></td></tr>";
      }
      const QString dir = session_->runDir(step);
      sw.figures->setText("<table>" + rows + "</table>" +
                          (dir.isEmpty() ? QString() : small("run written to " + dir.toHtmlEscaped())));
    }
  }

  const bool anyRun = !session_->runs().empty();
  const QString p = session_->prediction().trimmed();
  predicted_->setVisible(anyRun && !p.isEmpty());
  predicted_->setText("<b>You predicted:</b> <i>" + p.toHtmlEscaped().replace("\n", "<br>") + "</i>");

  QString text;
  checksPlain_.clear();
  for (const auto& c : session_->checks()) {
    QString badge, plain;
    switch (c.state) {
      case CheckRow::State::Passed:
        badge = QString("<b style='color:%1'>PASS</b>").arg(passColor(true).name());
        plain = "PASS ";
        break;
      case CheckRow::State::Failed:
        badge = QString("<b style='color:%1'>FAIL</b>").arg(passColor(false).name());
        plain = "FAIL ";
        break;
      case CheckRow::State::Waiting:
        badge = small("<b>…</b>");
        plain = "WAITING ";
        break;
    }
    checksPlain_ += plain + c.claim;
    text += "<p>" + badge + "&nbsp; " + c.claim.toHtmlEscaped();
    if (c.state == CheckRow::State::Waiting) {
      checksPlain_ += " (run " + c.waitingFor.join(", ") + ")\n";
      text += "<br>" + small("after step " + c.waitingFor.join(", ").toHtmlEscaped() + " has run");
    } else {
      checksPlain_ += "\n";
      QStringList values = c.details.mid(1);  // the readings and "measured: ..."; the expression is the tooltip's
      for (const auto& d : values) checksPlain_ += "  " + d + "\n";
      text += "<br>" + small(values.join("  ·  ").toHtmlEscaped());
    }
    text += "</p>";
  }
  checks_->setText(text);
  QString tip;
  for (const auto& e : session_->lesson().expect) tip += q(e.claim) + "\n    " + q(e.check.text()) + "\n";
  checks_->setToolTip(tip.trimmed());

  const bool all = session_->allRun();
  why_->setVisible(all);
  whyPending_->setVisible(!all);
  for (auto& sw : steps_) sw.button->setEnabled(running_ < 0);
  runAll_->setEnabled(running_ < 0 && !all);
}

void LessonView::setRunning(int step) {
  running_ = step;
  refresh();
}

QStringList LessonView::lookAtLines(int step) const { return steps_.at(static_cast<std::size_t>(step)).lines; }

QString LessonView::checksText() const { return checksPlain_; }

void LessonView::resizeEvent(QResizeEvent* e) {
  // Wide (a screenshot, a maximised dock): the text and the results side by side; a narrow dock stacks them.
  columns_->setDirection(e->size().width() >= 900 ? QBoxLayout::LeftToRight : QBoxLayout::TopToBottom);
  QScrollArea::resizeEvent(e);
}

}  // namespace cachelab::gui
