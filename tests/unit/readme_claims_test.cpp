// README.md shows what `make demo` prints for the flagship. That block is a claim about a run: this test runs the
// flagship as `make demo` does and requires every line of the block, as written, in the output, so the README
// cannot drift from the simulator. Regenerate the block by pasting `build/sim/cachelab run --no-write
// scenarios/flash-sale.json` into README.md when a change to the model is intended (and say why in the commit).
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "test_util.hpp"

namespace test = cachelab::test;

TEST(ReadmeClaims, FlagshipOutputBlockMatchesARun) {
  const std::string readme = test::read_file(test::source_dir() + "/README.md");
  const std::string opening = "```\nseed 42\nflash-sale: ";
  const size_t start = readme.find(opening);
  ASSERT_NE(start, std::string::npos) << "README.md has no flagship output block starting with 'seed 42'";
  const size_t end = readme.find("```", start + 3);
  ASSERT_NE(end, std::string::npos);
  const std::string block = readme.substr(start + 4, end - start - 4);

  const test::CommandResult run = test::run_command(test::cachelab() + " run --no-write " + test::source_dir() + "/scenarios/flash-sale.json");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  std::istringstream lines(block);
  std::string line;
  int checked = 0;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    EXPECT_NE(run.out.find(line + "\n"), std::string::npos) << "README line not printed by the run: " << line;
    ++checked;
  }
  EXPECT_GE(checked, 10);  // the block shows the whole summary, not a fragment
}
