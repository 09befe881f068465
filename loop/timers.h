// Node's timers on vow::Loop: setTimeout, setInterval, setImmediate, their clear* functions and
// handles, and the promise forms of timers/promises (vow::timers::promises::setTimeout...).
//
// Delays are milliseconds; as in Node, a delay below 1 (or not a number, or above 2^31-1) is
// 1 ms, fractions are truncated, and timers with equal deadlines fire in the order they were
// set. A timer's start is the clock read at the call (Node reads it per setTimeout call).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "absl/cleanup/cleanup.h"
#include "absl/functional/any_invocable.h"
#include "vow/loop/abort_controller.h"
#include "vow/loop/internal/handle.h"
#include "vow/loop/internal/timer_queue.h"
#include "vow/promise/async_generator.h"
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
  // `SafePromisePrototypeFinally(ret, remove the listener)`, so it settles five microtask turns
  // later than without one (two more than `ret.finally(...)`), as in Node.
  AbortSignalRef signal;
  // Node: options.ref. false: the timer does not keep the loop alive.
  bool ref = true;
};

}  // namespace timers::promises

namespace internal {

// Node's primordials.SafePromisePrototypeFinally(p, onFinally):
//   new Promise((a, b) => new SafePromise((a, b) => p.then(a, b)).finally(onFinally).then(a, b))
// The two hops around the finally cost two microtask turns more than p.finally(onFinally), on
// either outcome.
template <class V, class F>
Promise<V> safePromiseFinally(const Promise<V>& p, F on_finally) {
  auto forward = [](const Promise<V>& from, ResolveFn<V> resolve, RejectFn reject) {
    auto on_rejected = [reject](const Error& reason) { reject(reason); };
    if constexpr (std::is_void_v<V>) {
      from.then([resolve] { resolve(); }, std::move(on_rejected));
    } else if constexpr (kCopyable<V>) {
      from.then([resolve](const V& value) { resolve(value); }, std::move(on_rejected));
    } else {
      from.then([resolve](V&& value) { resolve(std::move(value)); }, std::move(on_rejected));
    }
  };
  auto [safe, resolve_safe, reject_safe] = Promise<V>::withResolvers();
  forward(p, std::move(resolve_safe), std::move(reject_safe));
  auto [outer, resolve_outer, reject_outer] = Promise<V>::withResolvers();
  forward(safe.finally(std::move(on_finally)), std::move(resolve_outer), std::move(reject_outer));
  return outer;
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

// timers/promises setInterval: Node's `async function*`, ported line by line (its `finally`
// is the Cleanup, which also runs if the generator is dropped while paused). The signal is
// taken by value: TimerOptions refers to the caller's, which may be gone by the first next().
//
// Ownership: only the interval's callback holds the shared counters strongly. The frame and
// the abort listener hold them weakly, because they hold the resolve function of the promise
// the frame waits on: held by the frame, it would keep that promise (and so the frame) alive
// forever once the loop that owns the timer is gone.
template <class V>
AsyncGenerator<V> intervalGenerator(double ms, V value, const AbortSignal signal, bool ref) {
  if (signal.aborted()) abortErrorOf(signal).rethrow();
  struct Shared {
    int not_yielded = 0;
    std::optional<ResolveFn<void>> callback;  // resolves the promise the body waits on
    std::optional<ResolveFn<void>> take() { return std::exchange(callback, std::nullopt); }
  };
  auto owned = std::make_shared<Shared>();
  const std::weak_ptr<Shared> shared = owned;
  Timeout interval = ::vow::setInterval(
      [owned = std::move(owned)] {
        owned->not_yielded++;
        if (auto callback = owned->take()) (*callback)();
      },
      ms);
  if (!ref) interval.unref();
  AbortSignal::ListenerId on_cancel = 0;
  if (signal) {
    on_cancel = signal.addEventListener(
        "abort",
        [shared, interval](const AbortEvent& event) {
          auto s = shared.lock();  // before clearInterval frees the timer's reference
          clearInterval(interval);
          // Only when the body waits: a rejected promise made for nobody would be unhandled.
          if (auto callback = s ? s->take() : std::nullopt) {
            (*callback)(Promise<void>::reject(abortErrorOf(event.target)));
          }
        },
        {.once = true});
  }
  absl::Cleanup cleanup = [&] {
    clearInterval(interval);
    if (signal) signal.removeEventListener("abort", on_cancel);
  };
  auto not_yielded = [&shared] {
    auto s = shared.lock();
    return s ? s->not_yielded : 0;
  };
  while (!signal.aborted()) {
    if (not_yielded() == 0) {
      std::optional<Promise<void>> wait;
      if (auto s = shared.lock()) {
        auto [promise, resolve, reject] = Promise<void>::withResolvers();
        s->callback = std::move(resolve);
        wait = std::move(promise);
      }
      if (!wait) co_return;  // the timer is gone with its loop
      co_await *wait;
    }
    while (not_yielded() > 0) {
      co_yield value;
      if (auto s = shared.lock()) s->not_yielded--;
    }
  }
  abortErrorOf(signal).rethrow();
}

}  // namespace internal

namespace timers::promises {

// Phase: timers. A promise fulfilled `ms` ms from now (with `value`, if given).
// Node: require('timers/promises').setTimeout(ms[, value][, {signal, ref}]).
//
//   co_await vow::timers::promises::setTimeout(50, {.signal = controller.signal()});
inline Promise<void> setTimeout(double ms, const TimerOptions& options = {}) {
  return internal::abortableTimer<void>(
      options.signal.get(),
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
      options.signal.get(),
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
      options.signal.get(),
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
      options.signal.get(),
      [&](ResolveFn<V> resolve) {
        Immediate i =
            ::vow::setImmediate([resolve = std::move(resolve),
                                 v = std::forward<T>(value)]() mutable { resolve(std::move(v)); });
        if (!options.ref) i.unref();
        return i;
      },
      [](const Immediate& i) { clearImmediate(i); });
}

// Phase: timers. An async generator yielding `value` every `ms` ms (Node:
// require('timers/promises').setInterval(ms[, value][, {signal, ref}])); without a value it
// yields std::monostate (JS's undefined), as combinators do for void. Ticks the generator was
// not asked for are counted and yielded back to back at the next next(), as in Node. The
// interval is cleared when the generator ends: a return_() (vow::forAwait's close()), an abort
// (the waiting next() rejects with the AbortError), or dropping the generator.
//
//   auto it = vow::forAwait(vow::timers::promises::setInterval(100, std::string("tick")));
//   while (auto v = co_await it.next()) { if (++n == 3) break; }
//   co_await it.close();
template <class T>
requires(!std::is_same_v<std::decay_t<T>, TimerOptions>)
    AsyncGenerator<std::decay_t<T>> setInterval(double ms, T&& value,
                                                const TimerOptions& options = {}) {
  return internal::intervalGenerator<std::decay_t<T>>(ms, std::forward<T>(value),
                                                      options.signal.get(), options.ref);
}
inline AsyncGenerator<std::monostate> setInterval(double ms, const TimerOptions& options = {}) {
  return internal::intervalGenerator<std::monostate>(ms, std::monostate{}, options.signal.get(),
                                                     options.ref);
}

}  // namespace timers::promises

}  // namespace vow
