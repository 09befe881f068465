// promisify, promisifyStatus, callbackify, toStatusCallback. No loop here: the promise layer
// runs on its own, so tests drain the microtask queue with vow::runMicrotasks().
#include "vow/promise/promisify.h"

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "vow/promise/host.h"
#include "vow/promise/promise.h"

namespace {

using vow::Error;
using vow::Promise;

void addNow(int a, int b, std::function<void(Error, int)> cb) {
  if (a < 0) {
    cb(vow::Exception("negative: " + std::to_string(a)), 0);
  } else {
    cb(nullptr, a + b);
  }
}

template <class T>
struct Outcome {
  bool settled = false;
  std::optional<T> value;
  Error error;
};

template <class T>
std::shared_ptr<Outcome<T>> watch(const Promise<T>& p) {
  auto o = std::make_shared<Outcome<T>>();
  p.then(
      [o](const T& v) {
        o->settled = true;
        o->value = v;
      },
      [o](const Error& e) {
        o->settled = true;
        o->error = e;
      });
  return o;
}

TEST(Promisify, ValueResolves) {
  auto addP = vow::promisify(addNow);
  auto o = watch(addP(2, 3));
  EXPECT_FALSE(o->settled);  // reactions are microtasks, even for a synchronous callback
  vow::runMicrotasks();
  ASSERT_TRUE(o->settled);
  EXPECT_EQ(*o->value, 5);
}

TEST(Promisify, ErrorRejectsWithTheSameReason) {
  auto addP = vow::promisify(addNow);
  auto o = watch(addP(-1, 3));
  vow::runMicrotasks();
  ASSERT_TRUE(o->error);
  EXPECT_EQ(o->error.message(), "negative: -1");
}

TEST(Promisify, CallbackCalledTwiceSettlesOnce) {
  auto twice = vow::promisify([](int x, std::function<void(Error, int)> cb) {
    cb(nullptr, x);
    cb(nullptr, x + 1);
    cb(std::runtime_error("late"), 0);
  });
  auto o = watch(twice(7));
  vow::runMicrotasks();
  EXPECT_EQ(*o->value, 7);
  EXPECT_FALSE(o->error);
}

TEST(Promisify, SynchronousThrowRejects) {
  auto thrower = vow::promisify([](int, std::function<void(Error, int)>) {
    throw std::runtime_error("thrown before calling back");
  });
  auto o = watch(thrower(1));
  vow::runMicrotasks();
  ASSERT_TRUE(o->error);
  EXPECT_EQ(o->error.message(), "thrown before calling back");
}

TEST(Promisify, ErrorOnlyCallbackGivesPromiseOfVoid) {
  auto done = vow::promisify([](bool fail, absl::AnyInvocable<void(Error)> cb) {
    cb(fail ? Error(vow::TypeError("bad")) : Error());
  });
  Promise<void> ok = done(false);
  Promise<void> bad = done(true);
  int fulfilled = 0;
  std::string reason;
  ok.then([&] { ++fulfilled; });
  bad.catch_([&](const Error& e) { reason = e.name() + ": " + e.message(); });
  vow::runMicrotasks();
  EXPECT_EQ(fulfilled, 1);
  EXPECT_EQ(reason, "TypeError: bad");
}

TEST(Promisify, ExplicitValueTypeForTemplateCallbacks) {
  auto generic = vow::promisify<std::string>([](std::string s, auto cb) { cb(nullptr, s + "!"); });
  auto o = watch(generic(std::string("hi")));
  vow::runMicrotasks();
  EXPECT_EQ(*o->value, "hi!");
}

TEST(Promisify, MoveOnlyCallbackAndLaterCall) {
  std::vector<absl::AnyInvocable<void(Error, int)>> pending;
  auto later = vow::promisify(
      [&](int x, absl::AnyInvocable<void(Error, int)> cb) { pending.push_back(std::move(cb)); });
  auto o = watch(later(1));
  vow::runMicrotasks();
  EXPECT_FALSE(o->settled);
  pending[0](nullptr, 42);
  vow::runMicrotasks();
  EXPECT_EQ(*o->value, 42);
}

TEST(PromisifyStatus, StatusOrValueResolvesAndErrorStatusRejects) {
  auto parse = vow::promisifyStatus([](std::string s, std::function<void(absl::StatusOr<int>)> cb) {
    if (s.empty()) {
      cb(absl::InvalidArgumentError("empty"));
    } else {
      cb(static_cast<int>(s.size()));
    }
  });
  auto good = watch(parse(std::string("abc")));
  auto bad = watch(parse(std::string()));
  vow::runMicrotasks();
  EXPECT_EQ(*good->value, 3);
  ASSERT_TRUE(bad->error);
  EXPECT_EQ(bad->error.status(), absl::InvalidArgumentError("empty"));
}

TEST(PromisifyStatus, PlainStatusGivesPromiseOfVoid) {
  auto op = vow::promisifyStatus([](bool ok, std::function<void(absl::Status)> cb) {
    cb(ok ? absl::OkStatus() : absl::NotFoundError("nope"));
  });
  int ok = 0;
  absl::Status failed;
  op(true).then([&] { ++ok; });
  op(false).catch_([&](const Error& e) { failed = e.status(); });
  vow::runMicrotasks();
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(failed.code(), absl::StatusCode::kNotFound);
}

Promise<int> doubleIt(int x) {
  if (x < 0) throw vow::Exception("cannot double " + std::to_string(x));
  co_return x * 2;
}

TEST(Callbackify, DeliversValueAndErrorThroughTheScheduler) {
  static std::vector<absl::AnyInvocable<void()>>* queue;
  std::vector<absl::AnyInvocable<void()>> q;
  queue = &q;
  auto cb = vow::callbackify(doubleIt,
                             [](absl::AnyInvocable<void()> f) { queue->push_back(std::move(f)); });
  std::vector<std::string> log;
  cb(21, [&](Error err, int v) {
    log.push_back(std::string(err ? "err" : "null") + " " + std::to_string(v));
  });
  cb(-1, [&](Error err, int) { log.push_back(err.message()); });
  vow::runMicrotasks();
  EXPECT_TRUE(log.empty());  // scheduled, not called from the reaction
  ASSERT_EQ(q.size(), 2u);
  for (auto& f : q) f();
  EXPECT_EQ(log, (std::vector<std::string>{"null 42", "cannot double -1"}));
}

TEST(Callbackify, WithoutHostFallsBackToMicrotasksAndNeverCallsSynchronously) {
  ASSERT_EQ(vow::promiseHost(), nullptr);  // no loop in this test binary
  auto cb = vow::callbackify([](int x) { return Promise<int>::resolve(x + 1); });
  int got = 0;
  cb(1, [&](Error, int v) { got = v; });
  EXPECT_EQ(got, 0);
  vow::runMicrotasks();
  EXPECT_EQ(got, 2);
}

TEST(Callbackify, SynchronousThrowReachesTheCallback) {
  auto cb = vow::callbackify([](int) -> Promise<void> { throw std::runtime_error("sync"); });
  std::string msg;
  cb(1, [&](Error err) { msg = err.message(); });
  vow::runMicrotasks();
  EXPECT_EQ(msg, "sync");
}

TEST(ToStatusCallback, FulfilledAndRejected) {
  absl::StatusOr<int> a, b;
  vow::toStatusCallback(Promise<int>::resolve(5), [&](absl::StatusOr<int> r) { a = r; });
  vow::toStatusCallback(Promise<int>::reject(absl::NotFoundError("x")),
                        [&](absl::StatusOr<int> r) { b = r; });
  absl::Status c = absl::UnknownError("unset");
  vow::toStatusCallback(Promise<void>::resolve(), [&](absl::Status s) { c = s; });
  vow::runMicrotasks();
  EXPECT_EQ(*a, 5);
  EXPECT_EQ(b.status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(c.ok());
}

// --- util.promisify.custom ---------------------------------------------------------------------

// A class with its own promise form: JS's fn[util.promisify.custom], as a member.
struct LegacyTimesTen {
  void operator()(int a, std::function<void(Error, int)> cb) const { cb(nullptr, a * 10); }
  auto promisifyCustom() const {
    return [](int a) { return Promise<std::string>::resolve("custom " + std::to_string(a)); };
  }
};

TEST(PromisifyCustom, MemberGivesTheCustomFormUntouched) {
  auto p = vow::promisify(LegacyTimesTen{});
  static_assert(std::is_same_v<decltype(p), decltype(LegacyTimesTen{}.promisifyCustom())>);
  std::string got;
  p(4).then([&](const std::string& v) { got = v; });
  vow::runMicrotasks();
  EXPECT_EQ(got, "custom 4");
}

TEST(PromisifyCustom, WithPromisifyCustomKeepsTheCallbackFormAndGivesTheCustomOne) {
  std::vector<std::string> log;
  auto custom_calls = std::make_shared<int>(0);
  const auto sum = vow::withPromisifyCustom(
      [](int a, int b, std::function<void(Error, int)> cb) { cb(nullptr, a + b); },
      [custom_calls](int a, int b) {
        ++*custom_calls;
        return Promise<int>::resolve(a * b);
      });
  sum(2, 3, [&](Error err, int v) { log.push_back("callback " + std::to_string(v)); });
  auto p = vow::promisify(sum);
  p(2, 3).then([&](int v) { log.push_back("custom " + std::to_string(v)); });
  EXPECT_EQ(*custom_calls, 1);  // called at once, untouched, as Node calls fn[custom]
  vow::promisify<int>(sum)(4, 5).then([&](int v) { log.push_back("custom " + std::to_string(v)); });
  vow::runMicrotasks();
  EXPECT_EQ(log, (std::vector<std::string>{"callback 5", "custom 6", "custom 20"}));
}

// The custom form's promise is returned as it is: no extra microtask between it and the caller.
TEST(PromisifyCustom, CostsNoTick) {
  std::vector<std::string> log;
  auto [gate, open, unused] = Promise<int>::withResolvers();
  auto f = vow::withPromisifyCustom([](std::function<void(Error, int)>) {},
                                    [gate = gate] { return gate; });
  vow::promisify(f)().then([&](int) { log.push_back("custom"); });
  gate.then([&](int) { log.push_back("gate"); });
  open(1);
  vow::runMicrotasks();
  EXPECT_EQ(log, (std::vector<std::string>{"custom", "gate"}));
}

TEST(PromisifyCustom, PromisifyingAPromisifiedFunctionGivesItBack) {
  auto once = vow::promisify(addNow);
  auto twice = vow::promisify(once);
  static_assert(std::is_same_v<decltype(once), decltype(twice)>);
  auto o = watch(twice(2, 3));
  vow::runMicrotasks();
  EXPECT_EQ(*o->value, 5);
}

}  // namespace
