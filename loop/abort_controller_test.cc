// AbortController / AbortSignal: the abort event, reasons, timeout, any, lifetimes. Expected
// sequences and texts were printed by node v20.
#include "vow/loop/abort_controller.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "vow/loop/event_emitter.h"
#include "vow/loop/loop.h"
#include "vow/loop/timers.h"
#include "vow/promise/combinators.h"
#include "vow/promise/promise.h"
#include "vow/promise/testing/test_support.h"

namespace {

using ::testing::HasSubstr;
using vow::test::Log;

std::string describe(const vow::Error& e) { return e.name() + ": " + e.message(); }

// Node's warning (described) when an 11th abort listener is added.
constexpr char kElevenListenersWarning[] =
    "MaxListenersExceededWarning: Possible EventTarget memory leak detected. 11 abort listeners "
    "added to [AbortSignal]. MaxListeners is 10. Use events.setMaxListeners() to increase limit";

TEST(AbortControllerAbort, RunsListenersSynchronouslyInOrderBeforeTicksAndMicrotasks) {
  vow::Loop loop;
  Log log;
  vow::AbortController c;
  vow::AbortSignal s = c.signal();
  s.addEventListener("abort", [&](const vow::AbortEvent& e) {
    log(std::string("l1 ") + std::string(e.type()) + " " + (e.target.aborted() ? "true" : "false") +
        " " + describe(s.reason()));
  });
  s.onabort([&] { log("onabort"); });
  s.addEventListener("abort", [&] { log("l2"); }, {.once = true});
  vow::Promise<void>::resolve().then([&] { log("micro"); });
  vow::nextTick([&] { log("tick"); });
  log("before");
  c.abort();
  log("after");
  loop.run();
  EXPECT_EQ(log, (Log{"before", "l1 abort true AbortError: This operation was aborted", "onabort",
                      "l2", "after", "tick", "micro"}));
}

TEST(AbortControllerAbort, DefaultReasonIsADomExceptionAbortErrorWithCode20) {
  vow::Loop loop;
  vow::AbortController c;
  c.abort();
  const auto* reason = c.signal().reason().as<vow::DOMException>();
  ASSERT_NE(reason, nullptr);
  EXPECT_STREQ(reason->name(), "AbortError");
  EXPECT_EQ(reason->message(), "This operation was aborted");
  EXPECT_EQ(reason->code(), "20");
  EXPECT_EQ(c.signal().reason().status().code(), absl::StatusCode::kCancelled);
}

TEST(AbortControllerAbort, SecondAbortChangesNothingAndRunsNoListener) {
  vow::Loop loop;
  vow::AbortController c;
  int runs = 0;
  c.signal().onabort([&] { ++runs; });
  c.abort(vow::Exception("first"));
  c.abort(vow::Exception("second"));
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(c.signal().reason().message(), "first");
}

TEST(AbortControllerAbort, AnyValueCanBeTheReasonAndThrowIfAbortedThrowsIt) {
  vow::Loop loop;
  vow::AbortController c;
  EXPECT_NO_THROW(c.signal().throwIfAborted());
  c.abort(42);
  try {
    c.signal().throwIfAborted();
    FAIL() << "not thrown";
  } catch (int v) {
    EXPECT_EQ(v, 42);
  }
}

TEST(AbortSignalAbort, IsAlreadyAbortedWithTheDefaultOrGivenReason) {
  vow::Loop loop;
  vow::AbortSignal s = vow::AbortSignal::abort();
  EXPECT_TRUE(s.aborted());
  EXPECT_EQ(describe(s.reason()), "AbortError: This operation was aborted");
  vow::AbortSignal t = vow::AbortSignal::abort(vow::TypeError("mine"));
  EXPECT_EQ(describe(t.reason()), "TypeError: mine");
  int runs = 0;
  t.addEventListener("abort", [&] { ++runs; });  // never dispatched
  loop.run();
  EXPECT_EQ(runs, 0);
}

// Node wraps the promise in SafePromisePrototypeFinally (two pass-through hops around
// ret.finally), so an abort reaches a handler six microtasks after it, a plain rejection one.
// Found by the differential fuzzer (tests/fuzz/regressions/timers_promises_abort_ticks.prog).
TEST(TimersPromisesAbort, RejectsTheSameMicrotaskAsNodeSafePromisePrototypeFinally) {
  vow::Loop loop;
  Log log;
  vow::AbortController c;
  vow::timers::promises::setTimeout(1, std::string("v"), {.signal = c.signal()})
      .catch_([&](const vow::Error& e) {
        log("timeout " + e.name() + " cause=" + e.as<vow::AbortError>()->cause().message());
        return std::string();
      });
  vow::timers::promises::setImmediate(std::string("v"), {.signal = c.signal()})
      .catch_([&](const vow::Error& e) {
        log("immediate " + e.name());
        return std::string();
      });
  vow::Promise<void>::reject(vow::Exception("plain")).catch_([&] { log("plain"); });
  int n = 0;
  std::function<void()> step = [&] {  // queueMicrotask(step)
    log("m" + std::to_string(++n));
    if (n < 7) (void)vow::Promise<void>::resolve().then(step);
  };
  (void)vow::Promise<void>::resolve().then(step);
  c.abort(vow::Exception("why"));
  loop.run();
  EXPECT_EQ(log, (Log{"plain", "m1", "m2", "m3", "m4", "m5", "m6", "timeout AbortError cause=why",
                      "immediate AbortError", "m7"}));
}

TEST(AbortSignalTimeout, AbortsWithTimeoutErrorInTheTimersPhase) {
  vow::Loop loop;
  Log log;
  vow::AbortSignal s = vow::AbortSignal::timeout(10);
  s.onabort([&] {
    const auto* r = s.reason().as<vow::DOMException>();
    log(describe(s.reason()) + " " + (r != nullptr ? r->code() : "?"));
  });
  vow::setTimeout([&] { log("t20"); }, 20);
  loop.run();
  EXPECT_EQ(log, (Log{"TimeoutError: The operation was aborted due to timeout 23", "t20"}));
  EXPECT_EQ(s.reason().status().code(), absl::StatusCode::kDeadlineExceeded);
}

TEST(AbortSignalTimeout, DoesNotKeepTheLoopAlive) {
  vow::Loop loop;
  bool fired = false;
  vow::AbortSignal s = vow::AbortSignal::timeout(60000);
  s.onabort([&] { fired = true; });
  const auto start = std::chrono::steady_clock::now();
  loop.run();
  EXPECT_FALSE(fired);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
}

TEST(AbortSignalTimeout, RejectsDelaysNodeRejects) {
  vow::Loop loop;
  auto message = [](double ms) {
    try {
      vow::AbortSignal::timeout(ms);
      return std::string("ok");
    } catch (const vow::RangeError& e) {
      return e.code() + " " + e.message();
    }
  };
  EXPECT_EQ(message(1.5),
            "ERR_OUT_OF_RANGE The value of \"delay\" is out of range. It must be an integer. "
            "Received 1.5");
  EXPECT_EQ(message(std::nan("")),
            "ERR_OUT_OF_RANGE The value of \"delay\" is out of range. It must be an integer. "
            "Received NaN");
  EXPECT_EQ(message(-1),
            "ERR_OUT_OF_RANGE The value of \"delay\" is out of range. It must be >= 0 && <= "
            "4294967295. Received -1");
  EXPECT_EQ(message(4294967296),
            "ERR_OUT_OF_RANGE The value of \"delay\" is out of range. It must be >= 0 && <= "
            "4294967295. Received 4294967296");
  EXPECT_EQ(message(1e10),
            "ERR_OUT_OF_RANGE The value of \"delay\" is out of range. It must be >= 0 && <= "
            "4294967295. Received 10_000_000_000");
  EXPECT_EQ(message(0), "ok");
}

TEST(AbortSignalTimeout, ASignalNobodyHoldsButSomeoneListensToStillFires) {
  vow::Loop loop;
  Log log;
  vow::AbortSignal::timeout(5).addEventListener(
      "abort", [&](const vow::AbortEvent& e) { log("fired " + e.target.reason().name()); });
  vow::setTimeout([&] { log("t20"); }, 20);
  loop.run();
  EXPECT_EQ(log, (Log{"fired TimeoutError", "t20"}));
}

TEST(AbortSignalAny, FollowsTheFirstSourceToAbortAndFlattensComposites) {
  vow::Loop loop;
  Log log;
  vow::AbortController a, b;
  vow::AbortSignal any = vow::AbortSignal::any({a.signal(), b.signal()});
  vow::AbortSignal any2 = vow::AbortSignal::any({any, b.signal()});
  any.addEventListener("abort", [&] {
    log("any " + any.reason().message() + " " + (any2.aborted() ? "true" : "false"));
  });
  any2.addEventListener("abort", [&] { log("any2 " + any2.reason().message()); });
  a.signal().addEventListener("abort",
                              [&] { log(std::string("a ") + (any.aborted() ? "true" : "false")); });
  b.abort(vow::Exception("B"));
  a.abort(vow::Exception("A"));
  log(any.reason().message() + " " + any2.reason().message());
  EXPECT_EQ(log, (Log{"any B false", "any2 B", "a true", "B B"}));
}

TEST(AbortSignalAny, AnAlreadyAbortedInputGivesAnAbortedSignalWithItsReason) {
  vow::Loop loop;
  vow::AbortController a;
  vow::AbortSignal done = vow::AbortSignal::abort(vow::Exception("early"));
  vow::AbortSignal any = vow::AbortSignal::any({a.signal(), done});
  EXPECT_TRUE(any.aborted());
  EXPECT_EQ(any.reason(), done.reason());
  EXPECT_FALSE(vow::AbortSignal::any({}).aborted());
}

TEST(AbortSignalAny, AnUnheldAnyOfAnUnheldTimeoutStillFiresForItsListener) {
  vow::Loop loop;
  Log log;
  vow::AbortController never;
  vow::AbortSignal::any({never.signal(), vow::AbortSignal::timeout(5)})
      .addEventListener("abort", [&](const vow::AbortEvent& e) { log(e.target.reason().name()); });
  vow::setTimeout([&] { log("t20"); }, 20);  // the timeout's own timer keeps nothing alive
  loop.run();
  EXPECT_EQ(log, (Log{"TimeoutError", "t20"}));
}

TEST(AbortSignalAddEventListener, AListenerAddedDuringDispatchRunsOnlyIfTheRunningOneWasNotLast) {
  vow::Loop loop;
  Log log;
  vow::AbortController c;
  vow::AbortSignal s = c.signal();
  s.addEventListener("abort", [&] {
    log("L1");
    s.addEventListener("abort", [&] { log("added-in-L1"); });
  });
  s.addEventListener("abort", [&] {
    log("L2");  // no longer last: added-in-L1 follows it
    s.addEventListener("abort", [&] { log("added-in-L2"); });
  });
  c.abort();
  vow::AbortController d;
  vow::AbortSignal t = d.signal();
  t.addEventListener("abort", [&] { log("M1"); });
  t.addEventListener("abort", [&] {
    log("M2");  // last: what it adds is not reached
    t.addEventListener("abort", [&] { log("added-in-M2"); });
  });
  d.abort();
  EXPECT_EQ(log, (Log{"L1", "L2", "added-in-L1", "added-in-L2", "M1", "M2"}));
}

TEST(AbortSignalRemoveEventListener, ARemovedListenerDoesNotRunEvenDuringDispatch) {
  vow::Loop loop;
  Log log;
  vow::AbortController c;
  vow::AbortSignal s = c.signal();
  vow::AbortSignal::ListenerId second = 0, third = 0;
  s.addEventListener("abort", [&] {
    log("first");
    EXPECT_TRUE(s.removeEventListener("abort", second));
  });
  second = s.addEventListener("abort", [&] { log("second"); });
  third = s.addEventListener("abort", [&] { log("third"); });
  EXPECT_TRUE(s.removeEventListener("abort", third));
  EXPECT_FALSE(s.removeEventListener("abort", third));
  EXPECT_FALSE(s.removeEventListener("other", 1));
  c.abort();
  EXPECT_EQ(log, (Log{"first"}));
}

TEST(AbortSignalOnabort, KeepsThePlaceItWasFirstSetAt) {
  vow::Loop loop;
  Log log;
  vow::AbortController c;
  vow::AbortSignal s = c.signal();
  s.onabort([&] { log("old handler"); });
  s.addEventListener("abort", [&] { log("listener"); });
  s.onabort(nullptr);
  s.onabort([&] { log("new handler"); });
  c.abort();
  EXPECT_EQ(log, (Log{"new handler", "listener"}));
}

// Node's first `signal.onabort = null` already adds the handler wrapper: the place is taken, and
// the size counts it (null then a handler counts 2, so 9 more listeners warn). Found by the
// differential fuzzer (tests/fuzz/regressions/onabort_null_takes_the_place.prog).
TEST(AbortSignalOnabort, AFirstSetToNullTakesThePlaceAndCounts) {
  vow::Loop loop;
  Log log;
  std::vector<std::string> warnings;
  loop.process().on("warning", [&](const vow::Error& w) { warnings.push_back(describe(w)); });
  vow::AbortController c;
  vow::AbortSignal s = c.signal();
  s.onabort(nullptr);
  s.addEventListener("abort", [&] { log("listener"); });
  s.onabort([&] { log("handler"); });
  c.abort();
  EXPECT_EQ(log, (Log{"handler", "listener"}));
  vow::AbortController c2;
  c2.signal().onabort(nullptr);
  for (int i = 0; i < 9; ++i) c2.signal().addEventListener("abort", [] {});
  vow::AbortController c3;
  c3.signal().onabort(nullptr);
  c3.signal().onabort([] {});
  for (int i = 0; i < 9; ++i) c3.signal().addEventListener("abort", [] {});
  loop.run();
  EXPECT_EQ(warnings, std::vector<std::string>{kElevenListenersWarning});
}

TEST(AbortSignalAddEventListener, AThrowingListenerIsUncaughtOnTheNextTickAfterTheOthersRan) {
  vow::Loop loop;
  Log log;
  vow::AbortController c;
  c.signal().addEventListener("abort", [&] { log("L1"); });
  c.signal().addEventListener("abort", [] { throw vow::Exception("boom"); });
  c.signal().addEventListener("abort", [&] { log("L3"); });
  vow::Promise<void>::resolve().then([&] { log("micro"); });
  c.abort();
  log("sync end");
  try {
    loop.run();
    FAIL() << "no exception";
  } catch (const vow::Exception& e) {
    log(std::string("uncaught ") + e.what());
  }
  loop.run();
  EXPECT_EQ(log, (Log{"L1", "L3", "sync end", "uncaught boom", "micro"}));
}

TEST(AbortSignalAddEventListener, MoreThanTenListenersWarnOnceAsNode) {
  vow::Loop loop;
  std::vector<std::string> warnings;
  loop.process().on("warning", [&](const vow::Error& w) { warnings.push_back(describe(w)); });
  vow::AbortController c;
  for (int i = 0; i < 12; ++i) c.signal().addEventListener("abort", [] {});
  vow::AbortController quiet;
  quiet.signal().setMaxListeners(0);
  for (int i = 0; i < 12; ++i) quiet.signal().addEventListener("abort", [] {});
  loop.run();
  EXPECT_EQ(warnings, std::vector<std::string>{kElevenListenersWarning});
}

TEST(AbortSignalLifetime, DroppingEveryHandleFreesTheSignalAndItsListeners) {
  vow::Loop loop;
  auto alive = std::make_shared<int>(0);
  std::weak_ptr<int> watch = alive;
  {
    vow::AbortController c;
    c.signal().addEventListener("abort", [alive] {});
    vow::AbortSignal::any({c.signal()}).addEventListener("abort", [alive] {});
    vow::AbortSignal::any({vow::AbortSignal::any({c.signal()})}).onabort([alive] {});
    alive.reset();
    EXPECT_FALSE(watch.expired());
  }
  EXPECT_TRUE(watch.expired());
}

TEST(AbortSignalLifetime, APendingTimeoutSignalIsFreedWithItsLoop) {
  auto alive = std::make_shared<int>(0);
  std::weak_ptr<int> watch = alive;
  {
    vow::Loop loop;
    vow::AbortSignal::timeout(60000).addEventListener("abort", [alive] {});
    vow::AbortSignal::any({vow::AbortSignal::timeout(60000)}).onabort([alive] {});
    alive.reset();
    loop.run();  // returns at once: the timers are unref'd
    EXPECT_FALSE(watch.expired());
  }
  EXPECT_TRUE(watch.expired());
}

// A timeout signal pinned for a listened-to any() signal: once it fired, dropping it frees it
// (its timer no longer holds it). Found by the differential fuzzer under LeakSanitizer
// (tests/fuzz/regressions/timeout_signal_any_leak.prog).
TEST(AbortSignalLifetime, AFiredTimeoutSignalAnAnySignalDependedOnIsFreed) {
  vow::Loop loop;
  auto alive = std::make_shared<int>(0);
  std::weak_ptr<int> watch = alive;
  {
    vow::AbortSignal t = vow::AbortSignal::timeout(1);
    t.addEventListener("abort", [alive] {});
    vow::AbortSignal::any({t}).addEventListener("abort", [] {});
    alive.reset();
    vow::setTimeout([] {}, 5);  // the loop runs until t fired
    loop.run();
    EXPECT_TRUE(t.aborted());
  }
  EXPECT_TRUE(watch.expired());
}

TEST(AbortSignalLifetime, ATimeoutSignalNobodyListensToIsFreedAtOnce) {
  vow::Loop loop;
  std::weak_ptr<int> watch;
  {
    vow::AbortSignal s = vow::AbortSignal::timeout(60000);
    auto alive = std::make_shared<int>(0);
    watch = alive;
    s.addEventListener("abort", [alive] {});
    vow::AbortSignal::ListenerId id = s.addEventListener("abort", [] {});
    EXPECT_TRUE(s.removeEventListener("abort", id));
  }
  // Still listened to: pinned by its timer.
  EXPECT_FALSE(watch.expired());
}

// A chain of n then()s on a resolved promise, logging "m1".."mn": a microtask-turn ruler.
void microChain(Log& log, int n) {
  vow::Promise<void> p = vow::Promise<void>::resolve();
  for (int i = 1; i <= n; ++i) p = p.then([&log, i] { log("m" + std::to_string(i)); });
}

// Given a signal, Node's timers/promises return SafePromisePrototypeFinally(ret, remove the
// listener), which is ret.then() -> finally -> then(): the handlers of an aborted sleep run after
// m6 of a chain started before abort() (node v20: 57_abort_tick_order), two turns after those
// of ret.finally(...).
TEST(TimersPromisesSignal, AnAbortReachesTheHandlersThroughNodesSafePromisePrototypeFinally) {
  vow::Loop loop;
  Log log;
  vow::AbortController c;
  vow::timers::promises::setTimeout(100000, {.signal = c.signal()}).catch_([&] {
    log("rejected");
  });
  microChain(log, 8);
  c.abort();
  loop.run();
  EXPECT_EQ(log, (Log{"m1", "m2", "m3", "m4", "m5", "m6", "rejected", "m7", "m8"}));
}

// The same on fulfilment: five turns after the plain promise's handlers (node v20 printed
// m1..m6, handler, m7 for a sleep given a signal, m1, handler, m2 without one). The timer is
// replaced by a resolve called by hand, to start the ruler in the same turn.
TEST(TimersPromisesSignal, AFulfilmentReachesTheHandlersFiveTurnsLaterThanWithoutASignal) {
  for (const bool with_signal : {true, false}) {
    vow::Loop loop;
    Log log;
    vow::AbortController c;
    std::optional<vow::ResolveFn<std::string>> settle;
    vow::internal::abortableTimer<std::string>(
        with_signal ? c.signal() : vow::AbortSignal(),
        [&](vow::ResolveFn<std::string> resolve) {
          settle = std::move(resolve);
          return 0;
        },
        [](int) {})
        .then([&](const std::string& v) { log("handler " + v); });
    microChain(log, 8);
    (*settle)("v");
    loop.run();
    if (with_signal) {
      EXPECT_EQ(log, (Log{"m1", "m2", "m3", "m4", "m5", "m6", "handler v", "m7", "m8"}));
    } else {
      EXPECT_EQ(log, (Log{"m1", "handler v", "m2", "m3", "m4", "m5", "m6", "m7", "m8"}));
    }
  }
}

TEST(TimersPromisesSignal, AMoveOnlyValueGoesThroughTheFinallyHops) {
  vow::Loop loop;
  vow::AbortController c;
  int got = 0;
  vow::timers::promises::setImmediate(std::make_unique<int>(7), {.signal = c.signal()})
      .then([&](std::unique_ptr<int>&& v) { got = *v; });
  loop.run();
  EXPECT_EQ(got, 7);
}

// A timeout signal that a listened-to any() signal depends on is pinned by its own timer until
// it fires; once fired, nothing may keep it (the pin was a cycle through the timer's callback).
TEST(AbortSignalLifetime, AFiredTimeoutSignalThatAnAnySignalDependedOnIsFreed) {
  vow::Loop loop;
  std::weak_ptr<int> watch;
  int fired = 0;
  {
    auto alive = std::make_shared<int>(0);
    watch = alive;
    vow::AbortSignal ten = vow::AbortSignal::timeout(5);
    ten.addEventListener("abort", [alive] {});
    vow::AbortSignal::any({ten}).addEventListener("abort", [&] { ++fired; });
  }
  vow::setTimeout([] {}, 20);  // the timeout's own timer keeps nothing alive
  loop.run();
  EXPECT_EQ(fired, 1);
  EXPECT_TRUE(watch.expired());  // freed while the loop still exists
}

}  // namespace

namespace {

TEST(Aborted, SettlesAsNodesUtilAbortedTickForTick) {
  vow::Loop loop;
  Log log;
  vow::AbortController c;
  vow::aborted(c.signal()).then([&] { log("aborted resolved " + c.signal().reason().message()); });
  c.signal().addEventListener("abort", [&] { log("listener"); });
  vow::Promise<void>::resolve()
      .then([&] { log("m1"); })
      .then([&] { log("m2"); })
      .then([&] { log("m3"); })
      .then([&] { log("m4"); });
  vow::setTimeout(
      [&] {
        c.abort(vow::Exception("r"));
        vow::Promise<void>::resolve().then([&] { log("n1"); }).then([&] { log("n2"); }).then([&] {
          log("n3");
        });
      },
      1);
  vow::aborted(vow::AbortSignal::abort()).then([&] { log("pre-aborted resolved"); });
  vow::aborted(vow::AbortSignal()).catch_([&](const vow::TypeError& e) {
    log("rej " + e.code() + " " + e.message());
  });
  loop.run();
  // node v20 (util.aborted)
  EXPECT_EQ(log, (Log{"m1",
                      "rej ERR_INVALID_ARG_TYPE The \"signal\" argument must be an instance of "
                      "AbortSignal. Received undefined",
                      "m2", "m3", "pre-aborted resolved", "m4", "listener", "n1",
                      "aborted resolved r", "n2", "n3"}));
}

}  // namespace

namespace {

// The README's idiom for a promise that takes no signal: race it against a gate that an abort
// listener rejects; the AbortListener removes the listener when the coroutine ends, so nothing
// holds the signal, or is held by it, afterwards.
template <class T>
vow::Promise<T> withSignal(vow::Promise<T> p, vow::AbortSignal s) {
  auto [gate, resolve, reject] = vow::Promise<T>::withResolvers();
  vow::AbortListener stop = vow::addAbortListener(s, [reject](const vow::AbortEvent& e) {
    reject(vow::AbortError("The operation was aborted", e.target.reason()));
  });
  co_return co_await vow::race(p, gate);
}

TEST(AbortedIdiom, RacingAPromiseAgainstAbortedGivesUpOnTimeout) {
  vow::Loop loop;
  Log log;
  auto [never, resolve, reject] = vow::Promise<int>::withResolvers();
  // A named coroutine lambda: its captures must outlive the coroutine.
  auto body = [&]() -> vow::Promise<void> {
    try {
      co_await withSignal(vow::timers::promises::setTimeout(5, 1), vow::AbortSignal::timeout(1000));
      log("fast: fulfilled");
      co_await withSignal(never, vow::AbortSignal::timeout(10));
      log("slow: fulfilled");
    } catch (const vow::AbortError& e) {
      log("slow: " + std::string(e.name()) + " cause=" + e.cause().name());
    }
  };
  body();
  // `never` holds nothing open and a timeout signal keeps nothing alive (as in Node, where the
  // process would end here): something real stands in for the work.
  vow::setTimeout([] {}, 100);
  loop.run();
  EXPECT_EQ(log, (Log{"fast: fulfilled", "slow: AbortError cause=TimeoutError"}));
}

}  // namespace

namespace {

TEST(AddAbortListener, RunsOnceOnAbortOrAsAMicrotaskWhenAlreadyAbortedAndGoesWithItsGuard) {
  vow::Loop loop;
  Log log;
  vow::AbortController c;
  vow::AbortListener d = vow::addAbortListener(c.signal(), [&](const vow::AbortEvent& e) {
    log(std::string("listener ") + std::string(e.type()));
  });
  c.signal().addEventListener("abort", [&] { log("plain"); });
  c.abort();
  log("after abort");
  vow::AbortListener d2 =
      vow::addAbortListener(vow::AbortSignal::abort(), [&] { log("pre-aborted listener"); });
  vow::nextTick([&] { log("tick"); });
  log("sync end");
  vow::AbortController c2;
  {
    vow::AbortListener d3 =
        vow::addAbortListener(c2.signal(), [&] { log("disposed: not called"); });
  }
  vow::AbortController c3;
  vow::addAbortListener(c3.signal(), [&] { log("released: called"); }).release();
  c2.abort();
  c3.abort();
  loop.run();
  // node v20 (events.addAbortListener; `using` for d3)
  EXPECT_EQ(log, (Log{"listener abort", "plain", "after abort", "sync end", "released: called",
                      "tick", "pre-aborted listener"}));
}

}  // namespace
