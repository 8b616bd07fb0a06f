#include "app/format.hpp"

#include <charconv>
#include <cmath>

#include <QLocale>

namespace cachelab::gui {
namespace {
const QString kMissingText = QString::fromUtf8("—");
}

QString formatCount(double v) {
  if (std::isnan(v)) return kMissingText;
  QLocale en(QLocale::English);
  if (v == std::floor(v) && std::fabs(v) < 9e15) return en.toString(static_cast<qlonglong>(v));
  return en.toString(v, 'f', 2);
}

QString formatRatio(double v) { return std::isnan(v) ? kMissingText : QString::number(v, 'f', 3); }

QString formatMicros(double v) {
  if (std::isnan(v)) return kMissingText;
  // The unit follows the magnitude, with three or four significant digits: 212.5 µs, 1.40 ms, 72.1 ms, 1.50 s.
  const double a = std::fabs(v);
  if (a < 1000) return QString::number(v, 'f', 1) + QString::fromUtf8(" µs");
  if (a < 10000) return QString::number(v / 1e3, 'f', 2) + " ms";
  if (a < 1e6) return QString::number(v / 1e3, 'f', 1) + " ms";
  return QString::number(v / 1e6, 'f', 2) + " s";
}

QString formatNumber(double v) {
  if (std::isnan(v)) return {};
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? QString::fromLatin1(buf, static_cast<int>(end - buf)) : QString::number(v, 'g', 17);
}

QString formatBytes(double v) {
  if (std::isnan(v)) return kMissingText;
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  int u = 0;
  while (std::fabs(v) >= 1000 && u < 4) {
    v /= 1000;
    ++u;
  }
  return QString::number(v, 'f', u == 0 ? 0 : 2) + " " + units[u];
}

}  // namespace cachelab::gui
