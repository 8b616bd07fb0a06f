#pragma once
// `cachelab-gui --screenshot OUT.png --view NAME RUN_DIR`: renders one view offscreen and writes a PNG.
#include <QImage>
#include <QSize>
#include <QString>

#include "app/options.hpp"
#include "model/run_set.hpp"

namespace cachelab::gui {

// Renders view `name` of `runs` at `size` (the widget is laid out and painted, never shown on screen).
// Returns a null image for an unknown view name.
// `request` >= 0: the requests view shows the request with that seq (a null image when the run has none).
// `at_s` >= 0: the animation view shows that virtual time (the caller checks it is within the run).
QImage renderView(const QString& name, const RunSet& runs, const QSize& size, long long request = -1, double at_s = -1);

// The whole --screenshot command: 0 when the PNG is written, 2 with a message in `error` for a bad run
// directory, an unknown view, an --at beyond the run or an unwritable output.
int runScreenshot(const Options& options, QString* error);

}  // namespace cachelab::gui
