// Unhandled rejections, as Node's --unhandled-rejections modes and process events.
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "vow/loop/loop.h"
#include "vow/promise/promise.h"
#include "vow/promise/testing/test_support.h"

namespace {

using vow::test::Log;

// Records warnings instead of printing them.
struct Warnings {
  explicit Warnings(vow::Loop& loop) {
    loop.process().on("warning", [this](const vow::Error& warning) {
      const std::string name = warning.name(), message = warning.message();
      names.push_back(name);
      messages.push_back(message);
    });
  }
  Log names;
  Log messages;
};

TEST(LoopRejections, ThrowModeWithoutHandlerThrowsTheReasonOutOfRun) {
  vow::Loop loop;
  (void)vow::Promise<int>::reject(std::runtime_error("nobody"));
  try {
    loop.run();
    FAIL() << "run() returned";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "nobody");
  }
  loop.run();  // goes on: nothing left
}

// Node wraps a reason that is not an error: Promise.reject(42) unhandled becomes
// UnhandledPromiseRejection [ERR_UNHANDLED_REJECTION] "... The promise rejected with the reason
// "42"." (checked with node v20), so `catch (const std::exception&)` sees it.
TEST(LoopRejections, ThrowModeWrapsAReasonThatIsNotAnError) {
  auto thrown = [](std::exception_ptr reason) -> std::string {
    vow::Loop loop;
    (void)vow::Promise<int>::reject(reason);
    try {
      loop.run();
    } catch (const vow::UnhandledPromiseRejection& e) {
      EXPECT_EQ(e.code(), "ERR_UNHANDLED_REJECTION");
      EXPECT_STREQ(e.name(), "UnhandledPromiseRejection");
      EXPECT_EQ(e.reason().exception(), reason);
      std::string m = e.message();
      EXPECT_EQ(m.rfind("This error originated either by throwing inside of an async function", 0),
                0u);
      return m.substr(m.find("The promise rejected"));
    } catch (...) {
      return "something else was thrown";
    }
    return "nothing was thrown";
  };
  EXPECT_EQ(thrown(std::make_exception_ptr(42)), "The promise rejected with the reason \"42\".");
  EXPECT_EQ(thrown(std::make_exception_ptr(1.5)), "The promise rejected with the reason \"1.5\".");
  EXPECT_EQ(thrown(std::make_exception_ptr(std::string("str"))),
            "The promise rejected with the reason \"str\".");
  struct Point {};
  EXPECT_NE(thrown(std::make_exception_ptr(Point{})).find("[object "), std::string::npos);
}

TEST(LoopRejections, ThrowModeWithHandlerCallsItAndGoesOn) {
  vow::Loop loop;
  Log log;
  vow::process().on("unhandledRejection", [&](const vow::Error& reason, const vow::AnyPromise& p) {
    log.push_back("unhandled " + reason.message());
    EXPECT_FALSE(p.isPending());
  });
  (void)vow::Promise<int>::reject(vow::Exception("r1"));
  vow::setTimeout([&] { log.push_back("timer"); }, 1);
  loop.run();
  EXPECT_EQ(log, (Log{"unhandled r1", "timer"}));
}

TEST(LoopRejections, ReportedAfterTicksAndMicrotasksDrain) {
  vow::Loop loop;
  Log log;
  vow::process().on("unhandledRejection", [&](const vow::Error& reason, const vow::AnyPromise&) {
    log.push_back("unhandled");
  });
  (void)vow::Promise<void>::reject(vow::Exception("x"));
  vow::nextTick([&] { log.push_back("tick"); });
  vow::queueMicrotask([&] { log.push_back("microtask"); });
  loop.run();
  EXPECT_EQ(log, (Log{"tick", "microtask", "unhandled"}));
}

TEST(LoopRejections, HandledWithinTheSameDrainIsNotReported) {
  vow::Loop loop;
  Log log;
  auto p = vow::Promise<void>::reject(vow::Exception("late"));
  vow::queueMicrotask([&] {
    vow::queueMicrotask(
        [&] { p.catch_([&](const vow::Error& e) { log.push_back("caught " + e.message()); }); });
  });
  loop.run();  // throw mode: would throw if reported
  EXPECT_EQ(log, (Log{"caught late"}));
}

TEST(LoopRejections, ExceptionThrownInAThenIsAnUnhandledRejection) {
  vow::Loop loop;
  vow::Promise<void>::resolve().then([] { throw std::logic_error("in then"); });
  EXPECT_THROW(loop.run(), std::logic_error);
}

TEST(LoopRejections, StrictModeThrowsEvenWithAHandler) {
  vow::Loop loop;
  loop.process().setUnhandledRejections(vow::UnhandledRejections::kStrict);
  bool called = false;
  vow::process().on("unhandledRejection",
                    [&](const vow::Error&, const vow::AnyPromise&) { called = true; });
  (void)vow::Promise<void>::reject(std::runtime_error("strict"));
  EXPECT_THROW(loop.run(), std::runtime_error);
  EXPECT_FALSE(called);
}

TEST(LoopRejections, WarnModeCallsHandlersAndAlwaysWarns) {
  vow::Loop loop;
  loop.process().setUnhandledRejections(vow::UnhandledRejections::kWarn);
  Warnings warnings(loop);
  int called = 0;
  vow::process().on("unhandledRejection",
                    [&](const vow::Error&, const vow::AnyPromise&) { ++called; });
  (void)vow::Promise<void>::reject(vow::Exception("w"));
  loop.run();
  EXPECT_EQ(called, 1);
  EXPECT_EQ(warnings.names,
            (Log{"UnhandledPromiseRejectionWarning", "UnhandledPromiseRejectionWarning"}));
  EXPECT_EQ(warnings.messages[0], "Error: w");
  EXPECT_NE(warnings.messages[1].find("Unhandled promise rejection."), std::string::npos);
  EXPECT_NE(warnings.messages[1].find("(rejection id: 1)"), std::string::npos);
  EXPECT_EQ(loop.process().exitCode(), 0);
}

TEST(LoopRejections, WarnWithErrorCodeModeWarnsAndSetsExitCodeWithoutHandler) {
  vow::Loop loop;
  loop.process().setUnhandledRejections(vow::UnhandledRejections::kWarnWithErrorCode);
  Warnings warnings(loop);
  (void)vow::Promise<void>::reject(vow::TypeError("bad"));
  loop.run();
  EXPECT_EQ(warnings.messages.size(), 2u);
  EXPECT_EQ(warnings.messages[0], "TypeError: bad");
  EXPECT_EQ(loop.process().exitCode(), 1);
}

TEST(LoopRejections, WarnWithErrorCodeModeIsQuietWithAHandler) {
  vow::Loop loop;
  loop.process().setUnhandledRejections(vow::UnhandledRejections::kWarnWithErrorCode);
  Warnings warnings(loop);
  int called = 0;
  vow::process().on("unhandledRejection",
                    [&](const vow::Error&, const vow::AnyPromise&) { ++called; });
  (void)vow::Promise<void>::reject(vow::Exception("x"));
  loop.run();
  EXPECT_EQ(called, 1);
  EXPECT_TRUE(warnings.messages.empty());
  EXPECT_EQ(loop.process().exitCode(), 0);
}

TEST(LoopRejections, NoneModeIgnoresButStillCallsHandlers) {
  vow::Loop loop;
  loop.process().setUnhandledRejections(vow::UnhandledRejections::kNone);
  Warnings warnings(loop);
  (void)vow::Promise<void>::reject(vow::Exception("ignored"));
  loop.run();
  EXPECT_TRUE(warnings.messages.empty());
  int called = 0;
  vow::process().on("unhandledRejection",
                    [&](const vow::Error&, const vow::AnyPromise&) { ++called; });
  (void)vow::Promise<void>::reject(vow::Exception("seen"));
  loop.run();
  EXPECT_EQ(called, 1);
}

TEST(LoopRejections, RejectionHandledFiresWhenAReportedRejectionGetsAHandler) {
  vow::Loop loop;
  Log log;
  vow::process().on("unhandledRejection", [&](const vow::Error& e, const vow::AnyPromise&) {
    log.push_back("unhandled " + e.message());
  });
  auto p = vow::Promise<void>::reject(vow::Exception("late"));
  vow::process().on("rejectionHandled", [&](const vow::AnyPromise& handled) {
    log.push_back(handled == vow::AnyPromise(p) ? "rejectionHandled (same promise)"
                                                : "rejectionHandled (other)");
  });
  vow::setTimeout(
      [&] {
        log.push_back("timer");
        p.catch_([&](const vow::Error& e) { log.push_back("caught " + e.message()); });
      },
      1);
  loop.run();
  EXPECT_EQ(log,
            (Log{"unhandled late", "timer", "caught late", "rejectionHandled (same promise)"}));
}

TEST(LoopRejections, RejectionHandledWithoutListenerWarns) {
  vow::Loop loop;
  loop.process().setUnhandledRejections(vow::UnhandledRejections::kNone);
  Warnings warnings(loop);
  auto p = vow::Promise<void>::reject(vow::Exception("late"));
  vow::setImmediate([&] { p.catch_([](const vow::Error&) {}); });
  loop.run();
  EXPECT_EQ(warnings.names, (Log{"PromiseRejectionHandledWarning"}));
  EXPECT_EQ(warnings.messages,
            (Log{"Promise rejection was handled asynchronously (rejection id: 1)"}));
}

TEST(LoopRejections, RemovedHandlerIsNotCalled) {
  vow::Loop loop;
  loop.process().setUnhandledRejections(vow::UnhandledRejections::kNone);
  int called = 0;
  auto id = vow::process().on("unhandledRejection",
                              [&](const vow::Error&, const vow::AnyPromise&) { ++called; });
  EXPECT_TRUE(vow::process().off("unhandledRejection", id));
  EXPECT_FALSE(vow::process().off("unhandledRejection", id));
  (void)vow::Promise<void>::reject(vow::Exception("x"));
  loop.run();
  EXPECT_EQ(called, 0);
}

TEST(LoopRejections, ThrowModeLeavesTheOtherRejectionsForTheNextRun) {
  vow::Loop loop;
  (void)vow::Promise<void>::reject(std::runtime_error("first"));
  (void)vow::Promise<void>::reject(std::runtime_error("second"));
  Log log;
  for (int i = 0; i < 2; ++i) {
    try {
      loop.run();
    } catch (const std::runtime_error& e) {
      log.push_back(e.what());
    }
  }
  loop.run();
  EXPECT_EQ(log, (Log{"first", "second"}));
}

// Regression (tests/fuzz/regressions/unhandled_snapshot.prog). Node 20.20 snapshots the
// pending unhandled rejections before reporting any: p1's listener attaching a handler to p2
// does not stop p2's report, and no 'rejectionHandled' follows for p2 (it was in neither of
// Node's maps when the handler came). Checked against node v20.20.2:
//   ["unhandled a","unhandled b","A b","A b","late catch p1","rejectionHandled p1"]
TEST(LoopRejections, OnUnhandledRejectionReportsTheWholeBatchEvenIfAListenerHandlesALaterOne) {
  vow::Loop loop;
  Log log;
  auto p1 = vow::Promise<void>::reject(vow::Exception("a"));
  auto p2 = vow::Promise<void>::reject(vow::Exception("b"));
  vow::process().on("unhandledRejection", [&](const vow::Error& e, const vow::AnyPromise&) {
    log.push_back("unhandled " + e.message());
    (void)p2.then([] {}, [&](const vow::Error& r) { log.push_back("A " + r.message()); });
  });
  vow::process().on("rejectionHandled", [&](const vow::AnyPromise& p) {
    log.push_back(p == vow::AnyPromise(p1)   ? "rejectionHandled p1"
                  : p == vow::AnyPromise(p2) ? "rejectionHandled p2"
                                             : "rejectionHandled ?");
  });
  vow::setTimeout(
      [&] { (void)p1.catch_([&](const vow::Error&) { log.push_back("late catch p1"); }); }, 1);
  loop.run();
  EXPECT_EQ(log, (Log{"unhandled a", "unhandled b", "A b", "A b", "late catch p1",
                      "rejectionHandled p1"}));
}

TEST(LoopRejections, ParsesNodeModeNames) {
  vow::UnhandledRejections mode{};
  EXPECT_TRUE(vow::parseUnhandledRejections("warn-with-error-code", &mode));
  EXPECT_EQ(mode, vow::UnhandledRejections::kWarnWithErrorCode);
  EXPECT_TRUE(vow::parseUnhandledRejections("strict", &mode));
  EXPECT_EQ(mode, vow::UnhandledRejections::kStrict);
  EXPECT_FALSE(vow::parseUnhandledRejections("loud", &mode));
  EXPECT_EQ(mode, vow::UnhandledRejections::kStrict);
}

// vow::process() is Node's process: one emitter for the three events, whose listeners'
// parameters are fixed, so a wrong listener is refused when it is added.
TEST(Process, ListenerWithOtherParametersIsRefusedWhenAdded) {
  vow::Loop loop;
  EXPECT_THROW(loop.process().on("unhandledRejection", [](const vow::Error&) {}), vow::TypeError);
  EXPECT_THROW(loop.process().on("warning", [](const std::string&) {}), vow::TypeError);
  EXPECT_EQ(loop.process().listenerCount("unhandledRejection"), 0u);
  EXPECT_EQ(&vow::process(), &loop.process());
}

TEST(Process, TheLoopIsThePromiseHostWhileItIsCurrent) {
  vow::PromiseHost* before = vow::promiseHost();
  {
    vow::Loop loop;
    EXPECT_NE(vow::promiseHost(), before);
    EXPECT_NE(vow::promiseHost(), nullptr);
  }
  EXPECT_EQ(vow::promiseHost(), before);
}

// Rejections made before the thread had a loop reach the loop once it exists, as Node's host
// exists before the main module runs: run() throws the reason.
TEST(Process, RejectionBeforeAnyLoopIsReportedByTheLoop) {
  std::thread([] {
    ASSERT_EQ(vow::promiseHost(), nullptr);
    (void)vow::Promise<void>::reject(std::runtime_error("early"));
    auto handled = vow::Promise<void>::reject(std::runtime_error("handled early"));
    handled.catch_([](const vow::Error&) {});
    vow::Loop loop;
    std::vector<std::string> reported;
    loop.process().on("unhandledRejection", [&](const vow::Error& e, const vow::AnyPromise&) {
      reported.push_back(e.message());
    });
    loop.run();
    EXPECT_EQ(reported, (std::vector<std::string>{"early"}));
  }).join();
}

// JS: process.on('unhandledRejection', (r, p) => p.catch(...)): the catch handles it, so
// Node emits 'rejectionHandled' for it once the microtasks the listener queued have run.
TEST(LoopRejections, ListenerCatchingThePromiseItGetsHandlesIt) {
  vow::Loop loop;
  Log log;
  auto p = vow::Promise<int>::reject(vow::Exception("x"));
  vow::process().on("unhandledRejection", [&](const vow::Error& e, const vow::AnyPromise& got) {
    log.push_back("unhandled " + e.message());
    got.catch_([&](const vow::Error& reason) { log.push_back("caught " + reason.message()); })
        .then([&] { log.push_back("after catch"); });
  });
  vow::process().on("rejectionHandled", [&](const vow::AnyPromise& handled) {
    log.push_back(handled == vow::AnyPromise(p) ? "rejectionHandled (same promise)"
                                                : "rejectionHandled (other)");
  });
  vow::setTimeout([&] { log.push_back("timer"); }, 0);
  loop.run();
  EXPECT_EQ(log, (Log{"unhandled x", "caught x", "after catch", "rejectionHandled (same promise)",
                      "timer"}));
}

}  // namespace
