#include "app/format.hpp"

#include <charconv>
#include <cmath>

#include "cachelab/io/number_format.hpp"

namespace cachelab::gui {
namespace {
const QString kMissingText = QString::fromUtf8("—");

// The CLI's number format (cachelab::fmt), so a figure reads the same in the terminal and in the window.
QString fromFmt(double v, const std::string& text) {
  return std::isnan(v) ? kMissingText : QString::fromStdString(text);
}
}  // namespace

QString formatCount(double v) { return fromFmt(v, fmt::count(v)); }
QString formatRatio(double v) { return fromFmt(v, fmt::ratio(v)); }
QString formatMicros(double v) { return fromFmt(v, fmt::duration_us(v)); }
QString formatBytes(double v) { return fromFmt(v, fmt::bytes(v)); }
QString formatProbability(double v) { return fromFmt(v, fmt::probability(v)); }
QString formatRate(double v) { return fromFmt(v, fmt::rate_per_s(v)); }
QString formatMillis(double v) { return fromFmt(v, fmt::duration_ms(v)); }
QString formatSeconds(double v) { return fromFmt(v, fmt::duration_s(v)); }
QString formatSig(double v) { return fromFmt(v, fmt::sig(v)); }

QString formatNumber(double v) {
  if (std::isnan(v)) return {};
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? QString::fromLatin1(buf, static_cast<int>(end - buf)) : QString::number(v, 'g', 17);
}

}  // namespace cachelab::gui
