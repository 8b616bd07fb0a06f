#pragma once
// The role timeline of each node: the `<node>.role` column of series.csv as time bands, and the
// failure-detection events of events.jsonl (pfail, fail, promoted, ...) as markers on the node's row.
#include <string>
#include <vector>

#include "cachelab/results/reader.hpp"

namespace cachelab::gui {

struct RoleBand {
  double t0 = 0, t1 = 0;  // the interval (t0, t1] the role held at its end
  std::string role;       // master, replica, down (or whatever the file says)
};

struct RoleMarker {
  double t_s = 0;
  std::string type;  // kill, pfail, fail, election_started, promoted, restart, ...
};

struct NodeTimeline {
  std::string node;
  std::vector<RoleBand> bands;  // consecutive intervals with one role are merged into one band
  std::vector<RoleMarker> markers;
};

// Event types drawn as markers on the role timeline.
bool isRoleMarkerEvent(const std::string& type);

std::vector<NodeTimeline> roleTimelines(const cachelab::results::Run& run);

}  // namespace cachelab::gui
