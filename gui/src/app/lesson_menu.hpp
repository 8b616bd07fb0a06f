#pragma once
// File ▸ Open lesson: the lessons of the catalogue (sim's lesson::find_lesson_dir, as `cachelab lesson list`
// finds them), read when the menu opens, and "Other lesson file…".
class QMenu;

namespace cachelab::gui {

class MainWindow;

void addLessonMenu(QMenu* file, MainWindow* window);

}  // namespace cachelab::gui
