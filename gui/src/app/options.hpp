#pragma once
// The command line of cachelab-gui:
//   cachelab-gui [RUN_DIR|SCENARIO.json|LESSON.lesson.json]...
//   cachelab-gui --screenshot OUT.png --view lesson [--size WxH] [--theme light|dark] LESSON.lesson.json
//   cachelab-gui --screenshot OUT.png [--view NAME] [--request SEQ] [--at SECONDS] [--size WxH] [--theme light|dark] RUN_DIR [RUN_DIR]
#include <QSize>
#include <QString>
#include <QStringList>

namespace cachelab::gui {

struct Options {
  QStringList paths;   // run directories or scenario files
  QString screenshot;  // non-empty: render `view` to this PNG and exit
  QString view = "overview";
  long long request = -1;  // --request SEQ: the request the requests view shows (-1: its default choice)
  double at_s = -1;        // --at SECONDS: the animation's virtual time (-1: its start); checked against the run later
  QSize size{1280, 800};
  QString theme;  // "", "light" or "dark" ("" = the saved choice, else the system's)
  QString error;  // non-empty when the command line is wrong
};

Options parseOptions(const QStringList& arguments);

}  // namespace cachelab::gui
