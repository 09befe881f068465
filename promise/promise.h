// vow::Promise<T>: JavaScript's Promise for C++20, with the same observable behaviour.
//
//   vow::Promise<int>([](auto resolve, auto reject) { resolve(42); })
//       .then([](int v) { return v + 1; })
//       .catch_([](const vow::Error& e) { std::puts(e.message().c_str()); return 0; });
//
// Handlers never run synchronously: they are microtasks (see vow/promise/microtask.h), run in
// registration order when the host drains the queue (vow::run() does, or vow::runMicrotasks()).
// A Promise is a handle of one pointer to a shared state, cheap to copy; it belongs to the
// thread that made it.
#pragma once

#include <concepts>
#include <coroutine>
#include <cstddef>
#include <source_location>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "vow/promise/error.h"
#include "vow/promise/internal/exceptions.h"
#include "vow/promise/internal/handlers.h"
#include "vow/promise/internal/state.h"
#include "vow/promise/microtask.h"

namespace vow {

template <class T>
class Promise;
template <class T>
class ResolveFn;
class RejectFn;
template <class T>
struct WithResolvers;

namespace internal {
template <class T>
class CoroPromise;
template <class T>
State<T>* stateOf(const Promise<T>& p) noexcept;
// Wraps a state made by the library (a then, a coroutine, a combinator) in a Promise, taking
// over one reference.
template <class T>
Promise<T> adoptState(State<T>* s) noexcept;
}  // namespace internal

// The `resolve` function an executor receives (JS: the first executor argument). Copyable;
// only the first resolve or reject call on a promise counts. Resolving with a Promise<T> adopts
// it, costing the two extra microtasks JS's NewPromiseResolveThenableJob costs.
template <class T>
class ResolveFn {
 public:
  void operator()(internal::Stored<T> value) const requires(!std::is_void_v<T>) {
    state_->checkThread();
    state_->resolveValue(std::move(value));
  }
  void operator()() const requires std::is_void_v<T> {
    state_->checkThread();
    state_->resolveValue();
  }
  void operator()(const Promise<T>& promise) const {
    state_->checkThread();
    state_->resolveWithState(internal::stateOf(promise));
  }

  ResolveFn(const ResolveFn& o) noexcept : state_(o.state_) { state_->addSettler(); }
  ResolveFn& operator=(const ResolveFn& o) noexcept {
    ResolveFn copy(o);
    std::swap(state_, copy.state_);
    return *this;
  }
  ~ResolveFn() { state_->releaseSettler(); }

 private:
  template <class>
  friend class Promise;
  explicit ResolveFn(internal::State<T>* s) noexcept : state_(s) { state_->addSettler(); }
  internal::State<T>* state_;
};

// The `reject` function an executor receives. Takes a vow::Error, so any exception object,
// std::exception_ptr or non-OK absl::Status works: `reject(std::runtime_error("boom"))`.
class RejectFn {
 public:
  void operator()(Error reason) const {
    state_->checkThread();
    state_->rejectIfUnlocked(std::move(reason));
  }

  RejectFn(const RejectFn& o) noexcept : state_(o.state_) { state_->addSettler(); }
  RejectFn& operator=(const RejectFn& o) noexcept {
    RejectFn copy(o);
    std::swap(state_, copy.state_);
    return *this;
  }
  ~RejectFn() { state_->releaseSettler(); }

 private:
  template <class>
  friend class Promise;
  explicit RejectFn(internal::StateBase* s) noexcept : state_(s) { state_->addSettler(); }
  internal::StateBase* state_;
};

// What Promise<T>::withResolvers() returns: `auto [promise, resolve, reject] = ...`.
template <class T>
struct WithResolvers {
  Promise<T> promise;
  ResolveFn<T> resolve;
  RejectFn reject;
};

// A promise of any value type, for code that only needs identity and the rejection reason
// (unhandled-rejection handlers receive one). Like a JS promise it takes then/catch_/finally,
// with handlers that take nothing or the reason (`const vow::Error&`, or `const E&` for one
// exception type): it has no static value type, so a fulfilled value is never seen. Attaching a
// handler marks it handled, as in JS: in an 'unhandledRejection' listener,
// `p.catch_([] {})` makes Node (and vow) emit 'rejectionHandled' for it.
class AnyPromise {
 public:
  explicit AnyPromise(internal::StateBase* s) noexcept : ref_(s) {}
  template <class T>
  AnyPromise(const Promise<T>& p) noexcept  // NOLINT(google-explicit-constructor)
      : ref_(internal::stateOf(p)) {}

  bool isPending() const noexcept { return ref_.get()->isPending(); }
  bool isRejected() const noexcept {
    return ref_.get()->status() == internal::StateBase::kRejected;
  }
  // The rejection reason, or an empty Error if not rejected.
  Error reason() const { return isRejected() ? ref_.get()->reason() : Error(); }
  friend bool operator==(const AnyPromise& a, const AnyPromise& b) noexcept {
    return a.ref_.get() == b.ref_.get();
  }
  internal::StateBase* state() const noexcept { return ref_.get(); }

  // JS: p.then(onFulfilled[, onRejected]). onFulfilled takes nothing. Returns a Promise of what
  // the handlers settle (two different types are widened as by Promise<T>::catch_); a
  // rejection without onRejected passes through.
  template <class F>
  auto then(F&& on_fulfilled, std::source_location site = std::source_location::current()) const;
  template <class F, class R>
  auto then(F&& on_fulfilled, R&& on_rejected,
            std::source_location site = std::source_location::current()) const;
  // JS: p.catch(onRejected). The fulfilled path carries nothing, so a handler returning void
  // gives a Promise<void>, one returning U a Promise<std::optional<U>> (std::nullopt when p
  // fulfilled).
  template <class R>
  auto catch_(R&& on_rejected, std::source_location site = std::source_location::current()) const;
  // JS: p.finally(f): a Promise<void> that settles as p did (a fulfilled value is dropped)
  // after f ran and what it returned settled, with JS's ticks.
  template <class F>
  Promise<void> finally(F&& on_finally,
                        std::source_location site = std::source_location::current()) const;

 private:
  internal::StateRef ref_;
};

// JS's Promise. See the porting table in README.md.
template <class T>
class Promise {
  static_assert(!std::is_reference_v<T>,
                "vow::Promise<T&> is not supported: a promise owns its value; use "
                "Promise<std::reference_wrapper<T>> or a pointer.");
  static_assert(!internal::IsPromise<std::remove_cv_t<T>>::value,
                "vow::Promise<Promise<T>> cannot exist, as in JS: resolving a promise with a "
                "promise adopts it. Use Promise<T>.");

 public:
  using value_type = T;
  using promise_type = internal::CoroPromise<T>;

  // JS: new Promise((resolve, reject) => ...). The executor runs synchronously; only the first
  // resolve/reject counts; an exception it throws rejects the promise unless already resolved.
  template <class Executor>
  requires std::is_invocable_v<Executor&, ResolveFn<T>, RejectFn>
  explicit Promise(Executor&& executor) : state_(new internal::State<T>()) {
    ResolveFn<T> resolve(state_);
    RejectFn reject(state_);
    VOW_TRY { executor(resolve, reject); }
    VOW_CATCH_ALL { state_->rejectIfUnlocked(Error::current()); }
  }

  Promise(const Promise& o) noexcept : state_(o.state_) { state_->addRef(); }
  Promise(Promise&& o) noexcept : state_(std::exchange(o.state_, nullptr)) {}
  Promise& operator=(const Promise& o) noexcept {
    Promise copy(o);
    std::swap(state_, copy.state_);
    return *this;
  }
  Promise& operator=(Promise&& o) noexcept {
    Promise moved(std::move(o));
    std::swap(state_, moved.state_);
    return *this;
  }
  ~Promise() {
    if (state_ != nullptr) state_->release();
  }

  // JS: Promise.resolve(v): an already fulfilled promise.
  [[nodiscard]] static Promise resolve(internal::Stored<T> value) requires(!std::is_void_v<T>) {
    auto* s = new internal::State<T>();
    s->resolveValue(std::move(value));
    return Promise(s);
  }
  [[nodiscard]] static Promise resolve() requires std::is_void_v<T> {
    auto* s = new internal::State<T>();
    s->resolveValue();
    return Promise(s);
  }
  // JS: Promise.resolve(p) returns p itself.
  [[nodiscard]] static Promise resolve(const Promise& p) { return p; }

  // JS: Promise.reject(e): an already rejected promise.
  [[nodiscard]] static Promise reject(Error reason) {
    auto* s = new internal::State<T>();
    s->rejectIfUnlocked(std::move(reason));
    return Promise(s);
  }

  // JS: Promise.withResolvers():
  //   auto [promise, resolve, reject] = vow::Promise<int>::withResolvers();
  [[nodiscard]] static WithResolvers<T> withResolvers() {
    auto* s = new internal::State<T>();
    return WithResolvers<T>{Promise(s), ResolveFn<T>(s), RejectFn(s)};
  }

  // JS: p.then(onFulfilled). The handler takes the value (by const reference, or by rvalue for
  // a move-only T) or nothing, and returns a value, void, a Promise<U> (adopted), an
  // absl::StatusOr<U> or an absl::Status (an error status rejects). Throwing rejects the
  // returned promise. A rejection passes through to it.
  //
  // `site` (every then/catch_/finally takes one, defaulted) is the call's source location, for
  // async stack traces (vow/promise/async_stack.h); leave it out.
  template <class F>
  auto then(F&& on_fulfilled, std::source_location site = std::source_location::current()) const {
    return thenImpl(std::forward<F>(on_fulfilled), internal::NoHandler{}, site,
                    internal::RawAsyncFrame::kThen);
  }

  // JS: p.then(onFulfilled, onRejected). When the two handlers settle different types, the
  // derived promise's type is both widened to one, by the rule above catch_ (with onFulfilled's
  // type in the place of the chain's T).
  template <class F, class R>
  auto then(F&& on_fulfilled, R&& on_rejected,
            std::source_location site = std::source_location::current()) const {
    return thenImpl(std::forward<F>(on_fulfilled), std::forward<R>(on_rejected), site,
                    internal::RawAsyncFrame::kThen);
  }

  // JS: p.catch(onRejected). A handler taking `const vow::Error&` (or nothing) handles every
  // reason; one taking `const E&` handles only exceptions of type E (or `absl::Status` for
  // status reasons) and lets other reasons pass through.
  //
  // The handler may settle another type than the chain's T (JS: `.catch(() => null)`,
  // `.catch(e => e)`): the derived promise then carries both, widened by this rule, where A is
  // the fulfilled path's type (T) and B the handler's (the U of a returned U, Promise<U> or
  // StatusOr<U>; nothing for void or absl::Status):
  //   1. A and B the same: that type (Promise<T>, as before).
  //   2. nothing on one side (void, std::nullopt, or nullptr beside a type without a null of
  //      its own: JS's undefined and null), X on the other: std::optional<X> (an optional stays
  //      itself; nothing on both sides: void). `.catch_([](const Error& e) { log(e); })` on a
  //      Promise<int> is a Promise<std::optional<int>>.
  //   3. a std::variant on either side: a variant of the alternatives of both, each once, in
  //      that order (catching twice grows the variant, it does not nest).
  //   4. numbers: bool with another number or a pointer stays apart, std::variant<A, B> (JS
  //      keeps `false` apart from 0); an integral A with a floating-point B gives B (JS keeps
  //      0.5); other numbers give A.
  //   5. B converts implicitly to A: A (`"n/a"` on a Promise<std::string>, nullptr on a
  //      Promise<std::shared_ptr<X>>); else A converts implicitly to B: B. Except into a view
  //      (std::string_view, std::span, a C string) from a value that owns its memory, which
  //      would dangle: a std::string beside a std::string_view gives the variant.
  //   6. otherwise std::variant<A, B>: `.catch_([](const Error& e) { return e; })` on a
  //      Promise<int> is a Promise<std::variant<int, vow::Error>>.
  // Widening costs no microtask: the ticks are JS's whatever the types.
  template <class R>
  auto catch_(R&& on_rejected, std::source_location site = std::source_location::current()) const {
    return thenImpl(internal::NoHandler{}, std::forward<R>(on_rejected), site,
                    internal::RawAsyncFrame::kCatch);
  }

  // JS: p.finally(f). `f` takes nothing; the outcome passes through unchanged unless `f`
  // throws or returns a rejected promise (or an error status). A promise it returns is waited
  // for. Costs the same microtasks as in JS.
  template <class F>
  Promise<T> finally(F&& on_finally,
                     std::source_location site = std::source_location::current()) const;

 private:
  template <class>
  friend class Promise;
  template <class>
  friend class internal::CoroPromise;
  friend internal::State<T>* internal::stateOf<T>(const Promise<T>&) noexcept;
  friend Promise<T> internal::adoptState<T>(internal::State<T>*) noexcept;

  explicit Promise(internal::State<T>* s) noexcept : state_(s) {}  // adopts one reference

  template <class F, class R>
  auto thenImpl(F&& on_fulfilled, R&& on_rejected, std::source_location site,
                internal::RawAsyncFrame::Kind kind) const;

  internal::State<T>* state_;
};

// ---------------------------------------------------------------------------------------------
// Implementation details.

namespace internal {

// then(onFulfilled, onRejected) on `source`, a State<T> (or, with T = AnyValue, a state of any
// value type, whose value the handlers never see). NoHandler stands for a missing handler.
// `site` and `kind`: the user's call, for async stack traces.
template <class T, class F, class R>
auto makeThen(StateBase* source, F&& on_fulfilled, R&& on_rejected, std::source_location site,
              RawAsyncFrame::Kind kind) {
  using OnF = std::decay_t<F>;
  using OnR = std::decay_t<R>;
  constexpr bool kHasF = !std::is_same_v<OnF, NoHandler>;
  constexpr bool kHasR = !std::is_same_v<OnR, NoHandler>;
  if constexpr (kHasF && std::is_same_v<T, AnyValue>) {
    static_assert(std::is_invocable_v<OnF&>,
                  "AnyPromise::then(): the fulfilment handler takes nothing (an AnyPromise has no "
                  "static value type).");
  } else if constexpr (kHasF) {
    static_assert(kIsValueHandler<T, OnF>,
                  "then(): the fulfilment handler must be callable with the promise's value "
                  "(const T&, or T&& for a move-only T) or with nothing (always nothing for "
                  "Promise<void>).");
  }
  if constexpr (kHasR) {
    static_assert(kIsErrorHandler<OnR>,
                  "then()/catch_(): the rejection handler must take `const vow::Error&`, "
                  "nothing, or `const E&` for the one exception type it handles.");
  }
  // The value each path settles: the fulfilment handler's (the source's own value when there is
  // none; nothing for an AnyPromise), the rejection handler's (the other path's when there is
  // none); U is both widened to one type.
  using FValue = typename decltype([] {
    if constexpr (kHasF) {
      return std::type_identity<HandlerValueT<typename ValueHandlerResult<T, OnF>::type>>{};
    } else if constexpr (std::is_same_v<T, AnyValue>) {
      return std::type_identity<void>{};
    } else {
      return std::type_identity<T>{};
    }
  }())::type;
  using RValue = typename decltype([] {
    if constexpr (kHasR) {
      return std::type_identity<HandlerValueT<typename ErrorHandlerResult<OnR>::type>>{};
    } else {
      return std::type_identity<FValue>{};
    }
  }())::type;
  using U = Widened<FValue, RValue>;
  source->checkThread();
  auto* d = new ThenState<T, U, OnF, OnR>(OnF(std::forward<F>(on_fulfilled)),
                                          OnR(std::forward<R>(on_rejected)));
  d->addSettler();  // the reference held by this promise's reaction list
  if (asyncStackTracesOn()) [[unlikely]] {
    keepThenSite(d, site, kind);
  }
  d->setAwaitedSource(source);
  source->addReaction(d);
  return adoptState<U>(d);
}

// finally's handler result as a promise (the spec's PromiseResolve of f()'s result): a promise
// is waited for, an error status rejects, anything else is a fulfilled Promise<void>.
template <class F>
auto finallyResult(F& f) {
  using R = std::remove_cvref_t<decltype(f())>;
  if constexpr (std::is_void_v<R>) {
    f();
    return Promise<void>::resolve();
  } else if constexpr (IsPromise<R>::value) {
    return f();
  } else if constexpr (std::is_same_v<R, absl::Status> || IsStatusOr<R>::value) {
    R r = f();
#if VOW_HAS_EXCEPTIONS
    if constexpr (std::is_same_v<R, absl::Status>) {
      if (!r.ok()) throw StatusError(r);
    } else {
      if (!r.ok()) throw StatusError(r.status());
    }
#else
    // Without exceptions the error cannot reject the derived promise directly: a rejected
    // promise in its place does (a few microtasks later than with exceptions).
    if constexpr (std::is_same_v<R, absl::Status>) {
      if (!r.ok()) return Promise<void>::reject(std::move(r));
    } else {
      if (!r.ok()) return Promise<void>::reject(r.status());
    }
#endif
    return Promise<void>::resolve();
  } else {
    (void)f();
    return Promise<void>::resolve();
  }
}

}  // namespace internal

template <class T>
template <class F, class R>
auto Promise<T>::thenImpl(F&& on_fulfilled, R&& on_rejected, std::source_location site,
                          internal::RawAsyncFrame::Kind kind) const {
  return internal::makeThen<T>(state_, std::forward<F>(on_fulfilled), std::forward<R>(on_rejected),
                               site, kind);
}

template <class T>
template <class F>
Promise<T> Promise<T>::finally(F&& on_finally, std::source_location site) const {
  constexpr auto kFinally = internal::RawAsyncFrame::kFinally;
  static_assert(std::is_invocable_v<std::decay_t<F>&>, "finally(): the handler takes nothing.");
  // As the spec's thenFinally / catchFinally: call f, turn its result into a promise
  // (PromiseResolve), and chain the original outcome behind it.
  auto as_promise = [](auto& f) { return internal::finallyResult(f); };
  using Fn = std::decay_t<F>;
  auto shared = std::forward<F>(on_finally);
  if constexpr (std::is_void_v<T>) {
    return thenImpl(
        [shared, as_promise]() mutable { return as_promise(shared).then([] {}); },
        [shared, as_promise](const Error& reason) mutable {
          return as_promise(shared).then([reason] { return internal::Rejected<void>{reason}; });
        },
        site, kFinally);
  } else if constexpr (internal::kCopyable<T>) {
    return thenImpl(
        [shared, as_promise](const T& value) mutable {
          return as_promise(shared).then([value]() -> T { return value; });
        },
        [shared, as_promise](const Error& reason) mutable {
          return as_promise(shared).then([reason] { return internal::Rejected<T>{reason}; });
        },
        site, kFinally);
  } else {
    return thenImpl(
        [shared, as_promise](T&& value) mutable {
          return as_promise(shared).then(
              [v = std::move(value)]() mutable -> T { return std::move(v); });
        },
        [shared, as_promise](const Error& reason) mutable {
          return as_promise(shared).then([reason] { return internal::Rejected<T>{reason}; });
        },
        site, kFinally);
  }
  (void)sizeof(Fn);
}

template <class F>
auto AnyPromise::then(F&& on_fulfilled, std::source_location site) const {
  return internal::makeThen<internal::AnyValue>(ref_.get(), std::forward<F>(on_fulfilled),
                                                internal::NoHandler{}, site,
                                                internal::RawAsyncFrame::kThen);
}

template <class F, class R>
auto AnyPromise::then(F&& on_fulfilled, R&& on_rejected, std::source_location site) const {
  return internal::makeThen<internal::AnyValue>(ref_.get(), std::forward<F>(on_fulfilled),
                                                std::forward<R>(on_rejected), site,
                                                internal::RawAsyncFrame::kThen);
}

template <class R>
auto AnyPromise::catch_(R&& on_rejected, std::source_location site) const {
  return internal::makeThen<internal::AnyValue>(ref_.get(), internal::NoHandler{},
                                                std::forward<R>(on_rejected), site,
                                                internal::RawAsyncFrame::kCatch);
}

template <class F>
Promise<void> AnyPromise::finally(F&& on_finally, std::source_location site) const {
  static_assert(std::is_invocable_v<std::decay_t<F>&>, "finally(): the handler takes nothing.");
  auto shared = std::forward<F>(on_finally);
  return internal::makeThen<internal::AnyValue>(
      ref_.get(), [shared]() mutable { return internal::finallyResult(shared).then([] {}); },
      [shared](const Error& reason) mutable {
        return internal::finallyResult(shared).then(
            [reason] { return internal::Rejected<void>{reason}; });
      },
      site, internal::RawAsyncFrame::kFinally);
}

}  // namespace vow

#include "vow/promise/internal/coroutine.h"  // IWYU pragma: export
