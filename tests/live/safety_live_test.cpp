// Issue 21 part 5, on real servers: lab servers require a random password that never shows on a command line or in
// a file others can read, and have no DEBUG command; a user's server that refuses the password or the commands
// stops the run (clear message, non-zero exit, no run directory); the non-empty check fails closed; WRONGTYPE/ERR
// replies are reply errors, not connection errors; key groups keep their slots under the --redis prefix (no MOVED);
// the run's keys are deleted afterwards.
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cachelab/results/reader.hpp"
#include "cli_run.hpp"
#include "lab_helpers.hpp"
#include "live/client/control_connection.hpp"
#include "live/lab/lab.hpp"

namespace cachelab::live {
namespace {

namespace fs = std::filesystem;
using testing::ScopedEnv;

std::string safety_scenario(const char* name) { return std::string(CACHELAB_LIVE_SCENARIOS) + "/" + name; }

fs::path safety_fresh_dir(const std::string& tag) {
  fs::path p = fs::temp_directory_path() / ("cachelab-safety-" + tag + "-" + std::to_string(::getpid()));
  fs::remove_all(p);
  return p;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// PING on a plain hiredis connection that sends no AUTH: what any other local user would get.
std::string unauthenticated_ping(const Endpoint& ep) {
  redisContext* c = redisConnect(ep.host.c_str(), ep.port);
  if (!c || c->err) return "cannot connect";
  auto* r = static_cast<redisReply*>(redisCommand(c, "PING"));
  std::string out = r && r->str ? std::string(r->str, r->len) : "no reply";
  if (r) freeReplyObject(r);
  redisFree(c);
  return out;
}

TEST(LabSafety, ServersRequireARandomPasswordKeptOffCommandLinesAndHaveNoDebug) {
  CACHELAB_REQUIRE_REDIS();
  Lab lab(testing::cluster_config(3, 1));  // replicas: they must authenticate to their master (masterauth)
  lab.start();                             // start() waits for every replica's link: masterauth works
  const std::string pw = lab.password();
  ASSERT_EQ(pw.size(), 32u);
  struct stat st {};
  ASSERT_EQ(::stat(lab.root_dir().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0077, 0u) << "the lab dir is ours only";
  for (const auto& n : lab.nodes()) {
    EXPECT_EQ(unauthenticated_ping(n.endpoint).rfind("NOAUTH", 0), 0u) << n.name;
    EXPECT_THROW(ControlConnection(n.endpoint, 1000, "not-the-password"), AuthError) << n.name;
    // In-process tools authenticate by themselves (the lab registered its password for these endpoints).
    ControlConnection c(n.endpoint, 1000);
    EXPECT_EQ(c.command({"PING"}).str(), "PONG");
    const Reply debug = c.command({"CONFIG", "GET", "enable-debug-command"});
    ASSERT_EQ(debug.size(), 2u);
    EXPECT_EQ(debug.element(1).str(), "no") << n.name;
    EXPECT_TRUE(c.command({"DEBUG", "SLEEP", "0"}).is_error()) << n.name;
    EXPECT_EQ(c.command({"CONFIG", "GET", "bind"}).element(1).str(), "127.0.0.1");
    ASSERT_EQ(::stat(n.config_path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u) << n.config_path;
    EXPECT_NE(slurp(n.config_path).find(pw), std::string::npos);
    // Not on its command line, not in its environment.
    const std::string proc = "/proc/" + std::to_string(n.pid);
    EXPECT_EQ(slurp(proc + "/cmdline").find(pw), std::string::npos) << n.name;
    EXPECT_EQ(slurp(proc + "/environ").find(pw), std::string::npos) << n.name;
  }
  EXPECT_EQ(slurp(lab.root_dir() + "/create.log").find(pw), std::string::npos);
  const std::string dir = lab.root_dir();
  lab.teardown();
  EXPECT_FALSE(fs::exists(dir));
}

// The case: a server with requirepass and a missing or wrong password exited 0 with a complete-looking
// run of "connection" errors. Now: exit 2 before anything runs, the server's own word in the message.
TEST(LiveSafety, MissingOrWrongPasswordIsRefusedUpFront) {
  CACHELAB_REQUIRE_REDIS();
  Lab lab(testing::standalone_config());
  lab.start();
  const std::string base = safety_scenario("safety-incr.json") + " --redis " + lab.endpoints().at(0).str() + " --out ";
  {
    ScopedEnv none("CACHELAB_REDIS_PASSWORD", "");
    const fs::path dir = safety_fresh_dir("nopw");
    const CliRun r = run_live(base + dir.string());
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("NOAUTH"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("CACHELAB_REDIS_PASSWORD"), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(dir));
  }
  {
    ScopedEnv wrong("CACHELAB_REDIS_PASSWORD", "wrong-password");
    const fs::path dir = safety_fresh_dir("wrongpw");
    const CliRun r = run_live(base + dir.string());
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("WRONGPASS"), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(dir));
  }
  EXPECT_EQ(ControlConnection(lab.endpoints().at(0), 1000).command({"DBSIZE"}).integer(), 0) << "nothing written";
}

// A brace in the prefix would become (or break) the hash tag of every key: refused before any connection.
TEST(LiveSafety, BracesInThePrefixAreRefused) {
  for (const char* prefix : {"run{1}:", "run{:", "run}:"}) {
    const fs::path dir = safety_fresh_dir("brace");
    const CliRun r = run_live(safety_scenario("safety-incr.json") + " --redis 127.0.0.1:1 --prefix '" + prefix +
                              "' --out " + dir.string());
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("--prefix"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("127.0.0.1:1"), std::string::npos) << "refused before connecting: " << r.output;
    EXPECT_FALSE(fs::exists(dir));
  }
}

// An ACL that lets the run in but refuses its commands (-NOPERM on GET): the run stops with exit 1 and writes no
// run directory; one without DBSIZE cannot prove the target empty, so it is refused (exit 2) unless
// --allow-non-empty.
TEST(LiveSafety, RefusedCommandsStopTheRunAndDbsizeFailsClosed) {
  CACHELAB_REQUIRE_REDIS();
  Lab lab(testing::standalone_config());
  lab.start();
  ScopedEnv pw("CACHELAB_REDIS_PASSWORD", lab.password());
  ControlConnection admin(lab.endpoints().at(0), 1000);
  const std::string base = safety_scenario("safety-incr.json") + " --redis " + lab.endpoints().at(0).str() + " --out ";

  ASSERT_FALSE(admin.command({"ACL", "SETUSER", "default", "-dbsize"}).is_error());
  const fs::path refused = safety_fresh_dir("nodbsize");
  CliRun r = run_live(base + refused.string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("cannot count the keys"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("NOPERM"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(refused));

  ASSERT_FALSE(admin.command({"ACL", "SETUSER", "default", "+dbsize", "-get"}).is_error());
  const fs::path stopped = safety_fresh_dir("noget");
  r = run_live(base + stopped.string());
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("NOPERM"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("no results written"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("live run:"), std::string::npos) << "no result line: " << r.output;
  EXPECT_FALSE(fs::exists(stopped));
  admin.command({"ACL", "SETUSER", "default", "+get"});
  EXPECT_EQ(admin.command({"DBSIZE"}).integer(), 0) << "whatever the stopped run wrote was cleaned up";
}

// INCR on a key that a read filled with a cached value fails with -ERR (not an integer). That is the command's
// failure, not the cache's: errors.reply, never errors.connection, and the request is not "degraded".
TEST(LiveSafety, ErrorRepliesAreNotConnectionErrors) {
  CACHELAB_REQUIRE_REDIS();
  const fs::path dir = safety_fresh_dir("incr");
  const CliRun r = run_live(safety_scenario("safety-incr.json") + " --spawn --out " + dir.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const results::Run run = results::load_run(dir);
  const auto& errors = run.summary.raw.at("errors");
  EXPECT_GT(errors.at("reply").get<double>(), 0) << errors.dump();
  EXPECT_EQ(errors.at("connection").get<double>(), 0) << errors.dump();
  EXPECT_EQ(run.summary.raw.at("degraded_requests").get<double>(), 0);
  EXPECT_GT(run.summary.raw.at("failed_requests").get<double>(), 0) << "a failed INCR is a failed request";
  fs::remove_all(dir);
}

// Key groups ({key:N}:field, one slot per group) on a real cluster through --redis: the prefix keeps every tag, so
// the client's slot map is right for every key: zero MOVED. Afterwards the run's keys are gone.
TEST(LiveSafety, KeyGroupsKeepTheirSlotsUnderThePrefixAndKeysAreDeletedAfter) {
  CACHELAB_REQUIRE_REDIS();
  Lab lab(testing::cluster_config(3, 0));
  lab.start();
  ScopedEnv pw("CACHELAB_REDIS_PASSWORD", lab.password());
  const fs::path dir = safety_fresh_dir("groups");
  const CliRun r = run_live(safety_scenario("safety-groups.json") + " --redis " + lab.endpoints().at(0).str() +
                            " --out " + dir.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const results::Run run = results::load_run(dir);
  EXPECT_GT(run.summary.requests, 3000);
  EXPECT_EQ(run.summary.raw.at("errors").at("moved").get<double>(), 0) << run.summary.raw.at("errors").dump();
  EXPECT_EQ(run.summary.raw.at("errors").at("crossslot").get<double>(), 0);
  EXPECT_GT(run.summary.raw.at("hits").get<double>(), 0);
  EXPECT_NE(r.output.find("deleted "), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("deleted 0 key"), std::string::npos) << r.output;
  for (const auto& n : lab.nodes())
    EXPECT_EQ(ControlConnection(n.endpoint, 1000).command({"DBSIZE"}).integer(), 0) << n.name;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace cachelab::live
