// perf_hooks: histograms against the values node v20 printed for the same records, the
// event-loop delay monitor and eventLoopUtilization on a loop that waits and one that works.
#include "vow/loop/perf_hooks.h"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "vow/loop/loop.h"
#include "vow/loop/timers.h"
#include "vow/promise/error.h"

namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

// const h = createHistogram(); h.percentiles, h.min, h.max, h.mean, h.percentile(50)
// -> Map { 100 => 0 } 9223372036854776000 0 NaN 0
TEST(PerfHooksHistogram, EmptyHistogramReportsNodesSentinels) {
  auto h = vow::perf_hooks::createHistogram();
  EXPECT_THAT(h.percentiles(), ElementsAre(Pair(100.0, 0)));
  EXPECT_EQ(h.min(), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(h.max(), 0);
  EXPECT_TRUE(std::isnan(h.mean()));
  EXPECT_EQ(h.percentile(50), 0);
  EXPECT_EQ(h.count(), 0);
}

// h.record(1); h.record(3000); h.record(123456);
// -> Map { 0 => 1, 50 => 3000, 75 => 123456, 100 => 123456 } 1 123519 42163.333333333336
//    57518.264092566475 3001 123519 3
TEST(PerfHooksHistogram, BucketsMinMaxMeanAndPercentilesMatchNode) {
  auto h = vow::perf_hooks::createHistogram();
  h.record(1);
  h.record(3000);
  h.record(123456);
  EXPECT_THAT(h.percentiles(), ElementsAre(Pair(0.0, 1), Pair(50.0, 3000), Pair(75.0, 123456),
                                           Pair(100.0, 123456)));
  EXPECT_EQ(h.min(), 1);
  EXPECT_EQ(h.max(), 123519);
  EXPECT_DOUBLE_EQ(h.mean(), 42163.333333333336);
  EXPECT_DOUBLE_EQ(h.stddev(), 57518.264092566475);
  EXPECT_EQ(h.percentile(50), 3001);
  EXPECT_EQ(h.percentile(100), 123519);
  EXPECT_EQ(h.count(), 3);

  // const g = createHistogram(); g.record(5); g.add(h);
  // -> 4 1 123519 Map { 0 => 1, 50 => 5, 75 => 3000, 87.5 => 123456, 100 => 123456 }
  auto g = vow::perf_hooks::createHistogram();
  g.record(5);
  g.add(h);
  EXPECT_EQ(g.count(), 4);
  EXPECT_EQ(g.min(), 1);
  EXPECT_EQ(g.max(), 123519);
  EXPECT_THAT(g.percentiles(), ElementsAre(Pair(0.0, 1), Pair(50.0, 5), Pair(75.0, 3000),
                                           Pair(87.5, 123456), Pair(100.0, 123456)));
  g.reset();
  EXPECT_EQ(g.count(), 0);
  EXPECT_EQ(g.max(), 0);
}

TEST(PerfHooksHistogram, OutOfRangeArgumentsThrowNodesErrors) {
  auto h = vow::perf_hooks::createHistogram();
  try {
    h.record(0);
    FAIL() << "no throw";
  } catch (const vow::RangeError& e) {
    EXPECT_EQ(e.code(), "ERR_OUT_OF_RANGE");
    EXPECT_STREQ(e.what(),
                 "The value of \"val\" is out of range. It must be >= 1 && <= 9007199254740991. "
                 "Received 0");
  }
  try {
    (void)h.percentile(101);
    FAIL() << "no throw";
  } catch (const vow::RangeError& e) {
    EXPECT_STREQ(e.what(),
                 "The value of \"percentile\" is out of range. It must be > 0 && <= 100. "
                 "Received 101");
  }
  try {
    vow::perf_hooks::monitorEventLoopDelay({.resolution = 1.5});
    FAIL() << "no throw";
  } catch (const vow::RangeError& e) {
    EXPECT_STREQ(e.what(),
                 "The value of \"options.resolution\" is out of range. It must be an integer. "
                 "Received 1.5");
  }
  EXPECT_EQ(h.count(), 0);  // nothing was recorded by the failed calls
}

TEST(PerfHooksMonitorEventLoopDelay, RecordsTheIntervalsAndSeesABlockedLoop) {
  vow::Loop loop;
  auto h = vow::perf_hooks::monitorEventLoopDelay({.resolution = 5});
  EXPECT_TRUE(h.enable());
  EXPECT_FALSE(h.enable());
  // Keep the loop alive for 200 ms of timers, one of which blocks it for 30 ms.
  vow::setTimeout([] { std::this_thread::sleep_for(std::chrono::milliseconds(30)); }, 20);
  vow::setTimeout([&h] { EXPECT_TRUE(h.disable()); }, 200);
  loop.run();
  EXPECT_GE(h.count(), 3);
  EXPECT_GE(h.min(), 4'000'000);   // ~ the 5 ms resolution
  EXPECT_GE(h.max(), 30'000'000);  // the blocked interval
  EXPECT_FALSE(h.disable());
  const std::int64_t count = h.count();
  vow::setTimeout([] {}, 20);
  loop.run();
  EXPECT_EQ(h.count(), count);  // disabled: no more samples
}

TEST(PerfHooksMonitorEventLoopDelay, DoesNotKeepTheLoopAlive) {
  vow::Loop loop;
  auto h = vow::perf_hooks::monitorEventLoopDelay();
  h.enable();
  const auto start = std::chrono::steady_clock::now();
  loop.run();  // returns at once: the sampling timer is unref'd
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

TEST(PerformanceEventLoopUtilization, IdleWhileWaitingActiveWhileWorking) {
  vow::Loop loop;
  EXPECT_EQ(vow::performance::eventLoopUtilization().utilization, 0);  // not started yet
  vow::setTimeout([] {}, 50);  // the loop waits in poll
  loop.run();
  const auto waited = vow::performance::eventLoopUtilization();
  EXPECT_GE(waited.idle, 40);
  EXPECT_LT(waited.utilization, 0.5);
  vow::setTimeout(
      [] {
        const auto t = std::chrono::steady_clock::now();
        while (std::chrono::steady_clock::now() - t < std::chrono::milliseconds(50)) {
        }
      },
      0);
  loop.run();
  const auto worked = vow::performance::eventLoopUtilization(waited);
  EXPECT_GE(worked.active, 45);
  EXPECT_GT(worked.utilization, 0.5);
  const auto diff = vow::performance::eventLoopUtilization(worked, waited);
  EXPECT_DOUBLE_EQ(diff.idle, worked.idle - waited.idle);
  EXPECT_GE(vow::performance::now(), 0);
}

}  // namespace
