// How Promise<T>::then reads its handlers: what a handler returns (a value, nothing, a promise
// to adopt, a StatusOr or a Status), which reason a typed catch_ handler takes, and settling a
// state with a handler's outcome. Included by vow/promise/promise.h; users never include this.
#pragma once

#include <concepts>
#include <coroutine>
#include <cstddef>
#include <memory>
#include <optional>
#include <source_location>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "vow/promise/error.h"
#include "vow/promise/internal/async_stack.h"
#include "vow/promise/internal/exceptions.h"
#include "vow/promise/internal/job_queue.h"
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

// --- Widening: the value type of then(f, r) and catch_(r) when the two paths settle different
// types (the rule is documented above Promise<T>::catch_). A is the fulfilled path's value type
// (the chain's T for catch_), B the rejection handler's.

template <class X>
struct IsOptional : std::false_type {};
template <class X>
struct IsOptional<std::optional<X>> : std::true_type {};
template <class X>
struct IsVariant : std::false_type {};
template <class... X>
struct IsVariant<std::variant<X...>> : std::true_type {};

// A type with a null of its own, which `nullptr` converts to: pointers, smart pointers,
// std::function, vow::Error (not std::string, whose `const char*` constructor takes nullptr).
template <class X>
constexpr bool kHasNull = std::is_pointer_v<X> || std::is_member_pointer_v<X> ||
                          (std::is_convertible_v<std::nullptr_t, X> &&
                           std::is_constructible_v<bool, X>);

// JS's undefined and null: nothing returned (void, an OK absl::Status), std::nullopt, and nullptr
// beside a type without a null of its own.
template <class X, class Other>
constexpr bool kIsNothing = std::is_void_v<X> || std::is_same_v<X, std::nullopt_t> ||
                            (std::is_same_v<X, std::nullptr_t> && !kHasNull<Other>);

template <class X>
struct OptionalOf {
  using type = std::optional<X>;
};
template <class X>
struct OptionalOf<std::optional<X>> {
  using type = std::optional<X>;
};

// The alternatives of a variant (a plain type is its own one alternative), and their union.
template <class X>
struct Alternatives {
  using type = std::variant<X>;
};
template <class... X>
struct Alternatives<std::variant<X...>> {
  using type = std::variant<X...>;
};
template <class V, class... X>
struct AppendNew {
  using type = V;
};
template <class... V, class X, class... Rest>
struct AppendNew<std::variant<V...>, X, Rest...>
    : AppendNew<std::conditional_t<(std::is_same_v<V, X> || ...), std::variant<V...>,
                                   std::variant<V..., X>>,
                Rest...> {};
template <class A, class B>
struct VariantUnion;
template <class... A, class... B>
struct VariantUnion<std::variant<A...>, std::variant<B...>> : AppendNew<std::variant<A...>, B...> {
};

template <class X>
constexpr bool kIsNumberOrPointer = std::is_arithmetic_v<X> || std::is_pointer_v<X>;

// A view of memory that some other value owns (a string view, a span, a C string; nullptr
// owns nothing either): a value that is not one never converts to one in the widened type, as
// it would dangle once the source promise or the handler's temporary is gone.
template <class X>
struct IsView : std::bool_constant<std::is_same_v<X, std::nullptr_t>> {};
template <class C, class Tr>
struct IsView<std::basic_string_view<C, Tr>> : std::true_type {};
template <class E, std::size_t N>
struct IsView<std::span<E, N>> : std::true_type {};
template <class C>
struct IsView<C*> : std::bool_constant<std::is_same_v<std::remove_cv_t<C>, char> ||
                                       std::is_same_v<std::remove_cv_t<C>, wchar_t> ||
                                       std::is_same_v<std::remove_cv_t<C>, char8_t> ||
                                       std::is_same_v<std::remove_cv_t<C>, char16_t> ||
                                       std::is_same_v<std::remove_cv_t<C>, char32_t>> {};
// X converts implicitly to Y, and not from a value that owns its memory to a view of it.
template <class X, class Y>
constexpr bool kWidensTo = std::is_convertible_v<X, Y> && (!IsView<Y>::value || IsView<X>::value);

template <class A, class B>
constexpr auto widened() {
  if constexpr (std::is_same_v<A, B>) {
    return std::type_identity<A>{};
  } else if constexpr (kIsNothing<A, B> && kIsNothing<B, A>) {
    return std::type_identity<void>{};
  } else if constexpr (kIsNothing<B, A>) {
    return std::type_identity<typename OptionalOf<A>::type>{};
  } else if constexpr (kIsNothing<A, B>) {
    return std::type_identity<typename OptionalOf<B>::type>{};
  } else if constexpr (IsVariant<A>::value || IsVariant<B>::value) {
    return std::type_identity<typename VariantUnion<typename Alternatives<A>::type,
                                                    typename Alternatives<B>::type>::type>{};
  } else if constexpr ((std::is_same_v<A, bool> && kIsNumberOrPointer<B>) ||
                       (std::is_same_v<B, bool> && kIsNumberOrPointer<A>)) {
    return std::type_identity<std::variant<A, B>>{};  // JS keeps `false` apart from 0
  } else if constexpr (std::is_integral_v<A> && std::is_floating_point_v<B>) {
    return std::type_identity<B>{};
  } else if constexpr (kWidensTo<B, A>) {
    return std::type_identity<A>{};
  } else if constexpr (kWidensTo<A, B>) {
    return std::type_identity<B>{};
  } else {
    return std::type_identity<std::variant<A, B>>{};
  }
}
template <class A, class B>
using Widened = typename decltype(widened<std::remove_cv_t<A>, std::remove_cv_t<B>>())::type;

// A value of one path's type X as the widened type U.
template <class U, class X>
U widenTo(X&& x) {
  using D = std::remove_cvref_t<X>;
  if constexpr (std::is_same_v<D, U>) {
    return std::forward<X>(x);
  } else if constexpr (std::is_same_v<D, std::nullopt_t>) {
    return U(std::nullopt);
  } else if constexpr (std::is_same_v<D, std::nullptr_t> &&
                       !std::is_convertible_v<std::nullptr_t, U>) {
    return U(std::nullopt);
  } else if constexpr (IsVariant<U>::value && IsVariant<D>::value) {
    return std::visit([](auto&& a) -> U { return widenTo<U>(std::forward<decltype(a)>(a)); },
                      std::forward<X>(x));
  } else if constexpr (IsVariant<U>::value) {
    return U(std::in_place_type<D>, std::forward<X>(x));
  } else {
    return static_cast<U>(std::forward<X>(x));
  }
}

// The tag type of AnyPromise's reactions: a source of any value type, never read.
struct AnyValue {};

// How a fulfilled value reaches a handler: by const reference, or by rvalue for a move-only T
// (whose single consumer takes it).
template <class T>
using ValueArg = std::conditional_t<kCopyable<T>, const T&, T&&>;

struct NoHandler {};  // then() without this handler: pass the outcome through

template <class T, class F>
constexpr bool takesValue() {
  if constexpr (std::is_void_v<T> || std::is_same_v<T, AnyValue>) {
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

// Settles `d` (a ThenState<..., U, ...>) with what `fn()` returns: a value, nothing, a promise
// to adopt, a StatusOr or a Status (an error status rejects), or an exception it throws. A result
// of another type than U is widened to U (see Widened).
template <class U, class D, class Fn>
void settleWith(D* d, Fn&& fn) noexcept {
  using R = std::remove_cvref_t<decltype(fn())>;
  // JS's undefined: U is void, or a std::optional (the widening rule makes it one).
  auto resolve_nothing = [d](auto...) {
    if constexpr (std::is_void_v<U>) {
      d->resolveValue();
    } else {
      d->resolveValue(std::nullopt);
    }
  };
  VOW_TRY {
    if constexpr (std::is_void_v<R>) {
      fn();
      resolve_nothing();
    } else if constexpr (IsPromise<R>::value) {
      R p = fn();
      if constexpr (std::is_same_v<typename R::value_type, U>) {
        d->resolveWithState(stateOf(p));
      } else {
        d->adoptWidened(stateOf(p));
      }
    } else if constexpr (IsStatusOr<R>::value) {
      R r = fn();
      if (r.ok()) {
        d->resolveValue(widenTo<U>(*std::move(r)));
      } else {
        d->rejectIfUnlocked(Error(r.status()));
      }
    } else if constexpr (std::is_same_v<R, absl::Status>) {
      absl::Status s = fn();
      if (s.ok()) {
        resolve_nothing();
      } else {
        d->rejectIfUnlocked(Error(std::move(s)));
      }
    } else if constexpr (std::is_same_v<R, Rejected<U>>) {
      d->rejectIfUnlocked(fn().reason);
    } else if constexpr (std::is_same_v<R, U>) {
      d->resolveValue(fn());
    } else if constexpr (std::is_void_v<U>) {
      (void)fn();  // a nothing (std::nullopt) where both paths give nothing
      d->resolveValue();
    } else {
      d->resolveValue(widenTo<U>(fn()));
    }
  }
  VOW_CATCH_ALL { d->rejectIfUnlocked(Error::current()); }
}

// Settles `target` (locked, pending) like the Promise<V> it adopted settled, widening the value
// to the target's type: the second half of adopting a promise of another type than U.
template <class V, class Target>
class WideningAdoptReaction final : public Reaction {
 public:
  explicit WideningAdoptReaction(Target* target) noexcept : target_(target) {}
  StateBase* waiter() noexcept override { return target_; }
  void react(StateBase* source) override {
    target_->setAwaitedSource(nullptr);
    target_->adoptWidenedOutcome(static_cast<State<V>*>(source));
    target_->releaseSettler();
    delete this;
  }
  void drop() override {
    target_->setAwaitedSource(nullptr);
    target_->releaseSettler();
    delete this;
  }

 private:
  Target* target_;  // one settler reference
};

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

// The derived promise of then(): holds both handlers inline, reacts to its source once. T is the
// source's value type (AnyValue: any, never read), U the derived promise's (widened when the two
// paths settle different types).
template <class T, class U, class OnF, class OnR>
class ThenState final : public State<U> {
  static constexpr bool kAnySource = std::is_same_v<T, AnyValue>;
  using Source = std::conditional_t<kAnySource, StateBase, State<T>>;

 public:
  ThenState(OnF&& f, OnR&& r) : handlers_(Handlers{std::move(f), std::move(r)}) {
    this->setAux(true);
  }
  ~ThenState() override {
    destroyHandlers();
    if (thenSitesKept()) [[unlikely]] {
      forgetThenSite(this);
    }
  }

  void react(StateBase* source) override {
    auto* s = static_cast<Source*>(source);
    this->setAwaitedSource(nullptr);  // the source may be freed once this job ends
    if (asyncStackTracesOn()) [[unlikely]] {
      reactTraced(s);
    } else if (s->status() == StateBase::kFulfilled) {
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

  // Async stack traces: the then/catch_/finally call that made this promise (kept only while
  // the switch is on; without it the frame says then or catch_, with no site).
  bool describeAsyncFrame(RawAsyncFrame& f) const noexcept override {
    if (!findThenSite(this, f)) {
      f.kind = std::is_same_v<OnF, NoHandler> ? RawAsyncFrame::kCatch : RawAsyncFrame::kThen;
      f.has_site = false;
    }
    return true;
  }

  // A handler returned a Promise<V> with V other than U: adopt it as resolveWithState does (the
  // same two extra jobs, NewPromiseResolveThenableJob's), widening its value.
  template <class V>
  void adoptWidened(State<V>* other) {
    if (this->isLocked() || !this->isPending()) return;
    this->lock();
    struct Payload {
      Reaction* adopt;
      State<V>* source;
    };
    this->addSettler();
    other->addRef();
    Payload p{withCurrentContext(new WideningAdoptReaction<V, ThenState>(this)), other};
    JobQueue::current().push(
        [](Job& job, bool run) {
          Payload p = job.as<Payload>();
          StateRef keep(p.source);
          p.source->release();
          if (run) {
            if (p.source->isPending() && p.adopt->waiter()->isAwaitedBy(p.source)) {
              p.source->markHandled();
              p.adopt->drop();
            } else {
              p.adopt->waiter()->setAwaitedSource(p.source);
              p.source->addReaction(p.adopt);
            }
          } else {
            p.adopt->drop();
          }
        },
        &p, sizeof(p));
  }
  template <class V>
  void adoptWidenedOutcome(State<V>* source) {
    if (source->status() == StateBase::kRejected) {
      this->rejectNow(source->reason());
    } else if constexpr (std::is_void_v<V>) {
      fulfillNothing();
    } else if constexpr (kCopyable<V>) {
      if (source->onlyHeldBy(1)) {
        fulfillFrom(std::move(source->value()));
      } else {
        fulfillFrom(std::as_const(source->value()));
      }
    } else if (source->takeOnce()) {
      fulfillFrom(std::move(source->value()));
    } else {
      this->rejectNow(Error(TypeError(kValueTakenMessage)));
    }
  }

 private:
  // react() while the switch is on: the handler is the running code while it runs.
  void reactTraced(Source* s) {
    pushRunning(this);
    if (s->status() == StateBase::kFulfilled) {
      onFulfilled(s);
    } else {
      onRejected(s->reason());
    }
    popRunning(this);
  }

  void fulfillNothing() {
    if constexpr (std::is_void_v<U>) {
      this->fulfillNow();
    } else {
      this->fulfillNow(std::nullopt);  // U is a std::optional
    }
  }
  template <class X>
  void fulfillFrom(X&& x) {
    if constexpr (std::is_void_v<U>) {
      this->fulfillNow();  // a nothing (std::nullopt) where both paths give nothing
    } else {
      this->fulfillNow(widenTo<U>(std::forward<X>(x)));
    }
  }

  void onFulfilled(Source* s) {
    if constexpr (std::is_same_v<OnF, NoHandler>) {
      // Pass the value through (catch_ on a fulfilled promise), widened to U.
      if constexpr (kAnySource || std::is_void_v<T>) {
        if constexpr (std::is_void_v<U>) {
          this->resolveValue();
        } else {
          this->resolveValue(std::nullopt);  // U is a std::optional
        }
      } else if constexpr (kCopyable<T>) {
        if constexpr (std::is_same_v<T, U>) {
          this->resolveValue(s->value());
        } else {
          this->resolveValue(widenTo<U>(std::as_const(s->value())));
        }
      } else if (s->takeOnce()) {
        this->resolveValue(widenTo<U>(std::move(s->value())));
      } else {
        this->rejectIfUnlocked(Error(TypeError(kValueTakenMessage)));
      }
    } else if constexpr (kAnySource) {
      settleWith<U>(this, [&]() -> decltype(auto) { return handlers_.get().f(); });
    } else {
      if constexpr (!kCopyable<T> && kTakesValue<T, OnF>) {
        if (!s->takeOnce()) {
          this->rejectIfUnlocked(Error(TypeError(kValueTakenMessage)));
          return;
        }
      }
      settleWith<U>(this,
                    [&]() -> decltype(auto) { return callValueHandler<T>(handlers_.get().f, s); });
    }
  }

  void onRejected(const Error& reason) {
    if constexpr (std::is_same_v<OnR, NoHandler>) {
      this->rejectIfUnlocked(reason);
    } else if constexpr (kTakesError<OnR>) {
      settleWith<U>(this, [&]() -> decltype(auto) { return handlers_.get().r(reason); });
    } else if constexpr (std::is_invocable_v<OnR&>) {
      settleWith<U>(this, [&]() -> decltype(auto) { return handlers_.get().r(); });
    } else {
      if (const auto* e = reason.template as<TypedReason<OnR>>()) {
        settleWith<U>(this, [&]() -> decltype(auto) { return handlers_.get().r(*e); });
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
