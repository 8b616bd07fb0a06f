#pragma once
// How numbers from the results files are printed. A missing value (NaN) prints as an em dash, never as 0.
#include <QString>

namespace cachelab::gui {

QString formatCount(double v);                        // 18,200
QString formatRatio(double v);                        // 0.870
QString formatMicros(double v);                       // 212.5 µs, 1.40 ms, 15.0 ms, 1.50 s
QString formatNumber(double v);                       // shortest text that reads back as v
QString formatBytes(double v);                        // 1.02 MB

}  // namespace cachelab::gui
