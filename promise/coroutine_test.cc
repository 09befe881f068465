// Promise<T> as a coroutine: JavaScript's async/await semantics.
#include <alloca.h>
#include <pthread.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "vow/promise/promise.h"
#include "vow/promise/testing/test_support.h"

namespace vow {
namespace {

using test::Counted;
using test::Log;
using ::testing::ElementsAre;

// A then-chain that logs one line per microtask, to count ticks against.
void ticker(Log& log, int n) {
  Promise<void> p = Promise<void>::resolve();
  for (int i = 1; i <= n; ++i) p = p.then([&log, i] { log("tick " + std::to_string(i)); });
}

TEST(CoroutineAwait, BodyRunsSynchronouslyUntilTheFirstAwait) {
  Log log;
  auto f = [&]() -> Promise<void> {
    log("body start");
    co_await Promise<void>::resolve();
    log("after await");
  };
  f();
  log("after call");
  runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("body start", "after call", "after await"));
}

TEST(CoroutineAwait, ResumesOneTickAfterTheAwaitedPromiseSettles) {
  // Parity 27 in miniature.
  Log log;
  auto twoAwaits = [&]() -> Promise<void> {
    co_await Promise<void>::resolve();
    log("after 1st await");
    co_await Promise<void>::resolve();
    log("after 2nd await");
  };
  twoAwaits();
  ticker(log, 3);
  runMicrotasks();
  EXPECT_THAT(log.lines,
              ElementsAre("after 1st await", "tick 1", "after 2nd await", "tick 2", "tick 3"));
}

Promise<std::string> returnsValue() { co_return "value"; }
Promise<std::string> returnsPromise() { co_return Promise<std::string>::resolve("promise"); }
Promise<std::string> returnsAwaited() {
  co_return co_await Promise<std::string>::resolve("awaited");
}

TEST(CoroutineReturn, ValueAwaitedAndPromiseTakeOneTwoAndThreeTicks) {
  // Parity 28: return value (tick 1), return await p (tick 2), return p (tick 3).
  Log log;
  returnsValue().then([&](const std::string& v) { log("got " + v); });
  returnsPromise().then([&](const std::string& v) { log("got " + v); });
  returnsAwaited().then([&](const std::string& v) { log("got " + v); });
  ticker(log, 4);
  runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("got value", "tick 1", "got awaited", "tick 2", "got promise",
                                     "tick 3", "tick 4"));
}

TEST(CoroutineAwait, RejectionThrowsTheOriginalExceptionType) {
  Log log;
  auto f = [&]() -> Promise<int> {
    try {
      co_await Promise<int>::reject(std::out_of_range("range"));
      log("not reached");
    } catch (const std::out_of_range& e) {
      log(std::string("caught out_of_range ") + e.what());
    }
    co_return 1;
  };
  f();
  runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("caught out_of_range range"));
}

TEST(CoroutineAwait, StatusRejectionThrowsStatusError) {
  std::string code;
  auto f = [&]() -> Promise<void> {
    try {
      co_await Promise<void>::reject(absl::NotFoundError("gone"));
    } catch (const StatusError& e) {
      code = absl::StatusCodeToString(e.status().code());
    }
  };
  f();
  runMicrotasks();
  EXPECT_EQ(code, "NOT_FOUND");
}

TEST(CoroutineAwait, TryCatchFinallyAroundAwait) {
  Log log;
  auto f = [&]() -> Promise<void> {
    struct Finally {
      Log& log;
      ~Finally() { log("finally"); }
    };
    try {
      Finally guard{log};
      co_await Promise<void>::reject(std::runtime_error("boom"));
    } catch (const std::exception& e) {
      log(std::string("catch ") + e.what());
    }
  };
  f();
  runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("finally", "catch boom"));
}

TEST(CoroutineThrow, EscapingExceptionRejectsTheResult) {
  std::string got;
  auto f = []() -> Promise<int> {
    throw std::runtime_error("thrown");
    co_return 1;
  };
  f().catch_([&](const Error& e) {
    got = e.message();
    return 0;
  });
  runMicrotasks();
  EXPECT_EQ(got, "thrown");
}

TEST(CoroutineAwait, MoveOnlyValuesAreMovedOut) {
  auto make = []() -> Promise<std::unique_ptr<int>> { co_return std::make_unique<int>(5); };
  int got = 0;
  auto use = [&]() -> Promise<void> {
    std::unique_ptr<int> p = co_await make();
    got = *p;
  };
  use();
  runMicrotasks();
  EXPECT_EQ(got, 5);
}

TEST(CoroutineLifetime, FireAndForgetRunsToTheEnd) {
  Log log;
  auto [gate, open, unused] = Promise<void>::withResolvers();
  auto f = [&log](Promise<void> g) -> Promise<void> {
    co_await g;
    log("finished");
  };
  (void)f(gate);  // nobody keeps the result
  open();
  runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("finished"));
}

TEST(CoroutineLifetime, FrameAwaitingAnUnsettleablePromiseIsDestroyed) {
  Counted::live = 0;
  bool resumed = false;
  auto f = [&resumed](Promise<void> g) -> Promise<void> {
    Counted local;
    co_await g;
    resumed = true;
  };
  {
    auto [gate, open, unused] = Promise<void>::withResolvers();
    auto result = f(gate);
    EXPECT_EQ(Counted::live, 1);
  }
  // The resolvers are gone: the frame (and its local) is released, without resuming.
  EXPECT_EQ(Counted::live, 0);
  runMicrotasks();
  EXPECT_FALSE(resumed);
}

TEST(CoroutineLifetime, AwaiterOfAnAbandonedCoroutineIsDestroyedToo) {
  Counted::live = 0;
  auto inner = [](Promise<void> g) -> Promise<int> {
    co_await g;
    co_return 1;
  };
  auto outer = [&inner](Promise<void> g) -> Promise<void> {
    Counted local;
    co_await inner(g);
  };
  {
    auto [gate, open, unused] = Promise<void>::withResolvers();
    (void)outer(gate);
  }
  EXPECT_EQ(Counted::live, 0);
}

Promise<void> recurse(int n) {
  if (n > 0) co_await recurse(n - 1);
}

TEST(CoroutineDepth, MillionDeepRecursionCompletesOnTheDefaultStack) {
  bool done = false;
  recurse(1'000'000).then([&] { done = true; });
  runMicrotasks();
  EXPECT_TRUE(done);
}

// Uses `bytes` of stack below its caller, touching one byte per page from the top down (as a
// function filling a large local array would). Not instrumented: ASan would poison and
// unpoison the whole array at every call.
[[gnu::noinline]] __attribute__((no_sanitize("address"))) void useStack(std::size_t bytes) {
  volatile char* p = static_cast<char*>(alloca(bytes));
  for (std::size_t i = bytes; i >= 4096; i -= 4096) p[i - 1] = 1;
  p[0] = 1;
}

Promise<void> recurseUsingStack(int n) {
  useStack(800 * 1024);
  if (n > 0) co_await recurseUsingStack(n - 1);
}

// Runs `fn` on a new thread with an 8 MiB stack: a thread's usual size, and fixed (the main
// thread's stack grows without limit under a test runner with `ulimit -s unlimited`).
void onThreadWith8MiBStack(const std::function<void()>& fn) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 8 << 20);
  pthread_t thread;
  auto body = [](void* f) -> void* {
    (*static_cast<const std::function<void()>*>(f))();
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&thread, &attr, body, const_cast<std::function<void()>*>(&fn)), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
}

TEST(CoroutineDepth, BodiesUsing800KiBOfStackRecurseDeeply) {
  // Every body, at every depth, gets at least 1 MiB of stack for what it calls.
  bool done = false;
  onThreadWith8MiBStack([&] {
    recurseUsingStack(200'000).then([&] { done = true; });
    runMicrotasks();
  });
  EXPECT_TRUE(done);
}

volatile bool g_forever = true;
[[gnu::noinline]] int overflowStack(int n) {
  volatile char buf[1024];
  buf[0] = static_cast<char>(n);
  if (!g_forever) return 0;
  return overflowStack(n + 1) + buf[0];
}

Promise<void> recurseThenOverflow(int n) {
  if (n > 0) {
    co_await recurseThenOverflow(n - 1);
  } else {
    overflowStack(0);
  }
}

TEST(CoroutineDepthDeathTest, OverflowingAStackSegmentFailsWithAMessage) {
  // 200,000 levels are past the 8 MiB thread stack: the overflow happens on a segment.
  EXPECT_DEATH(onThreadWith8MiBStack([] { (void)recurseThenOverflow(200'000); }),
               "vow: stack overflow in a coroutine");
}

TEST(CoroutineDepth, MillionAwaitsInALoopRunInConstantStack) {
  auto f = []() -> Promise<long> {
    long sum = 0;
    for (int i = 0; i < 1'000'000; ++i) sum += co_await Promise<int>::resolve(1);
    co_return sum;
  };
  long got = 0;
  f().then([&](long v) { got = v; });
  runMicrotasks();
  EXPECT_EQ(got, 1'000'000);
}

TEST(CoroutineOrder, InterleavesWithThenChainsLikeJs) {
  // Parity 27's four functions against a three-tick ticker.
  Log log;
  auto awaitsValue = [&]() -> Promise<void> {
    co_await Promise<int>::resolve(42);
    log("resumed after await 42");
  };
  auto inner = []() -> Promise<std::string> { co_return "inner"; };
  auto awaitsAsyncCall = [&]() -> Promise<void> {
    std::string v = co_await inner();
    log("resumed after await inner() = " + v);
  };
  awaitsValue();
  awaitsAsyncCall();
  ticker(log, 2);
  runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("resumed after await 42",
                                     "resumed after await inner() = inner", "tick 1", "tick 2"));
}

}  // namespace
}  // namespace vow
