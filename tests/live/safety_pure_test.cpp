// Issue 21, the parts of "live mode safe on real servers" that need no server: key names under a prefix keep
// their slot, error replies are classified by their text, the guard that stops a run on auth refusals or an
// error on every command, the SCAN pattern of the clean-up, and the lab's secret and its files.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "live/client/redirect.hpp"
#include "live/client/slot_hash.hpp"
#include "live/lab/secrets.hpp"
#include "live/replay/fatal_guard.hpp"
#include "live/replay/key_cleanup.hpp"
#include "live/replay/key_prefix.hpp"

namespace cachelab::live {
namespace {

std::string prefixed(std::string_view prefix, std::string_view name, bool lock = false) {
  std::string out;
  append_prefixed_key(out, prefix, name, lock);
  return out;
}

// The simulator routes a key by its bare name; on a user's server the key carries the prefix. Redis must hash
// both to the same slot (the case: a key group's "{key:594}:b" became "cachelab:...:{{key:594}:b}").
TEST(KeyPrefix, EveryNameKeepsTheSlotOfItsBareName) {
  const std::string prefix = "cachelab:2026-12-05T06:00:00Z:";
  for (const char* name : {"key:594", "{key:594}:b", "{key:594}:profile", "user{42}", "plain", "a{b"}) {
    const int slot = key_hash_slot(name);
    EXPECT_EQ(key_hash_slot(prefixed(prefix, name)), slot) << name << " -> " << prefixed(prefix, name);
    EXPECT_EQ(key_hash_slot(prefixed(prefix, name, true)), slot) << name << " (lock)";
    EXPECT_EQ(key_hash_slot(prefixed("", name, true)), slot) << name << " (lock, no prefix)";
    EXPECT_EQ(prefixed(prefix, name).rfind(prefix, 0), 0u) << "every key starts with the prefix";
  }
  EXPECT_EQ(prefixed(prefix, "{key:594}:b"), prefix + "{key:594}:b");  // the tag is kept as it is
  EXPECT_EQ(prefixed(prefix, "key:594"), prefix + "{key:594}");
  EXPECT_EQ(prefixed("", "key:594"), "key:594");
  EXPECT_EQ(prefixed("", "{key:594}:b", true), "{key:594}:b:lock");
  EXPECT_TRUE(has_hash_tag("{a}b"));
  EXPECT_FALSE(has_hash_tag("{}a"));
  EXPECT_FALSE(has_hash_tag("a{b"));
  EXPECT_NE(key_prefix_problem("x{y:"), "");
  EXPECT_NE(key_prefix_problem("x}"), "");
  EXPECT_EQ(key_prefix_problem("run:1:"), "");
}

TEST(KeyCleanup, MatchPatternEscapesGlobCharacters) {
  EXPECT_EQ(prefix_match_pattern("cachelab:1:"), "cachelab:1:*");
  EXPECT_EQ(prefix_match_pattern("a*b?[c]\\"), "a\\*b\\?\\[c\\]\\\\*");
}

// One classification of error replies: only the cluster's own errors and "cannot serve now" errors are about
// availability; WRONGTYPE and ERR are the command's own failure; NOAUTH/WRONGPASS/NOPERM are about rights.
TEST(Redirect, ClassifiesEveryErrorReplyByItsText) {
  const Endpoint ep{"127.0.0.1", 7000};
  auto kind = [&](std::string_view text) { return classify_error(text, ep).kind; };
  EXPECT_EQ(kind("WRONGTYPE Operation against a key holding the wrong kind of value"), ErrorKind::Other);
  EXPECT_EQ(kind("ERR value is not an integer or out of range"), ErrorKind::Other);
  EXPECT_EQ(kind("CROSSSLOT Keys in request don't hash to the same slot"), ErrorKind::CrossSlot);
  EXPECT_EQ(kind("NOREPLICAS Not enough good replicas to write."), ErrorKind::NoReplicas);
  EXPECT_EQ(kind("LOADING Redis is loading the dataset in memory"), ErrorKind::Unavailable);
  EXPECT_EQ(kind("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."),
            ErrorKind::Unavailable);
  EXPECT_EQ(kind("NOAUTH Authentication required."), ErrorKind::Auth);
  EXPECT_EQ(kind("WRONGPASS invalid username-password pair or user is disabled."), ErrorKind::Auth);
  EXPECT_EQ(kind("NOPERM this user has no permissions to run the 'get' command"), ErrorKind::Auth);
  EXPECT_EQ(kind("OOM command not allowed when used memory > 'maxmemory'."), ErrorKind::Oom);
  EXPECT_EQ(kind("MOVED 3999 127.0.0.1:6381"), ErrorKind::Moved);
  EXPECT_EQ(kind("NOAUTHX"), ErrorKind::Other);  // a word, not a prefix
}

TEST(FatalReplyGuard, TripsOnAuthAtOnceAndOnAnUnbrokenErrorStreakOnly) {
  const Endpoint ep{"127.0.0.1", 7000};
  FatalReplyGuard g;
  // Errors mixed with good replies (a failing INCR now and then) are results, never a reason to stop.
  for (uint64_t i = 0; i < 10 * FatalReplyGuard::kStreak; ++i) g.reply(i % 2 == 0, "ERR value is not an integer", ep);
  EXPECT_FALSE(g.tripped());
  for (uint64_t i = 0; i + 1 < FatalReplyGuard::kStreak; ++i) g.reply(true, "ERR x", ep);
  EXPECT_FALSE(g.tripped());
  g.reply(false, "", ep);
  for (uint64_t i = 0; i + 1 < FatalReplyGuard::kStreak; ++i) g.reply(true, "ERR x", ep);
  EXPECT_FALSE(g.tripped()) << "a good reply restarts the count";
  g.reply(true, "ERR unknown command 'GET'", ep);
  ASSERT_TRUE(g.tripped());
  EXPECT_NE(g.why().find("every command fails"), std::string::npos) << g.why();
  EXPECT_NE(g.why().find("ERR unknown command 'GET'"), std::string::npos) << g.why();

  FatalReplyGuard a;
  a.auth_refused("NOAUTH Authentication required.", ep);
  ASSERT_TRUE(a.tripped());
  EXPECT_NE(a.why().find("127.0.0.1:7000"), std::string::npos) << a.why();
  EXPECT_NE(a.why().find("CACHELAB_REDIS_PASSWORD"), std::string::npos) << a.why();
  a.auth_refused("WRONGPASS later", ep);
  EXPECT_EQ(a.why().find("WRONGPASS"), std::string::npos) << "the first reason is kept: " << a.why();
}

TEST(LabSecrets, PasswordsAreRandomAndFilesPrivate) {
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    const std::string p = random_password();
    EXPECT_EQ(p.size(), 32u);
    EXPECT_EQ(p.find_first_not_of("0123456789abcdef"), std::string::npos) << p;
    seen.insert(p);
  }
  EXPECT_EQ(seen.size(), 20u);
  const auto dir = std::filesystem::temp_directory_path() / ("cachelab-secrets-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "redis.conf").string();
  { std::ofstream(path) << "old, world-readable"; }
  ::chmod(path.c_str(), 0644);
  write_private_file(path, "requirepass x\n");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text, "requirepass x\n");
  std::filesystem::create_symlink(path, dir / "link");
  EXPECT_THROW(write_private_file((dir / "link").string(), "x"), std::runtime_error);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cachelab::live
