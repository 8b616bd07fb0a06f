#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "cachelab/core/event_queue.hpp"
#include "cachelab/core/rng.hpp"
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
    if (popped[i - 1].time == popped[i].time) {
      ASSERT_LT(popped[i - 1].tag, popped[i].tag) << "insertion order broken";
    }
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

// A calendar source (the control plane's crons) reserves the sequence number when it decides an event and hands it
// to the queue later: ties with events scheduled in between break as if it had been scheduled at once.
TEST(EventQueue, ReservedSequenceNumbersOrderTiesAsIfScheduledWhenReserved) {
  EventQueue q;
  Log log;
  const uint64_t early = q.reserve_seq();  // decided first
  q.schedule(Time::us(5), &log, 2);
  const uint64_t late = q.reserve_seq();
  q.schedule(Time::us(5), &log, 4);
  q.schedule_reserved(Time::us(5), late, &log, 3);
  q.schedule_reserved(Time::us(5), early, &log, 1);
  const EventId dropped = q.schedule_reserved(Time::us(1), q.reserve_seq(), &log, 99);
  q.cancel(dropped);
  std::vector<uint64_t> tags;
  while (!q.empty()) tags.push_back(q.pop().tag);
  EXPECT_EQ(tags, (std::vector<uint64_t>{1, 2, 3, 4}));
  EXPECT_THROW(q.schedule_reserved(Time::us(1), 1000, &log, 0), std::logic_error);  // never reserved
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

// The lane must not change the order of events: a source that keeps one event pending pops in exactly the order
// the heap would give it. Two queues receive the same schedule, one routing the "driver" events through the lane.
TEST(EventQueue, LaneKeepsTheHeapOrder) {
  EventQueue heap_only, with_lane;
  Log a, b;  // handler identity only
  Rng rng(7);
  bool driver_pending = false;
  std::vector<std::pair<int64_t, uint64_t>> order_heap, order_lane;
  uint64_t tag = 0;
  int64_t now = 0;
  for (int step = 0; step < 20000; ++step) {
    // A few ordinary events at coarse times (many ties), and the driver's next event when it has none pending.
    for (int k = 0; k < 2; ++k) {
      const Time t = Time::ns(now + static_cast<int64_t>(rng.next_u64() % 8) * 100);
      heap_only.schedule(t, &a, tag);
      with_lane.schedule(t, &a, tag);
      ++tag;
    }
    if (!driver_pending) {
      const Time t = Time::ns(now + static_cast<int64_t>(rng.next_u64() % 8) * 100);
      heap_only.schedule(t, &b, tag | (uint64_t{1} << 63));
      with_lane.schedule_lane(t, &b, tag | (uint64_t{1} << 63));
      ++tag;
      driver_pending = true;
    }
    const Event x = heap_only.pop();
    const Event y = with_lane.pop();
    ASSERT_EQ(x.time, y.time);
    ASSERT_EQ(x.tag, y.tag) << "step " << step;
    if (x.tag >> 63) driver_pending = false;
    now = x.time.nanos();
  }
  EXPECT_EQ(heap_only.size(), with_lane.size());
}

TEST(EventQueue, LaneHoldsOneEventAndCanBeCancelled) {
  EventQueue q;
  Log log;
  const EventId id = q.schedule_lane(Time::us(5), &log, 1);
  EXPECT_THROW(q.schedule_lane(Time::us(6), &log, 2), std::logic_error);
  q.schedule(Time::us(9), &log, 3);
  q.cancel(id);
  EXPECT_FALSE(q.lane_pending());
  ASSERT_FALSE(q.empty());
  EXPECT_EQ(q.pop().tag, 3u);
  EXPECT_TRUE(q.empty());
}

// The wheel in front of the heap must pop in exactly (time, seq) order whatever the times: ties, every scale from
// nanoseconds to hours (inside and beyond the wheel's 33 ms), events scheduled before the last one popped (allowed
// by EventQueue, refused by Simulation), cancels and the lane. Checked against an ordered set.
TEST(EventQueue, MatchesAnOrderedSetAtEveryTimeScale) {
  EventQueue q;
  Log log;
  std::set<std::pair<int64_t, uint64_t>> ref;  // (time, seq) of live events, lane included
  std::vector<EventId> ids;
  std::unordered_map<uint64_t, int64_t> time_of;  // seq -> time
  Rng rng(11);
  int64_t now = 0;
  auto delay = [&]() -> int64_t {
    switch (rng.below(8)) {
      case 0:
        return 0;  // same instant
      case 1:
        return static_cast<int64_t>(rng.below(16));  // ns apart: ties within a bucket
      case 2:
        return static_cast<int64_t>(rng.below(1'000'000));  // within a ms
      case 3:
        return static_cast<int64_t>(rng.below(40'000'000));  // around the wheel's edge
      case 4:
        return static_cast<int64_t>(rng.below(10'000'000'000));  // seconds: the far heap
      case 5:
        return -static_cast<int64_t>(rng.below(50'000'000));  // before the last pop (EventQueue only)
      case 6:
        return static_cast<int64_t>(rng.below(3'600'000'000'000));  // an hour
      default:
        return static_cast<int64_t>(rng.below(200'000));
    }
  };
  for (int step = 0; step < 200000; ++step) {
    // Now and then a crowd within one bucket's 8 µs, in random order: the walk limit sends the rest to the heap.
    const int pushes = rng.below(500) == 0 ? 60 : static_cast<int>(rng.below(3));
    for (int k = 0; k < pushes; ++k) {
      const int64_t t = std::max<int64_t>(0, now + (pushes == 60 ? static_cast<int64_t>(rng.below(8000)) : delay()));
      if (!q.lane_pending() && rng.below(4) == 0) {
        const EventId id = q.schedule_lane(Time::ns(t), &log, 0);
        ref.insert({t, id.seq});
        time_of[id.seq] = t;
        ids.push_back(id);
      } else {
        const EventId id = q.schedule(Time::ns(t), &log, 0);
        ref.insert({t, id.seq});
        time_of[id.seq] = t;
        ids.push_back(id);
      }
    }
    if (!ids.empty() && rng.below(10) == 0) {  // cancel a random earlier event (it may have run already)
      const EventId id = ids[rng.below(ids.size())];
      q.cancel(id);
      ref.erase({time_of[id.seq], id.seq});
    }
    // As many pops as pushes on average: the queue's size wanders (a random walk) from empty to hundreds.
    for (int pops = static_cast<int>(rng.below(3)); pops > 0 && !ref.empty(); --pops) {
      ASSERT_FALSE(q.empty());
      ASSERT_EQ(q.next_time().nanos(), ref.begin()->first);
      const Event e = q.pop();
      ASSERT_EQ(e.time.nanos(), ref.begin()->first) << "step " << step;
      ASSERT_EQ(e.seq, ref.begin()->second) << "step " << step;
      ref.erase(ref.begin());
      now = e.time.nanos();
    }
  }
  Event e;
  while (q.pop_until(Time::max(), e)) {
    ASSERT_FALSE(ref.empty());
    ASSERT_EQ(e.seq, ref.begin()->second);
    ref.erase(ref.begin());
  }
  EXPECT_TRUE(ref.empty());
  EXPECT_TRUE(q.empty());
}

// Crowds: hundreds of events in one 8 µs bucket, sorted when the bucket becomes the first (by two counting passes
// over the time bits when they arrived in sequence order, by comparison when a reserved, older sequence number is
// among them), then pushes into the sorted bucket in front of, among and behind them. Checked against an ordered set.
TEST(EventQueue, CrowdedBucketsPopInTimeThenSequenceOrder) {
  for (const bool with_reserved : {false, true}) {
    EventQueue q;
    Log log;
    std::set<std::pair<int64_t, uint64_t>> ref;
    Rng rng(with_reserved ? 5 : 3);
    std::vector<uint64_t> reserved;
    int64_t now = 0;
    for (int round = 0; round < 200; ++round) {
      const int64_t base = now + static_cast<int64_t>(rng.below(3)) * 8192;
      const int crowd = 64 + static_cast<int>(rng.below(600));
      for (int k = 0; k < crowd; ++k) {
        const int64_t t = base + static_cast<int64_t>(rng.below(rng.below(2) ? 8192 : 40));  // some exact ties
        if (with_reserved && rng.below(50) == 0) reserved.push_back(q.reserve_seq());
        const EventId id = q.schedule(Time::ns(t), &log, 0);
        ref.insert({t, id.seq});
      }
      for (uint64_t seq : reserved) {  // older sequence numbers appended after newer ones
        const int64_t t = base + static_cast<int64_t>(rng.below(8192));
        q.schedule_reserved(Time::ns(t), seq, &log, 0);
        ref.insert({t, seq});
      }
      reserved.clear();
      for (int pops = crowd / 2; pops > 0; --pops) {
        const Event e = q.pop();
        ASSERT_EQ(e.time.nanos(), ref.begin()->first) << "round " << round;
        ASSERT_EQ(e.seq, ref.begin()->second) << "round " << round;
        ref.erase(ref.begin());
        now = e.time.nanos();
        if (rng.below(4) == 0) {  // into the bucket being drained, or the next ones
          const int64_t t = now + static_cast<int64_t>(rng.below(12000));
          ref.insert({t, q.schedule(Time::ns(t), &log, 0).seq});
        }
      }
    }
    Event e;
    while (q.pop_until(Time::max(), e)) {
      ASSERT_EQ(e.time.nanos(), ref.begin()->first);
      ASSERT_EQ(e.seq, ref.begin()->second);
      ref.erase(ref.begin());
    }
    EXPECT_TRUE(ref.empty());
  }
}

// The front (the first bucket, sorted) is made when a pop looks at the queue; a lane event may still come first,
// and what it schedules may land before the front's bucket: a short front goes back to its list, a long one stays
// and the new event goes to the far heap. Either way the order holds.
TEST(EventQueue, EventsScheduledBeforeTheFrontAfterALaneEventKeepTheOrder) {
  for (const int front_size : {1, 3, 17, 40}) {
    EventQueue q;
    Log log;
    std::vector<uint64_t> order;
    for (int k = 0; k < front_size; ++k) q.schedule(Time::us(100) + Time::ns(front_size - k), &log, 100 + k);
    q.schedule_lane(Time::us(10), &log, 1);
    Event e = q.pop();  // the lane's: the front (100 µs) was made for the comparison
    ASSERT_EQ(e.tag, 1u);
    q.schedule(Time::us(20), &log, 2);   // before the front's bucket
    q.schedule(Time::us(100), &log, 3);  // into the front's bucket, ahead of all of it
    q.schedule(Time::us(20), &log, 4);   // a tie with 2: after it
    q.schedule(Time::ms(20), &log, 5);   // a later bucket
    while (!q.empty()) order.push_back(q.pop().tag);
    std::vector<uint64_t> expect = {2, 4, 3};
    for (int k = front_size - 1; k >= 0; --k) expect.push_back(100 + static_cast<uint64_t>(k));
    expect.push_back(5);
    EXPECT_EQ(order, expect) << "front of " << front_size;
  }
}
