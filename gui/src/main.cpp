// cachelab-gui: the dashboard (see app/main_window.hpp) or, with --screenshot, a one-shot offscreen render.
#include <cstdio>

#include <QApplication>
#include <QSettings>

#include "app/main_window.hpp"
#include "app/options.hpp"
#include "app/screenshot.hpp"
#include "app/theme.hpp"

using namespace cachelab::gui;

int main(int argc, char** argv) {
  // A screenshot and the help need no display: choose the offscreen platform unless the caller picked
  // one (without it, `cachelab-gui --help` on a machine with no display aborts in Qt's platform set-up).
  for (int i = 1; i < argc; ++i)
    for (const char* headless : {"--screenshot", "-h", "--help", "--help-all"})
      if (qstrcmp(argv[i], headless) == 0 && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");

  QApplication app(argc, argv);
  QApplication::setOrganizationName("cachelab");
  QApplication::setApplicationName("cachelab-gui");
  QApplication::setApplicationVersion(CACHELAB_VERSION);

  const Options opt = parseOptions(QApplication::arguments());
  if (!opt.error.isEmpty()) {
    std::fprintf(stderr, "cachelab-gui: %s\n", qPrintable(opt.error));
    return 2;
  }
  // Screenshots are light unless asked otherwise, so pictures do not depend on the user's saved choice.
  const QString theme = !opt.theme.isEmpty()       ? opt.theme
                        : opt.screenshot.isEmpty() ? QSettings().value("theme").toString()
                                                   : QString("light");
  applyTheme(app, theme == "dark" ? Theme::Dark : Theme::Light);

  if (!opt.screenshot.isEmpty()) {
    QString error;
    const int rc = runScreenshot(opt, &error);
    if (rc != 0) std::fprintf(stderr, "cachelab-gui: %s\n", qPrintable(error));
    return rc;
  }
  MainWindow w;
  w.show();
  if (!opt.paths.isEmpty()) w.openPaths(opt.paths);
  return app.exec();
}
