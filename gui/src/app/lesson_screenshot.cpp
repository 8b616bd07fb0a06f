#include "app/lesson_screenshot.hpp"

#include <QApplication>
#include <QFileInfo>
#include <QPixmap>

#include "views/lesson_view.hpp"

namespace cachelab::gui {

QImage renderLesson(LessonSession& session, const QSize& size) {
  LessonView view(&session);
  view.setAttribute(Qt::WA_DontShowOnScreen);
  view.resize(size);
  view.show();
  QApplication::processEvents();  // layouts settle (the two columns take their width) before the grab
  return view.grab().toImage();
}

void runLessonSteps(LessonSession& session) {
  for (int i = 0; i < session.stepCount(); ++i)
    if (!session.hasRun(i))
      session.setResult(i, cachelab::lesson::run_step(session.lesson().steps[static_cast<size_t>(i)]));
}

int runLessonScreenshot(const Options& options, QString* error) {
  if (options.paths.size() > 2 || !options.paths.front().endsWith(".lesson.json")) {
    *error =
        "--view lesson draws one lesson: give a *.lesson.json file, and optionally the folder `cachelab lesson "
        "run N --out DIR` wrote (found: " +
        options.paths.join(" ") + ")";
    return 2;
  }
  if (options.paths.size() == 2 && !QFileInfo(options.paths[1]).isDir()) {
    *error = options.paths[1] + ": expected the folder `cachelab lesson run N --out DIR` wrote (DIR/<step id>/)";
    return 2;
  }
  try {
    LessonSession session = LessonSession::load(options.paths.front());
    if (session.lesson().is_challenge) {
      *error = options.paths.front() + ": a challenge has no steps to run; --view lesson draws a lesson";
      return 2;
    }
    if (options.paths.size() == 2)
      session.readSteps(options.paths[1]);
    else
      runLessonSteps(session);
    const QImage img = renderLesson(session, options.size);
    if (!img.save(options.screenshot, "PNG")) {
      *error = options.screenshot + ": cannot write the PNG file";
      return 2;
    }
    return 0;
  } catch (const std::exception& e) {  // ScenarioError (file, JSON pointer, expected, found), ResultsError
    *error = QString::fromStdString(e.what());
    return 2;
  }
}

}  // namespace cachelab::gui
