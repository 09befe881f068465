// Coroutine support: Promise<T> as the return type of a C++20 coroutine, with JavaScript's
// async-function semantics. Included by promise.h; users never include it.
#pragma once

#include <concepts>
#include <coroutine>
#include <source_location>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "vow/promise/internal/async_stack.h"
#include "vow/promise/internal/exceptions.h"
#include "vow/promise/internal/pool.h"
#include "vow/promise/internal/stack.h"
#include "vow/promise/promise.h"

namespace vow::internal {

template <class T>
struct AlwaysFalse : std::false_type {};

// Set while a suspended coroutine frame is destroyed because what it awaited can never settle
// (JS would leave it suspended until garbage-collected): destructors that would otherwise start
// async cleanup (vow::ForAwait's implicit return()) look at it and do nothing, as in JS.
inline thread_local int t_dropping_frames = 0;
struct DropGuard {
  DropGuard() noexcept { ++t_dropping_frames; }
  ~DropGuard() { --t_dropping_frames; }
  DropGuard(const DropGuard&) = delete;
  DropGuard& operator=(const DropGuard&) = delete;
};
inline bool droppingFrame() noexcept { return t_dropping_frames > 0; }

// Something vow lets a coroutine co_await that is not a Promise (vow::forAwait's next() and
// close()): it derives from DirectAwaitable and has
//   template <class Make> auto awaiter(Make make) &&;
// where make(Promise<U>) returns the awaiting coroutine's own awaiter for a promise. So the
// awaitable decides what to wait on (or not to wait at all), and the coroutine how.
struct DirectAwaitable {};
template <class A>
concept IsDirectAwaitable = std::derived_from<std::remove_cvref_t<A>, DirectAwaitable>;

template <class T>
class CoroPromise;

// The result state of a coroutine. While the coroutine waits on a promise, this state sits in
// that promise's reaction list and owns the suspended frame: reacting resumes it; dropping
// (nothing can settle the awaited promise any more) destroys it.
template <class T>
class CoroState final : public State<T> {
 public:
  void react(StateBase* source) override {
    this->setAwaitedSource(nullptr);
#if !VOW_HAS_EXCEPTIONS
    // Without exceptions `co_await p` cannot throw p's reason into the body: it leaves the
    // body as the uncaught exception would, rejecting this coroutine with it (destructors run;
    // nothing after the co_await does). vow::settle(p) awaits without this.
    const bool settling = this->aux();
    this->setAux(false);
    if (!settling && source != nullptr && source->status() == StateBase::kRejected) {
      this->rejectIfUnlocked(source->reason());
      frame_.destroy();
      return;
    }
#endif
    if (asyncStackTracesOn()) [[unlikely]] {  // popped when it suspends or ends
      pushRunning(this);
    }
    frame_.resume();
  }
  void drop() override {
    this->setAwaitedSource(nullptr);
    DropGuard guard;
    frame_.destroy();
  }
  bool describeAsyncFrame(RawAsyncFrame& f) const noexcept override {
    f.kind = RawAsyncFrame::kCoroutine;
    // The co_await it waits at is kept in the frame; a coroutine that has ended has none.
    const std::source_location at =
        frame_ ? std::coroutine_handle<CoroPromise<T>>::from_address(frame_.address())
                     .promise()
                     .suspended_at_
               : std::source_location();
    f.function = at;  // its function_name() names the coroutine too
    f.has_site = at.line() != 0;
    f.site = at;
    return true;
  }

  // The co_await in progress is a vow::settle(p): a rejection resumes the body too. (The flag is
  // StateBase's aux bit: with the co_await's location kept in the frame, where it fits GCC's
  // frame padding, the state is 48 bytes, one pool size class below where it was.)
  void markSettling() noexcept { this->setAux(true); }

  std::coroutine_handle<> frame_;
};

// What `co_await p` gives once p settled: its value (moved out when only the awaiter and the
// resuming job hold it), or its reason thrown.
template <class U>
U takeAwaited(State<U>* s) {
  if (s->status() == StateBase::kRejected) s->reason().rethrow();
  if constexpr (std::is_void_v<U>) {
    return;
  } else if constexpr (kCopyable<U>) {
    // Held only by the awaiter and the job resuming it: move the value out.
    if (s->onlyHeldBy(2)) return std::move(s->value());
    return s->value();
  } else {
    if (!s->takeOnce()) VOW_THROW(TypeError(kValueTakenMessage));
    return std::move(s->value());
  }
}

// What `co_await vow::settle(p)` gives: the value or the reason as a status.
template <class U>
using SettleResult = std::conditional_t<std::is_void_v<U>, absl::Status, absl::StatusOr<U>>;

// `co_await vow::settle(p)`: the coroutine's own awaiter for p (same ticks as `co_await p`),
// except that a rejection is returned as a status rather than thrown.
// Trivially destructible (GCC 12 destroys some temporaries of a co_await expression twice):
// it holds one reference to the state, which await_transform adopts.
template <class U>
struct Settle {
  State<U>* state;
};

template <class U, class Inner>
class SettleAwaiter {
 public:
  SettleAwaiter(State<U>* awaited, Inner inner) noexcept
      : awaited_(awaited), inner_(std::move(inner)) {}
  bool await_ready() noexcept { return inner_.await_ready(); }
  void await_suspend(std::coroutine_handle<> h) { inner_.await_suspend(h); }
  SettleResult<U> await_resume() {
    if (awaited_->status() == StateBase::kRejected) return awaited_->reason().status();
    if constexpr (std::is_void_v<U>) {
      inner_.await_resume();
      return absl::OkStatus();
    } else {
      return inner_.await_resume();
    }
  }

 private:
  State<U>* awaited_;  // kept alive by inner_'s promise
  Inner inner_;
};

// `co_await internal::Raise{e}` in vow's own coroutines and generator bodies built without
// exceptions: ends the body at once as that exception uncaught would (the coroutine rejects
// with e, a generator body ends with e). With exceptions, write `e.rethrow()` instead: there is
// no co_await form. GCC 12 freed the exception of a throw from such an await_resume while it
// was still in flight (fs::Dir's entries() crashed after an early exit, depending on the
// heap's layout: fs/dir_test.cc, LeavingTheLoopEarlyIsSafeWhateverTheHeapLayout).
struct Raise {
  Error error;
};

// Suspends the coroutine whose state is `waiter` until `s` settles.
inline void awaitState(StateBase* s, Reaction* waiter) {
  // Awaiting a promise that waits on this coroutine's own result can never resume (JS leaves
  // the cycle to its GC): the frame is released as for a promise nobody can settle.
  // Either way this coroutine may be destroyed at once: touch nothing of the awaiter afterwards.
  if (asyncStackTracesOn()) [[unlikely]] {
    popRunning(waiter->waiter());
  }
  if (s->isPending() && waiter->waiter()->isAwaitedBy(s)) {
    s->markHandled();
    waiter->drop();
    return;
  }
  waiter->waiter()->setAwaitedSource(s);
  s->addReaction(waiter);
}

// The awaiter for a promise, given the awaiting coroutine's state (vow::settle, and the
// awaitables that wrap it in an awaiter of their own).
template <class U>
class PromiseAwaiter {
 public:
  PromiseAwaiter(Promise<U> awaited, Reaction* waiter) noexcept
      : awaited_(std::move(awaited)), waiter_(waiter) {}

  // Always suspends, even on a settled promise: `await` resumes one microtask later.
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) { awaitState(stateOf(awaited_), waiter_); }
  U await_resume() { return takeAwaited(stateOf(awaited_)); }

 private:
  Promise<U> awaited_;
  Reaction* waiter_;
};

// `co_await p` itself: the same, finding the coroutine's state through the handle instead of
// keeping a pointer to it. The awaiter lives in the frame while the coroutine is suspended, so
// this is 8 bytes less per suspended coroutine (async_recursion_1m's frame went from 88 to 80
// bytes, one pool size class down).
template <class U>
class CoroAwaiter {
 public:
  explicit CoroAwaiter(Promise<U> awaited) noexcept : awaited_(std::move(awaited)) {}

  // Always suspends, even on a settled promise: `await` resumes one microtask later.
  bool await_ready() const noexcept { return false; }
  template <class P>
  void await_suspend(std::coroutine_handle<P> h) {
    awaitState(stateOf(awaited_), h.promise().waiterState());
  }
  U await_resume() { return takeAwaited(stateOf(awaited_)); }

 private:
  Promise<U> awaited_;
};

template <class T>
class CoroPromiseBase {
 public:
  explicit CoroPromiseBase(std::source_location made) : state_(new CoroState<T>()) {
    // The state's first reference goes to the Promise get_return_object() makes; the frame
    // holds a settler reference until it ends.
    state_->addSettler();
    // The body runs eagerly from here on: it is the running code until it first suspends.
    if (asyncStackTracesOn()) [[unlikely]] {
      pushRunning(state_, made);
    }
  }
  ~CoroPromiseBase() {
    state_->frame_ = nullptr;  // the state may outlive the frame (and its suspended_at_)
    state_->releaseSettler();
  }

  // The frame comes from this thread's pool when it is small (promise/internal/pool.h): a deep
  // recursion keeps one frame per level, with no malloc header each.
  static void* operator new(std::size_t size) { return poolAllocate(size); }
  static void operator delete(void* p, std::size_t size) noexcept { poolFree(p, size); }

  // Eager, like an async function: the body runs synchronously up to its first co_await (on a
  // fresh stack segment when this stack runs low, so deep recursion cannot overflow).
  EagerStart initial_suspend() const noexcept { return {}; }
  // The frame frees itself when the body ends; the result lives in the state.
  std::suspend_never final_suspend() const noexcept {
    if (asyncStackTracesOn()) [[unlikely]] {
      popRunning(state_);
    }
    return {};
  }

  void unhandled_exception() noexcept { state_->rejectIfUnlocked(Error::current()); }

  // `where`: the co_await expression (GCC 12 reports its file and line for this implicit call).
  template <class U>
  CoroAwaiter<U> await_transform(
      Promise<U> awaited, std::source_location where = std::source_location::current()) noexcept {
    suspended_at_ = where;
    return CoroAwaiter<U>(std::move(awaited));
  }
  template <class A>
  requires IsDirectAwaitable<A>
  auto await_transform(A&& awaitable,
                       std::source_location where = std::source_location::current()) {
    suspended_at_ = where;
    return std::forward<A>(awaitable).awaiter(
        [this]<class U>(Promise<U> p) { return PromiseAwaiter<U>(std::move(p), state_); });
  }
#if VOW_HAS_EXCEPTIONS
  void await_transform(Raise) = delete;  // write error.rethrow() (see Raise)
#else
  auto await_transform(Raise r) noexcept {
    struct Awaiter {
      Error error;
      CoroState<T>* state;
      bool await_ready() const noexcept { return false; }
      void await_suspend(std::coroutine_handle<> h) {
        state->rejectIfUnlocked(std::move(error));
        h.destroy();  // touch nothing of `this` afterwards
      }
      void await_resume() const noexcept {}
    };
    return Awaiter{std::move(r.error), state_};
  }
#endif
  template <class U>
  SettleAwaiter<U, PromiseAwaiter<U>> await_transform(Settle<U> settle) noexcept {
    state_->markSettling();
    return {settle.state, PromiseAwaiter<U>(adoptState(settle.state), state_)};
  }
  template <class X>
  requires(!IsDirectAwaitable<X>) void await_transform(X&&) {
    static_assert(AlwaysFalse<X>::value,
                  "co_await in a vow::Promise coroutine takes a vow::Promise<U>. To await a "
                  "plain value as JS's `await 42` does, write "
                  "co_await vow::Promise<int>::resolve(42).");
  }

 protected:
  CoroState<T>* state_;

 public:
  Reaction* waiterState() const noexcept { return state_; }

  // Async stack traces: the co_await the coroutine waits at (or last passed). Stored whether or
  // not the switch is on: a store of a constant, cheaper than testing it.
  std::source_location suspended_at_;
};

template <class T>
class CoroPromise : public CoroPromiseBase<T> {
 public:
  // GCC evaluates the default argument of this implicit call for the coroutine: `made` names
  // it (and points at its closing brace), for async stack traces.
  explicit CoroPromise(std::source_location made = std::source_location::current())
      : CoroPromiseBase<T>(made) {}
  Promise<T> get_return_object() {
    this->state_->frame_ = std::coroutine_handle<CoroPromise>::from_promise(*this);
    return Promise<T>(this->state_);
  }

  // co_return v: fulfils at once (JS: `return v` in an async function).
  template <class V = T>
  requires std::is_constructible_v<T, V&&>
  void return_value(V&& value) { this->state_->resolveValue(std::forward<V>(value)); }
  // co_return p: adopts p with JS's cost for `return p` in an async function (two extra
  // microtasks, as NewPromiseResolveThenableJob).
  void return_value(const Promise<T>& p) { this->state_->resolveWithState(stateOf(p)); }
  // Anything else is a mistake; say so in a sentence rather than in overload-resolution noise.
  template <class V>
  requires(!std::is_constructible_v<T, V&&> && !std::is_convertible_v<V&&, const Promise<T>&> &&
           !std::is_convertible_v<V&&, absl::StatusOr<T>>) void return_value(V&&) {
    static_assert(AlwaysFalse<V>::value,
                  "co_return in a coroutine returning vow::Promise<T> takes a T, a Promise<T> "
                  "(adopted) or an absl::StatusOr<T>; this value converts to none of them.");
  }
  // co_return status_or: an error status rejects.
  void return_value(absl::StatusOr<T> r) requires(
      !std::is_constructible_v<T, absl::StatusOr<T>&&>) {
    if (r.ok()) {
      this->state_->resolveValue(*std::move(r));
    } else {
      this->state_->rejectIfUnlocked(Error(r.status()));
    }
  }
};

template <>
class CoroPromise<void> : public CoroPromiseBase<void> {
 public:
  explicit CoroPromise(std::source_location made = std::source_location::current())
      : CoroPromiseBase<void>(made) {}
  Promise<void> get_return_object() {
    this->state_->frame_ = std::coroutine_handle<CoroPromise>::from_promise(*this);
    return Promise<void>(this->state_);
  }
  void return_void() { this->state_->resolveValue(); }
};

}  // namespace vow::internal

namespace vow {

// `co_await vow::settle(p)` in a vow::Promise coroutine or an AsyncGenerator body: waits for p
// as `co_await p` does (same microtasks) and gives its outcome instead of throwing it: an
// absl::StatusOr<U> (absl::Status for Promise<void>), the reason as Error::status() makes it
// (Node's code in vow::errorCode(status)). JS's `try { v = await p } catch (e) { ... }`, and
// the way to handle a rejection in a build without exceptions, where `co_await p` on a
// rejected p rejects the coroutine itself with p's reason.
//
//   absl::StatusOr<std::string> text = co_await vow::settle(fs::promises::readFile(path));
//   if (!text.ok()) co_return text.status();
template <class U>
internal::Settle<U> settle(const Promise<U>& p) noexcept {
  internal::State<U>* s = internal::stateOf(p);
  s->addRef();  // adopted by the co_await (use settle only as co_await's operand)
  return {s};
}

}  // namespace vow
