#pragma once
// A host calibration file (`cachelab-live calibrate` writes it, `--calibration FILE` applies it): the knobs whose
// right values are a property of the machine and the servers rather than of the scenario (the round trip as the
// client sees it, Redis's time per command and per reply byte, the link's rate), measured on real Redis. Applying a
// file is the same as giving each of its knobs as --set before the command line's own --set (which win).
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cachelab {

// The file format's version (its "cachelab_calibration" member).
inline constexpr int kCalibrationFormat = 1;
// Calibration files are a few KB.
inline constexpr uint64_t kMaxCalibrationFileBytes = 1ull << 20;

// The knobs a calibration may set, as JSON Pointers into a scenario.
const std::vector<std::string>& calibration_knobs();

// Checks a calibration document and returns its knobs as overrides ("/network/rtt_us={...}"), in the order of
// calibration_knobs(). Throws ScenarioError naming `file`, the JSON path, what was expected and what was found.
std::vector<std::string> calibration_overrides_from(const nlohmann::json& doc, const std::string& file);

// Reads and checks a calibration file (a regular file of at most kMaxCalibrationFileBytes, valid JSON).
std::vector<std::string> calibration_overrides(const std::string& path);

struct CalibrationUse;  // scenario.hpp

// The overrides of `--calibration FILE` (none when `path` is empty) followed by `sets`; `use` (when given) gets the
// file and the number of its knobs, for the scenario loaded with the result (Scenario::calibration).
std::vector<std::string> with_calibration(const std::string& path, const std::vector<std::string>& sets,
                                          CalibrationUse* use = nullptr);

}  // namespace cachelab
