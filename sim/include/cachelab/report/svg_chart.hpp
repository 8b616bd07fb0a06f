#pragma once
// A small SVG line-chart writer for `cachelab report` (no Qt in sim/): one chart is one self-contained <svg>
// element (inline styles, no scripts, no external references) with axes, "nice" ticks, a legend, optional vertical
// markers (faults) and a shaded warm-up. A NaN y breaks the line (an interval without a value is not drawn as 0).
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cachelab::report {

struct LineSeries {
  std::string name;
  std::vector<double> x, y;  // same length; NaN y = gap
};

struct Marker {
  double x;
  std::string label;
};

struct LineChart {
  std::string title;
  std::string x_label, y_label;
  std::vector<LineSeries> series;
  std::optional<double> y_min, y_max;           // fixed range (hit ratio: 0..1); else from the data (0 included)
  std::vector<std::string> x_categories;        // when set, x values are indices into these labels
  std::function<std::string(double)> y_format;  // tick labels (cachelab::fmt); default: the digits the tick step
                                                // needs (fmt::sig) and y_suffix
  std::string y_suffix;                         // " MiB", " ms": the unit of the default tick labels
  std::function<std::string(double)> x_format;
  std::vector<Marker> markers;
  double shade_until_x = -1;  // shade [x_min, this] (warm-up); < x_min = none
  bool points = false;        // draw a dot at each point (few points: sweeps, plans)
  bool legend = false;        // a legend even for one series (its name says which of several kinds it is)
};

// "Nice" tick values covering [lo, hi]: steps of 1, 2 or 5 x 10^k, about `target` of them.
std::vector<double> nice_ticks(double lo, double hi, int target = 5);

// The chart as an <svg> element, width x height pixels.
std::string render_svg(const LineChart& chart, int width = 720, int height = 260);

// Text escaped for HTML/SVG content and attributes (& < > " ').
std::string xml_escape(const std::string& s);

}  // namespace cachelab::report
