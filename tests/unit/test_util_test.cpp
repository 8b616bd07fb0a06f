// The test helpers' own promise: what temp_dir makes, and any file a process registers with remove_at_exit (the fuzz
// targets' inputs), is gone once the process ends, so runs of the suite do not pile up in the machine's temporary
// folder (they did: one directory per test per run).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "test_util.hpp"

namespace cachelab {
namespace {

namespace fs = std::filesystem;

TEST(TestUtil, TempDirsAreRemovedWhenTheProcessExits) {
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {  // a test process: two directories, a file in one, a normal exit
    const fs::path d = test::temp_dir("exit-check");
    test::write_file(d / "run.json", "{}");
    fs::create_directories(test::temp_dir("exit-check-2") / "nested");
    const fs::path file = fs::temp_directory_path() / ("cachelab-test-exit-file-" + std::to_string(::getpid()));
    test::write_file(file, "input");
    test::remove_at_exit(file);  // as fuzz_input.hpp registers a fuzz target's input file
    std::exit(fs::exists(d / "run.json") && fs::exists(file) ? 0 : 3);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0) << "the child could not make its directories and file";
  for (const char* name : {"exit-check", "exit-check-2", "exit-file"}) {
    const fs::path made =
        fs::temp_directory_path() / ("cachelab-test-" + std::string(name) + "-" + std::to_string(child));
    EXPECT_FALSE(fs::exists(made)) << made;
  }
}

}  // namespace
}  // namespace cachelab
