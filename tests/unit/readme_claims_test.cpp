// README.md shows what `make demo` prints for the flagship. That block is a claim about a run: this test runs the
// flagship as `make demo` does and requires every line of the block, as written, in the output, so the README
// cannot drift from the simulator. Regenerate the block by pasting `build/sim/cachelab run --no-write
// scenarios/flash-sale.json` into README.md when a change to the model is intended (and say why in the commit).
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "test_util.hpp"

namespace test = cachelab::test;

namespace {

// The text of README.md's code block that starts with `opening` (after the ``` line), or "" when there is none.
std::string readme_block(const std::string& opening) {
  const std::string readme = test::read_file(test::source_dir() + "/README.md");
  const size_t start = readme.find("```\n" + opening);
  if (start == std::string::npos) return "";
  const size_t end = readme.find("```", start + 3);
  return end == std::string::npos ? "" : readme.substr(start + 4, end - start - 4);
}

// Every non-empty line of a README block must be printed, whole, by the command; returns how many were checked.
int expect_lines_printed(const std::string& block, const std::string& out) {
  std::istringstream lines(block);
  std::string line;
  int checked = 0;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    EXPECT_NE(out.find(line + "\n"), std::string::npos) << "README line not printed by the command: " << line;
    ++checked;
  }
  return checked;
}

}  // namespace

TEST(ReadmeClaims, FlagshipOutputBlockMatchesARun) {
  const std::string block = readme_block("seed 42\nflash-sale: ");
  ASSERT_FALSE(block.empty()) << "README.md has no flagship output block starting with 'seed 42'";

  const test::CommandResult run =
      test::run_command(test::cachelab() + " run --no-write " + test::source_dir() + "/scenarios/flash-sale.json");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_GE(expect_lines_printed(block, run.out), 10);  // the block shows the whole summary, not a fragment
}

// README.md walks through holiday-peak's plan. The lines it quotes from the answer are a claim about a run: this test
// runs the answer's candidate alone (the plan section with every knob fixed to the answer's value: the same runs, the
// same seeds, so the same numbers) and requires each quoted line in the output. The full plan takes minutes; CI
// runs this one candidate (two runs in parallel).
TEST(ReadmeClaims, HolidayPeakPlanAnswerMatchesARun) {
  const std::string block = readme_block("best: ");
  ASSERT_FALSE(block.empty()) << "README.md has no holiday-peak plan block starting with 'best: '";
  const std::string out_dir =
      std::filesystem::temp_directory_path().string() + "/cachelab-readme-plan-" + std::to_string(::getpid());
  std::filesystem::remove_all(out_dir);
  const test::CommandResult run =
      test::run_command(test::cachelab() + " plan " + test::source_dir() +
                        "/scenarios/capacity/holiday-peak.json --masters 4 --vary /cluster/require_full_coverage=false "
                        "--node-types cache.t-micro --jobs 2 --out " +
                        out_dir);
  std::filesystem::remove_all(out_dir);
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_GE(expect_lines_printed(block, run.out), 4);
}
