#include "live/client/endpoint.hpp"

#include <charconv>
#include <stdexcept>

namespace cachelab::live {

std::string Endpoint::str() const {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

Endpoint parse_endpoint(std::string_view text) {
  auto bad = [&](const std::string& why) {
    return std::invalid_argument("bad address '" + std::string(text) + "': " + why +
                                 " (expected HOST:PORT, e.g. 127.0.0.1:6379)");
  };
  std::string_view host, port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      throw bad("unterminated IPv6 literal");
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos) throw bad("no port");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) throw bad("IPv6 addresses need brackets");
  }
  if (host.empty()) throw bad("empty host");
  int value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value < 1 || value > 65535)
    throw bad("port must be a number from 1 to 65535");
  return Endpoint{std::string(host), value};
}

std::vector<Endpoint> parse_endpoint_list(std::string_view text) {
  std::vector<Endpoint> out;
  size_t start = 0;
  for (;;) {
    size_t comma = text.find(',', start);
    out.push_back(parse_endpoint(text.substr(start, comma == std::string_view::npos ? text.npos : comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace cachelab::live
