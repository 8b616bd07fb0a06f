#include "app/options.hpp"

#include <QCommandLineParser>
#include <QRegularExpression>

#include <climits>
#include <cmath>

#include "views/view_factory.hpp"

namespace cachelab::gui {

Options parseOptions(const QStringList& arguments) {
  Options o;
  QCommandLineParser p;
  p.setApplicationDescription("cachelab dashboard: draws the results of cachelab runs.");
  p.addHelpOption();
  p.addPositionalArgument("paths", "Run directories (results/<scenario>/<run>), scenario files, or a lesson.",
                          "[RUN_DIR|SCENARIO.json|LESSON.lesson.json]...");
  p.addOption({"screenshot", "Render a view offscreen to OUT.png and exit.", "OUT.png"});
  p.addOption({"view", "View for --screenshot: " + viewNames().join(", ") + ", or lesson (with a *.lesson.json).",
               "NAME", "overview"});
  p.addOption({"size", "Screenshot size in pixels.", "WxH", "1280x800"});
  p.addOption({"request", "Requests view: the request (its seq in requests.jsonl) to show.", "SEQ"});
  p.addOption({"at", "Animation view: the virtual time to show, in seconds since the run's start.", "SECONDS"});
  p.addOption({"theme", "Colour theme: light or dark.", "THEME"});
  if (!p.parse(arguments)) {
    o.error = p.errorText();
    return o;
  }
  if (p.isSet("help")) p.showHelp(0);
  o.paths = p.positionalArguments();
  o.screenshot = p.value("screenshot");
  o.view = p.value("view");
  o.theme = p.value("theme");
  if (!viewNames().contains(o.view) && o.view != "lesson")
    o.error = "unknown view \"" + o.view + "\"; expected one of: " + viewNames().join(", ") + ", lesson";
  const auto m = QRegularExpression("^(\\d+)x(\\d+)$").match(p.value("size"));
  if (!m.hasMatch() || m.captured(1).toInt() < 100 || m.captured(2).toInt() < 100)
    o.error = "--size: expected WxH of at least 100x100 (1280x800), found \"" + p.value("size") + "\"";
  else
    o.size = QSize(m.captured(1).toInt(), m.captured(2).toInt());
  if (!o.theme.isEmpty() && o.theme != "light" && o.theme != "dark")
    o.error = "--theme: expected light or dark, found \"" + o.theme + "\"";
  if (p.isSet("request")) {
    bool ok = false;
    const qulonglong seq = p.value("request").toULongLong(&ok);
    if (!ok || seq > static_cast<qulonglong>(LLONG_MAX))
      o.error = "--request: expected a request's seq (a whole number), found \"" + p.value("request") + "\"";
    else
      o.request = static_cast<long long>(seq);
  }
  if (p.isSet("at")) {
    bool ok = false;
    const double at = p.value("at").toDouble(&ok);
    if (!ok || !std::isfinite(at) || at < 0)
      o.error = "--at: expected a time in seconds (a number >= 0), found \"" + p.value("at") + "\"";
    else if (o.view != "animation")
      o.error = "--at: only the animation view has a time; add --view animation";
    else
      o.at_s = at;
  }
  if (!o.screenshot.isEmpty() && o.paths.isEmpty())
    o.error = o.view == "lesson" ? "--screenshot --view lesson needs a lesson file (*.lesson.json)"
                                 : "--screenshot needs a run directory";
  return o;
}

}  // namespace cachelab::gui
