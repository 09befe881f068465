// AsyncLocalStorage: where the store is seen, as Node v20 shows it (the expected sequences were
// printed by node v20.20 running the same programs in JavaScript).
#include "vow/loop/async_local_storage.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "vow/loop/event_emitter.h"
#include "vow/loop/loop.h"
#include "vow/loop/process.h"
#include "vow/loop/thread_pool.h"
#include "vow/loop/timers.h"
#include "vow/promise/async_generator.h"
#include "vow/promise/for_await.h"
#include "vow/promise/promise.h"
#include "vow/promise/testing/test_support.h"

namespace {

using vow::test::Log;

// "label store" with "undefined" for no store, as the Node twins print.
struct Recorder {
  vow::AsyncLocalStorage<std::string>& als;
  Log& log;
  void operator()(const std::string& label) const {
    std::shared_ptr<std::string> s = als.getStore();
    log.push_back(label + " " + (s ? *s : "undefined"));
  }
};

TEST(AsyncLocalStorage, RunSetsTheStoreForTheCallOnly) {
  vow::Loop loop;
  vow::AsyncLocalStorage<std::string> als;
  Log log;
  Recorder rec{als, log};
  rec("before");
  int r = als.run(
      "A",
      [&](int x) {
        rec("inside");
        als.run("B", [&] { rec("nested"); });
        rec("after nested");
        als.exit([&] { rec("exit"); });
        return x + 1;
      },
      41);
  rec("after");
  EXPECT_EQ(r, 42);
  EXPECT_EQ(log, (Log{"before undefined", "inside A", "nested B", "after nested A",
                      "exit undefined", "after undefined"}));
}

TEST(AsyncLocalStorage, RunRestoresItsStoreWhenFnThrows) {
  vow::AsyncLocalStorage<int> als;
  EXPECT_THROW(als.run(1, [] { throw std::runtime_error("x"); }), std::runtime_error);
  EXPECT_EQ(als.getStore(), nullptr);
}

TEST(AsyncLocalStorage, StoreFollowsThenHandlers) {
  // The handler runs in the context current when then() was called: not the one the promise
  // was made in, nor the one it was resolved in.
  vow::Loop loop;
  vow::AsyncLocalStorage<std::string> als;
  Log log;
  Recorder rec{als, log};
  auto [later, resolve_later, reject_later] = vow::Promise<int>::withResolvers();
  vow::Promise<int> p = vow::Promise<int>::resolve(1);
  als.run("A", [&] {
    p = vow::Promise<int>::resolve(1);
    later.then([&](int) { rec("later.then(inside)"); });
    p.then([&](int) { rec("then inside"); });
  });
  p.then([&](int) { rec("then outside"); });
  p.catch_([&](const vow::Error&) {}).finally([&] { rec("finally outside"); });
  als.run("C", [&] { resolve_later(1); });
  loop.run();
  EXPECT_EQ(log, (Log{"then inside A", "then outside undefined", "later.then(inside) A",
                      "finally outside undefined"}));
}

TEST(AsyncLocalStorage, EnterWithInAHandlerEndsWithIt) {
  vow::Loop loop;
  vow::AsyncLocalStorage<std::string> als;
  Log log;
  Recorder rec{als, log};
  vow::Promise<void>::resolve().then([&] {
    als.enterWith("X");
    rec("h1");
  });
  vow::Promise<void>::resolve().then([&] { rec("h2"); });
  vow::nextTick([&] { als.enterWith("N"); });
  vow::nextTick([&] { rec("tick2"); });
  loop.run();
  EXPECT_EQ(log, (Log{"tick2 undefined", "h1 X", "h2 undefined"}));
}

vow::Promise<void> asyncBody(vow::AsyncLocalStorage<std::string>& als, Log& log) {
  Recorder rec{als, log};
  rec("async start");
  co_await vow::Promise<void>::resolve();
  rec("after await1");
  als.enterWith("E");
  co_await vow::Promise<void>::resolve();
  rec("after await2");
}

vow::Promise<int> afterAwait() {
  co_await vow::Promise<void>::resolve();
  co_return 1;
}

TEST(AsyncLocalStorage, StoreFollowsCoAwait) {
  vow::Loop loop;
  vow::AsyncLocalStorage<std::string> als;
  Log log;
  Recorder rec{als, log};
  als.run("A", [&] { asyncBody(als, log); });
  vow::Promise<int> p2 = als.run("P", [] { return afterAwait(); });
  p2.then([&](int) { rec("coroutine result then outside"); });
  rec("top");
  loop.run();
  EXPECT_EQ(log, (Log{"async start A", "top undefined", "after await1 A", "after await2 E",
                      "coroutine result then outside undefined"}));
}

TEST(AsyncLocalStorage, EnterWithInTheSyncPartOfACoroutineReachesTheCaller) {
  // An async function's synchronous part runs in its caller's context (no new resource).
  vow::Loop loop;
  vow::AsyncLocalStorage<std::string> als;
  als.exit([&] {
    [&]() -> vow::Promise<void> {
      als.enterWith("F");
      co_return;
    }();
    ASSERT_NE(als.getStore(), nullptr);
    EXPECT_EQ(*als.getStore(), "F");
  });
}

TEST(AsyncLocalStorage, StoreFollowsTicksMicrotasksTimersAndImmediates) {
  vow::Loop loop;
  vow::AsyncLocalStorage<std::string> als;
  Log log;
  Recorder rec{als, log};
  als.run("A", [&] {
    vow::queueMicrotask([&] { rec("qm"); });
    vow::nextTick([&] { rec("tick"); });
    vow::setTimeout([&] { rec("timeout"); }, 20);
    vow::setImmediate([&] { rec("immediate"); });
    vow::timers::promises::setTimeout(30).then([&] { rec("promises.setTimeout"); });
  });
  vow::setTimeout([&] { rec("timeout outside"); }, 21);
  loop.run();
  EXPECT_EQ(log, (Log{"tick A", "qm A", "immediate A", "timeout A", "timeout outside undefined",
                      "promises.setTimeout A"}));
}

TEST(AsyncLocalStorage, EnterWithInAnIntervalLastsIntoTheNextRepetitions) {
  vow::Loop loop;
  vow::AsyncLocalStorage<std::string> als;
  Log log;
  Recorder rec{als, log};
  als.run("A", [&] {
    auto n = std::make_shared<int>(0);
    auto iv = std::make_shared<vow::Timeout>();
    *iv = vow::setInterval(
        [&, n, iv] {
          rec("interval" + std::to_string(*n));
          if (*n == 0) als.enterWith("IV");
          if (++*n == 3) vow::clearInterval(*iv);
        },
        1);
  });
  loop.run();
  EXPECT_EQ(log, (Log{"interval0 A", "interval1 IV", "interval2 IV"}));
}

TEST(AsyncLocalStorage, EnterWithAtTopLevelReachesWhatFollows) {
  vow::Loop loop;
  vow::AsyncLocalStorage<std::string> als;
  Log log;
  Recorder rec{als, log};
  vow::setTimeout([&] { rec("timeout before enterWith"); }, 1);
  als.enterWith("T");
  vow::setTimeout([&] { rec("timeout after enterWith"); }, 1);
  vow::Promise<void>::resolve().then([&] { rec("then after enterWith"); });
  loop.run();
  rec("after run");  // run() gives back the caller's context
  als.exit([] {});
  als.enterWith(std::shared_ptr<std::string>());
  EXPECT_EQ(log, (Log{"then after enterWith T", "timeout before enterWith undefined",
                      "timeout after enterWith T", "after run T"}));
}

TEST(AsyncLocalStorage, RunRestoresOnlyItsOwnStorage) {
  // Node v20: another storage's enterWith() inside run() outlives it.
  vow::AsyncLocalStorage<std::string> a, b;
  Log log;
  auto rec = [&](const std::string& label) {
    auto sa = a.getStore();
    auto sb = b.getStore();
    log.push_back(label + " " + (sa ? *sa : "undefined") + " " + (sb ? *sb : "undefined"));
  };
  b.exit([&] {
    a.run("A", [&] {
      b.enterWith("B");
      rec("in");
    });
    rec("after run");
    a.run("A2", [&] {
      a.enterWith("A3");
      rec("in2");
    });
    rec("after run2");
    a.disable();
    rec("disabled");
    a.run("A4", [&] { rec("run after disable"); });
    b.exit([&] {
      rec("b.exit");
      a.run("X", [&] { rec("x in exit"); });
    });
  });
  EXPECT_EQ(log, (Log{"in A B", "after run undefined B", "in2 A3 B", "after run2 undefined B",
                      "disabled undefined B", "run after disable A4 B",
                      "b.exit undefined undefined", "x in exit X undefined"}));
}

TEST(AsyncLocalStorage, BindAndSnapshotKeepTheContextOfTheirCall) {
  vow::AsyncLocalStorage<std::string> als;
  Log log;
  Recorder rec{als, log};
  auto snap = als.run("S", [] { return vow::AsyncLocalStorage<std::string>::snapshot(); });
  auto bound = als.run("BB", [&] {
    return vow::AsyncLocalStorage<std::string>::bind([&](int x) {
      rec("bound");
      return x;
    });
  });
  snap([&] { rec("snap"); });
  EXPECT_EQ(bound(7), 7);
  rec("outside");
  EXPECT_EQ(log, (Log{"snap S", "bound BB", "outside undefined"}));
}

TEST(AsyncLocalStorage, ListenersRunInTheContextOfEmit) {
  vow::Loop loop;
  vow::AsyncLocalStorage<std::string> als;
  Log log;
  Recorder rec{als, log};
  vow::EventEmitter e;
  als.run("ON", [&] { e.on("x", [&] { rec("listener"); }); });
  als.run("EMIT", [&] { e.emit("x"); });
  e.emit("x");
  EXPECT_EQ(log, (Log{"listener EMIT", "listener undefined"}));
}

TEST(AsyncLocalStorage, QueueWorkAfterRunsInTheContextOfTheCall) {
  vow::Loop loop;
  vow::AsyncLocalStorage<std::string> als;
  Log log;
  Recorder rec{als, log};
  als.run("W", [&] {
    vow::queueWork([] { return 5; }).then([&](int v) { rec("then " + std::to_string(v)); });
    loop.queueWork([] {}, [&] { rec("after"); });
  });
  loop.run();
  std::sort(log.lines.begin(), log.lines.end());  // two pool jobs: either may complete first
  EXPECT_EQ(log, (Log{"after W", "then 5 W"}));
}

TEST(AsyncLocalStorage, UnhandledRejectionListenerSeesTheRejectingContext) {
  vow::Loop loop;
  vow::AsyncLocalStorage<std::string> als;
  Log log;
  Recorder rec{als, log};
  auto id =
      vow::process().on("unhandledRejection", [&](const vow::Error& e, const vow::AnyPromise&) {
        rec("unhandledRejection " + e.message());
      });
  als.run("A", [&] { (void)vow::Promise<int>::reject(std::runtime_error("a")); });
  (void)vow::Promise<int>::reject(std::runtime_error("b"));
  als.run("C", [&] {
    [&]() -> vow::Promise<void> {
      co_await vow::Promise<void>::resolve();
      throw std::runtime_error("c");
    }();
  });
  loop.run();
  vow::process().off("unhandledRejection", id);
  EXPECT_EQ(log, (Log{"unhandledRejection a A", "unhandledRejection b undefined",
                      "unhandledRejection c C"}));
}

vow::AsyncGenerator<int> gen(vow::AsyncLocalStorage<std::string>& als, Log& log) {
  Recorder rec{als, log};
  rec("gen start");
  co_await vow::Promise<void>::resolve();
  rec("gen after await");
  co_yield 1;
  rec("gen after yield");
}

vow::Promise<void> consume(vow::AsyncLocalStorage<std::string>& als, Log& log) {
  auto it = vow::forAwait(gen(als, log));
  while (auto v = co_await it.next()) {
    Recorder{als, log}("loop body");
  }
  co_await it.close();
}

TEST(AsyncLocalStorage, StoreFollowsForAwait) {
  vow::Loop loop;
  vow::AsyncLocalStorage<std::string> als;
  Log log;
  als.run("G", [&] { consume(als, log); });
  loop.run();
  EXPECT_EQ(log, (Log{"gen start G", "gen after await G", "loop body G", "gen after yield G"}));
}

vow::AsyncGenerator<int> twoYields(vow::AsyncLocalStorage<std::string>& als, Log& log) {
  Recorder rec{als, log};
  rec("body start");
  co_yield 1;
  rec("after yield 1");
  co_yield 2;
  rec("after yield 2");
}

TEST(AsyncLocalStorage, GeneratorBodyGoesOnInTheContextOfItsYield) {
  // Queued next() calls: the body runs on inside the yield's tick, in the context it had.
  vow::Loop loop;
  vow::AsyncLocalStorage<std::string> als;
  Log log;
  Recorder rec{als, log};
  auto it = als.run("G", [&] { return twoYields(als, log); });
  als.run("N1", [&] { it.next().then([&](std::optional<int>) { rec("next1 then"); }); });
  als.run("N2", [&] { it.next().then([&](std::optional<int>) { rec("next2 then"); }); });
  als.run("N3", [&] { it.next().then([&](std::optional<int>) { rec("next3 then"); }); });
  loop.run();
  EXPECT_EQ(log, (Log{"body start N1", "after yield 1 N1", "next1 then N1", "after yield 2 N1",
                      "next2 then N2", "next3 then N3"}));
}

TEST(AsyncLocalStorage, StoresArePerThread) {
  vow::Loop loop;
  vow::AsyncLocalStorage<int> als;
  als.run(1, [&] {
    vow::queueWork([&] { return als.getStore() == nullptr; }).then([&](bool none) {
      EXPECT_TRUE(none);
      ASSERT_NE(als.getStore(), nullptr);
      EXPECT_EQ(*als.getStore(), 1);
    });
  });
  loop.run();
}

TEST(AsyncLocalStorage, SharedStoreObjectIsTheSameObject) {
  vow::Loop loop;
  vow::AsyncLocalStorage<std::vector<int>> als;
  auto store = std::make_shared<std::vector<int>>();
  als.run(store, [&] {
    vow::setTimeout([&] { als.getStore()->push_back(2); }, 1);
    als.getStore()->push_back(1);
  });
  loop.run();
  EXPECT_EQ(*store, (std::vector<int>{1, 2}));
}

}  // namespace
