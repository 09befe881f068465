// vow::AbortController and vow::AbortSignal: Node's cancellation model.
//
//   vow::AbortController controller;
//   vow::timers::promises::setTimeout(1000, {.signal = controller.signal()})
//       .catch_([](const vow::AbortError& e) { std::puts(e.message().c_str()); });
//   controller.abort();  // the timer is cleared; the promise rejects with an AbortError
//
// An operation given `{.signal = s}` (Node's `{ signal }`) rejects without starting when `s` is
// already aborted, and otherwise with an AbortError (cause = the signal's reason) when `s` is
// aborted before it finishes; aborting after it settled does nothing. README's porting table
// lists the functions that take a signal.
//
// Like Node's, abort() is synchronous: it sets aborted()/reason(), then calls the 'abort'
// listeners in the order they were added, then aborts the signals AbortSignal::any() made from
// this one. A listener that throws does not stop the others: its exception is thrown from a
// nextTick callback (it leaves run() as an uncaught exception), as Node's EventTarget does.
//
// Not thread-safe: a signal belongs to the thread of the loop it was made on.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "vow/promise/error.h"
#include "vow/promise/internal/exceptions.h"
#include "vow/promise/promise.h"

namespace vow {

namespace internal {
class AbortState;
class AbortRegistration;
}  // namespace internal

class AbortSignal;

// Node: the options object of addEventListener.
struct AddEventListenerOptions {
  bool once = false;  // removed just before its first run
};

// The event an 'abort' listener may take: Node's Event (type "abort", target the signal).
struct AbortEvent {
  const AbortSignal& target;
  static constexpr std::string_view type() { return "abort"; }
};

// A signal: shared, cheap to copy (copies are the same signal, as JS references are; const
// applies to the handle, as to a JS `const signal`). An empty AbortSignal (default-constructed)
// is "no signal", as `options.signal` being undefined.
class AbortSignal {
 public:
  using ListenerId = std::uint64_t;

  AbortSignal() = default;
  explicit operator bool() const noexcept { return state_ != nullptr; }

  // Node: signal.aborted, signal.reason (empty while not aborted).
  bool aborted() const noexcept;
  const Error& reason() const noexcept;
  // Node: signal.throwIfAborted(): throws the reason (as itself) when aborted.
  void throwIfAborted() const;

  // Node: signal.addEventListener('abort', listener[, {once}]). The listener takes nothing or a
  // `const vow::AbortEvent&`; it runs synchronously inside abort(). Listeners added after the
  // signal aborted never run. A type other than "abort" is accepted and never dispatched, as
  // in Node (nothing else is emitted). Returns an id for removeEventListener (lambdas have no
  // identity to compare). More than 10 listeners emit one MaxListenersExceededWarning.
  template <class F>
  ListenerId addEventListener(std::string_view type, F&& listener,
                              AddEventListenerOptions options = {}) const;
  // Node: signal.removeEventListener('abort', listener). False if no such listener.
  bool removeEventListener(std::string_view type, ListenerId id) const;
  // Node: signal.onabort = handler (nullptr clears it). The handler keeps the place in the
  // listener order it got when first set, as Node's event handler attributes do.
  void onabort(absl::AnyInvocable<void(const AbortEvent&)> handler) const;
  template <class F>
  requires std::is_invocable_v<F&> &&
      (!std::is_invocable_v<F&, const AbortEvent&>)void onabort(F handler) const {
    onabort(absl::AnyInvocable<void(const AbortEvent&)>(
        [f = std::move(handler)](const AbortEvent&) mutable { f(); }));
  }
  // Node: events.setMaxListeners(n, signal). 0 means no limit.
  const AbortSignal& setMaxListeners(int n) const;

  // Node: AbortSignal.abort([reason]): a signal already aborted (default reason: DOMException
  // AbortError "This operation was aborted").
  static AbortSignal abort(Error reason = {});
  // Node: AbortSignal.timeout(ms): aborted with DOMException TimeoutError "The operation was
  // aborted due to timeout" after `ms` (phase: timers). Its timer never keeps the loop alive,
  // and is cleared once nothing can observe the signal any more. `ms` must be an integer in
  // [0, 2^32-1] (RangeError ERR_OUT_OF_RANGE otherwise, with Node's message).
  static AbortSignal timeout(double ms);
  // Node: AbortSignal.any(signals): aborted when the first of them is (with its reason); already
  // aborted (without an event) if one of them is. Holds the others weakly, as Node.
  static AbortSignal any(const std::vector<AbortSignal>& signals);

  friend bool operator==(const AbortSignal& a, const AbortSignal& b) noexcept {
    return a.state_ == b.state_;
  }

 private:
  friend class AbortController;
  friend class internal::AbortState;
  friend class internal::AbortRegistration;
  explicit AbortSignal(std::shared_ptr<internal::AbortState> state) noexcept
      : state_(std::move(state)) {}
  ListenerId add(std::string_view type, absl::AnyInvocable<void(const AbortEvent&)> listener,
                 bool once) const;

  std::shared_ptr<internal::AbortState> state_;
};

// Node: new AbortController(). Its signal lives as long as the controller or any copy of it.
class AbortController {
 public:
  AbortController();

  // Node: controller.signal.
  const AbortSignal& signal() const noexcept { return signal_; }
  // Node: controller.abort([reason]): aborts the signal (no effect the second time). Without a
  // reason: DOMException AbortError "This operation was aborted". A reason of another type than
  // an exception is thrown as a value (vow::Error(std::make_exception_ptr(v))), as JS aborts
  // with any value: controller.abort(std::string("why")).
  void abort(Error reason = {});
  template <class T>
  requires(!std::is_convertible_v<T, Error>) void abort(T&& value) {
#if VOW_HAS_EXCEPTIONS
    abort(Error(std::make_exception_ptr(std::forward<T>(value))));
#else
    static_assert(internal::AlwaysFalse<T>::value,
                  "Without exceptions, abort() takes a vow::Error: an exception object or an "
                  "absl::Status, not a plain value.");
#endif
  }

 private:
  AbortSignal signal_;
};

// The `signal` member of an options struct (Node's `{ signal }`): refers to an AbortSignal, which
// the call copies (so `{.signal = vow::AbortSignal::timeout(100)}` is fine in a call, and a
// controller's signal() fine anywhere). It does not own the signal: an options object kept after
// the call must refer to a signal that is still alive. Why not an AbortSignal: options structs
// stay trivially destructible, because GCC 12 destroys a braced aggregate temporary inside a
// `co_await` expression twice (`co_await setTimeout(10, {.signal = s})` would free `s` twice).
class AbortSignalRef {
 public:
  AbortSignalRef() = default;
  AbortSignalRef(const AbortSignal& signal) noexcept  // NOLINT(google-explicit-constructor)
      : signal_(&signal) {}
  // The signal, or an empty one.
  const AbortSignal& get() const noexcept;
  explicit operator bool() const noexcept { return signal_ != nullptr && bool(*signal_); }

 private:
  const AbortSignal* signal_ = nullptr;
};

// Node: util.aborted(signal, resource): a promise fulfilled when `signal` aborts (already aborted:
// fulfilled at once; as Node's async function, two ticks after that). An empty signal rejects
// with TypeError ERR_INVALID_ARG_TYPE. The way to wait for cancellation in a coroutine, or to
// race a promise that takes no signal against one:
//
//   co_await vow::aborted(signal);   // JS: await aborted(signal, this)
Promise<void> aborted(const AbortSignal& signal);

// What addAbortListener returns: Node's Disposable. Destroying it (or dispose()) removes the
// listener, as `using d = addAbortListener(...)` does in JS; release() keeps the listener for the
// signal's life, as JS code that drops the Disposable does.
class [[nodiscard]] AbortListener {
 public:
  AbortListener() = default;
  AbortListener(AbortListener&& o) noexcept
      : signal_(std::move(o.signal_)), id_(std::exchange(o.id_, 0)) {}
  AbortListener& operator=(AbortListener&& o) noexcept {
    dispose();
    signal_ = std::move(o.signal_);
    id_ = std::exchange(o.id_, 0);
    return *this;
  }
  ~AbortListener() { dispose(); }
  // Node: disposable[Symbol.dispose]().
  void dispose() {
    if (id_ != 0) signal_.removeEventListener("abort", id_);
    id_ = 0;
  }
  void release() noexcept { id_ = 0; }

 private:
  friend AbortListener addAbortListener(const AbortSignal&,
                                        absl::AnyInvocable<void(const AbortEvent&)>);
  AbortListener(AbortSignal signal, AbortSignal::ListenerId id)
      : signal_(std::move(signal)), id_(id) {}
  AbortSignal signal_;
  AbortSignal::ListenerId id_ = 0;
};

// Node: events.addAbortListener(signal, listener): a once 'abort' listener; on a signal already
// aborted, `listener` runs as a microtask instead. The way library code should listen to a
// signal it was given.
//
//   vow::AbortListener guard = vow::addAbortListener(signal, [&] { cancelMyWork(); });
AbortListener addAbortListener(const AbortSignal& signal,
                               absl::AnyInvocable<void(const AbortEvent&)> listener);
template <class F>
requires std::is_invocable_v<F&> &&(!std::is_invocable_v<F&, const AbortEvent&>)AbortListener
    addAbortListener(const AbortSignal& signal, F listener) {
  return addAbortListener(signal,
                          absl::AnyInvocable<void(const AbortEvent&)>(
                              [f = std::move(listener)](const AbortEvent&) mutable { f(); }));
}

// ---------------------------------------------------------------------------------------------
// Implementation details.

namespace internal {

// Node: new AbortError(undefined, { cause: signal.reason }).
inline Error abortErrorOf(const AbortSignal& signal) {
  return AbortError("The operation was aborted", signal.reason());
}

// An operation's 'abort' listener, as the operation's promise chain holds it: the signal weakly
// (the listener's captures reach the operation's promise, which must not hold the signal in
// turn, or neither would be freed if the operation never ends).
class AbortRegistration {
 public:
  AbortRegistration() = default;
  AbortRegistration(const AbortSignal& signal, AbortSignal::ListenerId id)
      : state_(signal.state_), id_(id) {}
  // Node: signal.removeEventListener('abort', listener).
  void remove() {
    if (auto state = state_.lock()) AbortSignal(std::move(state)).removeEventListener("abort", id_);
    state_.reset();
  }

 private:
  std::weak_ptr<AbortState> state_;
  AbortSignal::ListenerId id_ = 0;
};

}  // namespace internal

template <class F>
AbortSignal::ListenerId AbortSignal::addEventListener(std::string_view type, F&& listener,
                                                      AddEventListenerOptions options) const {
  using Fn = std::decay_t<F>;
  if constexpr (std::is_invocable_v<Fn&, const AbortEvent&>) {
    return add(type, absl::AnyInvocable<void(const AbortEvent&)>(std::forward<F>(listener)),
               options.once);
  } else {
    static_assert(std::is_invocable_v<Fn&>,
                  "AbortSignal::addEventListener: the listener takes nothing or a "
                  "const vow::AbortEvent&");
    return add(type,
               absl::AnyInvocable<void(const AbortEvent&)>(
                   [f = std::forward<F>(listener)](const AbortEvent&) mutable { f(); }),
               options.once);
  }
}

}  // namespace vow
