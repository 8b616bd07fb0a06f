#include "live/client/redirect.hpp"

#include <charconv>
#include <stdexcept>

namespace cachelab::live {
namespace {

bool starts_with_word(std::string_view text, std::string_view word) {
  return text.substr(0, word.size()) == word && (text.size() == word.size() || text[word.size()] == ' ');
}

}  // namespace

ClusterError classify_error(std::string_view text, const Endpoint& replied_by) {
  ClusterError e;
  const bool moved = starts_with_word(text, "MOVED"), ask = starts_with_word(text, "ASK");
  if (moved || ask) {
    // "MOVED <slot> <host>:<port>". A bare "ASK" or "MOVED" (no arguments) is a malformed reply, not a crash
    // (found by fuzz_resp: substr past the end threw out_of_range).
    const size_t word = moved ? 5 : 3;
    std::string_view rest = text.size() > word ? text.substr(word + 1) : std::string_view();
    auto space = rest.find(' ');
    if (space == std::string_view::npos) return e;
    int slot = -1;
    auto [p, ec] = std::from_chars(rest.data(), rest.data() + space, slot);
    if (ec != std::errc() || p != rest.data() + space || slot < 0 || slot > 16383) return e;
    std::string_view addr = rest.substr(space + 1);
    try {
      if (!addr.empty() && addr.front() == ':')
        e.target = parse_endpoint(replied_by.host + std::string(addr));
      else
        e.target = parse_endpoint(addr);
    } catch (const std::invalid_argument&) {
      return e;
    }
    e.kind = moved ? ErrorKind::Moved : ErrorKind::Ask;
    e.slot = slot;
    return e;
  }
  if (starts_with_word(text, "TRYAGAIN"))
    e.kind = ErrorKind::TryAgain;
  else if (starts_with_word(text, "CLUSTERDOWN"))
    e.kind = ErrorKind::ClusterDown;
  else if (starts_with_word(text, "OOM"))
    e.kind = ErrorKind::Oom;
  else if (starts_with_word(text, "CROSSSLOT"))
    e.kind = ErrorKind::CrossSlot;
  else if (starts_with_word(text, "NOREPLICAS"))
    e.kind = ErrorKind::NoReplicas;
  else if (starts_with_word(text, "LOADING") || starts_with_word(text, "MASTERDOWN") || starts_with_word(text, "BUSY"))
    e.kind = ErrorKind::Unavailable;
  else if (starts_with_word(text, "NOAUTH") || starts_with_word(text, "WRONGPASS") || starts_with_word(text, "NOPERM"))
    e.kind = ErrorKind::Auth;
  return e;
}

}  // namespace cachelab::live
