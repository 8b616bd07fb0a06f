#include "live/lab/cluster_nodes.hpp"

#include <sstream>

namespace cachelab::live {

std::vector<NodeLine> parse_cluster_nodes(std::string_view nodes_text) {
  std::vector<NodeLine> out;
  std::istringstream in{std::string(nodes_text)};
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::vector<std::string> f;
    for (std::string w; words >> w;) f.push_back(w);
    if (f.size() < 8) continue;
    NodeLine v;
    v.id = f[0];
    v.address = f[1].substr(0, f[1].find('@'));
    v.flags = f[2];
    v.myself = f[2].find("myself") != std::string::npos;
    v.role = f[2].find("master") != std::string::npos ? "master" : "replica";
    v.master_id = f[3] == "-" ? "" : f[3];
    for (size_t i = 8; i < f.size(); ++i) {
      if (f[i].empty() || f[i][0] == '[') continue;  // "[slot->-id]" / "[slot-<-id]": migration in progress
      auto dash = f[i].find('-');
      int first = std::stoi(f[i].substr(0, dash));
      int last = dash == std::string::npos ? first : std::stoi(f[i].substr(dash + 1));
      v.slots.emplace_back(first, last);
    }
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace cachelab::live
