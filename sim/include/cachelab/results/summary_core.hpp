#pragma once
// summary.json's request-side core and its `nodes` entries (results/README.md: mode, seed, measured_s, requests ... errors, origin,
// writes_acknowledged), written by both modes (metrics/report.cpp summary_from_recorder, through the run session)
// and read by results::parse_summary: one field table, both directions, so the writer serialises exactly the struct
// the reader parses. Counts are written as integers, other figures as reals, a missing value (NaN) as null.
#include <string>

#include <nlohmann/json.hpp>

#include "cachelab/results/reader.hpp"

namespace cachelab::results {

// The core keys of `s` as summary.json holds them.
nlohmann::json core_to_json(const Summary& s);
// Reads the core keys of a summary.json object into `s`. A key that is absent stays NaN (or empty); a key of the
// wrong type throws ResultsError naming `file`, the JSON pointer, what was expected and what was found.
// (It also reads `writes_lost_by_kind`, which the run session writes with writes_lost_to_json.)
void core_from_json(const nlohmann::json& j, const std::string& file, Summary& s);
// summary.json `writes_lost_by_kind`: written by the run session, which knows the world's losses.
nlohmann::json writes_lost_to_json(const WritesLost& w);

// One entry of summary.json `nodes`: name, role, slots (the count), slot_ranges, the figures of NodeSummary
// (counts as integers; utilization null when unknown), then the entry's `extra` keys.
nlohmann::json node_to_json(const NodeSummary& n);
// Reads the figures and the extra keys of a `nodes` entry at JSON pointer `ptr` (slots and slot_ranges are the
// reader's: it also takes hand-written forms). Same rules as core_from_json.
void node_from_json(const nlohmann::json& j, const std::string& file, const std::string& ptr, NodeSummary& n);

}  // namespace cachelab::results
