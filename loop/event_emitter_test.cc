// vow::EventEmitter and vow::once.
#include "vow/loop/event_emitter.h"

#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"
#include "vow/loop/abort_controller.h"
#include "vow/loop/loop.h"
#include "vow/promise/promise.h"
#include "vow/promise/testing/test_support.h"

namespace {

using vow::test::Log;

Log* g_log = nullptr;
void record(int x) { g_log->push_back("record " + std::to_string(x)); }

TEST(EventEmitter, OnCallsListenersSynchronouslyInOrderAndEmitReturnsWhetherAnyRan) {
  vow::EventEmitter e;
  Log log;
  e.on("ev", [&](int x) { log.push_back("first " + std::to_string(x)); });
  e.on("ev", [&](int x) { log.push_back("second " + std::to_string(x)); });
  EXPECT_TRUE(e.emit("ev", 1));
  EXPECT_FALSE(e.emit("other", 1));
  EXPECT_EQ(log, (Log{"first 1", "second 1"}));
}

TEST(EventEmitter, PrependListenerRunsFirst) {
  vow::EventEmitter e;
  Log log;
  e.on("ev", [&] { log.push_back("on"); });
  e.prependListener("ev", [&] { log.push_back("prepended"); });
  e.prependOnceListener("ev", [&] { log.push_back("prepended once"); });
  e.emit("ev");
  e.emit("ev");
  EXPECT_EQ(log, (Log{"prepended once", "prepended", "on", "prepended", "on"}));
}

TEST(EventEmitter, OnceRemovesItselfBeforeRunning) {
  vow::EventEmitter e;
  Log log;
  e.once("ev", [&] { log.push_back("once, count " + std::to_string(e.listenerCount("ev"))); });
  e.emit("ev");
  e.emit("ev");
  EXPECT_EQ(log, (Log{"once, count 0"}));
}

TEST(EventEmitter, OnceRunsOnlyOnceEvenWhenEmittedFromItsOwnEmit) {
  vow::EventEmitter e;
  int runs = 0;
  e.on("ev", [&] {
    static int depth = 0;
    if (depth++ == 0) e.emit("ev");
  });
  e.once("ev", [&] { ++runs; });
  e.emit("ev");
  EXPECT_EQ(runs, 1);
}

TEST(EventEmitter, OffByFunctionRemovesTheMostRecentRegistration) {
  vow::EventEmitter e;
  Log log;
  g_log = &log;
  e.on("ev", record);
  e.on("ev", record);
  EXPECT_EQ(e.listenerCount("ev"), 2u);
  EXPECT_TRUE(e.off("ev", record));
  EXPECT_EQ(e.listenerCount("ev"), 1u);
  e.emit("ev", 3);
  EXPECT_TRUE(e.removeListener("ev", record));
  EXPECT_FALSE(e.off("ev", record));
  EXPECT_EQ(log, (Log{"record 3"}));
}

TEST(EventEmitter, OffByIdForLambdas) {
  vow::EventEmitter e;
  Log log;
  auto id = e.on("ev", [&] { log.push_back("a"); });
  e.on("ev", [&] { log.push_back("b"); });
  EXPECT_TRUE(e.off("ev", id));
  e.emit("ev");
  EXPECT_EQ(log, (Log{"b"}));
  e.on("b", [] {});
  e.on("a", [] {});
  EXPECT_EQ(e.eventNames(), (std::vector<std::string>{"ev", "b", "a"}));
  e.removeAllListeners("b");
  e.removeAllListeners("a");
  e.removeAllListeners("ev");
  EXPECT_TRUE(e.eventNames().empty());
}

TEST(EventEmitter, ListenersAreSnapshottedAtEmit) {
  vow::EventEmitter e;
  Log log;
  vow::EventEmitter::ListenerId second = 0;
  e.on("x", [&] {
    log.push_back("first");
    e.off("x", second);
    e.on("x", [&] { log.push_back("added during emit"); });
  });
  second = e.on("x", [&] { log.push_back("second"); });
  e.emit("x");
  e.emit("x");
  EXPECT_EQ(log, (Log{"first", "second", "first", "added during emit"}));
}

TEST(EventEmitter, EveryListenerOfTheSnapshotRunsWhenTheEventLosesAllItsListenersDuringEmit) {
  vow::EventEmitter e;
  Log log;
  e.on("x", [&] {
    log.push_back("first");
    e.removeAllListeners("x");  // the event's entry goes away while the emit runs over it
    e.on("y", [&] { log.push_back("y"); });
    e.emit("y");
    e.on("x", [&] { log.push_back("re-added"); });
  });
  e.on("x", [&] { log.push_back("second"); });
  e.emit("x");
  e.emit("x");
  EXPECT_EQ(log, (Log{"first", "y", "second", "re-added"}));
}

TEST(EventEmitter, NestedEmitsOfOneEventEachCallTheirOwnSnapshot) {
  vow::EventEmitter e;
  Log log;
  int depth = 0;
  vow::EventEmitter::ListenerId added = 0;
  e.on("x", [&] {
    log.push_back("outer " + std::to_string(depth));
    if (depth++ == 0) {
      added = e.on("x", [&] { log.push_back("added"); });
      e.emit("x");  // sees the listener just added
      e.off("x", added);
    }
  });
  e.emit("x");
  e.emit("x");
  EXPECT_EQ(log, (Log{"outer 0", "outer 1", "added", "outer 2"}));
}

TEST(EventEmitter, EmitFindsListenersAddedAfterTheEventWasRemovedAndAfterAMove) {
  vow::EventEmitter e;
  Log log;
  e.on("x", [&] { log.push_back("x1"); });
  e.on("y", [&] { log.push_back("y1"); });
  e.emit("x");
  e.removeAllListeners("x");
  EXPECT_FALSE(e.emit("x"));
  e.on("x", [&] { log.push_back("x2"); });
  e.emit("x");
  e.emit("y");
  vow::EventEmitter moved(std::move(e));
  moved.emit("x");
  moved.removeAllListeners();
  EXPECT_FALSE(moved.emit("x"));
  EXPECT_EQ(log, (Log{"x1", "x2", "y1", "x2"}));
}

TEST(EventEmitter, StringArgumentsNormaliseToStdString) {
  vow::EventEmitter e;
  Log log;
  e.on("s", [&](const std::string& a, std::string b) { log.push_back(a + b); });
  e.emit("s", "lit", std::string("str"));
  const char* p = "ptr";
  e.emit("s", p, std::string_view("view"));
  EXPECT_EQ(log, (Log{"litstr", "ptrview"}));
}

TEST(EventEmitter, EmitWithWrongArgumentTypesThrowsTypeErrorBeforeAnyListenerRuns) {
  vow::EventEmitter e;
  bool ran = false;
  e.on("n", [&](int) { ran = true; });
  try {
    e.emit("n", std::string("not a number"));
    FAIL() << "emit did not throw";
  } catch (const vow::TypeError& err) {
    EXPECT_EQ(err.code(), "ERR_INVALID_ARG_TYPE");
    EXPECT_NE(std::string(err.message()).find("(int)"), std::string::npos) << err.message();
    EXPECT_NE(std::string(err.message()).find("(std::string)"), std::string::npos) << err.message();
  }
  EXPECT_THROW(e.emit("n"), vow::TypeError);
  EXPECT_THROW(e.emit("n", 1.5), vow::TypeError);
  EXPECT_FALSE(ran);
}

TEST(EventEmitter, ListenerWithAnotherSignatureIsRejectedAtRegistration) {
  vow::EventEmitter e;
  e.on("n", [](int) {});
  EXPECT_THROW(e.on("n", [](const std::string&) {}), vow::TypeError);
  EXPECT_EQ(e.listenerCount("n"), 1u);
}

TEST(EventEmitter, ErrorWithoutListenerThrowsTheError) {
  vow::EventEmitter e;
  EXPECT_THROW(e.emit("error", std::runtime_error("bad")), std::runtime_error);
  EXPECT_THROW(e.emit("error", vow::Error(vow::TypeError("typed"))), vow::TypeError);
  try {
    e.emit("error", "text");
    FAIL();
  } catch (const vow::Exception& err) {
    EXPECT_EQ(err.code(), "ERR_UNHANDLED_ERROR");
    EXPECT_EQ(err.message(), "Unhandled error. ('text')");
  }
  std::string seen;
  e.on("error", [&](const vow::Error& err) { seen = err.message(); });
  EXPECT_TRUE(e.emit("error", vow::Exception("handled")));
  EXPECT_EQ(seen, "handled");
}

// Node: new EventEmitter().emit('error', v) with no listener throws ERR_UNHANDLED_ERROR
// "Unhandled error. (<util.inspect(v)>)" (messages checked with node v20).
TEST(EventEmitter, ErrorWithoutListenerInspectsAValueThatIsNotAnError) {
  vow::EventEmitter e;
  auto message = [&](auto&&... args) -> std::string {
    try {
      e.emit("error", std::forward<decltype(args)>(args)...);
    } catch (const vow::Exception& err) {
      EXPECT_EQ(err.code(), "ERR_UNHANDLED_ERROR");
      return err.message();
    }
    return "did not throw";
  };
  EXPECT_EQ(message(), "Unhandled error. (undefined)");
  EXPECT_EQ(message(vow::Error()), "Unhandled error. (undefined)");
  EXPECT_EQ(message(42), "Unhandled error. (42)");
  EXPECT_EQ(message(1.5), "Unhandled error. (1.5)");
  EXPECT_EQ(message(-0.0), "Unhandled error. (-0)");
  EXPECT_EQ(message(1e21), "Unhandled error. (1e+21)");
  EXPECT_EQ(message(true), "Unhandled error. (true)");
  EXPECT_EQ(message(nullptr), "Unhandled error. (null)");
  EXPECT_EQ(message("te'xt"), "Unhandled error. (\"te'xt\")");
}

TEST(EventsOnce, ResolvesWithTheArgumentsAfterTheEmitReturns) {
  vow::Loop loop;
  vow::EventEmitter e;
  Log log;
  vow::once<std::string, int>(e, "ready").then([&](const std::tuple<std::string, int>& args) {
    log.push_back("resolved " + std::get<0>(args) + " " + std::to_string(std::get<1>(args)));
  });
  EXPECT_EQ(e.listenerCount("ready"), 1u);
  EXPECT_EQ(e.listenerCount("error"), 1u);
  vow::setTimeout(
      [&] {
        e.emit("ready", "a", 2);
        log.push_back("emit returned");
      },
      1);
  loop.run();
  EXPECT_EQ(log, (Log{"emit returned", "resolved a 2"}));
  EXPECT_EQ(e.listenerCount("ready"), 0u);
  EXPECT_EQ(e.listenerCount("error"), 0u);
}

TEST(EventsOnce, RejectsWhenErrorIsEmittedFirst) {
  vow::Loop loop;
  vow::EventEmitter e;
  std::string reason;
  vow::once<>(e, "ready").catch_([&](const vow::Error& err) {
    reason = err.message();
    return std::tuple<>();
  });
  e.emit("error", vow::Exception("failed"));
  loop.run();
  EXPECT_EQ(reason, "failed");
  EXPECT_EQ(e.listenerCount("ready"), 0u);
  EXPECT_EQ(e.listenerCount("error"), 0u);
}

}  // namespace

namespace {

using Typed = vow::TypedEventEmitter<vow::Event<"data", std::string, int>, vow::Event<"end">,
                                     vow::Event<"error", vow::Error>>;

TEST(TypedEventEmitter, ArgumentsConvertToTheDeclaredTypes) {
  Typed e;
  std::vector<std::string> log;
  e.on<"data">([&](const std::string& s, long n) { log.push_back(s + std::to_string(n)); });
  e.once<"end">([&] { log.push_back("end"); });
  EXPECT_TRUE(e.emit<"data">("abc", 3));
  EXPECT_TRUE(e.emit<"end">());
  EXPECT_FALSE(e.emit<"end">());
  EXPECT_EQ(e.listenerCount<"data">(), 1u);
  EXPECT_EQ(log, (std::vector<std::string>{"abc3", "end"}));
  // e.emit<"data">(3);         // does not compile: "data" takes (std::string, int)
  // e.emit<"nope">();          // does not compile: no event "nope"
}

TEST(TypedEventEmitter, OnceGivesATypedPromise) {
  vow::Loop loop;
  Typed e;
  std::string got;
  vow::once<"data">(e).then([&](const std::tuple<std::string, int>& args) {
    got = std::get<0>(args) + std::to_string(std::get<1>(args));
  });
  vow::setImmediate([&] { e.emit<"data">("x", 1); });
  loop.run();
  EXPECT_EQ(got, "x1");
}

// The sequence of Node's program (newListener before adding, removeListener after removing, a
// once listener removed just before it runs, removeAllListeners last-first):
//   e.on('newListener', ...); e.on('removeListener', ...); e.on('foo', f) x2; e.once('bar', ...);
//   e.emit('bar'); e.removeAllListeners('foo'); e.removeAllListeners();
TEST(EventEmitterNewListener, NewListenerBeforeAddingRemoveListenerAfterRemovingAsNode) {
  vow::Loop loop;
  vow::EventEmitter e;
  Log log;
  std::vector<vow::EventEmitter::ListenerId> added;
  e.on("newListener", [&](const std::string& name, vow::EventEmitter::ListenerId id) {
    log.push_back("newListener " + name + " (" + std::to_string(e.listenerCount(name)) +
                  " before)");
    added.push_back(id);
  });
  e.on("removeListener", [&](const std::string& name, vow::EventEmitter::ListenerId) {
    log.push_back("removeListener " + name + " (" + std::to_string(e.listenerCount(name)) +
                  " left)");
  });
  const auto foo1 = e.on("foo", [] {});
  const auto foo2 = e.on("foo", [] {});
  e.once("bar", [&] { log.push_back("bar ran"); });
  e.emit("bar");
  e.removeAllListeners("foo");
  e.removeAllListeners();
  EXPECT_EQ(log, (Log{"newListener removeListener (0 before)", "newListener foo (0 before)",
                      "newListener foo (1 before)", "newListener bar (0 before)",
                      "removeListener bar (0 left)", "bar ran", "removeListener foo (1 left)",
                      "removeListener foo (0 left)", "removeListener newListener (0 left)"}));
  ASSERT_EQ(added.size(), 4u);
  EXPECT_EQ(added[1], foo1);
  EXPECT_EQ(added[2], foo2);
  EXPECT_TRUE(e.eventNames().empty());
}

// Node takes the listeners first: those a 'removeListener' handler adds meanwhile stay.
//   e.on('removeListener', (n) => { if (n === 'x' && added < 3) { added++; e.on('x', f); } });
//   e.on('x', f); e.on('x', f); e.removeAllListeners('x');   // 2 removed, 2 left
TEST(EventEmitterNewListener, RemoveAllListenersRemovesThoseThereWhenCalled) {
  vow::Loop loop;
  vow::EventEmitter e;
  int added = 0;
  int removed = 0;
  e.on("removeListener", [&](const std::string& name, vow::EventEmitter::ListenerId) {
    ++removed;
    if (name == "x" && added < 3) {
      ++added;
      e.on("x", [] {});
    }
  });
  e.on("x", [] {});
  e.on("x", [] {});
  e.removeAllListeners("x");
  EXPECT_EQ(removed, 2);
  EXPECT_EQ(e.listenerCount("x"), 2u);
}

TEST(EventEmitterNewListener, NotEmittedWithoutListenersAndOffReportsTheId) {
  vow::Loop loop;
  vow::EventEmitter e;
  std::vector<vow::EventEmitter::ListenerId> removed;
  const auto id = e.on("x", [] {});  // no 'newListener' listener: nothing to emit
  e.on("removeListener",
       [&](const std::string&, vow::EventEmitter::ListenerId r) { removed.push_back(r); });
  EXPECT_TRUE(e.off("x", id));
  EXPECT_FALSE(e.off("x", id));  // not there any more: no event either
  EXPECT_EQ(removed, (std::vector<vow::EventEmitter::ListenerId>{id}));
}

TEST(EventEmitterNewListener, AListenerOfTheWrongShapeIsATypeErrorAtOn) {
  vow::Loop loop;
  vow::EventEmitter e;
  e.on("newListener", [](const std::string&) {});  // Node's listener gets (name, listener)
  EXPECT_THROW(e.on("x", [] {}), vow::TypeError);
}

struct Door : vow::EventEmitter {};

TEST(EventEmitterMaxListeners, WarnsOncePerEventAboveTheLimitWithNodesText) {
  vow::Loop loop;
  Log warnings;
  loop.process().on("warning", [&](const vow::Error& warning) {
    const std::string name = warning.name(), message = warning.message();
    warnings.push_back(name + ": " + message);
  });
  vow::EventEmitter e;
  EXPECT_EQ(e.getMaxListeners(), 10u);
  for (int i = 0; i < 10; ++i) e.on("foo", [] {});
  loop.checkpoint();
  EXPECT_TRUE(warnings.empty()) << "at the limit is not above it";
  e.on("foo", [] {});
  EXPECT_TRUE(warnings.empty()) << "emitted on the next tick, as Node's process.emitWarning";
  e.on("foo", [] {});
  loop.checkpoint();
  EXPECT_EQ(warnings.size(), 1u) << "one warning per event";
  Door door;
  door.setMaxListeners(1);
  door.on("open", [] {});
  loop.checkpoint();
  EXPECT_EQ(warnings.size(), 1u);
  door.on("open", [] {});
  vow::EventEmitter unlimited;
  unlimited.setMaxListeners(0);
  for (int i = 0; i < 20; ++i) unlimited.on("many", [] {});
  loop.run();
  EXPECT_EQ(warnings,
            (Log{"MaxListenersExceededWarning: Possible EventEmitter memory leak detected. 11 "
                 "foo listeners added to [EventEmitter]. MaxListeners is 10. Use "
                 "emitter.setMaxListeners() to increase limit",
                 "MaxListenersExceededWarning: Possible EventEmitter memory leak detected. 2 "
                 "open listeners added to [Door]. MaxListeners is 1. Use "
                 "emitter.setMaxListeners() to increase limit"}));
}

TEST(EventEmitterMaxListeners, NegativeIsARangeErrorAndTheDefaultIsShared) {
  vow::Loop loop;
  vow::EventEmitter e;
  try {
    e.setMaxListeners(-1);
    FAIL() << "no throw";
  } catch (const vow::RangeError& err) {
    EXPECT_EQ(err.code(), "ERR_OUT_OF_RANGE");
    EXPECT_EQ(err.message(),
              "The value of \"setMaxListeners\" is out of range. It must be >= 0. Received -1");
  }
  EXPECT_EQ(e.getMaxListeners(), 10u);
  const std::size_t saved = vow::EventEmitter::defaultMaxListeners;
  vow::EventEmitter::defaultMaxListeners = 3;
  EXPECT_EQ(e.getMaxListeners(), 3u);
  EXPECT_EQ(e.setMaxListeners(5).getMaxListeners(), 5u);
  vow::EventEmitter::defaultMaxListeners = saved;
}

TEST(EventsOnce, SettlesAsNodesAsyncOnceDoesTwoTicksAfterTheEmission) {
  vow::Loop loop;
  Log log;
  vow::EventEmitter e, later;
  auto chain = [&](const std::string& prefix) {
    vow::Promise<void>::resolve()
        .then([&log, prefix] { log(prefix + "1"); })
        .then([&log, prefix] { log(prefix + "2"); })
        .then([&log, prefix] { log(prefix + "3"); });
  };
  // Emitted in the same tick: the adoption of once's inner promise has not even started.
  vow::once<>(e, "x").then([&](const std::tuple<>&) { log("once-sync"); });
  e.emit("x");
  chain("s");
  // Emitted later: two ticks.
  vow::once<>(later, "x").then([&](const std::tuple<>&) { log("once"); });
  vow::setTimeout(
      [&] {
        later.emit("x");
        chain("m");
      },
      1);
  loop.run();
  // node v20: s1 s2 once-sync s3 | m1 once m2 m3
  EXPECT_EQ(log, (Log{"s1", "s2", "once-sync", "s3", "m1", "once", "m2", "m3"}));
}

TEST(EventsOnce, SignalAbortedBeforeOrDuringRemovesBothListenersAndRejects) {
  vow::Loop loop;
  Log log;
  vow::EventEmitter e;
  vow::AbortController c;
  vow::once<int>(e, "x", {.signal = c.signal()})
      .then([&](const std::tuple<int>&) { log("fulfilled"); },
            [&](const vow::Error& err) {
              const auto* abort = err.as<vow::AbortError>();
              log("rejected " + err.name() + " cause=" + (abort ? abort->cause().message() : "?"));
            });
  log("listeners " + std::to_string(e.listenerCount("x")) + " " +
      std::to_string(e.listenerCount("error")));
  c.abort(vow::Exception("stop"));
  log("listeners " + std::to_string(e.listenerCount("x")) + " " +
      std::to_string(e.listenerCount("error")));
  vow::once<int>(e, "x", {.signal = c.signal()}).catch_([&](const vow::AbortError& err) {
    log("pre-aborted " + err.cause().message() + " " + std::to_string(e.listenerCount("x")));
    return std::tuple<int>(0);
  });
  loop.run();
  EXPECT_EQ(log, (Log{"listeners 1 1", "listeners 0 0", "pre-aborted stop 0",
                      "rejected AbortError cause=stop"}));
}

}  // namespace
