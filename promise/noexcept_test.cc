// The ways to fail and to handle failures that need no exceptions: statuses as rejection
// reasons, Status/StatusOr handlers, co_await vow::settle(p), and (without exceptions) a
// rejected co_await leaving the coroutine. Built and run both with exceptions (//...) and
// without them (bazel test --config=noexcept //:noexcept_tests): every expectation holds in
// both, except where a test says which build it is about.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "vow/promise/async_generator.h"
#include "vow/promise/combinators.h"
#include "vow/promise/for_await.h"
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

// The reason `p` settled with, after the microtasks ran ("" once fulfilled, "pending").
template <class T>
std::string outcome(const Promise<T>& p) {
  AnyPromise a(p);
  if (a.isPending()) return "pending";
  if (!a.isRejected()) return "fulfilled";
  return a.reason().status().ToString();
}

TEST(NoExceptions, TheBuildSaysWhichItIs) {
#if defined(__cpp_exceptions)
  EXPECT_EQ(VOW_HAS_EXCEPTIONS, 1);
#else
  EXPECT_EQ(VOW_HAS_EXCEPTIONS, 0);
#endif
  RecordProperty("exceptions", VOW_HAS_EXCEPTIONS);
}

TEST(StatusReasons, AnErrorStatusRejectsAndIsTheReasonsStatus) {
  Promise<int> p = Promise<int>::reject(absl::NotFoundError("no such thing"));
  Error seen;
  p.then([](int) {}, [&](const Error& e) { seen = e; });
  runMicrotasks();
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen.status(), absl::NotFoundError("no such thing"));
  EXPECT_EQ(seen.message(), "no such thing");
  EXPECT_EQ(seen.name(), "Error");
  ASSERT_NE(seen.as<absl::Status>(), nullptr);
  EXPECT_EQ(*seen.as<absl::Status>(), absl::NotFoundError("no such thing"));
}

TEST(StatusReasons, AnOkStatusIsNoError) {
  EXPECT_FALSE(Error(absl::OkStatus()));
  EXPECT_EQ(Error().status(), absl::OkStatus());
}

TEST(StatusReasons, AnExceptionReasonKeepsItsTypeAndNodesCode) {
  // Rejections vow makes itself are exception objects in both builds; without exceptions they
  // are shared rather than thrown, and as<E>() still finds them.
  Error e = TypeError("The \"path\" argument must be of type string", "ERR_INVALID_ARG_TYPE");
  ASSERT_NE(e.as<TypeError>(), nullptr);
  ASSERT_NE(e.as<Exception>(), nullptr);
  EXPECT_EQ(e.as<RangeError>(), nullptr);
  EXPECT_EQ(e.name(), "TypeError");
  EXPECT_EQ(e.code(), "ERR_INVALID_ARG_TYPE");
  absl::Status s = e.status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "The \"path\" argument must be of type string");
  EXPECT_EQ(errorCode(s), "ERR_INVALID_ARG_TYPE");
  // The code survives a round trip through a status.
  Error back(s);
  EXPECT_EQ(back.code(), "ERR_INVALID_ARG_TYPE");
  EXPECT_EQ(back.status(), s);
}

TEST(StatusReasons, NoCodeNoPayload) {
  absl::Status s = Error(RangeError("out")).status();
  EXPECT_EQ(s, absl::OutOfRangeError("out"));
  EXPECT_EQ(errorCode(s), "");
  EXPECT_EQ(errorCode(absl::InternalError("x")), "");
}

TEST(StatusReasons, TheSameReasonIsTheSameError) {
  Error a(absl::AbortedError("a"));
  Error b = a;
  EXPECT_TRUE(a == b);
  EXPECT_FALSE(a == Error(absl::AbortedError("a")));
}

TEST(StatusHandlers, AnErrorStatusRejectsTheDerivedPromiseInTheSameTick) {
  Log log;
  Promise<void> p = Promise<void>::resolve().then([] { return absl::PermissionDeniedError("no"); });
  p.then([&] { log("fulfilled"); }, [&](const Error& e) { log("rejected " + e.message()); });
  ticker(log, 2);
  runMicrotasks();
  // As a handler that throws: the derived promise rejects when the handler returns.
  EXPECT_THAT(log.lines, ElementsAre("tick 1", "rejected no", "tick 2"));
}

TEST(StatusHandlers, AnOkStatusOrResolvesWithItsValue) {
  Log log;
  Promise<int> p = Promise<int>::resolve(20).then([](int v) -> absl::StatusOr<int> {
    if (v < 0) return absl::InvalidArgumentError("negative");
    return v + 1;
  });
  p.then([&](int v) { log("value " + std::to_string(v)); });
  runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("value 21"));
}

TEST(StatusHandlers, AnErrorStatusOrRejectsWithItsStatus) {
  Promise<int> p = Promise<int>::resolve(-1).then([](int v) -> absl::StatusOr<int> {
    if (v < 0) return absl::InvalidArgumentError("negative");
    return v;
  });
  runMicrotasks();
  EXPECT_EQ(outcome(p), absl::InvalidArgumentError("negative").ToString());
}

TEST(StatusHandlers, ARejectionHandlerRecoversWithAStatusOr) {
  Promise<int> p = Promise<int>::reject(absl::UnavailableError("later"))
                       .catch_([](const Error& e) -> absl::StatusOr<int> {
                         if (e.status().code() == absl::StatusCode::kUnavailable) return 7;
                         return e.status();
                       });
  int got = 0;
  p.then([&](int v) { got = v; });
  runMicrotasks();
  EXPECT_EQ(got, 7);
}

TEST(StatusHandlers, AFinallyHandlerReturningAnErrorRejects) {
  Promise<int> p = Promise<int>::resolve(1).finally([] { return absl::DataLossError("lost"); });
  runMicrotasks();
  EXPECT_EQ(outcome(p), absl::DataLossError("lost").ToString());
}

TEST(StatusHandlers, TheExecutorRejectsWithAStatus) {
  Promise<int> p([](auto, auto reject) { reject(absl::ResourceExhaustedError("full")); });
  runMicrotasks();
  EXPECT_EQ(outcome(p), absl::ResourceExhaustedError("full").ToString());
}

TEST(StatusCombinators, AllRejectsWithTheFirstStatus) {
  std::vector<Promise<int>> ps{Promise<int>::resolve(1),
                               Promise<int>::reject(absl::NotFoundError("second")),
                               Promise<int>::reject(absl::NotFoundError("third"))};
  auto all_of = all(ps);
  runMicrotasks();
  EXPECT_EQ(outcome(all_of), absl::NotFoundError("second").ToString());
}

// co_await vow::settle(p): JS's try { await p } catch (e) without exceptions.

TEST(Settle, GivesTheValue) {
  auto f = []() -> Promise<int> {
    absl::StatusOr<int> v = co_await settle(Promise<int>::resolve(41));
    co_return v.ok() ? *v + 1 : -1;
  };
  int got = 0;
  f().then([&](int v) { got = v; });
  runMicrotasks();
  EXPECT_EQ(got, 42);
}

TEST(Settle, GivesTheReasonAsAStatusAndTheBodyGoesOn) {
  Log log;
  Counted::live = 0;
  auto f = [&]() -> Promise<std::string> {
    Counted alive;
    absl::StatusOr<std::string> v =
        co_await settle(Promise<std::string>::reject(absl::NotFoundError("gone")));
    log("after settle: " + v.status().ToString());
    co_return v.ok() ? *v : std::string("fallback");
  };
  std::string got;
  f().then([&](const std::string& v) { got = v; });
  runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("after settle: " + absl::NotFoundError("gone").ToString()));
  EXPECT_EQ(got, "fallback");
  EXPECT_EQ(Counted::live, 0);
}

TEST(Settle, ResumesInTheSameTickAsAPlainAwait) {
  Log log;
  auto plain = [&]() -> Promise<void> {
    co_await Promise<void>::resolve();
    log("plain resumed");
  };
  auto settled = [&]() -> Promise<void> {
    absl::Status s = co_await settle(Promise<void>::reject(absl::CancelledError("c")));
    log("settle resumed: " + std::string(absl::StatusCodeToString(s.code())));
  };
  settled();
  plain();
  ticker(log, 2);
  runMicrotasks();
  EXPECT_THAT(log.lines,
              ElementsAre("settle resumed: CANCELLED", "plain resumed", "tick 1", "tick 2"));
}

TEST(Settle, KeepsNodesCodeOfAnExceptionReason) {
  auto f = []() -> Promise<std::string> {
    absl::StatusOr<int> v = co_await settle(
        Promise<int>::reject(RangeError("The value is out of range", "ERR_OUT_OF_RANGE")));
    co_return errorCode(v.status()) + " " + std::string(v.status().message());
  };
  std::string got;
  f().then([&](const std::string& v) { got = v; });
  runMicrotasks();
  EXPECT_EQ(got, "ERR_OUT_OF_RANGE The value is out of range");
}

// co_return of a status.

TEST(CoReturn, AnErrorStatusRejectsAnOkValueResolves) {
  auto f = [](bool fail) -> Promise<int> {
    co_await Promise<void>::resolve();
    if (fail) co_return absl::FailedPreconditionError("not ready");
    co_return absl::StatusOr<int>(5);
  };
  Promise<int> bad = f(true);
  Promise<int> good = f(false);
  int got = 0;
  good.then([&](int v) { got = v; });
  runMicrotasks();
  EXPECT_EQ(outcome(bad), absl::FailedPreconditionError("not ready").ToString());
  EXPECT_EQ(got, 5);
}

// An unhandled rejection of a co_await: with exceptions it is thrown and (uncaught) rejects
// the coroutine; without them it rejects the coroutine directly. Either way: the same reason,
// destructors run, nothing after the co_await runs, in the same tick.
TEST(RejectedAwait, RejectsTheCoroutineWithTheSameReason) {
  Log log;
  Counted::live = 0;
  Error reason(absl::UnauthenticatedError("who"));
  auto f = [&]() -> Promise<int> {
    Counted alive;
    log("before");
    int v = co_await Promise<int>::reject(reason);
    log("after");  // never
    co_return v;
  };
  Promise<int> p = f();
  p.then([&](int) { log("fulfilled"); },
         [&](const Error& e) { log(e == reason ? "rejected with the reason" : "another reason"); });
  ticker(log, 3);
  runMicrotasks();
  EXPECT_THAT(log.lines,
              ElementsAre("before", "tick 1", "rejected with the reason", "tick 2", "tick 3"));
  EXPECT_EQ(Counted::live, 0);
}

TEST(RejectedAwait, PropagatesThroughNestedCoroutines) {
  auto inner = []() -> Promise<int> {
    co_await Promise<void>::reject(absl::NotFoundError("deep"));
    co_return 1;
  };
  auto outer = [&]() -> Promise<int> {
    int v = co_await inner();
    co_return v + 1;
  };
  Promise<int> p = outer();
  runMicrotasks();
  EXPECT_EQ(outcome(p), absl::NotFoundError("deep").ToString());
}

TEST(RejectedAwait, APromiseVoidCoroutineRejectsByAwaitingARejection) {
  // `co_return status` needs a value type; a Promise<void> body fails by awaiting a rejection.
  auto f = []() -> Promise<void> { co_await Promise<void>::reject(absl::AbortedError("stop")); };
  Promise<void> p = f();
  runMicrotasks();
  EXPECT_EQ(outcome(p), absl::AbortedError("stop").ToString());
}

// Async generators.

TEST(GeneratorStatus, ARejectedAwaitEndsTheBodyWithTheReason) {
  Log log;
  Counted::live = 0;
  auto g = [&]() -> AsyncGenerator<int> {
    Counted alive;
    co_yield 1;
    co_await Promise<void>::reject(absl::InternalError("broken"));
    log("after the rejection");  // never
    co_yield 2;
  };
  AsyncGenerator<int> gen = g();
  Promise<std::optional<int>> first = gen.next();
  Promise<std::optional<int>> second = gen.next();
  Promise<std::optional<int>> third = gen.next();
  runMicrotasks();
  EXPECT_EQ(outcome(first), "fulfilled");
  EXPECT_EQ(outcome(second), absl::InternalError("broken").ToString());
  std::optional<int> last = 99;
  third.then([&](std::optional<int> v) { last = v; });
  runMicrotasks();
  EXPECT_EQ(last, std::nullopt);  // done
  EXPECT_TRUE(log.empty());
  EXPECT_EQ(Counted::live, 0);
}

TEST(GeneratorStatus, SettleInsideABody) {
  auto g = []() -> AsyncGenerator<std::string> {
    absl::StatusOr<int> v = co_await settle(Promise<int>::reject(absl::NotFoundError("nope")));
    std::string text = v.ok() ? std::string("value") : std::string(v.status().message());
    co_yield text;
  };
  AsyncGenerator<std::string> gen = g();
  std::optional<std::string> got;
  gen.next().then([&](std::optional<std::string> v) { got = std::move(v); });
  runMicrotasks();
  EXPECT_EQ(got, "nope");
}

TEST(GeneratorStatus, ReturnRunsTheBodysDestructorsAndFinishes) {
  Counted::live = 0;
  auto g = []() -> AsyncGenerator<int> {
    Counted alive;
    co_yield 1;
    co_yield 2;
  };
  AsyncGenerator<int> gen = g();
  gen.next();
  runMicrotasks();
  EXPECT_EQ(Counted::live, 1);
  std::optional<int> got = 99;
  gen.return_().then([&](std::optional<int> v) { got = v; });
  runMicrotasks();
  EXPECT_EQ(got, std::nullopt);
  EXPECT_EQ(Counted::live, 0);
}

TEST(GeneratorStatus, ThrowEndsTheBodyWithTheError) {
  Counted::live = 0;
  auto g = []() -> AsyncGenerator<int> {
    Counted alive;
    co_yield 1;
    co_yield 2;
  };
  AsyncGenerator<int> gen = g();
  gen.next();
  runMicrotasks();
  Promise<std::optional<int>> thrown = gen.throw_(absl::OutOfRangeError("enough"));
  runMicrotasks();
  EXPECT_EQ(outcome(thrown), absl::OutOfRangeError("enough").ToString());
  EXPECT_EQ(Counted::live, 0);
}

// An iterator whose second next() rejects; logs return().
struct Failing {
  Log* log;
  int calls = 0;
  Promise<std::optional<int>> next() {
    if (++calls == 1) return Promise<std::optional<int>>::resolve(1);
    return Promise<std::optional<int>>::reject(absl::DataLossError("torn"));
  }
  Promise<std::optional<int>> return_() {
    (*log)("return()");
    return Promise<std::optional<int>>::resolve(std::nullopt);
  }
};

TEST(ForAwaitStatus, ARejectedNextEndsTheLoopWithoutReturn) {
  // JS: a next() that throws leaves the iterator alone; the error leaves the function.
  Log log;
  auto f = [&]() -> Promise<int> {
    auto it = forAwait(Failing{&log});
    int sum = 0;
    while (auto x = co_await it.next()) sum += *x;
    co_await it.close();
    co_return sum;
  };
  Promise<int> p = f();
  runMicrotasks();
  EXPECT_EQ(outcome(p), absl::DataLossError("torn").ToString());
  EXPECT_TRUE(log.empty()) << log;
}

TEST(ForAwaitStatus, SettleOnAnIteratorsNextPromise) {
  Log log;
  auto f = [&]() -> Promise<std::string> {
    Failing it{&log};
    absl::StatusOr<std::optional<int>> first = co_await settle(it.next());
    absl::StatusOr<std::optional<int>> second = co_await settle(it.next());
    co_return std::to_string(**first) + " " + second.status().ToString();
  };
  std::string got;
  f().then([&](const std::string& v) { got = v; });
  runMicrotasks();
  EXPECT_EQ(got, "1 " + absl::DataLossError("torn").ToString());
}

}  // namespace
}  // namespace vow
