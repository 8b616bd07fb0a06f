#include <gtest/gtest.h>

#include <vector>

#include "cachelab/core/event_queue.hpp"
#include "cachelab/core/simulation.hpp"

using namespace cachelab;

namespace {
struct Log final : EventHandler {
  std::vector<std::pair<int64_t, uint64_t>> seen;
  void on_event(Time now, uint64_t tag) override { seen.emplace_back(now.nanos(), tag); }
};
}  // namespace

TEST(EventQueue, EqualTimesPopInInsertionOrder) {
  EventQueue q;
  Log log;
  for (uint64_t i = 0; i < 1000; ++i) q.schedule(Time::us(static_cast<int64_t>(i % 7)), &log, i);
  std::vector<Event> popped;
  while (!q.empty()) popped.push_back(q.pop());
  ASSERT_EQ(popped.size(), 1000u);
  for (size_t i = 1; i < popped.size(); ++i) {
    ASSERT_LE(popped[i - 1].time, popped[i].time);
    if (popped[i - 1].time == popped[i].time) ASSERT_LT(popped[i - 1].tag, popped[i].tag) << "insertion order broken";
  }
}

TEST(EventQueue, CancelledEventsNeverRun) {
  EventQueue q;
  Log log;
  std::vector<EventId> ids;
  for (uint64_t i = 0; i < 100; ++i) ids.push_back(q.schedule(Time::ns(static_cast<int64_t>(100 - i)), &log, i));
  for (size_t i = 0; i < ids.size(); i += 3) q.cancel(ids[i]);
  q.cancel(ids[0]);  // twice: harmless
  std::vector<uint64_t> tags;
  while (!q.empty()) tags.push_back(q.pop().tag);
  EXPECT_EQ(tags.size(), 100u - 34u);
  for (uint64_t t : tags) EXPECT_NE(t % 3, 0u);
}

TEST(Simulation, RunUntilStopsAtTheBoundaryAndAdvancesTheClock) {
  Simulation sim(1);
  Log log;
  sim.at(Time::ms(1), &log, 1);
  sim.at(Time::ms(2), &log, 2);
  sim.at(Time::ms(3), &log, 3);
  sim.run_until(Time::ms(2));
  ASSERT_EQ(log.seen.size(), 2u);  // events at exactly the boundary run
  EXPECT_EQ(sim.now(), Time::ms(2));
  sim.run_until(Time::ms(10));
  EXPECT_EQ(log.seen.size(), 3u);
  EXPECT_EQ(sim.now(), Time::ms(10));  // the clock reaches the end even with nothing left to do
}

TEST(Simulation, SchedulingInThePastIsAnError) {
  Simulation sim(1);
  Log log;
  sim.run_until(Time::ms(5));
  EXPECT_THROW(sim.at(Time::ms(4), &log, 0), std::logic_error);
}

TEST(Simulation, ClosuresAndEventsFromEventsKeepOrder) {
  Simulation sim(1);
  std::vector<int> order;
  sim.at(Time::ms(1), [&] {
    order.push_back(1);
    sim.at(sim.now(), [&] { order.push_back(3); });  // same time, scheduled later: runs after 2
  });
  sim.at(Time::ms(1), [&] { order.push_back(2); });
  sim.run_until(Time::ms(1));
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

TEST(Simulation, TwoSimulationsInOneProcessAreIndependent) {
  Simulation a(7), b(7);
  Log la, lb;
  a.at(Time::ms(1), &la, 1);
  b.at(Time::ms(2), &lb, 2);
  a.run_until(Time::ms(5));
  EXPECT_EQ(la.seen.size(), 1u);
  EXPECT_EQ(lb.seen.size(), 0u);
  EXPECT_EQ(b.now(), Time::ns(0));
  EXPECT_EQ(a.stream("x").next_u64(), b.stream("x").next_u64());
}
