#pragma once
// A Redis node address, as the user types it (--redis HOST:PORT[,...]) and as servers report it
// (CLUSTER SLOTS, MOVED/ASK).
#include <string>
#include <string_view>
#include <vector>

namespace cachelab::live {

struct Endpoint {
  std::string host;
  int port = 0;

  std::string str() const;  // "host:port" ("[v6]:port" for IPv6 literals)
  friend bool operator==(const Endpoint&, const Endpoint&) = default;
  friend auto operator<=>(const Endpoint&, const Endpoint&) = default;
};

// "HOST:PORT" or "[V6]:PORT". Throws std::invalid_argument naming the text and what was expected.
Endpoint parse_endpoint(std::string_view text);
// "HOST:PORT[,HOST:PORT...]"; empty items are errors.
std::vector<Endpoint> parse_endpoint_list(std::string_view text);

}  // namespace cachelab::live
