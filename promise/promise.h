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

namespace internal {

template <class X>
struct IsPromise : std::false_type {};
template <class U>
struct IsPromise<Promise<U>> : std::true_type {};
template <class X>
struct IsStatusOr : std::false_type {};
template <class U>
struct IsStatusOr<absl::StatusOr<U>> : std::true_type {};

// A handler result that rejects the derived promise without throwing (finally's "thrower").
template <class U>
struct Rejected {
  Error reason;
};

// The value type of the promise a handler's result settles: R for a plain value, U for
// Promise<U> (adopted) and absl::StatusOr<U>, void for void and absl::Status.
template <class R>
struct HandlerValue {
  using type = R;
};
template <>
struct HandlerValue<void> {
  using type = void;
};
template <class U>
struct HandlerValue<Promise<U>> {
  using type = U;
};
template <class U>
struct HandlerValue<absl::StatusOr<U>> {
  using type = U;
};
template <>
struct HandlerValue<absl::Status> {
  using type = void;
};
template <class U>
struct HandlerValue<Rejected<U>> {
  using type = U;
};
template <class R>
using HandlerValueT = typename HandlerValue<std::remove_cvref_t<R>>::type;

// How a fulfilled value reaches a handler: by const reference, or by rvalue for a move-only T
// (whose single consumer takes it).
template <class T>
using ValueArg = std::conditional_t<kCopyable<T>, const T&, T&&>;

struct NoHandler {};  // then() without this handler: pass the outcome through

template <class T, class F>
constexpr bool takesValue() {
  if constexpr (std::is_void_v<T>) {
    return false;
  } else {
    return std::is_invocable_v<F&, ValueArg<T>>;
  }
}
template <class T, class F>
constexpr bool kTakesValue = takesValue<T, F>();

template <class T, class F>
constexpr bool kIsValueHandler = kTakesValue<T, F> || std::is_invocable_v<F&>;

template <class T, class F>
decltype(auto) callValueHandler(F& f, State<T>* s) {
  if constexpr (kTakesValue<T, F>) {
    if constexpr (kCopyable<T>) {
      // Only the reaction job holds the state: nobody else can see the value, so a handler
      // taking T by value gets it moved, not copied.
      if constexpr (std::is_invocable_v<F&, T&&> &&
                    std::is_same_v<std::invoke_result_t<F&, T&&>,
                                   std::invoke_result_t<F&, const T&>>) {
        if (s->onlyHeldBy(1)) return f(std::move(s->value()));
      }
      return f(std::as_const(s->value()));
    } else {
      return f(std::move(s->value()));
    }
  } else {
    return f();
  }
}

template <class T, class F>
struct ValueHandlerResult {
  using type = decltype(callValueHandler<T>(std::declval<F&>(), nullptr));
};

// The parameter type of a non-generic callable's operator() (for typed catch_ handlers).
template <class M>
struct FirstParam {
  using type = void;
};
template <class R, class C, class A>
struct FirstParam<R (C::*)(A)> {
  using type = A;
};
template <class R, class C, class A>
struct FirstParam<R (C::*)(A) const> {
  using type = A;
};
template <class R, class C, class A>
struct FirstParam<R (C::*)(A) noexcept> {
  using type = A;
};
template <class R, class C, class A>
struct FirstParam<R (C::*)(A) const noexcept> {
  using type = A;
};
template <class F, class = void>
struct HandlerParam {
  using type = void;
};
template <class F>
struct HandlerParam<F, std::void_t<decltype(&F::operator())>> {
  using type = typename FirstParam<decltype(&F::operator())>::type;
};
template <class R, class A>
struct HandlerParam<R (*)(A), void> {
  using type = A;
};

// onRejected kinds: every reason (takes const Error& or nothing), or one exception type
// (takes const E&; other reasons pass through).
template <class F>
constexpr bool kTakesError = std::is_invocable_v<F&, const Error&>;
template <class F>
using TypedReason = std::remove_cvref_t<typename HandlerParam<std::decay_t<F>>::type>;
template <class F>
constexpr bool kIsTypedErrorHandler =
    !kTakesError<F> && !std::is_invocable_v<F&> && std::is_class_v<TypedReason<F>>;
template <class F>
constexpr bool kIsErrorHandler =
    kTakesError<F> || std::is_invocable_v<F&> || kIsTypedErrorHandler<F>;

template <class F>
struct ErrorHandlerResult {
  static auto call() {
    if constexpr (kTakesError<F>) {
      return std::type_identity<std::invoke_result_t<F&, const Error&>>{};
    } else if constexpr (std::is_invocable_v<F&>) {
      return std::type_identity<std::invoke_result_t<F&>>{};
    } else {
      return std::type_identity<std::invoke_result_t<F&, const TypedReason<F>&>>{};
    }
  }
  using type = typename decltype(call())::type;
};

// Settles `d` with what `fn()` returns: a value, nothing, a promise to adopt, a StatusOr or a
// Status (an error status rejects), or an exception it throws.
template <class U, class Fn>
void settleWith(State<U>* d, Fn&& fn) noexcept {
  using R = std::remove_cvref_t<decltype(fn())>;
  try {
    if constexpr (std::is_void_v<R>) {
      fn();
      d->resolveValue();
    } else if constexpr (IsPromise<R>::value) {
      R p = fn();
      d->resolveWithState(stateOf(p));
    } else if constexpr (IsStatusOr<R>::value) {
      R r = fn();
      if (r.ok()) {
        d->resolveValue(*std::move(r));
      } else {
        d->rejectIfUnlocked(Error(r.status()));
      }
    } else if constexpr (std::is_same_v<R, absl::Status>) {
      absl::Status s = fn();
      if (s.ok()) {
        d->resolveValue();
      } else {
        d->rejectIfUnlocked(Error(std::move(s)));
      }
    } else if constexpr (std::is_same_v<R, Rejected<U>>) {
      d->rejectIfUnlocked(fn().reason);
    } else {
      d->resolveValue(fn());
    }
  } catch (...) {
    d->rejectIfUnlocked(Error::current());
  }
}

// Storage for a then()'s handlers with a manual lifetime, so they are released as soon as they
// ran; capture-less handlers take no space at all.
template <class H, bool kEmpty = std::is_empty_v<H>&& std::is_trivially_destructible_v<H>>
class HandlerSlot {
 public:
  explicit HandlerSlot(H&& h) : h_(std::move(h)) {}
  ~HandlerSlot() {}
  H& get() noexcept { return h_; }
  void destroy() noexcept { h_.~H(); }

 private:
  union {
    H h_;
  };
};
template <class H>
class HandlerSlot<H, true> {
 public:
  explicit HandlerSlot(H&& h) : h_(std::move(h)) {}
  H& get() noexcept { return h_; }
  void destroy() noexcept {}

 private:
  [[no_unique_address]] H h_;
};

// The derived promise of then(): holds both handlers inline, reacts to its source once.
template <class T, class U, class OnF, class OnR>
class ThenState final : public State<U> {
 public:
  ThenState(OnF&& f, OnR&& r) : handlers_(Handlers{std::move(f), std::move(r)}) {
    this->setAux(true);
  }
  ~ThenState() override { destroyHandlers(); }

  void react(StateBase* source) override {
    auto* s = static_cast<State<T>*>(source);
    this->setAwaitedSource(nullptr);  // the source may be freed once this job ends
    if (s->status() == StateBase::kFulfilled) {
      onFulfilled(s);
    } else {
      onRejected(s->reason());
    }
    // Handlers are released as soon as they ran, as JS drops its reaction records.
    destroyHandlers();
    this->releaseSettler();
  }
  void drop() override {
    this->setAwaitedSource(nullptr);
    destroyHandlers();
    this->releaseSettler();
  }

 private:
  void onFulfilled(State<T>* s) {
    if constexpr (std::is_same_v<OnF, NoHandler>) {
      // Pass the value through (catch_ on a fulfilled promise).
      if constexpr (kCopyable<T>) {
        this->resolveValue(s->value());
      } else if (s->takeOnce()) {
        this->resolveValue(std::move(s->value()));
      } else {
        this->rejectIfUnlocked(Error(TypeError(kValueTakenMessage)));
      }
    } else {
      if constexpr (!kCopyable<T> && kTakesValue<T, OnF>) {
        if (!s->takeOnce()) {
          this->rejectIfUnlocked(Error(TypeError(kValueTakenMessage)));
          return;
        }
      }
      settleWith(static_cast<State<U>*>(this),
                 [&]() -> decltype(auto) { return callValueHandler<T>(handlers_.get().f, s); });
    }
  }

  void onRejected(const Error& reason) {
    auto* self = static_cast<State<U>*>(this);
    if constexpr (std::is_same_v<OnR, NoHandler>) {
      this->rejectIfUnlocked(reason);
    } else if constexpr (kTakesError<OnR>) {
      settleWith(self, [&]() -> decltype(auto) { return handlers_.get().r(reason); });
    } else if constexpr (std::is_invocable_v<OnR&>) {
      settleWith(self, [&]() -> decltype(auto) { return handlers_.get().r(); });
    } else {
      if (const auto* e = reason.template as<TypedReason<OnR>>()) {
        settleWith(self, [&]() -> decltype(auto) { return handlers_.get().r(*e); });
      } else {
        this->rejectIfUnlocked(reason);
      }
    }
  }

  void destroyHandlers() noexcept {
    if (this->aux()) {
      this->setAux(false);
      handlers_.destroy();
    }
  }

  struct Handlers {
    [[no_unique_address]] OnF f;
    [[no_unique_address]] OnR r;
  };
  [[no_unique_address]] HandlerSlot<Handlers> handlers_;
};

template <class T>
State<T>* stateOf(const Promise<T>& p) noexcept {
  return p.state_;
}

template <class T>
Promise<T> adoptState(State<T>* s) noexcept {
  return Promise<T>(s);
}

}  // namespace internal

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
