#pragma once
// The animated cluster view (issue 18 part 3): plays the first run back over virtual time. Play / pause, step to the
// previous or next event, a scrub slider, speed 0.25x to 16x of virtual time, the current time, and the log of the
// events around it. The state drawn at each time is model/cluster_animation.hpp's (read from the run's files).
#include <memory>

#include <QElapsedTimer>
#include <QWidget>

#include "model/cluster_animation.hpp"
#include "model/run_set.hpp"

class QComboBox;
class QLabel;
class QListWidget;
class QSlider;
class QTimer;
class QToolButton;

namespace cachelab::gui {

class ClusterWidget;

class AnimationView : public QWidget {
  Q_OBJECT
 public:
  explicit AnimationView(const RunSet& runs, QWidget* parent = nullptr);

  // Shows the cluster at virtual time t (clamped to the run).
  void setTime(double t_s);
  double time() const { return t_; }
  double endTime() const { return anim_->endTime(); }
  void setSpeed(double factor);  // one of speeds(); others are ignored
  double speed() const { return speed_; }
  static const std::vector<double>& speeds();  // 0.25, 0.5, 1, 2, 4, 8, 16
  void play();
  void pause();
  bool playing() const;
  void stepForward();   // to the next event's time
  void stepBackward();  // to the previous event's time
  const ClusterAnimation& animation() const { return *anim_; }
  const ClusterWidget* cluster() const { return cluster_; }
  const QListWidget* log() const { return log_; }

 private:
  void tick();
  void refresh();

  RunPtr run_;
  std::unique_ptr<ClusterAnimation> anim_;
  double t_ = 0;
  double speed_ = 1;
  ClusterWidget* cluster_ = nullptr;
  QToolButton* playButton_ = nullptr;
  QSlider* slider_ = nullptr;
  QLabel* timeLabel_ = nullptr;
  QComboBox* speedBox_ = nullptr;
  QListWidget* log_ = nullptr;
  QTimer* timer_ = nullptr;
  QElapsedTimer clock_;
  bool settingSlider_ = false;
};

}  // namespace cachelab::gui
