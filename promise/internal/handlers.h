// How Promise<T>::then reads its handlers: what a handler returns (a value, nothing, a promise
// to adopt, a StatusOr or a Status), which reason a typed catch_ handler takes, and settling a
// state with a handler's outcome. Included by vow/promise/promise.h; users never include this.
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

namespace vow {

template <class T>
class Promise;

namespace internal {
template <class T>
State<T>* stateOf(const Promise<T>& p) noexcept;
}  // namespace internal

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

}  // namespace vow
