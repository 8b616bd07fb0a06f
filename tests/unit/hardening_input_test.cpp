// Issue 21, part 1: every way a scenario file or a --set can be broken ends in a ScenarioError (exit 2) naming the
// file, the pointer, what was expected and what was found; within bounded memory, never an abort. Each case would
// have aborted, hung or been accepted before.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include "cachelab/io/input_file.hpp"
#include "cachelab/io/text.hpp"
#include "cachelab/scenario/loader.hpp"
#include "test_util.hpp"

using namespace cachelab;

namespace {

const std::string kGood = R"({"cachelab": 1, "name": "tiny", "duration_s": 2,
  "workload": {"keys": 1000, "arrival": {"rate_per_s": 1000}}})";

// The message of the ScenarioError `f` throws ("" when it does not throw one).
template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

std::string load_error(const std::string& text, const std::vector<std::string>& sets = {}) {
  return error_of([&] { load_scenario_text(text, "s.json", sets); });
}

TEST(ScenarioInput, GoodBaseLoads) { EXPECT_NO_THROW(load_scenario_text(kGood, "s.json")); }

TEST(ScenarioInput, NumberTooLargeForADoubleInAFile) {
  std::string t = kGood;
  t.replace(t.find("\"duration_s\": 2"), 15, "\"duration_s\": 1e400");
  const std::string e = load_error(t);
  EXPECT_NE(e.find("too large for a double"), std::string::npos) << e;
  EXPECT_NE(e.find("1e400"), std::string::npos) << e;
  EXPECT_NE(e.find("line 1"), std::string::npos) << e;
}

TEST(ScenarioInput, HugeIntegersAreRefusedNotWrapped) {
  // 47 digits: not an int64, parsed as a double of 1e46: out of every range.
  const std::string e = load_error(kGood, {"/seed=12345678901234567890123456789012345678901234567"});
  EXPECT_NE(e.find("/seed"), std::string::npos) << e;
  // 2^63 fits uint64 but was read as a negative int64 (metrics_interval_ms then grew to 6 GB).
  const std::string m = load_error(kGood, {"/metrics_interval_ms=9223372036854775808"});
  EXPECT_NE(m.find("/metrics_interval_ms"), std::string::npos) << m;
  EXPECT_NE(m.find("2^53"), std::string::npos) << m;
  EXPECT_NE(load_error(kGood, {"/metrics_interval_ms=18446744073709551615"}), "");
}

TEST(ScenarioInput, NumberTooLargeInSet) {
  const std::string e = load_error(kGood, {"/duration_s=1e400"});
  EXPECT_NE(e.find("/duration_s"), std::string::npos) << e;
  EXPECT_NE(e.find("too large for a double"), std::string::npos) << e;
}

TEST(ScenarioInput, InvalidUtf8InSetIsRefusedBeforeItReachesRunJson) {
  // A title that validated here failed only when run.json was written, after the simulation.
  const std::string e = load_error(kGood, {"/title=caf\xff"});
  EXPECT_NE(e.find("UTF-8"), std::string::npos) << e;
  EXPECT_NE(e.find("\\xff"), std::string::npos) << e;  // shown escaped
  EXPECT_EQ(e.find('\xff'), std::string::npos);
  EXPECT_NE(load_error(kGood, {"/description=\xc3\x28"}), "");                   // a broken two-byte sequence
  EXPECT_NO_THROW(load_scenario_text(kGood, "s.json", {"/title=caf\xc3\xa9"}));  // valid UTF-8 stays valid
}

TEST(ScenarioInput, InvalidUtf8InAFile) {
  std::string t = kGood;
  t.replace(t.find("\"tiny\""), 6, "\"ti\xfe\"");
  const std::string e = load_error(t);
  EXPECT_NE(e.find("invalid JSON"), std::string::npos) << e;
  EXPECT_EQ(e.find('\xfe'), std::string::npos) << "raw bytes echoed";
}

TEST(ScenarioInput, NestingDepthIsBoundedAndNamed) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const std::string e = load_error(deep);
  EXPECT_NE(e.find("at most 64 levels"), std::string::npos) << e;
  std::string nested = "{\"cachelab\": 1, \"x\": " + std::string(40000, '[') + std::string(40000, ']') + "}";
  EXPECT_NE(load_error(nested).find("at most 64 levels"), std::string::npos);
  // A --set value nested beyond the limit, too.
  EXPECT_NE(load_error(kGood, {"/title=" + std::string(100, '[') + std::string(100, ']')}).find("64 levels"),
            std::string::npos);
}

TEST(ScenarioInput, DuplicateKeysAreFoundInOnePassWithBoundedOutput) {
  // 3,000 copies of one key printed 4.5 million lines (every pair); now: 20 reports and a count.
  std::string t = "{\"cachelab\": 1";
  for (int i = 0; i < 3000; ++i) t += ", \"seed\": 1";
  t += ", \"name\": \"a\", \"duration_s\": 1, \"workload\": {\"arrival\": {\"rate_per_s\": 10}}}";
  try {
    load_scenario_text(t, "dup.json");
    FAIL() << "accepted";
  } catch (const ScenarioError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("/seed: expected each key once"), std::string::npos);
    EXPECT_NE(m.find("2979 more duplicate keys"), std::string::npos) << m.substr(0, 400);
    EXPECT_LT(std::count(m.begin(), m.end(), '\n'), 30);
  }
}

TEST(ScenarioInput, LongStringsAreRefusedWithTheLimit) {
  const std::string e = load_error(kGood, {"/description=\"" + std::string(70000, 'x') + "\""});
  EXPECT_NE(e.find("at most 65536 bytes"), std::string::npos) << e.substr(0, 300);
  EXPECT_LT(e.size(), 2000u);  // the message does not echo the string
}

TEST(ScenarioInput, SetCannotAllocateAHugeArray) {
  // nlohmann resizes an array to any index a pointer names: a hundred million nulls.
  const std::string e = load_error(kGood, {"/faults/100000000={}"});
  EXPECT_NE(e.find("/faults/100000000"), std::string::npos) << e;
  EXPECT_NE(e.find("an index of an existing item"), std::string::npos) << e;
  EXPECT_NO_THROW(load_scenario_text(
      kGood, "s.json", {R"(/faults/-={"at_s": 1, "action": "slow_node", "node": "master-1", "factor": 2})"}));
}

TEST(ScenarioInput, NulAndEscapeSequencesAreShownEscaped) {
  // A NUL in a key truncated the report (what() is a C string); an ESC reached the terminal.
  std::string t = kGood;
  t.insert(1, "\"a\\u0000b\\u001b[31m\": 1, ");
  const std::string e = load_error(t);
  EXPECT_NE(e.find("a\\x00b\\x1b[31m"), std::string::npos) << e;
  EXPECT_EQ(e.find('\x1b'), std::string::npos);
  EXPECT_NE(e.find("unknown key"), std::string::npos) << e;
}

TEST(ScenarioFile, SpecialFilesAreRefusedWithoutReading) {
  for (const char* path : {"/dev/zero", "/dev/urandom", "/dev/null", "/"}) {
    const std::string e = error_of([&] { load_scenario_file(path); });
    EXPECT_NE(e.find("not a regular file"), std::string::npos) << path << ": " << e;
    EXPECT_NE(e.find(path), std::string::npos) << e;
  }
  const auto dir = test::temp_dir("fifo");
  const std::string fifo = (dir / "pipe.json").string();
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_NE(error_of([&] { load_scenario_file(fifo); }).find("a FIFO"), std::string::npos);  // no hang
  std::filesystem::remove_all(dir);
}

TEST(ScenarioFile, HugeFilesAreRefusedWithTheLimit) {
  const auto dir = test::temp_dir("huge");
  const auto path = dir / "big.json";
  {
    std::ofstream f(path);
    f << kGood;
  }
  std::filesystem::resize_file(path, kMaxScenarioFileBytes + 1);  // sparse: no disk used
  const std::string e = error_of([&] { load_scenario_file(path.string()); });
  EXPECT_NE(e.find("more than the limit of 16 MiB"), std::string::npos) << e;
  std::filesystem::remove_all(dir);
}

TEST(Printable, EscapesControlsAndInvalidBytesOnly) {
  EXPECT_EQ(io::printable("plain text, caf\xc3\xa9"), "plain text, caf\xc3\xa9");
  EXPECT_EQ(io::printable(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(io::printable("\x1b[2J\xff\n"), "\\x1b[2J\\xff\\n");
  EXPECT_EQ(io::printable("\xc2\x9b"), "\\u009b");  // C1 CSI
  EXPECT_EQ(io::printable("abcdef", 3), "abc...");
  EXPECT_EQ(io::invalid_utf8_at("ok\xed\xa0\x80"), 2u);                   // a surrogate
  EXPECT_EQ(io::invalid_utf8_at("\xf4\x90\x80\x80"), 0u);                 // above U+10FFFF
  EXPECT_EQ(io::invalid_utf8_at("\xf0\x9f\x98\x80"), std::string::npos);  // an emoji
}

}  // namespace
