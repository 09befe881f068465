// promisify, callbackify and the absl::Status adapters: Node's error-first callbacks <-> promises.
//
//   void addLater(int a, int b, std::function<void(vow::Error, int)> cb);
//   auto addP = vow::promisify(addLater);       // JS: util.promisify(addLater)
//   addP(2, 3).then([](int v) { ... });         // Promise<int>
//
// The callback type is read from the function's last parameter (a function pointer,
// std::function or absl::AnyInvocable taking (vow::Error) or (vow::Error, T)). For a callable
// whose callback parameter is a template (`auto cb`), name the value type:
// `vow::promisify<int>(fn)`; the callback it receives accepts (err) and (err, value).
//
// Semantics (Node's util.promisify): a null error resolves with the value, a non-null one
// rejects; only the first call of the callback counts; an exception thrown synchronously by the
// function rejects the promise.
//
// A function with its own promise form (Node: fn[util.promisify.custom] = promiseForm) declares
// it with a member `promisifyCustom()` returning that form, or is wrapped with
// vow::withPromisifyCustom(fn, promiseForm); vow::promisify(fn) then returns the form itself
// (a copy: the form is called untouched, no wrapper, no extra tick). What vow::promisify returns
// declares itself, so promisifying it again gives it back, as Node does.
//
// callbackify delivers the callback the way Node does: through process.nextTick, after the
// microtasks queued so far. The promise layer knows no loop, so the delivery goes through the
// thread's PromiseHost (vow/promise/host.h; a vow::Loop schedules with nextTick); with no host
// (a program without a loop), it falls back to queueMicrotask. Pass a scheduler explicitly with
// callbackify(fn, schedule) to choose.
#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <tuple>
#include <type_traits>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "vow/promise/error.h"
#include "vow/promise/host.h"
#include "vow/promise/internal/exceptions.h"
#include "vow/promise/microtask.h"
#include "vow/promise/promise.h"

namespace vow {

// How callbackify(fn, schedule) delivers its callbacks: `schedule(f)` must run `f` later on this
// thread.
using CallbackScheduler = void (*)(absl::AnyInvocable<void()>);

namespace internal {

// The thread's host schedules (vow::Loop: process.nextTick); without one, queueMicrotask.
inline void scheduleCallback(absl::AnyInvocable<void()> f) {
  if (PromiseHost* host = promiseHost()) {
    host->scheduleCallback(std::move(f));
  } else {
    queueMicrotask(std::move(f));
  }
}

// --- the callback's signature, read from the function's last parameter ------------------------

template <class... A>
struct TypeList {};

template <class Sig>
struct SigArgs;
template <class R, class... A>
struct SigArgs<R(A...)> {
  using type = TypeList<A...>;
};
template <class R, class... A>
struct SigArgs<R(A...) noexcept> {
  using type = TypeList<A...>;
};

// The parameter list of a callback type (function pointer, std::function, AnyInvocable,
// a lambda with one concrete operator()).
template <class C, class = void>
struct CallbackArgs {};
template <class R, class... A>
struct CallbackArgs<R (*)(A...), void> {
  using type = TypeList<A...>;
};
template <class Sig>
struct CallbackArgs<std::function<Sig>, void> : SigArgs<Sig> {};
template <class Sig>
struct CallbackArgs<absl::AnyInvocable<Sig>, void> : SigArgs<Sig> {};

template <class M>
struct MemberSig;
template <class R, class C, class... A>
struct MemberSig<R (C::*)(A...)> {
  using type = TypeList<A...>;
};
template <class R, class C, class... A>
struct MemberSig<R (C::*)(A...) const> {
  using type = TypeList<A...>;
};
template <class R, class C, class... A>
struct MemberSig<R (C::*)(A...) noexcept> {
  using type = TypeList<A...>;
};
template <class R, class C, class... A>
struct MemberSig<R (C::*)(A...) const noexcept> {
  using type = TypeList<A...>;
};

// The parameter list of the function being promisified.
template <class F, class = void>
struct FnArgs {};
template <class R, class... A>
struct FnArgs<R (*)(A...), void> {
  using type = TypeList<A...>;
};
template <class R, class... A>
struct FnArgs<R (*)(A...) noexcept, void> {
  using type = TypeList<A...>;
};
template <class Sig>
struct FnArgs<std::function<Sig>, void> : SigArgs<Sig> {};
template <class F>
struct FnArgs<F, std::void_t<decltype(&F::operator())>> : MemberSig<decltype(&F::operator())> {};

template <class L>
struct Last;
template <class A>
struct Last<TypeList<A>> {
  using type = A;
};
template <class A, class B, class... R>
struct Last<TypeList<A, B, R...>> : Last<TypeList<B, R...>> {};

// (Error) -> void, (Error, T) -> T, (absl::Status) -> void, (absl::StatusOr<T>) -> T.
template <class L>
struct ErrorFirstValue {
  static_assert(sizeof(L) == 0,
                "vow::promisify: the last parameter must be a callback taking (vow::Error) or "
                "(vow::Error, T)");
};
template <class E>
struct ErrorFirstValue<TypeList<E>> {
  using type = void;
};
template <class E, class T>
struct ErrorFirstValue<TypeList<E, T>> {
  using type = std::remove_cvref_t<T>;
};

template <class L>
struct StatusValue {
  static_assert(sizeof(L) == 0,
                "vow::promisifyStatus: the last parameter must be a callback taking "
                "absl::Status or absl::StatusOr<T>");
};
template <class S>
struct StatusValue<TypeList<S>> {
  using Arg = std::remove_cvref_t<S>;
  using type = typename HandlerValue<Arg>::type;  // StatusOr<T> -> T, Status -> void
};

template <class F>
using LastParam = std::remove_cvref_t<typename Last<typename FnArgs<std::decay_t<F>>::type>::type>;

// The callback handed to the promisified function. Copyable (std::function needs that); all
// copies settle the same promise, and only the first call counts.
template <class T>
class SettleCallback {
 public:
  SettleCallback(ResolveFn<T> resolve, RejectFn reject)
      : resolve_(std::move(resolve)), reject_(std::move(reject)) {}

  void operator()(Error err) const {
    if (err) {
      reject_(std::move(err));
    } else if constexpr (std::is_void_v<T>) {
      resolve_();
    } else {
      resolve_(T{});
    }
  }
  template <class V>
  requires(!std::is_void_v<T> && std::is_constructible_v<T, V&&>) void operator()(Error err,
                                                                                  V&& value) const {
    if (err) {
      reject_(std::move(err));
    } else {
      resolve_(T(std::forward<V>(value)));
    }
  }
  void operator()(absl::Status status) const requires std::is_void_v<T> {
    if (!status.ok()) {
      reject_(Error(std::move(status)));
    } else {
      resolve_();
    }
  }
  template <class V>
  requires(!std::is_void_v<T> && std::is_constructible_v<T, V&&>) void operator()(
      absl::StatusOr<V> result) const {
    if (!result.ok()) {
      reject_(Error(std::move(result).status()));
    } else {
      resolve_(T(std::move(*result)));
    }
  }

 private:
  ResolveFn<T> resolve_;
  RejectFn reject_;
};

template <class T, class Fn, class... A>
Promise<T> callSettling(Fn& fn, A&&... args) {
  auto [promise, resolve, reject] = Promise<T>::withResolvers();
  SettleCallback<T> cb(std::move(resolve), reject);
  VOW_TRY { fn(std::forward<A>(args)..., std::move(cb)); }
  VOW_CATCH_ALL { reject(Error::current()); }
  return std::move(promise);
}

template <class Fn, class Tuple, std::size_t... I>
auto callPrefix(Fn& fn, Tuple& t, std::index_sequence<I...>) {
  return fn(std::get<I>(t)...);
}

// A callable with its own promise form (Node: fn[util.promisify.custom]).
template <class F>
concept HasPromisifyCustom = requires(const std::remove_cvref_t<F>& f) {
  f.promisifyCustom();
};

template <class F>
auto customPromiseForm(const F& fn) {
  using Custom = std::decay_t<decltype(fn.promisifyCustom())>;
  static_assert(!IsPromise<Custom>::value,
                "vow::promisify: promisifyCustom() must return the promise form, a callable that "
                "returns a Promise, not a Promise (Node: util.promisify.custom must be a "
                "function)");
  return Custom(fn.promisifyCustom());
}

// What promisify returns: calls fn with the arguments and a callback that settles the promise.
template <class T, class F>
class Promisified {
 public:
  explicit Promisified(F fn) : fn_(std::move(fn)) {}

  template <class... A>
  Promise<T> operator()(A&&... args) {
    return callSettling<T>(fn_, std::forward<A>(args)...);
  }
  template <class... A>
  Promise<T> operator()(A&&... args) const {
    return callSettling<T>(fn_, std::forward<A>(args)...);
  }

  // Node: promisify(promisify(f)) is promisify(f).
  const Promisified& promisifyCustom() const noexcept { return *this; }

 private:
  F fn_;
};

// What withPromisifyCustom returns: the callback form, carrying its promise form.
template <class F, class C>
class WithPromisifyCustom {
 public:
  WithPromisifyCustom(F fn, C custom) : fn_(std::move(fn)), custom_(std::move(custom)) {}

  template <class... A>
  decltype(auto) operator()(A&&... args) {
    return fn_(std::forward<A>(args)...);
  }
  template <class... A>
  decltype(auto) operator()(A&&... args) const {
    return fn_(std::forward<A>(args)...);
  }

  const C& promisifyCustom() const noexcept { return custom_; }

 private:
  F fn_;
  C custom_;
};

}  // namespace internal

// Node: fn[util.promisify.custom] = promiseForm, for a function or lambda that cannot carry a
// member: returns a callable that calls `fn` (the callback form, unchanged) and whose
// promisify is `promise_form`:
//
//   // JS: function sum(a, b, cb) {...}  sum[util.promisify.custom] = (a, b) => ...;
//   const auto sum = vow::withPromisifyCustom(
//       [](int a, int b, std::function<void(vow::Error, int)> cb) { ... },
//       [](int a, int b) { return vow::Promise<int>::resolve(a + b); });
//   sum(1, 2, cb);                       // the callback form
//   vow::promisify(sum)(1, 2);           // the promise form, called as it is
//
// A class of your own declares it with a member instead:
// `auto promisifyCustom() const { return [](int a, int b) { ... }; }`.
template <class F, class C>
auto withPromisifyCustom(F&& fn, C&& promise_form) {
  static_assert(!internal::IsPromise<std::decay_t<C>>::value,
                "vow::withPromisifyCustom: the promise form is a callable that returns a Promise, "
                "not a Promise (Node: util.promisify.custom must be a function)");
  return internal::WithPromisifyCustom<std::decay_t<F>, std::decay_t<C>>(
      std::forward<F>(fn), std::forward<C>(promise_form));
}

// Node: util.promisify(fn). The value type is read from fn's last parameter. A fn with its own
// promise form (promisifyCustom(), see above) gives that form instead.
template <class F>
auto promisify(F&& fn) {
  if constexpr (internal::HasPromisifyCustom<F>) {
    return internal::customPromiseForm(fn);
  } else {
    using Cb = internal::LastParam<F>;
    using T = typename internal::ErrorFirstValue<typename internal::CallbackArgs<Cb>::type>::type;
    return internal::Promisified<T, std::decay_t<F>>(std::forward<F>(fn));
  }
}

// Node: util.promisify(fn), naming the value type (T = void for a callback taking only the
// error). Works with callables whose callback parameter is a template. A fn with its own
// promise form gives that form instead.
template <class T, class F>
requires(!std::is_same_v<T, F>) auto promisify(F&& fn) {
  if constexpr (internal::HasPromisifyCustom<F>) {
    return internal::customPromiseForm(fn);
  } else {
    return internal::Promisified<T, std::decay_t<F>>(std::forward<F>(fn));
  }
}

// promisify for abseil-style callbacks: fn's last parameter takes absl::StatusOr<T> (-> a
// Promise<T>) or absl::Status (-> a Promise<void>); an error status rejects (err.status()
// gives it back).
template <class F>
auto promisifyStatus(F&& fn) {
  using Cb = internal::LastParam<F>;
  using T = typename internal::StatusValue<typename internal::CallbackArgs<Cb>::type>::type;
  return internal::Promisified<T, std::decay_t<F>>(std::forward<F>(fn));
}

// Node: util.callbackify(fn). `fn(args...)` returns a Promise<T>; the result takes
// (args..., callback) and calls callback(nullptr, value) (or callback(nullptr) for void) when the
// promise fulfills, callback(err) (with a default T for the value) when it rejects, always
// through `schedule` (Node: process.nextTick), never synchronously. An exception thrown by fn
// itself reaches the callback the same way.
template <class F>
auto callbackify(F&& fn, CallbackScheduler schedule) {
  return [fn = std::forward<F>(fn), schedule](auto&&... args_and_cb) mutable {
    constexpr std::size_t n = sizeof...(args_and_cb);
    static_assert(n >= 1, "vow::callbackify: the last argument must be the callback");
    auto all = std::forward_as_tuple(std::forward<decltype(args_and_cb)>(args_and_cb)...);
    using Cb = std::decay_t<std::tuple_element_t<n - 1, decltype(all)>>;
    using P = decltype(internal::callPrefix(fn, all, std::make_index_sequence<n - 1>{}));
    static_assert(internal::IsPromise<P>::value, "vow::callbackify: fn must return a Promise");
    using T = typename P::value_type;
    auto cb = std::make_shared<Cb>(std::get<n - 1>(all));
    P promise = [&]() -> P {
      VOW_TRY { return internal::callPrefix(fn, all, std::make_index_sequence<n - 1>{}); }
      VOW_CATCH_ALL { return P::reject(Error::current()); }
    }();
    auto post = [schedule](absl::AnyInvocable<void()> run) {
      if (schedule != nullptr) {
        schedule(std::move(run));
      } else {
        internal::scheduleCallback(std::move(run));
      }
    };
    auto on_rejected = [post, cb](const Error& e) {
      post([cb, e]() {
        if constexpr (std::is_void_v<T> || std::is_invocable_v<Cb&, Error>) {
          (*cb)(e);
        } else {
          (*cb)(e, T{});
        }
      });
    };
    if constexpr (std::is_void_v<T>) {
      promise.then([post, cb]() { post([cb]() { (*cb)(Error()); }); }, on_rejected);
    } else {
      promise.then(
          [post, cb](const T& v) { post([cb, v]() mutable { (*cb)(Error(), std::move(v)); }); },
          on_rejected);
    }
  };
}

// Node: util.callbackify(fn), delivering through the thread's host (nextTick under a loop).
template <class F>
auto callbackify(F&& fn) {
  return callbackify(std::forward<F>(fn), CallbackScheduler{nullptr});
}

// A promise to an absl-style callback: `callback(absl::StatusOr<T>)` (or `callback(absl::Status)`
// for Promise<void>) runs when the promise settles, as a reaction (a microtask). A rejection
// becomes err.status(), so a vow::SystemError maps to its absl code.
template <class T, class F>
void toStatusCallback(const Promise<T>& promise, F&& callback) {
  auto cb = std::make_shared<std::decay_t<F>>(std::forward<F>(callback));
  if constexpr (std::is_void_v<T>) {
    promise.then([cb]() { (*cb)(absl::OkStatus()); }, [cb](const Error& e) { (*cb)(e.status()); });
  } else {
    promise.then([cb](const T& v) { (*cb)(absl::StatusOr<T>(v)); },
                 [cb](const Error& e) { (*cb)(absl::StatusOr<T>(e.status())); });
  }
}

}  // namespace vow
