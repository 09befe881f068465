// vow::all, vow::allSettled, vow::race, vow::any: JavaScript's promise combinators, with the
// same results and the same number of microtasks on settled inputs.
//
//   vow::all(a, b, 3)                    // JS: Promise.all([a, b, 3])
//       .then([](const std::tuple<int, std::string, int>& v) { ... });
//   vow::all(std::vector<vow::Promise<int>>{...})      // -> Promise<std::vector<int>>
//   vow::allSettled(a, b)                // -> Promise<std::tuple<Settled<A>, Settled<B>>>
//   vow::race(std::vector<vow::Promise<int>>{...})     // -> Promise<int>
//   vow::any(a, b)                       // rejects with vow::AggregateError if all reject
//
// Two call forms, as JS's one (an iterable of anything) does not fit C++ types:
// - variadic: `all(x1, x2, ...)`. Each x is a Promise<U> or a plain value (JS calls
//   Promise.resolve on every element; so does vow: a plain value costs the same microtask). all
//   and allSettled give a std::tuple; race and any give the common type of the inputs.
// - range: `all(range)` for any input range of Promise<T> (std::vector, std::span, a view, a
//   braced list `all({a, b})`). all gives std::vector<T>, allSettled std::vector<Settled<T>>,
//   race and any a Promise<T>.
// A Promise<void> input contributes a std::monostate (JS's `undefined`): all over n
// Promise<void> gives a std::vector<std::monostate> of size n, as JS gives an array of n
// undefineds; race and any over Promise<void> give a Promise<void>.
//
// Ticks, as in the spec (Promise.all calls `Promise.resolve(x).then(resolveElement, reject)` for
// every element): each input gets its own reaction, run as a microtask in input order once it has
// settled; the result settles inside the reaction that completes it, so handlers on the result
// run one microtask after that. all([]) and allSettled([]) are fulfilled at once, any([]) is
// rejected at once with an AggregateError with no errors, race([]) stays pending forever (and,
// being settled by nothing, holds nothing alive: handlers on it are released at once).
//
// Inputs are marked handled, as JS's `then` does: an input that rejects after the result has
// settled (all's fail-fast, a lost race) is never reported as an unhandled rejection. The result
// itself is reported as usual when it rejects with no handler.
//
// A move-only value is moved out of its input (the combinator is that promise's one consumer);
// if another consumer took it already, the combinator sees a TypeError instead.
//
// Cycles: a result that can only be settled by promises waiting on it (say `p` resolved with
// `all({p.then(f), q})` once q's resolvers are gone) never settles, as in JS; vow then releases
// its handlers and what they hold, where JS's GC would collect the cycle. This is checked each
// time one of the result's inputs is done, over at most 256 waiting promises: a larger group,
// or one that is stuck only through which way an input settles (an `any` that needs a
// rejection the cycle can only fulfil), stays allocated until its other inputs are gone.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <optional>
#include <ostream>
#include <ranges>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "vow/promise/error.h"
#include "vow/promise/promise.h"

namespace vow {

// Settled<T>::status(): an enum that also compares with JS's strings, so
// `r.status === 'fulfilled'` ports as `r.status() == "fulfilled"`; `switch` works too.
class SettledStatus {
 public:
  enum Value : unsigned char { kFulfilled, kRejected };

  constexpr SettledStatus(Value v) noexcept : v_(v) {}      // NOLINT(google-explicit-constructor)
  constexpr operator Value() const noexcept { return v_; }  // NOLINT

  // "fulfilled" or "rejected", JS's spelling.
  constexpr std::string_view name() const noexcept {
    return v_ == kFulfilled ? "fulfilled" : "rejected";
  }
  friend constexpr bool operator==(SettledStatus a, std::string_view b) noexcept {
    return a.name() == b;
  }
  friend std::ostream& operator<<(std::ostream& os, SettledStatus s) { return os << s.name(); }

 private:
  Value v_;
};

// One outcome of vow::allSettled: JS's {status: 'fulfilled', value} or
// {status: 'rejected', reason}.
template <class T>
class Settled {
  using Stored = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

 public:
  using value_type = T;

  template <class... A>
  static Settled fulfilled(A&&... value) {
    return Settled(std::in_place_index<0>, std::forward<A>(value)...);
  }
  static Settled rejected(Error reason) {
    return Settled(std::in_place_index<1>, std::move(reason));
  }

  SettledStatus status() const noexcept {
    return data_.index() == 0 ? SettledStatus::kFulfilled : SettledStatus::kRejected;
  }
  bool isFulfilled() const noexcept { return data_.index() == 0; }
  bool isRejected() const noexcept { return data_.index() == 1; }

  // The value (T; there is none for Settled<void>); on a rejected outcome, throws the reason
  // (as `co_await` on it would).
  const Stored& value() const& requires(!std::is_void_v<T>) {
    if (isRejected()) std::get<1>(data_).rethrow();
    return std::get<0>(data_);
  }
  Stored& value() & requires(!std::is_void_v<T>) {
    if (isRejected()) std::get<1>(data_).rethrow();
    return std::get<0>(data_);
  }
  Stored&& value() && requires(!std::is_void_v<T>) {
    if (isRejected()) std::get<1>(data_).rethrow();
    return std::get<0>(std::move(data_));
  }
  // The reason; an empty Error on a fulfilled outcome.
  Error reason() const { return isRejected() ? std::get<1>(data_) : Error(); }

 private:
  template <std::size_t I, class... A>
  explicit Settled(std::in_place_index_t<I> i, A&&... a) : data_(i, std::forward<A>(a)...) {}

  std::variant<Stored, Error> data_;
};

namespace internal {

// A plain value: JS's Promise.resolve(x). A string literal or char pointer becomes a
// std::string (JS's string), not a pointer that could dangle before the promise settles.
template <class X>
struct PromiseValue {
  using type = std::conditional_t<std::is_same_v<std::decay_t<X>, const char*> ||
                                      std::is_same_v<std::decay_t<X>, char*>,
                                  std::string, std::decay_t<X>>;
};
template <class U>
struct PromiseValue<Promise<U>> {
  using type = U;
};
// The value type an argument of a variadic combinator contributes.
template <class X>
using PromiseValueT = typename PromiseValue<
    std::conditional_t<IsPromise<std::remove_cvref_t<X>>::value, std::remove_cvref_t<X>, X>>::type;

// What a Promise<T> contributes to an all(): T, or std::monostate for void (JS's undefined).
template <class T>
using Element = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

template <class R>
concept PromiseRange = std::ranges::input_range<R> &&
    IsPromise<std::remove_cvref_t<std::ranges::range_reference_t<R>>>::value;

template <class R>
using RangePromiseValueT =
    typename std::remove_cvref_t<std::ranges::range_reference_t<R>>::value_type;

// A lone argument that is a range of something other than promises: almost certainly meant as
// the range form. (Strings are ranges too; they stay plain values.)
template <class X>
constexpr bool kIsNonPromiseRange =
    std::ranges::input_range<X> && !PromiseRange<X> &&
    !std::is_convertible_v<const std::remove_cvref_t<X>&, std::string_view>;

// The value type of race/any over inputs of types Ts: their common type; void when all are
// void (or there are none).
template <class... Ts>
struct CommonValue {
  static auto pick() {
    if constexpr (sizeof...(Ts) == 0 || (std::is_void_v<Ts> && ...)) {
      return std::type_identity<void>{};
    } else {
      static_assert(!(std::is_void_v<Ts> || ...),
                    "vow::race / vow::any: a Promise<void> cannot race values; make every input "
                    "void or none.");
      return std::type_identity<std::common_type_t<Ts...>>{};
    }
  }
  using type = typename decltype(pick())::type;
};
template <class... Ts>
using CommonValueT = typename CommonValue<Ts...>::type;

enum class Combinator { kAll, kAllSettled, kRace, kAny };

}  // namespace internal

// JS: Promise.all([x1, x2, ...]). Each x is a Promise<U> or a plain value. Fulfils with the
// values in argument order once all have fulfilled; rejects like the first input to reject.
template <class... Xs>
[[nodiscard]] Promise<std::tuple<internal::Element<internal::PromiseValueT<Xs>>...>> all(
    Xs&&... xs);

// JS: Promise.all(iterable): a std::vector of the values, in input order.
template <internal::PromiseRange R>
[[nodiscard]] Promise<std::vector<internal::Element<internal::RangePromiseValueT<R>>>> all(
    R&& promises);
template <class T>
[[nodiscard]] Promise<std::vector<internal::Element<T>>> all(
    std::initializer_list<Promise<T>> promises);

// JS: Promise.allSettled([x1, x2, ...]): never rejects; one Settled<U> per argument.
template <class... Xs>
[[nodiscard]] Promise<std::tuple<Settled<internal::PromiseValueT<Xs>>...>> allSettled(Xs&&... xs);

// JS: Promise.allSettled(iterable).
template <internal::PromiseRange R>
[[nodiscard]] Promise<std::vector<Settled<internal::RangePromiseValueT<R>>>> allSettled(
    R&& promises);
template <class T>
[[nodiscard]] Promise<std::vector<Settled<T>>> allSettled(
    std::initializer_list<Promise<T>> promises);

// JS: Promise.race([x1, x2, ...]): settles like the first input to settle (the first in
// argument order among already settled ones). The value type is the inputs' common type.
// race() with no inputs stays pending forever.
template <class... Xs>
[[nodiscard]] Promise<internal::CommonValueT<internal::PromiseValueT<Xs>...>> race(Xs&&... xs);

// JS: Promise.race(iterable).
template <internal::PromiseRange R>
[[nodiscard]] Promise<internal::RangePromiseValueT<R>> race(R&& promises);
template <class T>
[[nodiscard]] Promise<T> race(std::initializer_list<Promise<T>> promises);

// JS: Promise.any([x1, x2, ...]): fulfils like the first input to fulfil; if every input
// rejects, rejects with an AggregateError ("All promises were rejected") whose errors() holds the
// reasons in input order. any() with no inputs rejects at once.
template <class... Xs>
[[nodiscard]] Promise<internal::CommonValueT<internal::PromiseValueT<Xs>...>> any(Xs&&... xs);

// JS: Promise.any(iterable).
template <internal::PromiseRange R>
[[nodiscard]] Promise<internal::RangePromiseValueT<R>> any(R&& promises);
template <class T>
[[nodiscard]] Promise<T> any(std::initializer_list<Promise<T>> promises);

}  // namespace vow

#include "vow/promise/internal/combinators_impl.h"  // IWYU pragma: keep
