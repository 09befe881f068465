// vow::AnyPromise's then/catch_/finally: JS's, on a promise of a type the code does not know
// (what an 'unhandledRejection' listener receives), with the ticks of Promise<T>'s.
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "vow/promise/host.h"
#include "vow/promise/promise.h"
#include "vow/promise/testing/test_support.h"

namespace vow {
namespace {

using test::Counted;
using test::Log;
using ::testing::ElementsAre;

// Records the rejection-tracking events and keeps the promise reported, as a listener gets it.
class RecordingTracker final : public PromiseHost {
 public:
  RecordingTracker() : previous_(setPromiseHost(this)) {}
  ~RecordingTracker() { setPromiseHost(previous_); }
  void promiseRejectedWithoutHandler(const AnyPromise& p) override {
    events.push_back("reject");
    reported.push_back(p);
  }
  void promiseHandledAfterRejection(const AnyPromise&) override { events.push_back("handle"); }
  std::vector<std::string> events;
  std::vector<AnyPromise> reported;

 private:
  PromiseHost* previous_;
};

TEST(AnyPromiseCatch, HandlesTheReportedRejection) {
  RecordingTracker tracker;
  Log log;
  (void)Promise<int>::reject(std::runtime_error("x"));
  ASSERT_EQ(tracker.reported.size(), 1u);
  auto recovered =
      tracker.reported[0].catch_([&](const Error& e) { log("caught " + e.message()); });
  static_assert(std::is_same_v<decltype(recovered), Promise<void>>);
  EXPECT_THAT(tracker.events, ElementsAre("reject", "handle"));
  recovered.then([&] { log("recovered"); });
  runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("caught x", "recovered"));
  EXPECT_THAT(tracker.events, ElementsAre("reject", "handle"));  // nothing new is unhandled
}

TEST(AnyPromiseCatch, ValueOfTheHandlerOrNothingWhenFulfilled) {
  Log log;
  auto print = [&](const std::optional<std::string>& v) { log(v.value_or("nothing")); };
  auto rejected =
      AnyPromise(Promise<int>::reject(std::runtime_error("x"))).catch_([](const Error& e) {
        return e.message();
      });
  static_assert(std::is_same_v<decltype(rejected), Promise<std::optional<std::string>>>);
  rejected.then(print);
  AnyPromise(Promise<int>::resolve(1))
      .catch_([](const Error& e) { return e.message(); })
      .then(print);
  runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("x", "nothing"));
}

TEST(AnyPromiseCatch, TypedHandlerLetsOtherReasonsPassThrough) {
  Log log;
  auto typed = [&](const std::invalid_argument& e) { log(std::string("typed ") + e.what()); };
  AnyPromise(Promise<int>::reject(std::invalid_argument("mine"))).catch_(typed);
  AnyPromise(Promise<int>::reject(std::runtime_error("other")))
      .catch_(typed)
      .catch_([&](const Error& e) { log("passed " + e.message()); });
  runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("typed mine", "passed other"));
}

TEST(AnyPromiseThen, FulfilmentHandlerTakesNothingAndRejectionPassesThrough) {
  Log log;
  auto two = AnyPromise(Promise<std::string>::resolve("unseen")).then([] { return 2; });
  static_assert(std::is_same_v<decltype(two), Promise<int>>);
  two.then([&](int v) { log(std::to_string(v)); });
  AnyPromise(Promise<std::string>::reject(std::runtime_error("r")))
      .then([&] { log("never"); })
      .catch_([&](const Error& e) { log("passed " + e.message()); });
  AnyPromise(Promise<std::string>::reject(std::runtime_error("r2")))
      .then([&] { log("never"); }, [&](const Error& e) { log("onRejected " + e.message()); });
  runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("onRejected r2", "2", "passed r"));
}

// The same registrations on a Promise<int> and on the AnyPromise of one: the same ticks.
TEST(AnyPromiseThen, TicksAreThoseOfPromiseOfT) {
  auto run = [](auto wrap) {
    Log log;
    Promise<void>::resolve()
        .then([&] { log("t1"); })
        .then([&] { log("t2"); })
        .then([&] { log("t3"); })
        .then([&] { log("t4"); })
        .then([&] { log("t5"); });
    wrap(Promise<int>::reject(std::runtime_error("a")))
        .catch_([&] { log("catch"); })
        .then([&](const auto&...) { log("after catch"); });
    wrap(Promise<int>::reject(std::runtime_error("b")))
        .finally([&] { log("finally"); })
        .catch_([&] { log("after finally"); });
    wrap(Promise<int>::resolve(1))
        .finally([&] { return Promise<void>::resolve(); })
        .then([&](const auto&...) { log("after finally with promise"); });
    wrap(Promise<int>::resolve(1)).then([&](const auto&...) { log("then"); });
    runMicrotasks();
    return log;
  };
  Log typed = run([](Promise<int> p) { return p; });
  Log any = run([](Promise<int> p) { return AnyPromise(p); });
  // What Node prints for the same program.
  EXPECT_EQ(typed, (Log{"t1", "catch", "finally", "then", "t2", "after catch", "t3", "t4",
                        "after finally", "after finally with promise", "t5"}));
  EXPECT_EQ(any, typed);
}

TEST(AnyPromiseFinally, OutcomePassesThroughUnlessTheHandlerFails) {
  Log log;
  AnyPromise(Promise<int>::resolve(1)).finally([&] { log("finally 1"); }).then([&] {
    log("fulfilled");
  });
  AnyPromise(Promise<int>::reject(std::runtime_error("orig")))
      .finally([&] { log("finally 2"); })
      .catch_([&](const Error& e) { log("reason " + e.message()); });
  AnyPromise(Promise<int>::resolve(1))
      .finally([]() -> Promise<void> { throw std::runtime_error("thrown"); })
      .catch_([&](const Error& e) { log("reason " + e.message()); });
  runMicrotasks();
  EXPECT_THAT(log.lines,
              ElementsAre("finally 1", "finally 2", "reason thrown", "fulfilled", "reason orig"));
}

TEST(AnyPromiseLifetime, HandlersOnAPromiseNobodyCanSettleAreReleased) {
  Counted::live = 0;
  {
    auto [p, resolve, reject] = Promise<int>::withResolvers();
    AnyPromise any(p);
    any.catch_([c = Counted()] {});
    any.then([c = Counted()] {});
    any.finally([c = Counted()] {});
    EXPECT_GE(Counted::live, 3);
  }
  runMicrotasks();
  EXPECT_EQ(Counted::live, 0);
}

}  // namespace
}  // namespace vow
