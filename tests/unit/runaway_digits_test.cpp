// No printed number has more digits than it needs (issue 15): every bundled scenario, run short through the CLI
// (`cachelab run` and `cachelab estimate`, text output), is checked against a pattern for runaway digits: no number
// with more than 6 significant digits after a decimal point ("60.00000000000001", "-0.011666266629777766"), no
// e-notation beyond 1e-9 ("2.12e-218"; below 1e-9 the format prints "< 1e-9").
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include <nlohmann/json.hpp>

#include "test_util.hpp"

using namespace cachelab;

namespace {

// The offending numbers in `text`: a decimal number with more than 6 significant digits and a fractional part, or
// e-notation with an exponent of 10 or more either way.
std::vector<std::string> runaway_numbers(const std::string& text) {
  std::vector<std::string> bad;
  static const std::regex number(R"((\d+)\.(\d+)(?:e([-+]?\d+))?)");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), number); it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    std::string digits = m[1].str() + m[2].str();
    digits.erase(0, digits.find_first_not_of('0'));
    const bool too_precise = digits.size() > 6;
    const bool tiny_or_huge = m[3].matched && std::abs(std::stoi(m[3].str())) >= 10;
    if (too_precise || tiny_or_huge) bad.push_back(m.str());
  }
  // "2e-218" without a decimal point (not the tail of "2.12e-218", found above).
  static const std::regex e_integer(R"((?:^|[^\d.])(\d+e[-+]?(\d+)))");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), e_integer); it != std::sregex_iterator(); ++it)
    if (std::stoi((*it)[2].str()) >= 10) bad.push_back((*it)[1].str());
  return bad;
}

}  // namespace

TEST(RunawayDigits, ThePatternCatchesTheIssuesExamples) {
  EXPECT_EQ(runaway_numbers("measured 60.00000000000001 s").size(), 1u);
  EXPECT_EQ(runaway_numbers("margin -0.011666266629777766").size(), 1u);
  EXPECT_EQ(runaway_numbers("error rate 2.12e-218").size(), 1u);
  EXPECT_EQ(runaway_numbers("error rate 2e-218").size(), 1u);
  EXPECT_EQ(runaway_numbers("30.000000000 s").size(), 1u);
  EXPECT_TRUE(runaway_numbers("p99 10.6 ms, 2,395,801 requests, 0.7584, < 1e-9, 1.23e-05, 64.0 MiB").empty());
}

// Every scenario file (lesson step files included; *.lesson.json are not scenarios), shortened to 2 s with a 0.5 s
// warm-up and its fault timeline dropped (faults may be timed beyond the shortened end): the summary's text code is
// the same whatever the length; the three long runs of the issue are pinned in summary_outcomes_test.cpp. About
// 100 short processes: under a minute on a loaded 2-core machine.
TEST(RunawayDigits, NoBundledScenarioPrintsRunawayDigits) {
  int n = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(test::source_dir() + "/scenarios")) {
    if (e.path().extension() != ".json" || e.path().stem().extension() == ".lesson" ||
        e.path().stem().extension() == ".catalogue")
      continue;  // lessons and node-type catalogues are not scenarios
    const auto j = nlohmann::json::parse(test::read_file(e.path()));
    const std::string file = e.path().string();
    std::string shorten =
        std::string(" --set /warmup_s=0.5 --set /duration_s=2") + (j.contains("faults") ? " --set /faults=[]" : "");
    // Streams that start later start at once (a start_s at or beyond the end is refused, as a fault's at_s is).
    if (j.contains("workload") && j["workload"].contains("streams"))
      for (size_t i = 0; i < j["workload"]["streams"].size(); ++i)
        shorten += " --set /workload/streams/" + std::to_string(i) + "/start_s=0";
    const auto run = test::run_command(test::cachelab() + " run --no-write " + file + shorten);
    ASSERT_EQ(run.exit_code, 0) << file << "\n" << run.out;
    for (const auto& bad : runaway_numbers(run.out))
      ADD_FAILURE() << file << " (run) prints " << bad << "\n" << run.out;
    const auto est = test::run_command(test::cachelab() + " estimate " + file);
    // estimate refuses some workloads (exit 2, with the reason); its text is checked whenever it answers.
    if (est.exit_code == 0)
      for (const auto& bad : runaway_numbers(est.out))
        ADD_FAILURE() << file << " (estimate) prints " << bad << "\n" << est.out;
    ++n;
  }
  EXPECT_GE(n, 40);
}

// The other commands' text: `cachelab compare` of a failover run against a flash-sale run (every metric kind: counts,
// durations, ratios, rates, bytes, the failover's promotion time, the series means), a sweep and a replay. Units by
// magnitude there too: rates as "k/s", the promotion time in seconds, no "0 ns" for a zero difference.
TEST(RunawayDigits, CompareSweepAndReplayPrintNoRunawayDigits) {
  const auto dir = test::temp_dir("runaway-compare");
  const std::string a = (dir / "a").string(), b = (dir / "b").string();
  auto r = test::run_command(test::cachelab() + " run " + test::source_dir() +
                             "/scenarios/lessons/failover.json --set /duration_s=45 "
                             "--set '/faults=[{\"at_s\": 30, \"action\": \"kill\", \"node\": \"master-1\"}]' --out " +
                             a);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  r = test::run_command(test::cachelab() + " run " + test::source_dir() +
                        "/scenarios/flash-sale.json --set /warmup_s=0.5 --set /duration_s=3 --out " + b);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  for (const auto& [x, y] : {std::pair{a, b}, std::pair{a, a}}) {
    r = test::run_command(test::cachelab() + " compare " + x + " " + y);
    for (const auto& bad : runaway_numbers(r.out)) ADD_FAILURE() << "compare prints " << bad << "\n" << r.out;
    EXPECT_EQ(r.out.find(" ns "), std::string::npos) << r.out;
    static const std::regex rate_line(R"(\n  requests_per_s +[0-9.]+k/s +[0-9.]+k?/s\n)");
    EXPECT_TRUE(std::regex_search(r.out, rate_line)) << r.out;
    static const std::regex promotion(R"(\nfailovers\.promotion_s +[0-9.]+ s )");
    EXPECT_TRUE(std::regex_search(r.out, promotion)) << r.out;
  }
  r = test::run_command(test::cachelab() + " sweep " + test::source_dir() +
                        "/scenarios/capacity/memory-vs-hit-ratio.json --set /warmup_s=0.5 --set /duration_s=2 "
                        "--vary /cluster/maxmemory=16mb,64mb --jobs 2 --out " +
                        (dir / "s").string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  for (const auto& bad : runaway_numbers(r.out)) ADD_FAILURE() << "sweep prints " << bad << "\n" << r.out;
  const std::string trace = test::write_file(dir / "t.csv", "time,key,size\n0,a,1000\n1,b,3000\n2,a,1000\n3,c,7\n");
  r = test::run_command(test::cachelab() + " replay " + trace + " --format csv --policy lru,belady --size 33%,90%");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  for (const auto& bad : runaway_numbers(r.out)) ADD_FAILURE() << "replay prints " << bad << "\n" << r.out;
  std::filesystem::remove_all(dir);
}
