// summary.json's core is written and read by one field table (results/summary_core.hpp): what the simulator writes,
// the reader reads back unchanged, integers as integers and nulls as nulls.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "cachelab/metrics/recorder.hpp"
#include "cachelab/results/reader.hpp"
#include "cachelab/results/summary_core.hpp"
#include "cachelab/results/writer.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"
#include "test_util.hpp"

namespace cachelab {
namespace {

TEST(ResultsCore, TheReaderGivesBackEveryCoreKeyTheSimulatorWrote) {
  const Scenario s = load_scenario_file(test::source_dir() + "/tests/live/scenarios/small-evict.json");
  const RunOutput out = simulate(s);
  const results::Summary read = results::parse_summary(format_json(out.summary), "summary.json");
  const nlohmann::json again = results::core_to_json(read);
  ASSERT_GE(again.size(), 17u);
  for (const auto& [key, value] : again.items()) {
    ASSERT_TRUE(out.summary.contains(key)) << key;
    // dump() tells 5 from 5.0 and null from 0: the types must survive too.
    EXPECT_EQ(value.dump(), out.summary.at(key).dump()) << key;
  }
  EXPECT_GT(read.requests, 1000);
  EXPECT_EQ(read.seed, s.seed);
}

TEST(ResultsCore, MissingFiguresAreNullAndComeBackMissing) {
  results::Summary empty;
  empty.mode = "live";
  const nlohmann::json j = results::core_to_json(empty);
  EXPECT_TRUE(j.at("requests").is_null());
  EXPECT_TRUE(j.at("latency_us").at("p99").is_null());
  EXPECT_TRUE(j.at("origin").at("latency_us").at("max").is_null());
  results::Summary back;
  results::core_from_json(j, "summary.json", back);
  EXPECT_EQ(back.mode, "live");
  EXPECT_TRUE(std::isnan(back.requests));
  EXPECT_TRUE(std::isnan(back.origin.queue_max));
}

TEST(ResultsCore, EveryRecorderErrorKindHasItsField) {
  const nlohmann::json errors = results::core_to_json(results::Summary{}).at("errors");
  for (size_t k = 0; k < static_cast<size_t>(ErrorKind::kCount); ++k)
    EXPECT_TRUE(errors.contains(error_name(static_cast<ErrorKind>(k)))) << error_name(static_cast<ErrorKind>(k));
  EXPECT_EQ(errors.size(), static_cast<size_t>(ErrorKind::kCount));
}

TEST(ResultsCore, AWrongTypeIsReportedWithItsPointer) {
  const std::string text = R"({"requests": 1, "hit_ratio": 0.5, "latency_us": {}, "origin": {"requests": "many"}})";
  try {
    results::parse_summary(text, "x/summary.json");
    FAIL() << "no error";
  } catch (const ResultsError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("x/summary.json"), std::string::npos) << m;
    EXPECT_NE(m.find("/origin/requests"), std::string::npos) << m;
    EXPECT_NE(m.find("the string \"many\""), std::string::npos) << m;
  }
}

}  // namespace
}  // namespace cachelab
