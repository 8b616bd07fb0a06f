// {"dist": "scan", "start": s}: keys s, s+1, ..., keys-1 once, then the stream ends: a full scan or a batch job that
// reads every key of its range one time (issue 16 part 4). Each key is read once, so a cache that keeps what was
// used last (LRU) fills with keys nobody reads again, while one that keeps what is used often (LFU) does not let
// them in for long: the scan-pollution case (scenarios/scan-pollution.json). No random draw. Unlike "sequential",
// which wraps around and reads the range again.
#include <algorithm>

#include "cachelab/workload/popularity.hpp"

namespace cachelab {
namespace {

class Scan final : public KeyChooser {
 public:
  Scan(uint64_t keys, uint64_t start) : keys_(keys), next_(std::min(start, keys)) {}
  uint64_t next(Rng&) override { return next_ < keys_ ? next_++ : keys_ - 1; }
  bool exhausted() const override { return next_ >= keys_; }

 private:
  uint64_t keys_, next_;
};

schema::ObjectPtr scan_params() {
  auto o = std::make_shared<schema::ObjectSpec>();
  o->fields.push_back(
      schema::integer("start").dflt(0).min(0).about("the first key number; the scan reads start .. keys-1 once"));
  return o;
}

const RegisterPopularity scan_registration({"scan", "every key of the range once, in order, then the stream ends",
                                            scan_params(), [](const nlohmann::json& j, uint64_t keys) {
                                              return std::make_unique<Scan>(keys, j.at("start").get<uint64_t>());
                                            }});

}  // namespace
}  // namespace cachelab
