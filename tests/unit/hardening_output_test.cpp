// Issue 21, part 6: results are never lost. A run directory is reserved before the work (unique under concurrency,
// an unwritable or taken place fails first), write errors are errors, and no output replaces a run's files.
#include <gtest/gtest.h>

#include <unistd.h>

#include <set>
#include <thread>

#include "cachelab/results/writer.hpp"
#include "test_util.hpp"

using namespace cachelab;
namespace fs = std::filesystem;

namespace {

TEST(RunDirectory, ConcurrentDefaultNamesAreDistinct) {
  // Four runs of one scenario in the same second picked one name and three lost their results.
  const auto root = test::temp_dir("concurrent");
  std::vector<fs::path> dirs(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < dirs.size(); ++i)
    threads.emplace_back([&, i] { dirs[i] = default_run_dir(root, "same", "sim"); });
  for (auto& t : threads) t.join();
  const std::set<fs::path> unique(dirs.begin(), dirs.end());
  EXPECT_EQ(unique.size(), dirs.size());
  for (const auto& d : dirs) EXPECT_TRUE(fs::is_directory(d)) << d;  // reserved: they exist, empty
  fs::remove_all(root);
}

TEST(RunDirectory, ReservedDirectoryIsFilledAndATakenOneRefused) {
  const auto root = test::temp_dir("reserve");
  const fs::path dir = reserve_run_dir(root / "run1/");  // a trailing slash names the directory
  EXPECT_EQ(dir.filename(), "run1");
  write_run_dir(dir, {{"mode", "sim"}}, {{"requests", 1}}, SeriesTable{}, {});
  EXPECT_TRUE(fs::exists(dir / "summary.json"));
  EXPECT_THROW(reserve_run_dir(dir), OutputError);  // never overwritten
  EXPECT_THROW(write_run_dir(dir, {}, {}, SeriesTable{}, {}), OutputError);
  EXPECT_THROW(reserve_run_dir(dir / "inner"), OutputError);  // nothing inside a run directory
  fs::remove_all(root);
}

TEST(RunDirectory, UnwritableLocationFailsBeforeTheWork) {
  if (geteuid() == 0) GTEST_SKIP() << "root writes anywhere";
  const auto root = test::temp_dir("readonly");
  fs::permissions(root, fs::perms::owner_read | fs::perms::owner_exec);
  EXPECT_THROW(reserve_run_dir(root / "run"), OutputError);
  fs::permissions(root, fs::perms::owner_all);
  fs::remove_all(root);
}

TEST(RunDirectory, StaleTmpDirectoriesOfKilledWritersAreRemoved) {
  const auto root = test::temp_dir("stale");
  // A writer killed with kill -9 leaves .NAME.tmp-PID; a PID that no process has is stale. PIDs near the kernel's
  // maximum are very unlikely to be in use; ours is alive and is kept.
  const fs::path stale = root / ".old.tmp-4194000", mine = root / (".x.tmp-" + std::to_string(getpid()));
  const fs::path other = root / ".notes.tmp-abc";
  for (const auto& d : {stale, mine, other}) fs::create_directories(d);
  reserve_run_dir(root / "new");
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(mine));
  EXPECT_TRUE(fs::exists(other));  // not our shape: untouched
  fs::remove_all(root);
}

TEST(OutputFile, ChecksBeforeTheWork) {
  const auto root = test::temp_dir("outfile");
  fs::create_directories(root / "run");
  test::write_file(root / "run" / "summary.json", "{}");
  EXPECT_NE(check_output_file(root / "run" / "summary.json").find("inside the run directory"), std::string::npos);
  EXPECT_NE(check_output_file(root / "run" / "shot.png").find("inside the run directory"), std::string::npos);
  EXPECT_NE(check_output_file(root / "missing" / "x.csv").find("does not exist"), std::string::npos);
  EXPECT_NE(check_output_file(root).find("is a directory"), std::string::npos);
  EXPECT_EQ(check_output_file(root / "mrc.csv"), "");
  EXPECT_EQ(check_output_file("/dev/null"), "");  // a stream: its write errors are checked as it is written
  EXPECT_NE(check_output_dir(root / "run").find("run directory"), std::string::npos);
  EXPECT_EQ(check_output_dir(root / "new" / "deeper"), "");
  fs::remove_all(root);
}

}  // namespace
