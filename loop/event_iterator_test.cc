// vow::on (Node's events.on) and timers/promises setInterval as async iterators. Expected
// sequences were printed by node v20 running the JavaScript quoted above each test.
#include "vow/loop/event_iterator.h"

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <variant>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "vow/loop/event_emitter.h"
#include "vow/loop/loop.h"
#include "vow/loop/timers.h"
#include "vow/promise/for_await.h"
#include "vow/promise/promise.h"
#include "vow/promise/testing/test_support.h"

namespace {

using ::testing::ElementsAre;
using vow::Promise;
using vow::test::Log;

class Pausable : public vow::EventEmitter {
 public:
  explicit Pausable(Log& log) : log_(log) {}
  void pause() { log_("pause"); }
  void resume() { log_("resume"); }

 private:
  Log& log_;
};

// class P extends EventEmitter { pause() {...} resume() {...} }
// const it = on(e, 'v', { highWaterMark: 2, lowWaterMark: 1 });
// for (let i = 1; i <= 4; i++) { e.emit('v', i); log('emitted ' + i); }
// 4 x await it.next(); it.throw(new Error('stop')); await it.next() rejects; then done, 0
TEST(EventsOn, WatermarksPauseAndResumeTheEmitterAndThrowEndsTheIteration) {
  vow::Loop loop;
  Log log;
  Pausable e(log);
  auto it = vow::on<int>(e, "v", {.highWaterMark = 2, .lowWaterMark = 1});
  for (int i = 1; i <= 4; i++) {
    e.emit("v", i);
    log("emitted " + std::to_string(i));
  }
  auto body = [&]() -> Promise<void> {
    for (int k = 0; k < 4; k++) {
      std::optional<std::tuple<int>> r = co_await it.next();
      log("got " + std::to_string(std::get<0>(*r)));
    }
    it.throw_(std::runtime_error("stop"));
    try {
      co_await it.next();
    } catch (const std::exception& err) {
      log(std::string("next after throw: ") + err.what());
    }
    std::optional<std::tuple<int>> done = co_await it.next();
    log(std::string(done ? "value" : "done") + " " + std::to_string(e.listenerCount("v")));
  };
  body();
  loop.run();
  EXPECT_THAT(log.lines,
              ElementsAre("emitted 1", "emitted 2", "pause", "emitted 3", "emitted 4", "got 1",
                          "got 2", "got 3", "resume", "got 4", "next after throw: stop", "done 0"));
}

TEST(EventsOn, ZeroHighWaterMarkIsOutOfRange) {
  vow::Loop loop;
  vow::EventEmitter e;
  try {
    vow::on<int>(e, "v", {.highWaterMark = 0});
    FAIL() << "no throw";
  } catch (const vow::RangeError& err) {
    EXPECT_EQ(err.code(), "ERR_OUT_OF_RANGE");
    EXPECT_STREQ(err.what(),
                 "The value of \"options.highWaterMark\" is out of range. It must be >= 1 && <= "
                 "9007199254740991. Received 0");
  }
  EXPECT_EQ(e.listenerCount("v"), 0u);
}

TEST(EventsOn, SharedEmitterMayGoAwayWhileAConsumerWaits) {
  vow::Loop loop;
  Log log;
  // A coroutine lambda's captures live in the lambda object: it must outlive the coroutine.
  auto body = [&log](vow::EventIterator<std::tuple<std::string>> iterator,
                     vow::test::Counted) -> Promise<void> {
    auto it = vow::forAwait(iterator);
    while (auto line = co_await it.next()) log(std::get<0>(*line));
    co_await it.close();
    log("never");
  };
  {
    auto e = std::make_shared<vow::EventEmitter>();
    auto it = vow::on<std::string>(e, "line", {.close = {"close"}});
    vow::setTimeout([e] { e->emit("line", std::string("a")); }, 1);
    body(it, vow::test::Counted());
  }
  loop.run();  // the timer ran and dropped the last reference to the emitter
  EXPECT_THAT(log.lines, ElementsAre("a"));
  EXPECT_EQ(vow::test::Counted::live, 0);  // the waiting coroutine was released
}

TEST(TimersPromisesSetInterval, DroppingThePausedGeneratorClearsTheInterval) {
  vow::Loop loop;
  int got = 0;
  auto body = [&got]() -> Promise<void> {
    auto gen = vow::timers::promises::setInterval(1, 7);
    std::optional<int> v = co_await gen.next();
    got = *v;
  };  // the generator (paused at its yield) is dropped here
  body();
  loop.run();  // returns: nothing keeps the loop alive any more
  EXPECT_EQ(got, 7);
}

TEST(TimersPromisesSetInterval, UnrefIntervalDoesNotKeepTheLoopAlive) {
  vow::Loop loop;
  bool resumed = false;
  auto gen = vow::timers::promises::setInterval(5, {.ref = false});
  gen.next().then([&](const std::optional<std::monostate>&) { resumed = true; });
  loop.run();
  EXPECT_FALSE(resumed);
}

}  // namespace
