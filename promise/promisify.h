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
  try {
    fn(std::forward<A>(args)..., std::move(cb));
  } catch (...) {
    reject(Error::current());
  }
  return std::move(promise);
}

template <class Fn, class Tuple, std::size_t... I>
auto callPrefix(Fn& fn, Tuple& t, std::index_sequence<I...>) {
  return fn(std::get<I>(t)...);
}

}  // namespace internal

// Node: util.promisify(fn). The value type is read from fn's last parameter.
template <class F>
auto promisify(F&& fn) {
  using Cb = internal::LastParam<F>;
  using T = typename internal::ErrorFirstValue<typename internal::CallbackArgs<Cb>::type>::type;
  return [fn = std::forward<F>(fn)](auto&&... args) mutable -> Promise<T> {
    return internal::callSettling<T>(fn, std::forward<decltype(args)>(args)...);
  };
}

// Node: util.promisify(fn), naming the value type (T = void for a callback taking only the
// error). Works with callables whose callback parameter is a template.
template <class T, class F>
requires(!std::is_same_v<T, F>) auto promisify(F&& fn) {
  return [fn = std::forward<F>(fn)](auto&&... args) mutable -> Promise<T> {
    return internal::callSettling<T>(fn, std::forward<decltype(args)>(args)...);
  };
}

// promisify for abseil-style callbacks: fn's last parameter takes absl::StatusOr<T> (-> a
// Promise<T>) or absl::Status (-> a Promise<void>); an error status rejects (err.status()
// gives it back).
template <class F>
auto promisifyStatus(F&& fn) {
  using Cb = internal::LastParam<F>;
  using T = typename internal::StatusValue<typename internal::CallbackArgs<Cb>::type>::type;
  return [fn = std::forward<F>(fn)](auto&&... args) mutable -> Promise<T> {
    return internal::callSettling<T>(fn, std::forward<decltype(args)>(args)...);
  };
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
      try {
        return internal::callPrefix(fn, all, std::make_index_sequence<n - 1>{});
      } catch (...) {
        return P::reject(Error::current());
      }
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
