// Tests for vow::all, allSettled, race and any (vow/promise/combinators.h).
//
// The *Ticks tests pin the microtask order against Node v20: each runs a then-chain "ticker"
// (t1, t2, ...) next to a combinator and compares the whole log with what the same JavaScript
// program prints (the program is quoted above each test).
#include "vow/promise/combinators.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <list>
#include <memory>
#include <new>
#include <ranges>
#include <span>
#include <stdexcept>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include "vow/promise/error.h"
#include "vow/promise/host.h"
#include "vow/promise/microtask.h"
#include "vow/promise/promise.h"
#include "vow/promise/testing/test_support.h"

// Counts heap allocations while `g_count_allocations` is set (the all() allocation test).
namespace {
bool g_count_allocations = false;
std::size_t g_allocations = 0;
}  // namespace

void* operator new(std::size_t size) {
  if (g_count_allocations) ++g_allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace {

using vow::Error;
using vow::Promise;
using vow::Settled;
using vow::SettledStatus;
using vow::test::Log;

std::string join(const Log& log) {
  std::string out;
  for (const auto& s : log) {
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out;
}

// JS: function ticker(log, n) { let p = Promise.resolve();
//       for (let i = 1; i <= n; i++) p = p.then(() => log.push('t' + i)); }
void ticker(Log& log, int n) {
  Promise<void> p = Promise<void>::resolve();
  for (int i = 1; i <= n; ++i) {
    p = p.then([&log, i] { log.push_back("t" + std::to_string(i)); });
  }
}

Promise<int> R(int v) { return Promise<int>::resolve(v); }
Promise<int> J(const std::string& m) { return Promise<int>::reject(std::runtime_error(m)); }

std::string joinInts(const std::vector<int>& v) {
  std::string out;
  for (int x : v) out += (out.empty() ? "" : ",") + std::to_string(x);
  return out;
}

// A host that keeps the rejected promises still without a handler (the loop is the real one).
class CountingTracker final : public vow::PromiseHost {
 public:
  CountingTracker() : previous_(vow::setPromiseHost(this)) {}
  ~CountingTracker() { vow::setPromiseHost(previous_); }

  void promiseRejectedWithoutHandler(const vow::AnyPromise& p) override {
    unhandled.push_back(p.state());
  }
  void promiseHandledAfterRejection(const vow::AnyPromise& p) override {
    std::erase(unhandled, p.state());
  }

  // Rejected promises still without a handler.
  std::vector<vow::internal::StateBase*> unhandled;

 private:
  vow::PromiseHost* previous_;
};

// Counts its live copies: a handler capturing one shows when the handler is released.
struct Counted {
  explicit Counted(int* live) : live(live) { ++*live; }
  Counted(const Counted& o) : live(o.live) { ++*live; }
  ~Counted() { --*live; }
  int* live;
};

template <class T>
vow::internal::StateBase::Status statusOf(const Promise<T>& p) {
  return vow::internal::stateOf(p)->status();
}

// --- all --------------------------------------------------------------------------------------

TEST(PromiseAll, ResultsInInputOrder) {
  auto a = Promise<int>::withResolvers();
  auto b = Promise<int>::withResolvers();
  auto c = Promise<int>::withResolvers();
  std::vector<int> got;
  vow::all(std::vector{a.promise, b.promise, c.promise}).then([&](const std::vector<int>& v) {
    got = v;
  });
  c.resolve(3);
  vow::runMicrotasks();
  a.resolve(1);
  vow::runMicrotasks();
  EXPECT_TRUE(got.empty());
  b.resolve(2);
  vow::runMicrotasks();
  EXPECT_EQ(got, (std::vector<int>{1, 2, 3}));
}

TEST(PromiseAll, VariadicFormGivesATupleOfMixedTypesAndPlainValues) {
  // JS: Promise.all([1, Promise.resolve('two'), 'three', voidPromise])
  std::tuple<int, std::string, std::string, std::monostate> got;
  bool done = false;
  vow::all(1, Promise<std::string>::resolve("two"), "three", Promise<void>::resolve())
      .then([&](const std::tuple<int, std::string, std::string, std::monostate>& v) {
        got = v;
        done = true;
      });
  vow::runMicrotasks();
  ASSERT_TRUE(done);
  EXPECT_EQ(std::get<0>(got), 1);
  EXPECT_EQ(std::get<1>(got), "two");
  EXPECT_EQ(std::get<2>(got), "three");
}

TEST(PromiseAll, FailsFastWithTheFirstRejectionInTime) {
  auto a = Promise<int>::withResolvers();
  auto b = Promise<int>::withResolvers();
  auto c = Promise<int>::withResolvers();
  std::string reason;
  auto result = vow::all({a.promise, b.promise, c.promise});
  result.then([](const std::vector<int>&) { ADD_FAILURE() << "fulfilled"; },
              [&](const Error& e) { reason = e.message(); });
  c.reject(std::runtime_error("c first"));
  vow::runMicrotasks();
  EXPECT_EQ(reason, "c first");
  // Neither later rejections nor fulfilments change the outcome.
  a.reject(std::runtime_error("a later"));
  b.resolve(2);
  vow::runMicrotasks();
  EXPECT_EQ(reason, "c first");
  EXPECT_EQ(statusOf(result), vow::internal::StateBase::kRejected);
}

TEST(PromiseAll, EmptyInputIsAlreadyFulfilled) {
  auto ranged = vow::all(std::vector<Promise<int>>{});
  auto variadic = vow::all();
  EXPECT_EQ(statusOf(ranged), vow::internal::StateBase::kFulfilled);
  EXPECT_EQ(statusOf(variadic), vow::internal::StateBase::kFulfilled);
  std::size_t size = 99;
  ranged.then([&](const std::vector<int>& v) { size = v.size(); });
  vow::runMicrotasks();
  EXPECT_EQ(size, 0u);
}

TEST(PromiseAll, VoidInputsGiveOneMonostateEach) {
  // JS: Promise.all([p, q]) of promises fulfilled with undefined gives [undefined, undefined].
  std::size_t size = 0;
  vow::all({Promise<void>::resolve(), Promise<void>::resolve()})
      .then([&](const std::vector<std::monostate>& v) { size = v.size(); });
  vow::runMicrotasks();
  EXPECT_EQ(size, 2u);
}

TEST(PromiseAll, MovesMoveOnlyValuesOut) {
  auto a = Promise<std::unique_ptr<int>>::resolve(std::make_unique<int>(1));
  auto b = Promise<std::unique_ptr<int>>::resolve(std::make_unique<int>(2));
  int sum = 0;
  vow::all(a, b).then([&](std::tuple<std::unique_ptr<int>, std::unique_ptr<int>>&& v) {
    sum = *std::get<0>(v) + *std::get<1>(v);
  });
  vow::runMicrotasks();
  EXPECT_EQ(sum, 3);

  std::vector<Promise<std::unique_ptr<int>>> ps;
  ps.push_back(Promise<std::unique_ptr<int>>::resolve(std::make_unique<int>(5)));
  ps.push_back(Promise<std::unique_ptr<int>>::resolve(std::make_unique<int>(6)));
  int total = 0;
  vow::all(ps).then([&](const std::vector<std::unique_ptr<int>>& v) {
    for (const auto& p : v) total += *p;
  });
  vow::runMicrotasks();
  EXPECT_EQ(total, 11);
}

TEST(PromiseAll, RejectsWithTypeErrorWhenAMoveOnlyValueWasAlreadyTaken) {
  auto a = Promise<std::unique_ptr<int>>::resolve(std::make_unique<int>(1));
  a.then([](std::unique_ptr<int>&&) {});  // the one consumer takes it first
  std::string name;
  vow::all(a).then([](std::tuple<std::unique_ptr<int>>&&) { ADD_FAILURE(); },
                   [&](const Error& e) { name = e.name(); });
  vow::runMicrotasks();
  EXPECT_EQ(name, "TypeError");
}

TEST(PromiseAll, AcceptsAnyInputRange) {
  std::list<Promise<int>> list{R(1), R(2)};
  std::vector<Promise<int>> vec{R(3), R(4)};
  auto ints = std::views::iota(5, 7);
  std::vector<std::string> got;
  auto record = [&](const std::vector<int>& v) { got.push_back(joinInts(v)); };
  vow::all(list).then(record);
  vow::all(std::span(vec)).then(record);
  vow::all(ints | std::views::transform([](int i) { return R(i); })).then(record);
  vow::all({R(7), R(8)}).then(record);
  vow::runMicrotasks();
  EXPECT_EQ(got, (std::vector<std::string>{"1,2", "3,4", "5,6", "7,8"}));
}

// A single-pass range: an input iterator over a counter.
class OnePass {
 public:
  struct Iterator {
    using value_type = Promise<int>;
    using difference_type = std::ptrdiff_t;
    OnePass* range;
    Promise<int> operator*() const { return R(range->next_); }
    Iterator& operator++() {
      ++range->next_;
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const Iterator& it, std::default_sentinel_t) {
      return it.range->next_ == it.range->end_;
    }
  };
  OnePass(int begin, int end) : next_(begin), end_(end) {}
  Iterator begin() { return Iterator{this}; }
  std::default_sentinel_t end() { return {}; }

  int next_;
  int end_;
};
static_assert(std::ranges::input_range<OnePass> && !std::ranges::forward_range<OnePass>);

TEST(PromiseAll, AcceptsASinglePassRange) {
  OnePass range(1, 4);
  std::string got;
  vow::all(range).then([&](const std::vector<int>& v) { got = joinInts(v); });
  vow::runMicrotasks();
  EXPECT_EQ(got, "1,2,3");
}

TEST(PromiseAll, RejectsWhenIteratingTheRangeThrows) {
  // JS: IfAbruptRejectPromise: an iterator that throws rejects the result.
  int live = 0;
  auto throwing = std::views::iota(0, 3) | std::views::transform([](int i) {
                    if (i == 1) throw std::runtime_error("iteration failed");
                    return R(i);
                  });
  std::string reason;
  vow::all(throwing).then([c = Counted(&live)](const std::vector<int>&) { ADD_FAILURE(); },
                          [&](const Error& e) { reason = e.message(); });
  vow::runMicrotasks();
  EXPECT_EQ(reason, "iteration failed");
  EXPECT_EQ(live, 0);
}

TEST(PromiseAll, LosersLaterRejectionsAreHandled) {
  CountingTracker tracker;
  auto a = Promise<int>::withResolvers();
  auto b = Promise<int>::withResolvers();
  std::string reason;
  vow::all(a.promise, b.promise).catch_([&](const Error& e) {
    reason = e.message();
    return std::tuple<int, int>{};
  });
  a.reject(std::runtime_error("first"));
  vow::runMicrotasks();
  b.reject(std::runtime_error("second"));
  vow::runMicrotasks();
  EXPECT_EQ(reason, "first");
  EXPECT_TRUE(tracker.unhandled.empty());
}

TEST(PromiseAll, AnUnhandledResultIsReportedOnce) {
  CountingTracker tracker;
  auto a = J("x");
  auto b = J("y");
  auto result = vow::all(a, b);
  vow::runMicrotasks();
  ASSERT_EQ(tracker.unhandled.size(), 1u);
  EXPECT_EQ(tracker.unhandled[0], vow::internal::stateOf(result));
}

TEST(PromiseAll, InputsThatCanNeverSettleReleaseTheResultAndItsHandlers) {
  int live = 0;
  {
    auto a = Promise<int>::withResolvers();
    auto b = Promise<int>::withResolvers();
    vow::all({a.promise, b.promise}).then([c = Counted(&live)](const std::vector<int>&) {});
    vow::all(a.promise, b.promise).then([c = Counted(&live)](const std::tuple<int, int>&) {});
    b.resolve(1);
    vow::runMicrotasks();
    EXPECT_EQ(live, 2);  // a can still settle, so both results still could
  }
  // a's resolvers are gone: nothing can settle the results any more.
  EXPECT_EQ(live, 0);
}

// all() over more than 2^25 inputs: each pending input holds one settler reference on the
// result, a count that once wrapped past 2^25 and silently dropped the result's handlers.
TEST(PromiseAll, MoreThanTwoToThe25InputsStillCallTheHandler) {
  // 2^25 inputs would take gigabytes under ASan: three real inputs, and the result's count
  // raised by as many settler references as 2^25 - 1 more inputs would hold.
  constexpr std::uint64_t kRaised = (std::uint64_t{1} << 25) - 1;
  auto a = Promise<int>::withResolvers();
  auto b = Promise<int>::withResolvers();
  auto c = Promise<int>::withResolvers();
  auto result = vow::all({a.promise, b.promise, c.promise});
  vow::internal::StateBase* s = vow::internal::stateOf(result);
  for (std::uint64_t i = 0; i < kRaised; ++i) s->addSettler();
  int sum = 0;
  result.then([&](const std::vector<int>& v) { sum = v[0] + v[1] + v[2]; });
  a.resolve(1);
  b.resolve(2);
  c.resolve(3);
  vow::runMicrotasks();
  EXPECT_EQ(sum, 6);
  for (std::uint64_t i = 0; i < kRaised; ++i) s->releaseSettler();
}

TEST(PromiseAll, AllocatesOnlyTheStateTheNodesAndTheResult) {
  constexpr int kN = 10000;
  std::vector<Promise<int>> inputs;
  inputs.reserve(kN);
  for (int i = 0; i < kN; ++i) inputs.push_back(R(i));
  // Warm the microtask ring up to size (it is not what this test measures).
  for (int i = 0; i < kN; ++i) vow::queueMicrotask([] {});
  vow::runMicrotasks();

  g_allocations = 0;
  g_count_allocations = true;
  auto result = vow::all(inputs);
  vow::runMicrotasks();
  g_count_allocations = false;
  EXPECT_LE(g_allocations, 3u);  // the result state, the node array, the result vector

  long long sum = -1;
  result.then([&](const std::vector<int>& v) {
    sum = 0;
    for (int x : v) sum += x;
  });
  vow::runMicrotasks();
  EXPECT_EQ(sum, static_cast<long long>(kN) * (kN - 1) / 2);
}

// JS: ticker(log, 6); Promise.all([R(1), R(2), R(3)]).then((v) => log.push('all ' + v.join(',')));
TEST(PromiseAllTicks, AlreadyFulfilledInputs) {
  Log log;
  ticker(log, 6);
  vow::all({R(1), R(2), R(3)}).then([&](const std::vector<int>& v) {
    log.push_back("all " + joinInts(v));
  });
  vow::runMicrotasks();
  EXPECT_EQ(join(log), "t1 t2 all 1,2,3 t3 t4 t5 t6");
}

// JS: ticker(log, 6); Promise.all([R(1), J('x'), J('y')])
//       .then(() => log.push('never'), (e) => log.push('all rejected ' + e.message));
TEST(PromiseAllTicks, AlreadyRejectedInput) {
  Log log;
  ticker(log, 6);
  vow::all({R(1), J("x"), J("y")})
      .then([&](const std::vector<int>&) { log.push_back("never"); },
            [&](const Error& e) { log.push_back("all rejected " + e.message()); });
  vow::runMicrotasks();
  EXPECT_EQ(join(log), "t1 t2 all rejected x t3 t4 t5 t6");
}

// JS: ticker(log, 4); Promise.all([]).then((v) => log.push('all empty ' + v.length));
TEST(PromiseAllTicks, EmptyInput) {
  Log log;
  ticker(log, 4);
  vow::all(std::vector<Promise<int>>{}).then([&](const std::vector<int>& v) {
    log.push_back("all empty " + std::to_string(v.size()));
  });
  vow::runMicrotasks();
  EXPECT_EQ(join(log), "t1 all empty 0 t2 t3 t4");
}

// JS: ticker(log, 6); Promise.all([1, R(2), 'three']).then((v) => log.push('all ' + v.join(',')));
TEST(PromiseAllTicks, PlainValuesTakeATickLikePromises) {
  Log log;
  ticker(log, 6);
  vow::all(1, R(2), "three").then([&](const std::tuple<int, int, std::string>& v) {
    log.push_back("all " + std::to_string(std::get<0>(v)) + "," + std::to_string(std::get<1>(v)) +
                  "," + std::get<2>(v));
  });
  vow::runMicrotasks();
  EXPECT_EQ(join(log), "t1 t2 all 1,2,three t3 t4 t5 t6");
}

// JS: let res; const p = new Promise((r) => { res = r; }); ticker(log, 6);
//     Promise.resolve().then(() => { log.push('resolve p'); res(9); });
//     Promise.all([R(1), p]).then((v) => log.push('all ' + v.join(',')));
TEST(PromiseAllTicks, InputSettledLater) {
  Log log;
  auto [p, res, rej] = Promise<int>::withResolvers();
  ticker(log, 6);
  Promise<void>::resolve().then([&, res = res] {
    log.push_back("resolve p");
    res(9);
  });
  vow::all({R(1), p}).then([&](const std::vector<int>& v) { log.push_back("all " + joinInts(v)); });
  vow::runMicrotasks();
  EXPECT_EQ(join(log), "t1 resolve p t2 t3 all 1,9 t4 t5 t6");
}

// --- allSettled -------------------------------------------------------------------------------

TEST(PromiseAny, CycleThroughAllAndAnyIsReleasedOnceItsOtherInputIsGone) {
  // Fuzz seed 3889: p adopts the end of a chain through all([any([d, b]).catch, d]) where d
  // waits on p. `all` needs d, which waits on the all: stuck from the start, but while b can
  // still settle the `any`, only part of that is visible locally. Once b's resolvers are gone,
  // nothing outside the group can settle any of it, and it is freed.
  int live = 0;
  {
    auto a = Promise<int>::withResolvers();
    auto b = Promise<int>::withResolvers();
    auto d = a.promise.then([](int v) { return v; });
    auto any = vow::any({d, b.promise}).catch_([](const vow::Error&) { return 0; });
    auto end = vow::all({any, d}).then([c = Counted(&live)](const std::vector<int>&) { return 1; });
    a.resolve(end);
    vow::runMicrotasks();
    EXPECT_EQ(live, 1);
  }
  EXPECT_EQ(live, 0);
}

TEST(PromiseAllSettled, ReportsEveryOutcomeInInputOrder) {
  auto a = Promise<int>::withResolvers();
  auto b = Promise<int>::withResolvers();
  std::vector<Settled<int>> got;
  vow::allSettled({a.promise, b.promise, R(7)}).then([&](const std::vector<Settled<int>>& v) {
    got = v;
  });
  b.reject(std::runtime_error("bad"));
  vow::runMicrotasks();
  EXPECT_TRUE(got.empty());  // waits for every input, even after a rejection
  a.resolve(1);
  vow::runMicrotasks();
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].status(), SettledStatus::kFulfilled);
  EXPECT_EQ(got[0].value(), 1);
  EXPECT_FALSE(got[0].reason());
  EXPECT_EQ(got[1].status(), SettledStatus::kRejected);
  EXPECT_EQ(got[1].reason().message(), "bad");
  EXPECT_EQ(got[2].value(), 7);
}

TEST(PromiseAllSettled, StatusComparesWithJavaScriptsStrings) {
  auto ok = Settled<int>::fulfilled(1);
  auto bad = Settled<int>::rejected(std::runtime_error("x"));
  EXPECT_TRUE(ok.status() == "fulfilled");
  EXPECT_TRUE(bad.status() == "rejected");
  EXPECT_FALSE(bad.status() == "fulfilled");
  EXPECT_EQ(bad.status().name(), "rejected");
  switch (ok.status()) {
    case SettledStatus::kFulfilled:
      break;
    case SettledStatus::kRejected:
      ADD_FAILURE();
  }
  EXPECT_TRUE(ok.isFulfilled());
  EXPECT_TRUE(bad.isRejected());
}

TEST(PromiseAllSettled, ValueOfARejectedOutcomeThrowsTheReason) {
  auto bad = Settled<int>::rejected(std::runtime_error("x"));
  EXPECT_THROW((void)bad.value(), std::runtime_error);
}

TEST(PromiseAllSettled, NeverRejectsAndHandlesEveryInput) {
  CountingTracker tracker;
  bool fulfilled = false;
  vow::allSettled(J("a"), J("b")).then([&](const auto& t) {
    fulfilled = std::get<0>(t).isRejected() && std::get<1>(t).isRejected();
  });
  vow::runMicrotasks();
  EXPECT_TRUE(fulfilled);
  EXPECT_TRUE(tracker.unhandled.empty());
}

TEST(PromiseAllSettled, VariadicFormGivesATupleOfMixedTypes) {
  std::string line;
  vow::allSettled(R(1), "two", Promise<void>::reject(std::runtime_error("three")))
      .then([&](const std::tuple<Settled<int>, Settled<std::string>, Settled<void>>& t) {
        line = std::to_string(std::get<0>(t).value()) + " " + std::get<1>(t).value() + " " +
               std::get<2>(t).reason().message();
      });
  vow::runMicrotasks();
  EXPECT_EQ(line, "1 two three");
}

TEST(PromiseAllSettled, EmptyInputIsAlreadyFulfilled) {
  auto result = vow::allSettled(std::vector<Promise<int>>{});
  EXPECT_EQ(statusOf(result), vow::internal::StateBase::kFulfilled);
}

TEST(PromiseAllSettled, MovesMoveOnlyValuesOut) {
  std::vector<Promise<std::unique_ptr<int>>> ps;
  ps.push_back(Promise<std::unique_ptr<int>>::resolve(std::make_unique<int>(4)));
  ps.push_back(Promise<std::unique_ptr<int>>::reject(std::runtime_error("no")));
  std::string got;
  vow::allSettled(ps).then([&](const std::vector<Settled<std::unique_ptr<int>>>& v) {
    got = std::to_string(*v[0].value()) + " " + v[1].reason().message();
  });
  vow::runMicrotasks();
  EXPECT_EQ(got, "4 no");
}

TEST(PromiseAllSettled, InputsThatCanNeverSettleReleaseTheResult) {
  int live = 0;
  {
    auto a = Promise<int>::withResolvers();
    vow::allSettled({a.promise, R(1)}).then([c = Counted(&live)](const std::vector<Settled<int>>&) {
    });
    vow::runMicrotasks();
    EXPECT_EQ(live, 1);
  }
  EXPECT_EQ(live, 0);
}

// JS: ticker(log, 6); Promise.allSettled([R(1), J('x')])
//       .then((v) => log.push('settled ' + v.map((r) => r.status).join(',')));
TEST(PromiseAllSettledTicks, AlreadySettledInputs) {
  Log log;
  ticker(log, 6);
  vow::allSettled({R(1), J("x")}).then([&](const std::vector<Settled<int>>& v) {
    log.push_back("settled " + std::string(v[0].status().name()) + "," +
                  std::string(v[1].status().name()));
  });
  vow::runMicrotasks();
  EXPECT_EQ(join(log), "t1 t2 settled fulfilled,rejected t3 t4 t5 t6");
}

// JS: ticker(log, 4); Promise.allSettled([]).then((v) => log.push('settled empty ' + v.length));
TEST(PromiseAllSettledTicks, EmptyInput) {
  Log log;
  ticker(log, 4);
  vow::allSettled(std::vector<Promise<int>>{}).then([&](const std::vector<Settled<int>>& v) {
    log.push_back("settled empty " + std::to_string(v.size()));
  });
  vow::runMicrotasks();
  EXPECT_EQ(join(log), "t1 settled empty 0 t2 t3 t4");
}

// --- race -------------------------------------------------------------------------------------

TEST(PromiseRace, SettlesLikeTheFirstInputToSettle) {
  auto a = Promise<int>::withResolvers();
  auto b = Promise<int>::withResolvers();
  std::string got;
  vow::race({a.promise, b.promise})
      .then([&](int v) { got = "fulfilled " + std::to_string(v); },
            [&](const Error& e) { got = "rejected " + e.message(); });
  b.resolve(2);
  a.reject(std::runtime_error("late"));
  vow::runMicrotasks();
  EXPECT_EQ(got, "fulfilled 2");

  auto c = Promise<int>::withResolvers();
  vow::race(c.promise, R(5).then([](int) -> int { throw std::runtime_error("boom"); }))
      .then([&](int v) { got = "fulfilled " + std::to_string(v); },
            [&](const Error& e) { got = "rejected " + e.message(); });
  vow::runMicrotasks();
  EXPECT_EQ(got, "rejected boom");
}

TEST(PromiseRace, AmongSettledInputsInputOrderDecides) {
  std::string got;
  vow::race({J("first"), R(2)})
      .then([&](int) { got = "fulfilled"; }, [&](const Error& e) { got = e.message(); });
  vow::runMicrotasks();
  EXPECT_EQ(got, "first");
}

TEST(PromiseRace, VariadicFormUsesTheCommonTypeAndPlainValues) {
  std::string got;
  vow::race(Promise<std::string>::withResolvers().promise, "plain").then([&](const std::string& v) {
    got = v;
  });
  vow::runMicrotasks();
  EXPECT_EQ(got, "plain");
}

TEST(PromiseRace, OfNothingStaysPendingAndHoldsNothing) {
  int live = 0;
  auto result = vow::race(std::vector<Promise<int>>{});
  result.then([c = Counted(&live)](int) {});
  vow::runMicrotasks();
  EXPECT_EQ(statusOf(result), vow::internal::StateBase::kPending);
  EXPECT_EQ(live, 0);  // nothing can settle it: the handler was released at once
  auto variadic = vow::race();
  EXPECT_EQ(statusOf(variadic), vow::internal::StateBase::kPending);
}

TEST(PromiseRace, LosersRejectionsAreHandled) {
  CountingTracker tracker;
  auto a = Promise<int>::withResolvers();
  auto b = Promise<int>::withResolvers();
  int got = 0;
  vow::race(a.promise, b.promise).then([&](int v) { got = v; });
  a.resolve(1);
  vow::runMicrotasks();
  b.reject(std::runtime_error("loser"));
  vow::runMicrotasks();
  EXPECT_EQ(got, 1);
  EXPECT_TRUE(tracker.unhandled.empty());
}

TEST(PromiseRace, MovesTheWinnersMoveOnlyValueOut) {
  int got = 0;
  vow::race({Promise<std::unique_ptr<int>>::resolve(std::make_unique<int>(3)),
             Promise<std::unique_ptr<int>>::resolve(std::make_unique<int>(4))})
      .then([&](std::unique_ptr<int>&& p) { got = *p; });
  vow::runMicrotasks();
  EXPECT_EQ(got, 3);
}

TEST(PromiseRace, InputsThatCanNeverSettleReleaseTheResult) {
  int live = 0;
  {
    auto a = Promise<int>::withResolvers();
    vow::race(a.promise).then([c = Counted(&live)](int) {});
    EXPECT_EQ(live, 1);
  }
  EXPECT_EQ(live, 0);
}

// JS: ticker(log, 5); Promise.race([R(1), R(2)]).then((v) => log.push('race ' + v));
TEST(PromiseRaceTicks, AlreadyFulfilledInputs) {
  Log log;
  ticker(log, 5);
  vow::race({R(1), R(2)}).then([&](int v) { log.push_back("race " + std::to_string(v)); });
  vow::runMicrotasks();
  EXPECT_EQ(join(log), "t1 t2 race 1 t3 t4 t5");
}

// JS: ticker(log, 5); Promise.race([J('x'), R(2)])
//       .then((v) => log.push('never'), (e) => log.push('race rejected ' + e.message));
TEST(PromiseRaceTicks, AlreadyRejectedFirst) {
  Log log;
  ticker(log, 5);
  vow::race({J("x"), R(2)})
      .then([&](int) { log.push_back("never"); },
            [&](const Error& e) { log.push_back("race rejected " + e.message()); });
  vow::runMicrotasks();
  EXPECT_EQ(join(log), "t1 t2 race rejected x t3 t4 t5");
}

// JS: ticker(log, 6); const p = new Promise(() => {});
//     Promise.race([p, R(7)]).then((v) => log.push('race ' + v));
TEST(PromiseRaceTicks, PendingThenFulfilled) {
  Log log;
  ticker(log, 6);
  auto p = Promise<int>::withResolvers();
  vow::race({p.promise, R(7)}).then([&](int v) { log.push_back("race " + std::to_string(v)); });
  vow::runMicrotasks();
  EXPECT_EQ(join(log), "t1 t2 race 7 t3 t4 t5 t6");
}

// --- any --------------------------------------------------------------------------------------

TEST(PromiseAny, FirstFulfilmentWinsEvenAfterRejections) {
  auto a = Promise<int>::withResolvers();
  auto b = Promise<int>::withResolvers();
  auto c = Promise<int>::withResolvers();
  int got = 0;
  vow::any({a.promise, b.promise, c.promise}).then([&](int v) { got = v; });
  a.reject(std::runtime_error("a"));
  vow::runMicrotasks();
  c.resolve(3);
  vow::runMicrotasks();
  b.resolve(2);
  vow::runMicrotasks();
  EXPECT_EQ(got, 3);
}

TEST(PromiseAny, AllRejectedGivesAggregateErrorInInputOrder) {
  auto a = Promise<int>::withResolvers();
  auto b = Promise<int>::withResolvers();
  std::string message, name, errors;
  vow::any(a.promise, b.promise, J("third")).catch_([&](const vow::AggregateError& e) {
    message = e.message();
    name = e.name();
    for (const Error& r : e.errors()) errors += r.message() + ";";
    return 0;
  });
  b.reject(std::runtime_error("second"));
  a.reject(std::runtime_error("first"));
  vow::runMicrotasks();
  EXPECT_EQ(message, "All promises were rejected");
  EXPECT_EQ(name, "AggregateError");
  EXPECT_EQ(errors, "first;second;third;");
}

TEST(PromiseAny, OfNothingRejectsAtOnce) {
  CountingTracker tracker;
  auto result = vow::any(std::vector<Promise<int>>{});
  EXPECT_EQ(statusOf(result), vow::internal::StateBase::kRejected);
  std::size_t errors = 99;
  result.catch_([&](const vow::AggregateError& e) {
    errors = e.errors().size();
    return 0;
  });
  vow::runMicrotasks();
  EXPECT_EQ(errors, 0u);
  EXPECT_TRUE(tracker.unhandled.empty());
}

TEST(PromiseAny, LosersRejectionsAreHandled) {
  CountingTracker tracker;
  auto a = Promise<int>::withResolvers();
  int got = 0;
  vow::any(a.promise, R(1)).then([&](int v) { got = v; });
  vow::runMicrotasks();
  a.reject(std::runtime_error("loser"));
  vow::runMicrotasks();
  EXPECT_EQ(got, 1);
  EXPECT_TRUE(tracker.unhandled.empty());
}

TEST(PromiseAny, VoidInputsGiveAPromiseOfVoid) {
  bool done = false;
  vow::any({Promise<void>::reject(std::runtime_error("x")), Promise<void>::resolve()}).then([&] {
    done = true;
  });
  vow::runMicrotasks();
  EXPECT_TRUE(done);
}

TEST(PromiseAny, InputsThatCanNeverSettleReleaseTheResult) {
  int live = 0;
  {
    auto a = Promise<int>::withResolvers();
    vow::any({a.promise, J("x")}).then([c = Counted(&live)](int) {});
    vow::runMicrotasks();
    EXPECT_EQ(live, 1);
  }
  EXPECT_EQ(live, 0);
}

// JS: ticker(log, 5); Promise.any([J('a'), R(2), R(3)]).then((v) => log.push('any ' + v));
TEST(PromiseAnyTicks, RejectionThenFulfilment) {
  Log log;
  ticker(log, 5);
  vow::any({J("a"), R(2), R(3)}).then([&](int v) { log.push_back("any " + std::to_string(v)); });
  vow::runMicrotasks();
  EXPECT_EQ(join(log), "t1 t2 any 2 t3 t4 t5");
}

// JS: ticker(log, 6); Promise.any([J('a'), J('b')])
//       .catch((e) => log.push('any rejected ' + e.errors.map((x) => x.message).join(',')));
TEST(PromiseAnyTicks, AllRejected) {
  Log log;
  ticker(log, 6);
  vow::any({J("a"), J("b")}).catch_([&](const vow::AggregateError& e) {
    log.push_back("any rejected " + e.errors()[0].message() + "," + e.errors()[1].message());
    return 0;
  });
  vow::runMicrotasks();
  EXPECT_EQ(join(log), "t1 t2 any rejected a,b t3 t4 t5 t6");
}

// JS: ticker(log, 4); Promise.any([]).catch((e) => log.push('any empty ' + e.errors.length));
TEST(PromiseAnyTicks, EmptyInput) {
  Log log;
  ticker(log, 4);
  vow::any(std::vector<Promise<int>>{}).catch_([&](const vow::AggregateError& e) {
    log.push_back("any empty " + std::to_string(e.errors().size()));
    return 0;
  });
  vow::runMicrotasks();
  EXPECT_EQ(join(log), "t1 any empty 0 t2 t3 t4");
}

}  // namespace
