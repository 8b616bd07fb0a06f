#pragma once
// `cachelab report DIR`: one self-contained HTML page (inline CSS and inline SVG charts, no scripts, no URL) for
// a run directory, a sweep directory (sweep.json) or a plan directory (plan.json). Runs are read through the
// results reader (results/reader.hpp); every number a person reads goes through cachelab::fmt.
#include <filesystem>
#include <string>

namespace cachelab::report {

enum class DirKind { Run, Sweep, Plan };

// Which kind of results directory `dir` is. Throws ResultsError (naming the directory) when it is none.
DirKind detect_dir(const std::filesystem::path& dir);

// The whole page. Throws ResultsError on a malformed directory (the message names the file and what is wrong).
std::string report_html(const std::filesystem::path& dir);

// Pieces, for tests and for the plan page (which shows its answer's run).
std::string run_section(const std::filesystem::path& run_dir, const std::string& heading);
std::string page(const std::string& title, const std::string& body);

}  // namespace cachelab::report
