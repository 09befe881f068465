// Tracing: the recorded events nest and order as the loop ran them; the JSON and the text
// timeline say so.
#include "vow/loop/trace.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "vow/loop/loop.h"
#include "vow/loop/thread_pool.h"
#include "vow/loop/timers.h"
#include "vow/promise/promise.h"

namespace {

using ::testing::HasSubstr;
using vow::trace::Event;

const Event* find(const std::vector<Event>& events, const std::string& name) {
  for (const Event& e : events) {
    if (e.name == name && e.ph == 'X') return &e;
  }
  return nullptr;
}

bool inside(const Event& inner, const Event& outer) {
  return inner.tid == outer.tid && inner.ts_ns >= outer.ts_ns &&
         inner.ts_ns + inner.dur_ns <= outer.ts_ns + outer.dur_ns;
}

TEST(Trace, CallbacksNestInTheirPhasesAndPoolJobsRunOnPoolTracks) {
  vow::Loop loop;
  vow::trace::start();
  EXPECT_TRUE(vow::trace::enabled());
  vow::setTimeout(
      [] {
        vow::setImmediate([] {});
        vow::queueWork([] { std::this_thread::sleep_for(std::chrono::milliseconds(5)); }).then([] {
          vow::Promise<void>::resolve().then([] {});
        });
      },
      1);
  loop.run();
  const std::vector<Event> events = vow::trace::stop();
  EXPECT_FALSE(vow::trace::enabled());

  const Event* timeout = find(events, "setTimeout");
  const Event* immediate = find(events, "setImmediate");
  const Event* job = find(events, "pool job");
  const Event* completion = find(events, "pool completion");
  ASSERT_NE(timeout, nullptr);
  ASSERT_NE(immediate, nullptr);
  ASSERT_NE(job, nullptr);
  ASSERT_NE(completion, nullptr);

  // Each callback lies inside a span of its phase, on the loop's track.
  auto in_phase = [&](const Event& cb, const std::string& phase) {
    return std::any_of(events.begin(), events.end(), [&](const Event& e) {
      return e.ph == 'X' && e.cat == "phase" && e.name == phase && inside(cb, e);
    });
  };
  EXPECT_TRUE(in_phase(*timeout, "timers"));
  EXPECT_TRUE(in_phase(*immediate, "check"));
  EXPECT_TRUE(in_phase(*completion, "poll"));
  // In the order they ran.
  EXPECT_LT(timeout->ts_ns, immediate->ts_ns);
  EXPECT_LT(job->ts_ns + job->dur_ns, completion->ts_ns + completion->dur_ns);
  EXPECT_GE(job->dur_ns, 4'000'000);

  // The job ran on a pool thread's track, named as such.
  EXPECT_NE(job->tid, timeout->tid);
  std::map<int, std::string> names;
  for (const Event& e : events) {
    if (e.ph == 'M') names[e.tid] = e.name;
  }
  EXPECT_THAT(names[job->tid], HasSubstr("pool"));
  EXPECT_THAT(names[timeout->tid], HasSubstr("loop"));

  // Flow arrows come in pairs: queued -> job, job -> completion.
  std::map<std::uint64_t, std::string> starts, finishes;
  for (const Event& e : events) {
    if (e.ph == 's') starts[e.id] = e.name;
    if (e.ph == 'f') finishes[e.id] = e.name;
  }
  EXPECT_EQ(starts.size(), 2u);
  EXPECT_EQ(starts, finishes);

  // The checkpoint after the completion ran its microtasks.
  EXPECT_TRUE(std::any_of(events.begin(), events.end(), [&](const Event& e) {
    return e.name == "checkpoint" && e.ts_ns >= completion->ts_ns;
  }));

  const std::string json = vow::trace::toJson(events);
  EXPECT_THAT(json, HasSubstr("{\"traceEvents\":["));
  EXPECT_THAT(json, HasSubstr("\"name\":\"pool job\",\"cat\":\"pool\",\"ph\":\"X\""));
  EXPECT_THAT(json, HasSubstr("\"ph\":\"M\""));
  EXPECT_EQ(std::count(json.begin(), json.end(), '{'), std::count(json.begin(), json.end(), '}'));

  const std::string chart = vow::trace::renderTimeline(events, 40);
  EXPECT_THAT(chart, HasSubstr("loop"));
  EXPECT_THAT(chart, HasSubstr("pool"));
  EXPECT_THAT(chart, HasSubstr("P"));
  EXPECT_THAT(chart, HasSubstr("legend: T=timer I=immediate P=pool job C=pool completion"));
}

TEST(Trace, NothingIsRecordedWhenOff) {
  vow::Loop loop;
  vow::trace::start();
  (void)vow::trace::stop();
  vow::setTimeout([] {}, 1);
  loop.run();
  vow::trace::start();
  const std::vector<Event> events = vow::trace::stop();
  EXPECT_TRUE(events.empty());
}

TEST(TraceRenderTimeline, BackToBackSpansOfOneKindAlternateCase) {
  // Two jobs back to back on one pool thread, then a gap and a third; a timer on the loop.
  const std::vector<Event> events = {
      Event{"loop 1", "__metadata", 'M', 0, 0, 1, 0},
      Event{"pool 1", "__metadata", 'M', 0, 0, 2, 0},
      Event{"pool job", "pool", 'X', 0, 40'000'000, 2, 0},
      Event{"pool job", "pool", 'X', 40'000'000, 40'000'000, 2, 0},
      Event{"pool job", "pool", 'X', 90'000'000, 10'000'000, 2, 0},
      Event{"setTimeout", "callback", 'X', 50'000'000, 1'000'000, 1, 0},
  };
  EXPECT_EQ(vow::trace::renderTimeline(events, 20),
            "       0 ms            100.0 ms\n"
            "loop 1 |..........T.........|\n"
            "pool 1 |PPPPPPPPppppppppp.PP|\n"
            "legend: T=timer P=pool job (lower case: a span right after one of its kind)\n");
}

TEST(Trace, PoolThreadsAreNumberedFromOne) {
  vow::Loop loop;
  vow::trace::start();
  for (int i = 0; i < 8; ++i) {
    (void)vow::queueWork([] { std::this_thread::sleep_for(std::chrono::milliseconds(5)); });
  }
  loop.run();
  std::set<std::string> pools;
  for (const Event& e : vow::trace::stop()) {
    if (e.ph == 'M' && e.name.rfind("pool ", 0) == 0) pools.insert(e.name);
  }
  ASSERT_FALSE(pools.empty());
  EXPECT_TRUE(pools.count("pool 1")) << *pools.begin();
  for (const std::string& name : pools) {
    const int n = std::stoi(name.substr(5));
    EXPECT_GE(n, 1);
    EXPECT_LE(n, static_cast<int>(vow::threadPoolSize()));
  }
}

}  // namespace
