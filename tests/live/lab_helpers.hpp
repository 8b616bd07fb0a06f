#pragma once
// Shared set-up of the live tests: small labs that start fast, and "is anything left?" checks.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "live/lab/free_port.hpp"
#include "live/lab/lab.hpp"
#include "live/lab/process.hpp"

namespace cachelab::live::testing {

// The live tests need redis-server and redis-cli; CI installs them. Without them the test is skipped, loudly.
#define CACHELAB_REQUIRE_REDIS()                                                                                       \
  do {                                                                                                                 \
    if (::cachelab::live::find_in_path("redis-server").empty() || ::cachelab::live::find_in_path("redis-cli").empty()) \
      GTEST_SKIP() << "redis-server/redis-cli not installed (apt-get install redis-server redis-tools)";               \
  } while (0)

inline LabConfig cluster_config(int masters, int replicas) {
  LabConfig c;
  c.cluster = true;
  c.masters = masters;
  c.replicas_per_master = replicas;
  // Long enough that a paused or restarted node is never failed over behind a test's back.
  c.control.node_timeout_ms = 15000;
  return c;
}

inline LabConfig standalone_config() {
  LabConfig c;
  c.cluster = false;
  c.masters = 1;
  c.replicas_per_master = 0;
  return c;
}

// Ports and PIDs of a lab, to check after teardown.
struct LabFootprint {
  std::vector<int> ports;  // client ports and, for clusters, bus ports
  std::vector<pid_t> pids;
};

inline LabFootprint footprint(const Lab& lab) {
  LabFootprint f;
  for (const auto& n : lab.nodes()) {
    f.ports.push_back(n.endpoint.port);
    if (lab.config().cluster) f.ports.push_back(n.endpoint.port + kClusterBusPortOffset);
    f.pids.push_back(n.pid);
  }
  return f;
}

// Nothing of the lab runs (the PID is gone from /proc, or is a zombie that holds no socket) and every port can be
// bound again.
inline void expect_nothing_left(const LabFootprint& f) {
  for (pid_t pid : f.pids) {
    auto state = process_state(pid);
    EXPECT_TRUE(!state || *state == 'Z') << "pid " << pid << " still running, state " << *state;
  }
  for (int port : f.ports) {
    EXPECT_FALSE(port_has_listener(port)) << "port " << port << " still has a listener";
    EXPECT_TRUE(loopback_port_free(port)) << "port " << port << " cannot be bound again";
  }
}

// A scratch folder for one test's scenario files and run directories, removed at the end.
struct LiveTempDir {
  std::filesystem::path root;
  explicit LiveTempDir(const std::string& name)
      : root(std::filesystem::temp_directory_path() / ("cachelab-live-" + name + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(root);
    std::filesystem::create_directories(root);
  }
  ~LiveTempDir() { std::filesystem::remove_all(root); }
  LiveTempDir(const LiveTempDir&) = delete;
  LiveTempDir& operator=(const LiveTempDir&) = delete;
  std::string file(const std::string& name, const std::string& text) const {
    const std::filesystem::path p = root / name;
    std::ofstream(p) << text;
    return p.string();
  }
  std::string out(const std::string& name) const { return (root / name).string(); }
};

// Sets an environment variable for the scope (the child processes a test starts inherit it), then restores it.
// How a test gives `cachelab-live --redis` the password of a lab the test started: never on a command line.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// One standalone server started for a test, whose password the `cachelab-live` commands the test runs find in the
// environment (ScopedEnv, restored before the lab goes): the opening of most one-server live tests.
class StandaloneLabForTest {
 public:
  StandaloneLabForTest() : lab_(standalone_config()) {
    lab_.start();
    endpoint_ = lab_.endpoints().at(0);
    password_.emplace("CACHELAB_REDIS_PASSWORD", lab_.password());
  }
  const Endpoint& endpoint() const { return endpoint_; }
  Lab& lab() { return lab_; }

 private:
  Lab lab_;
  Endpoint endpoint_;
  std::optional<ScopedEnv> password_;
};

}  // namespace cachelab::live::testing
