// catch_ and then(f, r) whose handlers settle different types: the derived promise's type is
// widened by the rule documented above Promise<T>::catch_, at the same ticks as JS.
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "vow/promise/promise.h"
#include "vow/promise/testing/test_support.h"

namespace vow {
namespace {

using test::Counted;
using test::Log;
using ::testing::ElementsAre;

// The rule, case by case (a wrong rule fails to compile here).
using internal::Widened;
struct Base {};
struct Derived : Base {};
static_assert(std::is_same_v<Widened<int, int>, int>);
static_assert(std::is_same_v<Widened<void, void>, void>);
static_assert(std::is_same_v<Widened<int, void>, std::optional<int>>);
static_assert(std::is_same_v<Widened<void, std::string>, std::optional<std::string>>);
static_assert(std::is_same_v<Widened<int, std::nullopt_t>, std::optional<int>>);
static_assert(std::is_same_v<Widened<std::optional<int>, void>, std::optional<int>>);
static_assert(std::is_same_v<Widened<std::optional<int>, int>, std::optional<int>>);
static_assert(std::is_same_v<Widened<int, std::optional<int>>, std::optional<int>>);
static_assert(std::is_same_v<Widened<void, std::nullopt_t>, void>);
static_assert(std::is_same_v<Widened<std::string, std::nullptr_t>, std::optional<std::string>>);
static_assert(std::is_same_v<Widened<int*, std::nullptr_t>, int*>);
static_assert(std::is_same_v<Widened<std::shared_ptr<int>, std::nullptr_t>, std::shared_ptr<int>>);
static_assert(std::is_same_v<Widened<int, Error>, std::variant<int, Error>>);
static_assert(std::is_same_v<Widened<std::variant<int, Error>, std::string>,
                             std::variant<int, Error, std::string>>);
static_assert(std::is_same_v<Widened<std::variant<int, Error>, int>, std::variant<int, Error>>);
static_assert(std::is_same_v<Widened<std::variant<int, Error>, std::variant<Error, bool>>,
                             std::variant<int, Error, bool>>);
static_assert(std::is_same_v<Widened<int, bool>, std::variant<int, bool>>);
static_assert(std::is_same_v<Widened<bool, int>, std::variant<bool, int>>);
static_assert(std::is_same_v<Widened<bool, const char*>, std::variant<bool, const char*>>);
static_assert(std::is_same_v<Widened<int, double>, double>);
static_assert(std::is_same_v<Widened<double, int>, double>);
static_assert(std::is_same_v<Widened<long, int>, long>);
static_assert(std::is_same_v<Widened<unsigned char, int>, unsigned char>);
static_assert(std::is_same_v<Widened<std::string, const char*>, std::string>);
static_assert(std::is_same_v<Widened<const char*, std::string>, std::string>);
static_assert(std::is_same_v<Widened<std::unique_ptr<Base>, std::unique_ptr<Derived>>,
                             std::unique_ptr<Base>>);
static_assert(std::is_same_v<Widened<std::string, std::string_view>,
                             std::variant<std::string, std::string_view>>);
static_assert(std::is_same_v<Widened<std::string_view, std::string>,
                             std::variant<std::string_view, std::string>>);
static_assert(std::is_same_v<Widened<std::string_view, const char*>, std::string_view>);
static_assert(std::is_same_v<Widened<const char*, std::string>, std::string>);
static_assert(std::is_same_v<Widened<const char*, std::nullptr_t>, const char*>);
static_assert(std::is_same_v<Widened<std::vector<int>, std::span<int>>,
                             std::variant<std::vector<int>, std::span<int>>>);
static_assert(std::is_same_v<Widened<std::string, std::vector<int>>,
                             std::variant<std::string, std::vector<int>>>);

TEST(PromiseCatch, NulloptHandlerWidensToOptional) {
  Log log;
  auto rejected = Promise<int>::reject(std::runtime_error("x")).catch_([] { return std::nullopt; });
  auto fulfilled = Promise<int>::resolve(7).catch_([] { return std::nullopt; });
  static_assert(std::is_same_v<decltype(rejected), Promise<std::optional<int>>>);
  static_assert(std::is_same_v<decltype(fulfilled), Promise<std::optional<int>>>);
  auto print = [&](const std::optional<int>& v) { log(v ? std::to_string(*v) : "null"); };
  rejected.then(print);
  fulfilled.then(print);
  runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("null", "7"));
}

TEST(PromiseCatch, HandlerReturningNothingWidensToOptional) {
  Log log;
  auto p = Promise<std::string>::reject(std::runtime_error("x")).catch_([&](const Error& e) {
    log("logged " + e.message());
  });
  static_assert(std::is_same_v<decltype(p), Promise<std::optional<std::string>>>);
  p.then([&](const std::optional<std::string>& v) { log(v ? *v : "undefined"); });
  runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("logged x", "undefined"));
}

TEST(PromiseCatch, NothingOnBothSidesStaysVoid) {
  Log log;
  auto p = Promise<void>::reject(std::runtime_error("x")).catch_([] { return std::nullopt; });
  static_assert(std::is_same_v<decltype(p), Promise<void>>);
  p.then([&] { log("recovered"); });
  auto any =
      AnyPromise(Promise<int>::reject(std::runtime_error("y"))).catch_([] { return std::nullopt; });
  static_assert(std::is_same_v<decltype(any), Promise<void>>);
  any.then([&] { log("recovered any"); });
  runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("recovered", "recovered any"));
}

TEST(PromiseCatch, HandlerOfAnotherTypeWidensTheChain) {
  Log log;
  auto print = [&](const std::variant<int, Error>& v) {
    if (v.index() == 0) {
      log("value " + std::to_string(std::get<0>(v)));
    } else {
      log("error " + std::get<1>(v).message());
    }
  };
  auto rejected =
      Promise<int>::reject(std::runtime_error("boom")).catch_([](const Error& e) { return e; });
  static_assert(std::is_same_v<decltype(rejected), Promise<std::variant<int, Error>>>);
  rejected.then(print);
  Promise<int>::resolve(5).catch_([](const Error& e) { return e; }).then(print);
  runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("error boom", "value 5"));
}

TEST(PromiseCatch, VariantGrowsInsteadOfNesting) {
  std::string got;
  auto p = Promise<int>::reject(std::runtime_error("first"))
               .catch_([](const Error& e) -> std::variant<int, Error> {
                 throw std::runtime_error("second after " + e.message());
               })
               .catch_([](const Error& e) { return e.message(); });
  static_assert(std::is_same_v<decltype(p), Promise<std::variant<int, Error, std::string>>>);
  p.then([&](const std::variant<int, Error, std::string>& v) { got = std::get<2>(v); });
  runMicrotasks();
  EXPECT_EQ(got, "second after first");
}

TEST(PromiseCatch, ConvertibleResultKeepsTheChainsType) {
  Log log;
  auto text = Promise<std::string>::reject(std::runtime_error("x")).catch_([] { return "n/a"; });
  static_assert(std::is_same_v<decltype(text), Promise<std::string>>);
  text.then([&](const std::string& s) { log(s); });
  auto ptr =
      Promise<std::shared_ptr<int>>::reject(std::runtime_error("x")).catch_([] { return nullptr; });
  static_assert(std::is_same_v<decltype(ptr), Promise<std::shared_ptr<int>>>);
  ptr.then([&](const std::shared_ptr<int>& p) { log(p ? "object" : "null pointer"); });
  runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("n/a", "null pointer"));
}

TEST(PromiseCatch, NumbersKeepWhatJsKeeps) {
  Log log;
  auto half = Promise<int>::reject(std::runtime_error("x")).catch_([] { return 0.5; });
  static_assert(std::is_same_v<decltype(half), Promise<double>>);
  half.then([&](double v) { log(std::to_string(v)); });
  auto no = Promise<int>::reject(std::runtime_error("x")).catch_([] { return false; });
  static_assert(std::is_same_v<decltype(no), Promise<std::variant<int, bool>>>);
  no.then([&](const std::variant<int, bool>& v) { log(v.index() == 1 ? "false" : "number"); });
  auto zero = Promise<int>::resolve(0).catch_([] { return false; });
  zero.then([&](const std::variant<int, bool>& v) { log(v.index() == 0 ? "0" : "bool"); });
  runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("0.500000", "false", "0"));
}

// Same registrations, one catch_ widening and one not: the same ticks.
TEST(PromiseCatch, WideningCostsNoTick) {
  Log log;
  auto run = [&](auto recover) {
    log.clear();
    Promise<void>::resolve().then([&] { log("t1"); }).then([&] { log("t2"); }).then([&] {
      log("t3");
    });
    Promise<int>::reject(std::runtime_error("x")).catch_(recover).then([&](const auto&) {
      log("recovered");
    });
    Promise<int>::resolve(1).catch_(recover).then([&](const auto&) { log("passed"); });
    runMicrotasks();
    return log.lines;
  };
  auto same = run([] { return 0; });
  auto widened = run([] { return std::nullopt; });
  auto variant = run([](const Error& e) { return e; });
  EXPECT_THAT(same, ElementsAre("t1", "t2", "recovered", "passed", "t3"));
  EXPECT_EQ(widened, same);
  EXPECT_EQ(variant, same);
}

TEST(PromiseCatch, AdoptingAPromiseOfAnotherTypeCostsTwoExtraTicks) {
  Log log;
  Promise<int>::reject(std::runtime_error("x"))
      .catch_([] { return Promise<std::string>::resolve("late"); })
      .then([&](const std::variant<int, std::string>& v) { log(std::get<1>(v)); });
  Promise<int>::reject(std::runtime_error("x"))
      .catch_([] { return Promise<int>::resolve(1); })
      .then([&](int) { log("same type"); });
  Promise<void>::resolve()
      .then([&] { log("t1"); })
      .then([&] { log("t2"); })
      .then([&] { log("t3"); })
      .then([&] { log("t4"); });
  runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("t1", "t2", "t3", "late", "same type", "t4"));
}

TEST(PromiseCatch, AdoptedPromiseOfAnotherTypeMayReject) {
  std::string got;
  Promise<int>::reject(std::runtime_error("x"))
      .catch_([] { return Promise<std::string>::reject(std::runtime_error("again")); })
      .catch_([&](const Error& e) {
        got = e.message();
        return std::nullopt;
      });
  runMicrotasks();
  EXPECT_EQ(got, "again");
}

TEST(PromiseCatch, AdoptedPromiseOfVoidGivesNothing) {
  Log log;
  Promise<int>::reject(std::runtime_error("x"))
      .catch_([] { return Promise<void>::resolve(); })
      .then([&](const std::optional<int>& v) { log(v ? "value" : "nothing"); });
  runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("nothing"));
}

TEST(PromiseCatch, MoveOnlyValueIsMovedIntoTheWidenedType) {
  int got = 0;
  Promise<std::unique_ptr<int>>::resolve(std::make_unique<int>(4))
      .catch_([] { return std::nullopt; })
      .then([&](std::optional<std::unique_ptr<int>>&& v) { got = **v; });
  runMicrotasks();
  EXPECT_EQ(got, 4);
}

TEST(PromiseCatch, TypedHandlerWidensAndOtherReasonsPassThrough) {
  Log log;
  auto typed = [](const std::invalid_argument& e) { return std::string(e.what()); };
  auto print = [&](const std::variant<int, std::string>& v) { log(std::get<1>(v)); };
  Promise<int>::reject(std::invalid_argument("handled")).catch_(typed).then(print);
  Promise<int>::reject(std::runtime_error("passes"))
      .catch_(typed)
      .then(print)
      .catch_([&](const Error& e) { log("still rejected: " + e.message()); });
  runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("handled", "still rejected: passes"));
}

TEST(PromiseCatch, StatusOrOfAnotherTypeWidensOrRejects) {
  Log log;
  auto recover = [](const Error& e) -> absl::StatusOr<std::string> {
    if (e.message() == "bad") return absl::InternalError("worse");
    return std::string("fine");
  };
  Promise<int>::reject(std::runtime_error("ok"))
      .catch_(recover)
      .then([&](const std::variant<int, std::string>& v) { log(std::get<1>(v)); });
  Promise<int>::reject(std::runtime_error("bad")).catch_(recover).catch_([&](const Error& e) {
    log("rejected " + e.message());
  });
  runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("fine", "rejected worse"));
}

// A widened promise that adopts a promise waiting on itself can never settle: its handlers and
// the cycle are released (as for adoption cycles of one type).
TEST(PromiseCatch, AdoptionCycleThroughAWidenedPromiseIsReleased) {
  Counted::live = 0;
  {
    auto [source, resolve, reject] = Promise<int>::withResolvers();
    auto later = std::make_shared<std::optional<Promise<std::string>>>();
    auto widened = source.catch_([later] { return **later; });
    *later = widened.then(
        [c = Counted()](const std::variant<int, std::string>&) { return std::string("never"); });
    EXPECT_EQ(Counted::live, 1);
    reject(std::runtime_error("x"));
    runMicrotasks();
    EXPECT_EQ(Counted::live, 0);  // while both promises are still held
    EXPECT_TRUE(AnyPromise(widened).isPending());
  }
}

TEST(PromiseThen, TwoHandlersOfDifferentTypesWiden) {
  Log log;
  auto ok = Promise<int>::resolve(4);
  auto bad = Promise<int>::reject(std::runtime_error("bad"));
  auto number_or_null = ok.then([](int v) { return v * 2; }, [] { return std::nullopt; });
  static_assert(std::is_same_v<decltype(number_or_null), Promise<std::optional<int>>>);
  auto print = [&](const std::variant<std::string, Error>& v) {
    log(v.index() == 0 ? std::get<0>(v) : "error " + std::get<1>(v).message());
  };
  number_or_null.then([&](const std::optional<int>& v) { log(std::to_string(v.value_or(-1))); });
  auto string = [](int v) { return std::to_string(v); };
  auto error = [](const Error& e) { return e; };
  ok.then(string, error).then(print);
  bad.then(string, error).then(print);
  auto nothing_or_message = bad.then([] {}, [](const Error& e) { return e.message(); });
  static_assert(std::is_same_v<decltype(nothing_or_message), Promise<std::optional<std::string>>>);
  nothing_or_message.then([&](const std::optional<std::string>& v) { log(v.value_or("none")); });
  runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("8", "4", "error bad", "bad"));
}

TEST(PromiseThen, FulfilmentHandlerAdoptingAnotherTypeCostsTwoExtraTicks) {
  Log log;
  Promise<int>::resolve(4)
      .then([](int v) { return Promise<std::string>::resolve("v" + std::to_string(v)); },
            [] { return 0; })
      .then([&](const std::variant<std::string, int>& v) { log(std::get<0>(v)); });
  Promise<void>::resolve()
      .then([&] { log("t1"); })
      .then([&] { log("t2"); })
      .then([&] { log("t3"); })
      .then([&] { log("t4"); });
  runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("t1", "t2", "t3", "v4", "t4"));
}

}  // namespace
}  // namespace vow
