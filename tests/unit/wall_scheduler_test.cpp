// Live mode's wall clock (core/scheduler.hpp): now() is read once per dispatch and held until tick(), run_due()
// gives every timer a fresh reading, read_clock() is always fresh. The driver's throughput depends on the first
// (issue 19 part 2); latencies and timeouts depend on the other two.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "cachelab/core/scheduler.hpp"

namespace cachelab {
namespace {

void spin_for(std::chrono::microseconds d) {
  const auto until = std::chrono::steady_clock::now() + d;
  while (std::chrono::steady_clock::now() < until) {}
}

TEST(WallScheduler, NowHoldsWithinADispatchAndMovesOnTick) {
  WallScheduler s;
  const Time a = s.now();
  spin_for(std::chrono::microseconds(200));
  EXPECT_EQ(s.now(), a) << "now() read the clock again within one dispatch";
  EXPECT_GE(s.read_clock() - a, Time::us(200)) << "read_clock() must always be fresh";
  s.tick();
  EXPECT_GE(s.now() - a, Time::us(200)) << "after tick() now() must read the clock";
}

struct Recorder final : EventHandler {
  WallScheduler* s = nullptr;
  std::vector<Time> seen_now;
  void on_event(Time, uint64_t) override {
    seen_now.push_back(s->now());
    spin_for(std::chrono::microseconds(300));  // work inside the handler
  }
};

TEST(WallScheduler, EachTimerSeesAFreshClock) {
  WallScheduler s;
  Recorder r;
  r.s = &s;
  const Time t0 = s.now();
  s.at(t0, &r, 1);
  s.at(t0, &r, 2);
  s.run_due();
  ASSERT_EQ(r.seen_now.size(), 2u);
  // The second timer runs after the first one's 300 us of work and must see that time, not the first's.
  EXPECT_GE(r.seen_now[1] - r.seen_now[0], Time::us(300));
}

TEST(WallScheduler, RunDueRunsOnlyWhatIsDue) {
  WallScheduler s;
  Recorder r;
  r.s = &s;
  s.at(s.read_clock() + Time::ms(50), &r, 1);
  s.run_due();
  EXPECT_TRUE(r.seen_now.empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  s.run_due();  // no explicit tick(): run_due() must read the clock itself
  EXPECT_EQ(r.seen_now.size(), 1u);
}

}  // namespace
}  // namespace cachelab
