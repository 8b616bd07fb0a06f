#include "views/animation_view.hpp"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QShortcut>
#include <QSlider>
#include <QSplitter>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

#include "app/theme.hpp"
#include "widgets/cluster_widget.hpp"

namespace cachelab::gui {
namespace {

constexpr int kTickMs = 33;     // about 30 frames a second while playing
constexpr int kLogBefore = 14;  // events listed before and after the current one
constexpr int kLogAfter = 8;

QString seconds(double t) { return QString::number(t, 'f', 3) + " s"; }

}  // namespace

const std::vector<double>& AnimationView::speeds() {
  static const std::vector<double> s = {0.25, 0.5, 1, 2, 4, 8, 16};
  return s;
}

AnimationView::AnimationView(const RunSet& runs, QWidget* parent) : QWidget(parent), run_(runs.front()) {
  anim_ = std::make_unique<ClusterAnimation>(run_);
  auto* layout = new QVBoxLayout(this);
  auto* source = new QLabel(QString("Replays %1 events of events.jsonl and the intervals of series.csv; nodes at the "
                                    "start from %2.")
                                .arg(run_->events.size())
                                .arg(QString::fromStdString(anim_->layoutSource())),
                            this);
  source->setWordWrap(true);
  layout->addWidget(source);

  auto* split = new QSplitter(Qt::Horizontal, this);
  cluster_ = new ClusterWidget(anim_->columns(), anim_->peakOpsPerS(), split);
  log_ = new QListWidget(split);
  log_->setSelectionMode(QAbstractItemView::NoSelection);
  log_->setTextElideMode(Qt::ElideRight);  // the full row is the item's tooltip
  log_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  log_->setToolTip("The events around the current time: the last one applied is bold, later ones are grey.");
  split->addWidget(cluster_);
  split->addWidget(log_);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 1);
  split->setSizes({900, 330});
  layout->addWidget(split, 1);

  auto* controls = new QHBoxLayout;
  auto button = [&](QStyle::StandardPixmap icon, const QString& tip) {
    auto* b = new QToolButton(this);
    b->setIcon(style()->standardIcon(icon));
    b->setToolTip(tip);
    controls->addWidget(b);
    return b;
  };
  QToolButton* back = button(QStyle::SP_MediaSkipBackward, "Previous event (Left)");
  playButton_ = button(QStyle::SP_MediaPlay, "Play / pause (Space)");
  QToolButton* forward = button(QStyle::SP_MediaSkipForward, "Next event (Right)");
  slider_ = new QSlider(Qt::Horizontal, this);
  slider_->setRange(0, static_cast<int>(std::llround(std::min(anim_->endTime(), 2.0e6) * 1000)));
  slider_->setToolTip("Scrub through the run (virtual time, millisecond steps)");
  controls->addWidget(slider_, 1);
  timeLabel_ = new QLabel(this);
  timeLabel_->setMinimumWidth(fontMetrics().horizontalAdvance("t = 0000.000 s of 0000.0 s"));
  controls->addWidget(timeLabel_);
  controls->addWidget(new QLabel("speed", this));
  speedBox_ = new QComboBox(this);
  for (double s : speeds()) speedBox_->addItem(QString::number(s) + "×", s);
  speedBox_->setCurrentIndex(2);
  speedBox_->setToolTip("Virtual seconds per second of playback");
  controls->addWidget(speedBox_);
  layout->addLayout(controls);

  timer_ = new QTimer(this);
  timer_->setInterval(kTickMs);
  connect(timer_, &QTimer::timeout, this, &AnimationView::tick);
  connect(playButton_, &QToolButton::clicked, this, [this] { playing() ? pause() : play(); });
  connect(back, &QToolButton::clicked, this, &AnimationView::stepBackward);
  connect(forward, &QToolButton::clicked, this, &AnimationView::stepForward);
  connect(slider_, &QSlider::valueChanged, this, [this](int ms) {
    if (!settingSlider_) setTime(ms / 1000.0);
  });
  connect(speedBox_, &QComboBox::currentIndexChanged, this,
          [this](int i) { speed_ = speedBox_->itemData(i).toDouble(); });
  auto shortcut = [this](const QKeySequence& k, auto fn) {
    auto* s = new QShortcut(k, this);
    s->setContext(Qt::WidgetWithChildrenShortcut);
    connect(s, &QShortcut::activated, this, fn);
  };
  shortcut(QKeySequence(Qt::Key_Space), [this] { playing() ? pause() : play(); });
  shortcut(QKeySequence(Qt::Key_Right), [this] { stepForward(); });
  shortcut(QKeySequence(Qt::Key_Left), [this] { stepBackward(); });
  refresh();
}

void AnimationView::setTime(double t_s) {
  t_ = std::isfinite(t_s) ? std::clamp(t_s, 0.0, anim_->endTime()) : 0.0;
  refresh();
}

void AnimationView::setSpeed(double factor) {
  for (int i = 0; i < speedBox_->count(); ++i)
    if (speedBox_->itemData(i).toDouble() == factor) speedBox_->setCurrentIndex(i);
}

void AnimationView::play() {
  if (t_ >= anim_->endTime()) setTime(0);  // from the start again
  clock_.start();
  timer_->start();
  playButton_->setIcon(style()->standardIcon(QStyle::SP_MediaPause));
}

void AnimationView::pause() {
  timer_->stop();
  playButton_->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
}

bool AnimationView::playing() const { return timer_->isActive(); }

void AnimationView::stepForward() {
  pause();
  setTime(anim_->nextEventTime(t_));
}

void AnimationView::stepBackward() {
  pause();
  setTime(anim_->previousEventTime(t_));
}

void AnimationView::tick() {
  // Virtual time advances by the wall time since the last tick times the speed (a slow frame is caught up).
  const double dt = static_cast<double>(clock_.restart()) / 1000.0 * speed_;
  setTime(t_ + dt);
  if (t_ >= anim_->endTime()) pause();
}

void AnimationView::refresh() {
  const ClusterFrame f = anim_->at(t_);
  settingSlider_ = true;
  slider_->setValue(static_cast<int>(std::llround(std::min(t_, 2.0e6) * 1000)));
  settingSlider_ = false;
  timeLabel_->setText(QString("t = %1 of %2 s").arg(t_, 0, 'f', 3).arg(anim_->endTime(), 0, 'f', 1));

  log_->clear();
  const auto& events = anim_->events();
  const long current = static_cast<long>(f.events_applied) - 1;
  const long from = std::max(0L, current - kLogBefore);
  const long to = std::min(static_cast<long>(events.size()), current + 1 + kLogAfter);
  const QColor future = palette().color(QPalette::Disabled, QPalette::Text);
  for (long i = from; i < to; ++i) {
    const auto& ev = events[static_cast<std::size_t>(i)];
    auto* item = new QListWidgetItem(seconds(ev.t_s) + "  " + QString::fromStdString(eventSummary(ev)), log_);
    item->setToolTip(QString::fromStdString(ev.raw.dump()));  // the row as the file has it
    if (i > current) item->setForeground(future);
    if (i == current) {
      QFont bold = item->font();
      bold.setBold(true);
      item->setFont(bold);
      item->setForeground(eventColor(ev.type) == QColor(150, 150, 150) ? palette().color(QPalette::Text)
                                                                       : eventColor(ev.type));
    }
  }
  if (current >= from) log_->scrollToItem(log_->item(static_cast<int>(current - from)));
  cluster_->setFrame(f);
}

}  // namespace cachelab::gui
