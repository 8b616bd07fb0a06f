#include "app/lesson_screenshot.hpp"

#include <QApplication>
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
  if (options.paths.size() != 1 || !options.paths.front().endsWith(".lesson.json")) {
    *error = "--view lesson draws one lesson: give one *.lesson.json file (found: " + options.paths.join(" ") + ")";
    return 2;
  }
  try {
    LessonSession session = LessonSession::load(options.paths.front());
    if (session.lesson().is_challenge) {
      *error = options.paths.front() + ": a challenge has no steps to run; --view lesson draws a lesson";
      return 2;
    }
    runLessonSteps(session);
    const QImage img = renderLesson(session, options.size);
    if (!img.save(options.screenshot, "PNG")) {
      *error = options.screenshot + ": cannot write the PNG file";
      return 2;
    }
    return 0;
  } catch (const std::exception& e) {  // ScenarioError from the loader: file, JSON pointer, expected, found
    *error = QString::fromStdString(e.what());
    return 2;
  }
}

}  // namespace cachelab::gui
