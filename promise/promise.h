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
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "vow/promise/error.h"
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
// (unhandled-rejection handlers receive one).
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
    try {
      executor(resolve, reject);
    } catch (...) {
      state_->rejectIfUnlocked(Error::current());
    }
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
  template <class F>
  auto then(F&& on_fulfilled) const {
    return thenImpl(std::forward<F>(on_fulfilled), internal::NoHandler{});
  }

  // JS: p.then(onFulfilled, onRejected). Both handlers must settle the same type.
  template <class F, class R>
  auto then(F&& on_fulfilled, R&& on_rejected) const {
    return thenImpl(std::forward<F>(on_fulfilled), std::forward<R>(on_rejected));
  }

  // JS: p.catch(onRejected). A handler taking `const vow::Error&` (or nothing) handles every
  // reason; one taking `const E&` handles only exceptions of type E (or `absl::Status` for
  // status reasons) and lets other reasons pass through. It must return what the chain carries
  // (a T, Promise<T>, StatusOr<T>), so the chain has a value when it recovers.
  template <class R>
  Promise<T> catch_(R&& on_rejected) const {
    return thenImpl(internal::NoHandler{}, std::forward<R>(on_rejected));
  }

  // JS: p.finally(f). `f` takes nothing; the outcome passes through unchanged unless `f`
  // throws or returns a rejected promise (or an error status). A promise it returns is waited
  // for. Costs the same microtasks as in JS.
  template <class F>
  Promise<T> finally(F&& on_finally) const;

 private:
  template <class>
  friend class Promise;
  template <class>
  friend class internal::CoroPromise;
  friend internal::State<T>* internal::stateOf<T>(const Promise<T>&) noexcept;
  friend Promise<T> internal::adoptState<T>(internal::State<T>*) noexcept;

  explicit Promise(internal::State<T>* s) noexcept : state_(s) {}  // adopts one reference

  template <class F, class R>
  auto thenImpl(F&& on_fulfilled, R&& on_rejected) const;

  internal::State<T>* state_;
};

// ---------------------------------------------------------------------------------------------
// Implementation details.

template <class T>
template <class F, class R>
auto Promise<T>::thenImpl(F&& on_fulfilled, R&& on_rejected) const {
  using OnF = std::decay_t<F>;
  using OnR = std::decay_t<R>;
  constexpr bool kHasF = !std::is_same_v<OnF, internal::NoHandler>;
  constexpr bool kHasR = !std::is_same_v<OnR, internal::NoHandler>;
  if constexpr (kHasF) {
    static_assert(internal::kIsValueHandler<T, OnF>,
                  "then(): the fulfilment handler must be callable with the promise's value "
                  "(const T&, or T&& for a move-only T) or with nothing (always nothing for "
                  "Promise<void>).");
  }
  if constexpr (kHasR) {
    static_assert(internal::kIsErrorHandler<OnR>,
                  "then()/catch_(): the rejection handler must take `const vow::Error&`, "
                  "nothing, or `const E&` for the one exception type it handles.");
  }
  using FValue = typename decltype([] {
    if constexpr (kHasF) {
      return std::type_identity<
          internal::HandlerValueT<typename internal::ValueHandlerResult<T, OnF>::type>>{};
    } else {
      return std::type_identity<T>{};
    }
  }())::type;
  using RValue = typename decltype([] {
    if constexpr (kHasR) {
      return std::type_identity<
          internal::HandlerValueT<typename internal::ErrorHandlerResult<OnR>::type>>{};
    } else {
      return std::type_identity<FValue>{};
    }
  }())::type;
  if constexpr (kHasF) {
    static_assert(std::is_void_v<FValue> == std::is_void_v<RValue> &&
                      (std::is_void_v<FValue> || std::is_convertible_v<RValue, FValue>),
                  "then(onFulfilled, onRejected): both handlers must produce the same type.");
  } else {
    static_assert(std::is_void_v<T> == std::is_void_v<RValue>,
                  "catch_(): the handler must return a value of the promise's type T (or a "
                  "Promise<T> or StatusOr<T>) so the chain has a value when it recovers; only "
                  "on a Promise<void> may it return nothing.");
    static_assert(std::is_void_v<T> || std::is_convertible_v<RValue, T>,
                  "catch_(): the handler's result must convert to the promise's type T.");
  }
  using U = FValue;
  state_->checkThread();
  auto* d = new internal::ThenState<T, U, OnF, OnR>(OnF(std::forward<F>(on_fulfilled)),
                                                    OnR(std::forward<R>(on_rejected)));
  d->addSettler();  // the reference held by this promise's reaction list
  d->setAwaitedSource(state_);
  state_->addReaction(d);
  return Promise<U>(d);
}

template <class T>
template <class F>
Promise<T> Promise<T>::finally(F&& on_finally) const {
  static_assert(std::is_invocable_v<std::decay_t<F>&>, "finally(): the handler takes nothing.");
  // As the spec's thenFinally / catchFinally: call f, turn its result into a promise
  // (PromiseResolve), and chain the original outcome behind it.
  auto as_promise = [](auto& f) {
    using R = std::remove_cvref_t<decltype(f())>;
    if constexpr (std::is_void_v<R>) {
      f();
      return Promise<void>::resolve();
    } else if constexpr (internal::IsPromise<R>::value) {
      return f();
    } else if constexpr (std::is_same_v<R, absl::Status> || internal::IsStatusOr<R>::value) {
      R r = f();
      if constexpr (std::is_same_v<R, absl::Status>) {
        if (!r.ok()) throw StatusError(r);
      } else {
        if (!r.ok()) throw StatusError(r.status());
      }
      return Promise<void>::resolve();
    } else {
      (void)f();
      return Promise<void>::resolve();
    }
  };
  using Fn = std::decay_t<F>;
  auto shared = std::forward<F>(on_finally);
  if constexpr (std::is_void_v<T>) {
    return then(
        [shared, as_promise]() mutable { return as_promise(shared).then([] {}); },
        [shared, as_promise](const Error& reason) mutable {
          return as_promise(shared).then([reason] { return internal::Rejected<void>{reason}; });
        });
  } else if constexpr (internal::kCopyable<T>) {
    return then(
        [shared, as_promise](const T& value) mutable {
          return as_promise(shared).then([value]() -> T { return value; });
        },
        [shared, as_promise](const Error& reason) mutable {
          return as_promise(shared).then([reason] { return internal::Rejected<T>{reason}; });
        });
  } else {
    return then(
        [shared, as_promise](T&& value) mutable {
          return as_promise(shared).then(
              [v = std::move(value)]() mutable -> T { return std::move(v); });
        },
        [shared, as_promise](const Error& reason) mutable {
          return as_promise(shared).then([reason] { return internal::Rejected<T>{reason}; });
        });
  }
  (void)sizeof(Fn);
}

}  // namespace vow

#include "vow/promise/internal/coroutine.h"  // IWYU pragma: export
