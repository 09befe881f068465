// Node's timers on vow::Loop: setTimeout, setInterval, setImmediate, their clear* functions and
// handles, and the promise forms of timers/promises (vow::timers::promises::setTimeout...).
//
// Delays are milliseconds; as in Node, a delay below 1 (or not a number, or above 2^31-1) is
// 1 ms, fractions are truncated, and timers with equal deadlines fire in the order they were
// set. A timer's start is the clock read at the call (Node reads it per setTimeout call).
#pragma once

#include <chrono>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "vow/loop/abort_controller.h"
#include "vow/loop/internal/handle.h"
#include "vow/loop/internal/timer_queue.h"
#include "vow/promise/promise.h"

namespace vow {

class Loop;

// A setTimeout/setInterval timer (Node's Timeout object). A cheap handle: copies refer to the
// same timer; dropping every handle does not cancel it. Use on the loop's thread only.
class Timeout {
 public:
  Timeout() = default;
  Timeout(const Timeout& o) noexcept : t_(o.t_) {
    if (t_) t_->addRef();
  }
  Timeout(Timeout&& o) noexcept : t_(std::exchange(o.t_, nullptr)) {}
  Timeout& operator=(Timeout o) noexcept {
    std::swap(t_, o.t_);
    return *this;
  }
  ~Timeout() {
    if (t_) t_->release();
  }

  // Node: timeout.ref() / unref(): an unref'd timer does not keep the loop alive.
  Timeout& ref();
  Timeout& unref();
  // Node: timeout.hasRef() (still true after a timer fired, as in Node; false once its loop is
  // destroyed).
  bool hasRef() const noexcept { return t_ != nullptr && t_->flags.refed && t_->loop() != nullptr; }
  // Node: timeout.refresh(): restarts the timer from now with its delay (re-arming it if it
  // already fired; a cleared timer stays cleared).
  Timeout& refresh();
  // Node: timeout.close() (= clearTimeout).
  void close();

  explicit operator bool() const noexcept { return t_ != nullptr; }
  friend bool operator==(const Timeout& a, const Timeout& b) noexcept { return a.t_ == b.t_; }

 private:
  friend Timeout setTimeout(absl::AnyInvocable<void()>, double);
  friend Timeout setInterval(absl::AnyInvocable<void()>, double);
  friend void clearTimeout(const Timeout&);
  explicit Timeout(internal::TimerImpl* t) noexcept : t_(t) { t_->addRef(); }
  internal::TimerImpl* t_ = nullptr;
};

// A setImmediate callback (Node's Immediate object): its loop and an id. Copies refer to the
// same callback; after its loop is destroyed a handle does nothing. Use on the loop's thread only.
class Immediate {
 public:
  Immediate() = default;
  Immediate(const Immediate& o) noexcept
      : link_(o.link_ ? o.link_->addRef() : nullptr), id_(o.id_) {}
  Immediate(Immediate&& o) noexcept
      : link_(std::exchange(o.link_, nullptr)), id_(std::exchange(o.id_, 0)) {}
  Immediate& operator=(Immediate o) noexcept {
    std::swap(link_, o.link_);
    std::swap(id_, o.id_);
    return *this;
  }
  ~Immediate() {
    if (link_) link_->release();
  }

  // Node: immediate.ref() / unref() / hasRef() (false once it ran or was cleared).
  Immediate& ref();
  Immediate& unref();
  bool hasRef() const;
  // Node: clearImmediate(immediate) (handles share ref/unref/hasRef/close, as libuv's do).
  void close();
  explicit operator bool() const noexcept { return link_ != nullptr; }
  friend bool operator==(const Immediate& a, const Immediate& b) noexcept {
    return a.link_ == b.link_ && a.id_ == b.id_;
  }

 private:
  friend Immediate setImmediate(absl::AnyInvocable<void()>);
  friend void clearImmediate(const Immediate&);
  Immediate(internal::LoopLink* link, std::uint64_t id) noexcept : link_(link), id_(id) {}
  Loop* loop() const noexcept;  // null once the loop is destroyed
  internal::LoopLink* link_ = nullptr;
  std::uint64_t id_ = 0;
};

// Phase: timers. Runs `f` once, `ms` milliseconds from now, then a checkpoint.
// Node: setTimeout(f, ms).
Timeout setTimeout(absl::AnyInvocable<void()> f, double ms = 1);
// Phase: timers. Runs `f` every `ms` milliseconds (rescheduled from the start of each run)
// until cleared. Node: setInterval(f, ms).
Timeout setInterval(absl::AnyInvocable<void()> f, double ms = 1);
// Node: clearTimeout(t) / clearInterval(t). Harmless on a fired or cleared timer.
void clearTimeout(const Timeout& t);
inline void clearInterval(const Timeout& t) { clearTimeout(t); }

// Phase: check. Runs `f` after the poll phase of this iteration, or of the next one when called
// from a check-phase callback. Node: setImmediate(f).
Immediate setImmediate(absl::AnyInvocable<void()> f);
// Node: clearImmediate(i).
void clearImmediate(const Immediate& i);

// std::chrono overloads: vow::setTimeout(f, std::chrono::milliseconds(10)).
template <class Rep, class Period>
Timeout setTimeout(absl::AnyInvocable<void()> f, std::chrono::duration<Rep, Period> d) {
  return setTimeout(std::move(f), std::chrono::duration<double, std::milli>(d).count());
}
template <class Rep, class Period>
Timeout setInterval(absl::AnyInvocable<void()> f, std::chrono::duration<Rep, Period> d) {
  return setInterval(std::move(f), std::chrono::duration<double, std::milli>(d).count());
}

// Node's timers/promises: vow::timers::promises::setTimeout(ms[, value][, options]) and
// setImmediate([value][, options]).
namespace timers::promises {

// Node: the options of timers/promises.
struct TimerOptions {
  // Node: options.signal. Already aborted: the promise is rejected at once (AbortError, cause =
  // the reason) and no timer starts. Aborted later: the timer is cleared and the promise
  // rejects from inside abort(). With a signal the promise is Node's
  // `SafePromisePrototypeFinally(ret, remove the listener)`, so it settles four ticks later than
  // without one, as in Node (the outcome of `ret` itself reaches no handler of the user's).
  AbortSignal signal;
  // Node: options.ref. false: the timer does not keep the loop alive.
  bool ref = true;
};

}  // namespace timers::promises

namespace internal {

// Node's SafePromisePrototypeFinally(p, f) (lib/internal/per_context/primordials.js):
//   new Promise((a, b) => new SafePromise((a2, b2) => p.then(a2, b2)).finally(f).then(a, b))
// that is p.finally(f) between two pass-through hops: the outcome arrives two ticks later than
// p.finally(f) passes it on.
template <class V, class F>
Promise<V> safePromiseFinally(const Promise<V>& p, F&& f) {
  auto hop = [](const Promise<V>& q) {
    if constexpr (std::is_void_v<V>) {
      return q.then([] {});
    } else if constexpr (std::is_copy_constructible_v<V>) {
      return q.then([](const V& v) { return v; });
    } else {
      return q.then([](V&& v) { return std::move(v); });
    }
  };
  return hop(hop(p).finally(std::forward<F>(f)));
}

// Node's timers/promises shape: start(resolve) schedules and returns the handle; an abort
// clears it (clear(handle)) and rejects with the AbortError.
template <class V, class Start, class Clear>
Promise<V> abortableTimer(const AbortSignal& signal, Start start, Clear clear) {
  if (signal.aborted()) return Promise<V>::reject(abortErrorOf(signal));
  auto [ret, resolve, reject] = Promise<V>::withResolvers();
  auto handle = start(std::move(resolve));
  if (!signal) return ret;
  const AbortSignal::ListenerId id = signal.addEventListener(
      "abort", [handle, reject = std::move(reject), clear](const AbortEvent& event) {
        clear(handle);
        reject(abortErrorOf(event.target));
      });
  return safePromiseFinally(
      ret, [registration = AbortRegistration(signal, id)]() mutable { registration.remove(); });
}

}  // namespace internal

namespace timers::promises {

// Phase: timers. A promise fulfilled `ms` ms from now (with `value`, if given).
// Node: require('timers/promises').setTimeout(ms[, value][, {signal, ref}]).
//
//   co_await vow::timers::promises::setTimeout(50, {.signal = controller.signal()});
inline Promise<void> setTimeout(double ms, const TimerOptions& options = {}) {
  return internal::abortableTimer<void>(
      options.signal,
      [&](ResolveFn<void> resolve) {
        Timeout t = ::vow::setTimeout([resolve = std::move(resolve)] { resolve(); }, ms);
        if (!options.ref) t.unref();
        return t;
      },
      [](const Timeout& t) { clearTimeout(t); });
}
template <class T>
requires(!std::is_same_v<std::decay_t<T>, TimerOptions>) Promise<std::decay_t<T>> setTimeout(
    double ms, T&& value, const TimerOptions& options = {}) {
  using V = std::decay_t<T>;
  return internal::abortableTimer<V>(
      options.signal,
      [&](ResolveFn<V> resolve) {
        Timeout t =
            ::vow::setTimeout([resolve = std::move(resolve),
                               v = std::forward<T>(value)]() mutable { resolve(std::move(v)); },
                              ms);
        if (!options.ref) t.unref();
        return t;
      },
      [](const Timeout& t) { clearTimeout(t); });
}

// Phase: check. A promise fulfilled in the check phase (with `value`, if given).
// Node: require('timers/promises').setImmediate([value][, {signal, ref}]).
inline Promise<void> setImmediate(const TimerOptions& options = {}) {
  return internal::abortableTimer<void>(
      options.signal,
      [&](ResolveFn<void> resolve) {
        Immediate i = ::vow::setImmediate([resolve = std::move(resolve)] { resolve(); });
        if (!options.ref) i.unref();
        return i;
      },
      [](const Immediate& i) { clearImmediate(i); });
}
template <class T>
requires(!std::is_same_v<std::decay_t<T>, TimerOptions>) Promise<std::decay_t<T>> setImmediate(
    T&& value, const TimerOptions& options = {}) {
  using V = std::decay_t<T>;
  return internal::abortableTimer<V>(
      options.signal,
      [&](ResolveFn<V> resolve) {
        Immediate i =
            ::vow::setImmediate([resolve = std::move(resolve),
                                 v = std::forward<T>(value)]() mutable { resolve(std::move(v)); });
        if (!options.ref) i.unref();
        return i;
      },
      [](const Immediate& i) { clearImmediate(i); });
}

}  // namespace timers::promises

}  // namespace vow
