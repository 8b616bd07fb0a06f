#include "app/screenshot.hpp"

#include <memory>

#include <QApplication>
#include <QFileInfo>
#include <QPixmap>
#include <QWidget>

#include "app/lesson_screenshot.hpp"
#include "cachelab/results/writer.hpp"
#include "model/cluster_animation.hpp"
#include "views/animation_view.hpp"
#include "views/requests_view.hpp"
#include "views/view_factory.hpp"

namespace cachelab::gui {

QImage renderView(const QString& name, const RunSet& runs, const QSize& size, long long request, double at_s) {
  std::unique_ptr<QWidget> view(createView(name, runs));
  if (!view) return {};
  if (auto* requests = qobject_cast<RequestsView*>(view.get()); requests && request >= 0)
    if (!requests->selectRequest(static_cast<std::uint64_t>(request))) return {};
  if (auto* animation = qobject_cast<AnimationView*>(view.get()); animation && at_s >= 0) animation->setTime(at_s);
  view->setAttribute(Qt::WA_DontShowOnScreen);  // laid out and painted like a shown window, never on screen
  view->resize(size);
  view->show();
  QApplication::processEvents();  // let layouts and charts settle before grabbing
  return view->grab().toImage();
}

int runScreenshot(const Options& options, QString* error) {
  // Before anything is drawn: the PNG must not replace a run's own file (`--screenshot RUN/summary.json RUN`
  // overwrote the summary with a PNG), and its directory must be writable (issue 21).
  if (const std::string why = cachelab::check_output_file(options.screenshot.toStdString()); !why.empty()) {
    *error = "--screenshot: " + QString::fromStdString(why);
    return 2;
  }
  if (options.view == "lesson") return runLessonScreenshot(options, error);
  RunSet runs;
  for (const auto& path : options.paths) {
    if (QFileInfo(path).isFile() && path.endsWith(".json")) {
      *error = path + ": --screenshot draws run directories, not scenario files (run `cachelab run " + path +
               "` first and pass the run directory it writes)";
      return 2;
    }
    try {
      runs.push_back(loadRun(path));
    } catch (const std::exception& e) {
      *error = QString::fromStdString(e.what());
      return 2;
    }
  }
  if (options.at_s >= 0) {
    // The run's end as the animation reads it (run_end, else the last series row): a later time shows nothing new.
    const double end = ClusterAnimation(runs.front()).endTime();
    if (options.at_s > end) {
      *error = QString("--at %1: beyond the run's end (%2 s)").arg(options.at_s).arg(end);
      return 2;
    }
  }
  const QImage img = renderView(options.view, runs, options.size, options.request, options.at_s);
  if (img.isNull()) {
    *error = options.request >= 0 && options.view == "requests"
                 ? QString("--request %1: the run's requests.jsonl has no request with that seq").arg(options.request)
                 : "unknown view \"" + options.view + "\"";
    return 2;
  }
  if (!img.save(options.screenshot, "PNG")) {
    *error = options.screenshot + ": cannot write the PNG file";
    return 2;
  }
  return 0;
}

}  // namespace cachelab::gui
