// vow::AsyncGenerator and vow::forAwait. Expected sequences were printed by node v20 running
// the JavaScript quoted above each test.
#include "vow/promise/async_generator.h"

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "vow/promise/combinators.h"
#include "vow/promise/for_await.h"
#include "vow/promise/microtask.h"
#include "vow/promise/promise.h"
#include "vow/promise/testing/test_support.h"

namespace {

using ::testing::ElementsAre;
using vow::AsyncGenerator;
using vow::Promise;
using vow::test::Counted;
using vow::test::Log;

std::string json(const std::optional<int>& r) {
  return r ? "{\"value\":" + std::to_string(*r) + ",\"done\":false}" : "{\"done\":true}";
}

void ticks(Log& log, int n) {
  Promise<void> p = Promise<void>::resolve();
  for (int i = 1; i <= n; i++) p = p.then([&log, i] { log("tick " + std::to_string(i)); });
}

// async function* g() { log('body'); yield 1; }
// const it = g(); log('made'); it.next(); log('called next');
TEST(AsyncGeneratorNext, BodyStartsSynchronouslyInsideTheFirstNext) {
  Log log;
  auto g = [&log]() -> AsyncGenerator<int> {
    log("body");
    co_yield 1;
  };
  auto it = g();
  log("made");
  auto p = it.next();
  log("called next");
  vow::runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("made", "body", "called next"));
}

// async function* g() { try { yield 1; } catch (e) { log('caught ' + e.message); yield 99; }
//                        log('end'); }
// next() -> {1}, throw(new Error('x')) -> caught x, {99}; next() -> end, {done}
TEST(AsyncGeneratorThrow, PausedYieldThrowsInsideTheBody) {
  Log log;
  auto g = [&log]() -> AsyncGenerator<int> {
    try {
      co_yield 1;
    } catch (const std::runtime_error& e) {
      log(std::string("caught ") + e.what());
    }
    co_yield 99;
    log("end");
  };
  auto body = [&]() -> Promise<void> {
    auto it = g();
    log(json(co_await it.next()));
    log(json(co_await it.throw_(std::runtime_error("x"))));
    log(json(co_await it.next()));
  };
  body();
  vow::runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("{\"value\":1,\"done\":false}", "caught x",
                                     "{\"value\":99,\"done\":false}", "end", "{\"done\":true}"));
}

// async function* h() { try { yield 1; } finally { log('finally'); yield 7;
//                                                    log('after finally yield'); } }
// next() -> {1}; return() -> finally, {7}; next() -> after finally yield, {done}; next() -> {done}
TEST(AsyncGeneratorReturn, CleanupThatYieldsGivesReturnAValue) {
  Log log;
  auto h = [&log]() -> AsyncGenerator<int> {
    vow::Error exit;
    try {
      co_yield 1;
    } catch (...) {
      exit = vow::Error::current();
    }
    log("finally");
    co_yield 7;
    log("after finally yield");
    if (exit) exit.rethrow();
  };
  auto body = [&]() -> Promise<void> {
    auto k = h();
    log(json(co_await k.next()));
    log(json(co_await k.return_()));
    log(json(co_await k.next()));
    log(json(co_await k.next()));
  };
  body();
  vow::runMicrotasks();
  EXPECT_THAT(log.lines,
              ElementsAre("{\"value\":1,\"done\":false}", "finally", "{\"value\":7,\"done\":false}",
                          "after finally yield", "{\"done\":true}", "{\"done\":true}"));
}

// const it = g();  // never started
// it.return().then(...); it.next().then(...); it.throw(new Error('t')).catch(...); ticks(4)
// async function* e() {}; j.next().then(...); j.next().then(...)
TEST(AsyncGeneratorReturn, UnstartedGeneratorNeverRunsAndQueuedRequestsSettleTogether) {
  Log log;
  auto g = [&log]() -> AsyncGenerator<int> {
    log("never");
    co_yield 1;
  };
  auto it = g();
  it.return_().then([&](const std::optional<int>& r) { log("return " + json(r)); });
  it.next().then([&](const std::optional<int>& r) { log("next " + json(r)); });
  it.throw_(std::runtime_error("t")).catch_([&](const vow::Error& e) {
    log("throw " + e.message());
    return std::optional<int>();
  });
  auto e = []() -> AsyncGenerator<int> { co_return; };
  auto j = e();
  j.next().then([&](const std::optional<int>& r) { log("j next1 " + json(r)); });
  j.next().then([&](const std::optional<int>& r) { log("j next2 " + json(r)); });
  ticks(log, 4);
  vow::runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("j next1 {\"done\":true}", "j next2 {\"done\":true}", "tick 1",
                                     "return {\"done\":true}", "next {\"done\":true}", "throw t",
                                     "tick 2", "tick 3", "tick 4"));
}

// async function* yp() { try { yield Promise.reject(new Error('rej')); }
//                        catch (e) { log('yp caught ' + e.message); } yield Promise.resolve(3); }
TEST(AsyncGeneratorYield, YieldingAPromiseYieldsItsValueOrThrowsItsReason) {
  Log log;
  auto yp = [&log]() -> AsyncGenerator<int> {
    try {
      co_yield Promise<int>::reject(std::runtime_error("rej"));
    } catch (const std::exception& e) {
      log(std::string("yp caught ") + e.what());
    }
    co_yield Promise<int>::resolve(3);
  };
  auto body = [&]() -> Promise<void> {
    auto y = yp();
    log(json(co_await y.next()));
    log(json(co_await y.next()));
  };
  body();
  vow::runMicrotasks();
  EXPECT_THAT(log.lines,
              ElementsAre("yp caught rej", "{\"value\":3,\"done\":false}", "{\"done\":true}"));
}

TEST(AsyncGeneratorYield, MoveOnlyValuesAreMovedThrough) {
  auto g = []() -> AsyncGenerator<std::unique_ptr<int>> {
    co_yield std::make_unique<int>(1);
    co_yield std::make_unique<int>(2);
  };
  std::vector<int> got;
  auto body = [&]() -> Promise<void> {
    auto it = vow::forAwait(g());
    while (auto p = co_await it.next()) got.push_back(**p);
    co_await it.close();
  };
  body();
  vow::runMicrotasks();
  EXPECT_THAT(got, ElementsAre(1, 2));
}

TEST(AsyncGeneratorLifetime, DroppingEveryHandleOfAPausedGeneratorFreesItsFrame) {
  auto g = [](Counted) -> AsyncGenerator<int> {
    Counted local;
    co_yield 1;
    co_yield 2;
  };
  {
    auto it = g(Counted());
    it.next();
    vow::runMicrotasks();
    EXPECT_EQ(Counted::live, 2);  // the parameter and the local, in the paused frame
  }
  EXPECT_EQ(Counted::live, 0);
}

TEST(AsyncGeneratorLifetime, BodyWaitingOnAPromiseOutlivesItsHandles) {
  Log log;
  auto [gate, open, reject] = Promise<void>::withResolvers();
  auto g = [&log](Promise<void> gate) -> AsyncGenerator<int> {
    co_await gate;
    log("resumed");
    co_yield 1;
  };
  Promise<std::optional<int>> first = g(gate).next();  // the handle is gone at once
  first.then([&](const std::optional<int>& v) { log(json(v)); });
  vow::runMicrotasks();
  EXPECT_TRUE(log.empty());
  open();
  vow::runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("resumed", "{\"value\":1,\"done\":false}"));
}

TEST(AsyncGeneratorLifetime, BodyAwaitingItsOwnNextIsReleased) {
  std::optional<Promise<std::optional<int>>> own;
  auto g = [&own](Counted) -> AsyncGenerator<int> {
    co_await Promise<void>::resolve();  // `own` is set once next() returns
    co_await *own;                      // waits for itself: can never resume
    co_yield 1;
  };
  {
    auto it = g(Counted());
    own = it.next();
    vow::runMicrotasks();
    EXPECT_EQ(Counted::live, 0);  // the frame was released, as a stuck coroutine's is
    EXPECT_TRUE(vow::AnyPromise(*own).isPending());
  }
  own.reset();
}

TEST(AsyncGeneratorThrow, BodyErrorRejectsNextAndEndsTheGenerator) {
  Log log;
  auto g = []() -> AsyncGenerator<int> {
    co_yield 1;
    throw std::runtime_error("boom");
  };
  auto body = [&]() -> Promise<void> {
    auto it = g();
    log(json(co_await it.next()));
    try {
      co_await it.next();
    } catch (const std::exception& e) {
      log(e.what());
    }
    log(json(co_await it.next()));
  };
  body();
  vow::runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("{\"value\":1,\"done\":false}", "boom", "{\"done\":true}"));
}

// ForAwait: `co_await it.close()` after a loop that ran to the end costs no tick.
// (async () => { for await (const x of g()) {} log('after'); })(); ticks(...)
TEST(ForAwaitClose, CostsNothingAfterALoopThatRanToTheEnd) {
  Log log;
  auto g = []() -> AsyncGenerator<int> { co_yield 1; };
  auto body = [&]() -> Promise<void> {
    auto it = vow::forAwait(g());
    while (auto x = co_await it.next()) log("got " + std::to_string(*x));
    co_await it.close();
    log("after");
  };
  body();
  ticks(log, 6);
  vow::runMicrotasks();
  // node: tick 1 got 1 tick 2 after tick 3 ...
  EXPECT_THAT(log.lines, ElementsAre("tick 1", "got 1", "tick 2", "after", "tick 3", "tick 4",
                                     "tick 5", "tick 6"));
}

TEST(ForAwaitClose, DestroyedWithoutCloseStillReturnsTheIterator) {
  Log log;
  auto g = [&log]() -> AsyncGenerator<int> {
    try {
      for (int i = 1;; i++) co_yield i;
    } catch (const vow::GeneratorReturn&) {
      log("returned");
      throw;
    }
  };
  auto body = [&]() -> Promise<void> {
    auto it = vow::forAwait(g());
    while (auto x = co_await it.next()) {
      if (*x == 2) throw std::runtime_error("left by an exception");
    }
    co_await it.close();
  };
  body().catch_([&](const vow::Error& e) { log(e.message()); });
  vow::runMicrotasks();
  // The generator unwinds one tick after return(); the loop's exception is not delayed by it.
  EXPECT_THAT(log.lines, ElementsAre("returned", "left by an exception"));
}

TEST(ForAwaitNext, IteratorThatThrowsIsNotClosed) {
  Log log;
  int returns = 0;
  struct Iter {
    int* returns;
    Promise<std::optional<int>> next() {
      return Promise<std::optional<int>>::reject(std::runtime_error("next failed"));
    }
    Promise<std::optional<int>> return_() {
      ++*returns;
      return Promise<std::optional<int>>::resolve(std::nullopt);
    }
  };
  auto body = [&]() -> Promise<void> {
    auto it = vow::forAwait(Iter{&returns});
    try {
      while (auto x = co_await it.next()) log("got");
    } catch (const std::exception& e) {
      log(e.what());
    }
    co_await it.close();
    log("closed");
  };
  body();
  vow::runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("next failed", "closed"));
  EXPECT_EQ(returns, 0);
}

// Found by the fuzzer: a generator stuck on a promise nobody can settle, consumed by a
// for-await, must not keep itself, its queued next() and the consumer alive in a cycle.
TEST(AsyncGeneratorLifetime, StuckGeneratorReleasesItsWaitingConsumer) {
  std::optional<vow::ResolveFn<void>> resolve;
  auto gate = Promise<void>([&](auto r, auto) { resolve = r; });
  auto g = [](Promise<void> gate) -> AsyncGenerator<int> {
    co_await gate;
    co_yield 1;
  };
  auto consume = [](AsyncGenerator<int> gen, Counted) -> Promise<void> {
    auto it = vow::forAwait(gen);
    while (auto x = co_await it.next()) {
    }
    co_await it.close();
  };
  consume(g(gate), Counted());
  vow::runMicrotasks();
  EXPECT_EQ(Counted::live, 1);  // waiting
  resolve.reset();              // nothing can settle the gate any more
  gate = Promise<void>::resolve();
  vow::runMicrotasks();
  EXPECT_EQ(Counted::live, 0);  // generator, request and consumer all released
}

// Found by the fuzzer (seed 8300): a cycle through a QUEUED request. The body waits on gate;
// a second next(), queued behind the first, has a then() whose promise gate is resolved with.
// Node prints nothing and its GC collects the cycle gate -> then -> next #2 -> next #1 -> gate.
// vow must see that the queued next() can settle only after the front one, and free it all:
// the frame, both requests and the then. `g` is the generator function, called with gate.
//
// queueTwoNexts: starts g(gate), asks next() twice (the second waits behind the first) and drops
// the generator object; returns a then of the second next(). `settled` records what settles.
template <class G>
Promise<int> queueTwoNexts(G g, Promise<int> gate, std::vector<std::string>& settled) {
  AsyncGenerator<int> it = g(std::move(gate), Counted());
  it.next().then([&settled](std::optional<int>) { settled.push_back("first"); });
  return it.next().then([&settled](std::optional<int>) {
    settled.push_back("second");
    return 2;
  });
}

template <class G>
void expectQueuedNextCycleReleased(G g) {
  std::optional<vow::ResolveFn<int>> resolve;
  auto gate = Promise<int>([&](auto r, auto) { resolve = r; });
  std::vector<std::string> settled;
  (*resolve)(queueTwoNexts(g, gate, settled));
  resolve.reset();
  gate = Promise<int>::resolve(0);
  vow::runMicrotasks();
  EXPECT_THAT(settled, ::testing::IsEmpty());
  EXPECT_EQ(Counted::live, 0);
}

//   async function* g(gate) { const v = await gate; yield v; }
//   const it = g(gate); it.next(); resolveGate(it.next().then(() => 2));
TEST(AsyncGeneratorLifetime, QueuedNextAdoptedByTheAwaitedPromiseIsReleased) {
  expectQueuedNextCycleReleased([](Promise<int> gate, Counted) -> AsyncGenerator<int> {
    int v = co_await gate;
    co_yield v;
  });
}

// The same through `yield gate` (JS awaits a yielded promise before yielding its value):
//   async function* g(gate) { yield gate; }
TEST(AsyncGeneratorLifetime, QueuedNextAdoptedByTheYieldedPromiseIsReleased) {
  expectQueuedNextCycleReleased(
      [](Promise<int> gate, Counted) -> AsyncGenerator<int> { co_yield gate; });
}

// The same cycle closed the other way round: gate already adopts the queued request's then
// when the body starts waiting on it.
//   async function* g(gate) { yield 0; const v = await gate; yield v; }
//   const it = g(gate); it.next(); it.next(); resolveGate(it.next().then(() => 2));
TEST(AsyncGeneratorLifetime, BodyAwaitingAPromiseThatAdoptsAQueuedNextIsReleased) {
  std::optional<vow::ResolveFn<int>> resolve;
  auto gate = Promise<int>([&](auto r, auto) { resolve = r; });
  auto g = [](Promise<int> gate, Counted) -> AsyncGenerator<int> {
    co_yield 0;
    int v = co_await gate;
    co_yield v;
  };
  std::vector<std::string> settled;
  {
    AsyncGenerator<int> it = g(gate, Counted());
    it.next().then([&settled](std::optional<int> r) { settled.push_back(json(r)); });
    it.next().then([&settled](std::optional<int> r) { settled.push_back(json(r)); });
    Promise<int> third = it.next().then([&settled](std::optional<int> r) {
      settled.push_back(json(r));
      return 2;
    });
    (*resolve)(third);
  }
  resolve.reset();
  gate = Promise<int>::resolve(0);
  vow::runMicrotasks();
  EXPECT_THAT(settled, ElementsAre("{\"value\":0,\"done\":false}"));
  EXPECT_EQ(Counted::live, 0);
}

// A cycle through a combinator and a generator's queue: gate adopts all([second, other]), where
// second (a then of the queued next()) settles only after the first next(), which waits on gate.
// While `other` is pending it could still reject the all (and so settle everything); once it
// fulfils, nothing outside the group can settle any of it, and it is freed.
//   async function* g(gate) { const v = await gate; yield v; }
//   const it = g(gate); it.next();
//   resolveGate(Promise.all([it.next().then(() => 2), other]).then(() => 3)); resolveOther(1);
TEST(AsyncGeneratorLifetime, QueuedNextInACycleThroughACombinatorIsReleased) {
  std::optional<vow::ResolveFn<int>> resolve;
  auto gate = Promise<int>([&](auto r, auto) { resolve = r; });
  auto other = Promise<int>::withResolvers();
  auto g = [](Promise<int> gate, Counted) -> AsyncGenerator<int> {
    int v = co_await gate;
    co_yield v;
  };
  std::vector<std::string> settled;
  Promise<int> second = queueTwoNexts(g, gate, settled);
  (*resolve)(vow::all({second, other.promise}).then([](const std::vector<int>&) { return 3; }));
  second = Promise<int>::resolve(0);
  resolve.reset();
  gate = Promise<int>::resolve(0);
  vow::runMicrotasks();
  EXPECT_EQ(Counted::live, 1);  // `other` can still reject the all: nothing is stuck yet
  other.resolve(1);
  other = Promise<int>::withResolvers();
  vow::runMicrotasks();
  EXPECT_THAT(settled, ::testing::IsEmpty());
  EXPECT_EQ(Counted::live, 0);
}

// (gen: yield 7, yield 8 inside a try/finally that logs; for await: log each, then await a
// promise nobody settles). Node prints G, F 7 and nothing more: the suspended loop never closes
// the generator. vow frees the stuck consumer, and must not run the generator's cleanup then.
TEST(ForAwaitClose, ConsumerFreedWhileStuckDoesNotCloseTheIterator) {
  Log log;
  std::optional<vow::ResolveFn<void>> resolve;
  auto stuck = Promise<void>([&](auto r, auto) { resolve = r; });
  auto g = [&log]() -> AsyncGenerator<int> {
    log("G");
    vow::Error exit;
    try {
      co_yield 7;
      co_yield 8;
    } catch (...) {
      exit = vow::Error::current();
    }
    log("cleanup");
    if (exit) exit.rethrow();
  };
  auto consume = [&log](AsyncGenerator<int> gen, Promise<void> stuck) -> Promise<void> {
    auto it = vow::forAwait(gen);
    while (auto x = co_await it.next()) {
      log("F " + std::to_string(*x));
      co_await stuck;
    }
    co_await it.close();
  };
  consume(g(), stuck);
  vow::runMicrotasks();
  resolve.reset();
  stuck = Promise<void>::resolve();
  vow::runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("G", "F 7"));
}

}  // namespace
