#include "app/lesson_menu.hpp"

#include <QCoreApplication>
#include <QFileDialog>
#include <QMenu>
#include <QSettings>

#include "app/main_window.hpp"
#include "cachelab/lesson/lesson.hpp"

namespace cachelab::gui {

void addLessonMenu(QMenu* file, MainWindow* window) {
  QMenu* menu = file->addMenu("Open &lesson");
  menu->setObjectName("lessonMenu");
  QObject::connect(menu, &QMenu::aboutToShow, window, [menu, window] {
    menu->clear();
    const auto dir = cachelab::lesson::find_lesson_dir(QCoreApplication::arguments().value(0).toStdString());
    try {
      for (const auto& l : cachelab::lesson::load_catalogue(dir)) {
        if (l.is_challenge) continue;  // challenges are graded files, not runs to watch
        const QString path = QString::fromStdString(l.path.string());
        QAction* a = menu->addAction(QString("%1  %2 (%3 min)")
                                         .arg(QString::fromStdString(l.id()), QString::fromStdString(l.title))
                                         .arg(l.minutes),
                                     window, [window, path] { window->openLesson(path); });
        a->setToolTip(path);
      }
    } catch (const std::exception& e) {  // a bad file in the catalogue: say which, keep the menu usable
      menu->addAction("(cannot read the lessons: see the tooltip)")->setToolTip(QString::fromStdString(e.what()));
    }
    menu->addSeparator();
    menu->addAction("Other lesson &file…", window, [window] {
      const QString f = QFileDialog::getOpenFileName(window, "Open lesson", QSettings().value("lastDir").toString(),
                                                     "Lessons (*.lesson.json)");
      if (!f.isEmpty()) window->openLesson(f);
    });
  });
}

}  // namespace cachelab::gui
