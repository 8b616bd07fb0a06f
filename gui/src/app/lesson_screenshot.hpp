#pragma once
// `cachelab-gui --screenshot OUT.png --view lesson LESSON.lesson.json [DIR]`: renders the lesson panel with its
// figures and checks. Without DIR every step runs first in this process (sim's lesson::run_step, one after the
// other, no run directory written; a step takes seconds). With DIR (what `cachelab lesson run N --out DIR`
// writes: DIR/<step id>/) the steps found there are read back (lesson::read_step_run) and the others are shown
// as not run yet, so an empty DIR draws the lesson before any run.
#include <QImage>
#include <QSize>
#include <QString>

#include "app/options.hpp"
#include "model/lesson_session.hpp"

namespace cachelab::gui {

// Renders the lesson panel of `session` at `size` (laid out and painted, never shown on screen).
QImage renderLesson(LessonSession& session, const QSize& size);

// Runs every step of `session` not run yet, in order, on this thread.
void runLessonSteps(LessonSession& session);

// The whole --screenshot --view lesson command: 0 when the PNG is written, 2 with a message in `error` for a bad
// or missing lesson file (the loader's message), a step that cannot run, or an unwritable output.
int runLessonScreenshot(const Options& options, QString* error);

}  // namespace cachelab::gui
