#pragma once
// How numbers from the results files are printed: cachelab::fmt, the CLI's one number format
// (sim/include/cachelab/io/number_format.hpp). A missing value (NaN) prints as an em dash, never as 0.
#include <QString>

namespace cachelab::gui {

QString formatCount(double v);        // 18,200
QString formatRatio(double v);        // 0.8700
QString formatMicros(double v);       // 213 µs, 1.40 ms, 15.0 ms, 1.50 s
QString formatMillis(double v);       // input in ms: 25.0 ms
QString formatSeconds(double v);      // input in s: 80.0 s
QString formatBytes(double v);        // 64.0 MiB
QString formatProbability(double v);  // 0.00212, < 1e-9
QString formatRate(double v);         // 29.9k/s
QString formatSig(double v);          // 3 significant digits
QString formatNumber(double v);       // shortest text that reads back as v (tooltips, exact)

}  // namespace cachelab::gui
