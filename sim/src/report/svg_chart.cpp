#include "cachelab/report/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "cachelab/io/number_format.hpp"

namespace cachelab::report {

namespace {

// Colour-blind-safe palette (Okabe-Ito), cycled.
const char* kColors[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"};

std::string num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", v);
  return b;
}

}  // namespace

std::string xml_escape(const std::string& s) {
  std::string o;
  o.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += "&quot;";
        break;
      case '\'':
        o += "&#39;";
        break;
      default:
        o += c;
    }
  }
  return o;
}

std::vector<double> nice_ticks(double lo, double hi, int target) {
  std::vector<double> t;
  if (!std::isfinite(lo) || !std::isfinite(hi)) return t;
  if (hi <= lo) hi = lo + (lo == 0 ? 1 : std::abs(lo) * 0.1);
  const double raw = (hi - lo) / std::max(1, target);
  const int e = static_cast<int>(std::floor(std::log10(raw)));
  const double mag = std::pow(10.0, e);
  double m = 10;
  for (double c : {1.0, 2.0, 5.0, 10.0})
    if (c * mag >= raw) {
      m = c;
      break;
    }
  // Tick k is k x m x 10^e, computed as (k x m) / 10^-e for e < 0 so that 3 x 0.2 prints as 0.6, not 0.6000000000000001.
  const double inv = e < 0 ? std::pow(10.0, -e) : 0;
  auto tick = [&](long long k) { return e < 0 ? static_cast<double>(k) * m / inv : static_cast<double>(k) * m * mag; };
  const double step = m * mag;
  for (long long k = static_cast<long long>(std::ceil(lo / step - 1e-9)); tick(k) <= hi + step * 1e-9 && t.size() < 100;
       ++k)
    t.push_back(tick(k));
  return t;
}

std::string render_svg(const LineChart& c, int width, int height) {
  const double left = 70, right = 16, top = 28, bottom = 44;
  const bool legend = c.series.size() > 1 || (c.legend && !c.series.empty());
  const double legend_h = legend ? 18.0 * static_cast<double>((c.series.size() + 3) / 4) : 0;
  const double H = height + legend_h;
  const double pw = width - left - right, ph = height - top - bottom;
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  for (const auto& s : c.series)
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!std::isfinite(s.x[i])) continue;
      x0 = std::min(x0, s.x[i]);
      x1 = std::max(x1, s.x[i]);
      if (!std::isfinite(s.y[i])) continue;
      y0 = std::min(y0, s.y[i]);
      y1 = std::max(y1, s.y[i]);
    }
  if (!c.x_categories.empty()) x0 = 0, x1 = static_cast<double>(c.x_categories.size() - 1);
  const bool empty = !std::isfinite(x0);
  if (empty) x0 = 0, x1 = 1;
  if (!std::isfinite(y0)) y0 = 0, y1 = 1;
  y0 = std::min(y0, 0.0);  // rates, latencies, counts: the axis starts at 0 so changes are not exaggerated
  if (c.y_min) y0 = *c.y_min;
  if (c.y_max) y1 = *c.y_max;
  std::vector<double> yt = nice_ticks(y0, y1, 5);
  if (!c.y_max && !yt.empty()) y1 = std::max(y1, yt.back());
  if (y1 <= y0) y1 = y0 + 1;
  if (x1 <= x0) x1 = x0 + 1;
  // Categories sit half a step in from the edges.
  const double xpad = c.x_categories.empty() ? 0 : 0.5;
  auto X = [&](double x) { return left + (x - x0 + xpad) / (x1 - x0 + 2 * xpad) * pw; };
  auto Y = [&](double y) { return top + (1 - (std::clamp(y, y0, y1) - y0) / (y1 - y0)) * ph; };
  // Default tick labels: as many significant digits as the step needs (15 on a step of 5, 0.6 on a step of 0.2).
  const double ystep = yt.size() > 1 ? yt[1] - yt[0] : 1;
  auto yf = c.y_format ? c.y_format : std::function<std::string(double)>([&](double v) {
    if (v == 0) return "0" + c.y_suffix;
    const int digits = static_cast<int>(std::floor(std::log10(std::abs(v))) - std::floor(std::log10(ystep) + 1e-9)) + 1;
    return fmt::sig(v, std::clamp(digits, 1, 15)) + c.y_suffix;
  });
  auto xf = c.x_format ? c.x_format : [](double v) { return fmt::sig(v, 3); };

  // No xmlns: inline SVG in HTML5 needs none, and the file then holds no URL at all.
  std::string o = "<svg class=\"chart\" width=\"" + std::to_string(width) + "\" height=\"" + num(H) +
                  "\" viewBox=\"0 0 " + std::to_string(width) + " " + num(H) + "\" role=\"img\" aria-label=\"" +
                  xml_escape(c.title) + "\">\n";
  o += "<title>" + xml_escape(c.title) + "</title>\n";
  o += "<text x=\"" + num(left) + "\" y=\"18\" font-size=\"14\" font-weight=\"bold\">" + xml_escape(c.title) +
       "</text>\n";
  if (c.shade_until_x > x0 && !empty)
    o += "<rect x=\"" + num(X(x0)) + "\" y=\"" + num(top) + "\" width=\"" +
         num(X(std::min(c.shade_until_x, x1)) - X(x0)) + "\" height=\"" + num(ph) +
         "\" fill=\"#eeeeee\"><title>warm-up (not in summary.json)</title></rect>\n";
  for (double v : yt) {
    if (v < y0 - 1e-12 || v > y1 + 1e-12) continue;
    o += "<line x1=\"" + num(left) + "\" x2=\"" + num(left + pw) + "\" y1=\"" + num(Y(v)) + "\" y2=\"" + num(Y(v)) +
         "\" stroke=\"#dddddd\"/>\n";
    o += "<text x=\"" + num(left - 6) + "\" y=\"" + num(Y(v) + 4) + "\" font-size=\"11\" text-anchor=\"end\">" +
         xml_escape(yf(v)) + "</text>\n";
  }
  if (!c.x_categories.empty()) {
    const size_t n = c.x_categories.size(), every = std::max<size_t>(1, n / 12 + (n % 12 ? 1 : 0));
    for (size_t i = 0; i < n; i += every)
      o += "<text x=\"" + num(X(static_cast<double>(i))) + "\" y=\"" + num(top + ph + 16) +
           "\" font-size=\"11\" text-anchor=\"middle\">" + xml_escape(c.x_categories[i]) + "</text>\n";
  } else {
    for (double v : nice_ticks(x0, x1, 8)) {
      if (v < x0 - 1e-12 || v > x1 + 1e-12) continue;
      o += "<line x1=\"" + num(X(v)) + "\" x2=\"" + num(X(v)) + "\" y1=\"" + num(top + ph) + "\" y2=\"" +
           num(top + ph + 4) + "\" stroke=\"#555555\"/>\n";
      o += "<text x=\"" + num(X(v)) + "\" y=\"" + num(top + ph + 16) + "\" font-size=\"11\" text-anchor=\"middle\">" +
           xml_escape(xf(v)) + "</text>\n";
    }
  }
  o += "<rect x=\"" + num(left) + "\" y=\"" + num(top) + "\" width=\"" + num(pw) + "\" height=\"" + num(ph) +
       "\" fill=\"none\" stroke=\"#555555\"/>\n";
  o += "<text x=\"" + num(left + pw / 2) + "\" y=\"" + num(top + ph + 34) +
       "\" font-size=\"12\" text-anchor=\"middle\">" + xml_escape(c.x_label) + "</text>\n";
  o += "<text transform=\"translate(14," + num(top + ph / 2) +
       ") rotate(-90)\" font-size=\"12\" text-anchor=\"middle\">" + xml_escape(c.y_label) + "</text>\n";
  for (const auto& m : c.markers) {
    if (m.x < x0 || m.x > x1) continue;
    o += "<line x1=\"" + num(X(m.x)) + "\" x2=\"" + num(X(m.x)) + "\" y1=\"" + num(top) + "\" y2=\"" + num(top + ph) +
         "\" stroke=\"#999999\" stroke-dasharray=\"4 3\"><title>" + xml_escape(m.label) + "</title></line>\n";
    o += "<text x=\"" + num(X(m.x) + 3) + "\" y=\"" + num(top + 11) + "\" font-size=\"10\" fill=\"#666666\">" +
         xml_escape(m.label) + "</text>\n";
  }
  for (size_t k = 0; k < c.series.size(); ++k) {
    const auto& s = c.series[k];
    const std::string color = kColors[k % (sizeof kColors / sizeof kColors[0])];
    std::string pts;
    auto flush = [&] {
      if (!pts.empty())
        o += "<polyline fill=\"none\" stroke=\"" + color + "\" stroke-width=\"1.5\" points=\"" + pts + "\"/>\n";
      pts.clear();
    };
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!std::isfinite(s.y[i]) || !std::isfinite(s.x[i])) {
        flush();
        continue;
      }
      pts += (pts.empty() ? "" : " ") + num(X(s.x[i])) + "," + num(Y(s.y[i]));
      if (c.points)
        o += "<circle cx=\"" + num(X(s.x[i])) + "\" cy=\"" + num(Y(s.y[i])) + "\" r=\"3\" fill=\"" + color + "\"/>\n";
    }
    flush();
    if (legend) {
      const double lx = left + static_cast<double>(k % 4) * (pw / 4), ly = height + 18.0 * static_cast<double>(k / 4);
      o += "<rect x=\"" + num(lx) + "\" y=\"" + num(ly - 9) + "\" width=\"12\" height=\"3\" fill=\"" + color + "\"/>\n";
      o += "<text x=\"" + num(lx + 16) + "\" y=\"" + num(ly - 4) + "\" font-size=\"11\">" + xml_escape(s.name) +
           "</text>\n";
    }
  }
  if (empty)
    o += "<text x=\"" + num(left + pw / 2) + "\" y=\"" + num(top + ph / 2) +
         "\" font-size=\"12\" text-anchor=\"middle\" fill=\"#666666\">no data</text>\n";
  o += "</svg>\n";
  return o;
}

}  // namespace cachelab::report
