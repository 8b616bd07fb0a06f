#pragma once
// Scratch copies of the fixture run directory, so a test can break one file and see the error it gives.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace cachelab::testing {

inline std::filesystem::path fixtureRun() { return std::filesystem::path(CACHELAB_FIXTURES_DIR) / "run-small"; }

// A fresh copy of the fixture run in a new temporary directory; removed when the object goes away.
class ScratchRun {
 public:
  ScratchRun() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "cachelab-test-XXXXXX").string();
    root_ = mkdtemp(tmpl.data());
    dir_ = root_ / "run";
    std::filesystem::copy(fixtureRun(), dir_, std::filesystem::copy_options::recursive);
  }
  ~ScratchRun() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  ScratchRun(const ScratchRun&) = delete;
  ScratchRun& operator=(const ScratchRun&) = delete;

  const std::filesystem::path& dir() const { return dir_; }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name, std::ios::binary | std::ios::trunc) << text;
  }
  std::string read(const std::string& name) const {
    std::ifstream in(dir_ / name, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  // Replaces the first occurrence of `from` in file `name` (the test fails loudly if it is not there).
  bool replace(const std::string& name, const std::string& from, const std::string& to) const {
    std::string t = read(name);
    const auto p = t.find(from);
    if (p == std::string::npos) return false;
    t.replace(p, from.size(), to);
    write(name, t);
    return true;
  }

 private:
  std::filesystem::path root_, dir_;
};

}  // namespace cachelab::testing
