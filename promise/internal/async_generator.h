// The machinery behind vow::AsyncGenerator<T>: the spec's AsyncGenerator state machine
// (AsyncGeneratorEnqueue, Resume, Yield, UnwrapYieldResumption, CompleteStep, DrainQueue,
// AwaitReturn) around a C++ coroutine frame. Users never include this header.
#pragma once

#include <coroutine>
#include <cstdint>
#include <deque>
#include <optional>
#include <type_traits>
#include <utility>

#include "vow/promise/error.h"
#include "vow/promise/internal/exceptions.h"
#include "vow/promise/internal/job_queue.h"
#include "vow/promise/internal/pool.h"
#include "vow/promise/internal/stack.h"
#include "vow/promise/internal/state.h"
#include "vow/promise/promise.h"

namespace vow {
template <class T>
class AsyncGenerator;
}  // namespace vow

namespace vow::internal {

template <class T>
class GenPromise;

enum class GenRequestKind : std::uint8_t { kNext, kReturn, kThrow };

// Throws vow::GeneratorReturn (vow/promise/async_generator.h).
[[noreturn]] void throwGeneratorReturn();

// One generator: its frame, its status and the queue of next/return/throw requests (the spec's
// [[AsyncGeneratorQueue]]), each with the promise that request returned. Reference-counted by
// the AsyncGenerator handles and by whatever the body waits on (a job or a promise's reaction
// list), so a body suspended at a co_await lives on after the last handle is gone, as in JS.
//
// It is also the one Reaction the generator ever needs: at any moment the body waits on at most
// one thing (a co_await, the tick of a co_yield, the tick of a return), recorded in wait_.
// The promise a next()/return()/throw() returned. A request settles only after the one queued
// before it (the body serves them in order): for cycle detection it waits on that one, as a
// then waits on its source, and that one knows it is waited on (the front request's own edge
// is set by the body's co_await, GenAwaiter).
template <class T>
class GenRequestState final : public State<std::optional<T>> {
 public:
  void queueBehind(GenRequestState* before) noexcept {
    this->setAwaitedSource(before);
    before->behind_ = this;
  }
  // This request is the front one now, or can never settle: the edges to its neighbours go
  // (an abandoned state stays pending and must not point at one that may be freed first).
  void unlinkFront() noexcept { this->setAwaitedSource(nullptr); }
  void unlink() noexcept {
    this->setAwaitedSource(nullptr);
    behind_ = nullptr;
  }
  StateBase* queuedBehind() const noexcept override {
    return this->isPending() ? behind_ : nullptr;
  }

 private:
  GenRequestState* behind_ = nullptr;
};

template <class T>
class GenState final : public Reaction {
 public:
  enum Status : std::uint8_t {
    kSuspendedStart,
    kSuspendedYield,
    kExecuting,
    kAwaitingReturn,
    kCompleted,
  };
  enum class Resumption : std::uint8_t { kNormal, kThrow, kReturn };
  enum class Wait : std::uint8_t {
    kNone,
    kBodyAwait,
    kYieldValue,
    kYieldPromise,
    kUnwrapReturn,
    kAwaitReturn
  };

  GenState() = default;
  GenState(const GenState&) = delete;
  GenState& operator=(const GenState&) = delete;

  void addRef() noexcept { ++refs_; }
  void release() noexcept {
    if (--refs_ == 0) delete this;
  }

  // next() / return_() / throw_(): the spec's AsyncGenerator.prototype methods.
  Promise<std::optional<T>> request(GenRequestKind kind, Error error = Error());

  // --- The frame's side (GenPromise and its awaiters).
  void setFrame(std::coroutine_handle<> frame) noexcept { frame_ = frame; }
  template <class V>
  void stageYield(V&& value) {
    yielded_.emplace(std::forward<V>(value));
  }
  // `co_yield v`: JS's `yield v` awaits v first (one tick), then yields.
  void queueYieldTick() { queueTick(Wait::kYieldValue); }
  void setBodyError(Error error) noexcept { body_error_ = std::move(error); }
  // The frame reached its final suspend point and was destroyed.
  void bodyEnded();
  // In a co_yield's await_resume: throws what the body was resumed with (throw_ or return_).
  void throwResumption();
  void prepareWait(Wait w) noexcept {
    wait_ = w;
    addRef();  // the reference the list entry (or job) holds; react()/drop() release it
  }

  // --- Reaction.
  void react(StateBase* source) override;
  void drop() override;
  // The promise this generator's running body will settle next (the front request's): what
  // a co_await inside the body must not wait on (cycle detection).
  StateBase* waiter() noexcept override {
    return queue_.empty() ? nullptr : queue_.front().promise;
  }

 private:
  struct Request {
    GenRequestKind kind;
    Error error;
    GenRequestState<T>* promise;  // one settler reference
  };

  ~GenState() {
    destroyFrame();
    releaseRequests(std::move(queue_));
  }
  // Gives up the settler references of requests that can never settle any more, their edges
  // to each other cut first.
  static void releaseRequests(std::deque<Request> requests) noexcept {
    for (Request& r : requests) r.promise->unlink();
    for (Request& r : requests) r.promise->releaseSettler();
  }

  // The body can never go on (dropped, or every handle gone while paused): its destructors
  // run, but nothing it would run in JS (a `finally`, an iterator's return()) starts.
  void destroyFrame() noexcept {
    if (!frame_) return;
    DropGuard guard;
    std::exchange(frame_, nullptr).destroy();
  }
  void resumeBody(Resumption how);
  // Resumes a body paused at a co_yield with the front request (UnwrapYieldResumption).
  void resumeWithFront();
  void queueTick(Wait w);
  // After the tick of a co_yield: fulfils the front request with the value, then goes on with
  // the next request or pauses.
  void yieldStep();
  void completeStep(Error error, std::optional<T> value);
  void drainQueue();

  std::uint32_t refs_ = 1;
  Status status_ = kSuspendedStart;
  Wait wait_ = Wait::kNone;
  Resumption resumption_ = Resumption::kNormal;
  bool dead_ = false;  // dropped: the body can never run again
  std::coroutine_handle<> frame_;
  std::deque<Request> queue_;
  std::optional<T> yielded_;
  Error resume_error_;
  Error body_error_;

 public:
  // The co_await in progress is a vow::settle(p): a rejection resumes the body too.
  bool settling_ = false;
};

// A co_await inside a generator body: the same as in an async function, with the generator
// (held by a reference) as the reaction that resumes it.
template <class T, class U>
class GenAwaiter {
 public:
  GenAwaiter(Promise<U> awaited, GenState<T>* gen) noexcept
      : awaited_(std::move(awaited)), gen_(gen) {}

  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) {
    State<U>* s = stateOf(awaited_);
    gen_->prepareWait(GenState<T>::Wait::kBodyAwait);
    StateBase* w = gen_->waiter();
    // Waiting on the promise this body must settle can never resume: release the frame, as a
    // coroutine does (touch nothing of `this` afterwards).
    if (s->isPending() && w != nullptr && w->isAwaitedBy(s)) {
      s->markHandled();
      gen_->drop();
      return;
    }
    if (w != nullptr) w->setAwaitedSource(s);
    s->addReaction(gen_);
  }
  U await_resume() { return takeAwaited(stateOf(awaited_)); }

 private:
  Promise<U> awaited_;
  GenState<T>* gen_;
};

// `co_yield v`.
template <class T>
class YieldAwaiter {
 public:
  explicit YieldAwaiter(GenState<T>* gen) noexcept : gen_(gen) {}
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) { gen_->queueYieldTick(); }
  void await_resume() { gen_->throwResumption(); }

 private:
  GenState<T>* gen_;
};

// `co_yield promise`: JS's `yield promise` awaits it and yields its value.
template <class T>
class YieldPromiseAwaiter {
 public:
  YieldPromiseAwaiter(Promise<T> awaited, GenState<T>* gen) noexcept
      : awaited_(std::move(awaited)), gen_(gen) {}
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) {
    State<T>* s = stateOf(awaited_);
    gen_->prepareWait(GenState<T>::Wait::kYieldPromise);
    StateBase* w = gen_->waiter();
    if (s->isPending() && w != nullptr && w->isAwaitedBy(s)) {
      s->markHandled();
      gen_->drop();
      return;
    }
    if (w != nullptr) w->setAwaitedSource(s);
    s->addReaction(gen_);
  }
  void await_resume() { gen_->throwResumption(); }

 private:
  Promise<T> awaited_;
  GenState<T>* gen_;
};

template <class T>
class GenPromise {
 public:
  GenPromise() : state_(new GenState<T>()) {}
  GenPromise(const GenPromise&) = delete;
  GenPromise& operator=(const GenPromise&) = delete;

  // A small frame comes from this thread's pool (promise/internal/pool.h).
  static void* operator new(std::size_t size) { return poolAllocate(size); }
  static void operator delete(void* p, std::size_t size) noexcept { poolFree(p, size); }

  AsyncGenerator<T> get_return_object();
  // The body starts at the first next(), not at the call (JS: suspendedStart).
  std::suspend_always initial_suspend() const noexcept { return {}; }
  auto final_suspend() const noexcept {
    struct Final {
      GenState<T>* gen;
      bool await_ready() const noexcept { return false; }
      void await_suspend(std::coroutine_handle<> h) const noexcept {
        GenState<T>* g = gen;
        g->setFrame(nullptr);
        h.destroy();  // the body is over: free the frame before settling anything
        g->bodyEnded();
      }
      void await_resume() const noexcept {}
    };
    return Final{state_};
  }
  void return_void() noexcept {}
  void unhandled_exception() noexcept;

  template <class V = T>
  requires std::is_constructible_v<T, V&&> YieldAwaiter<T> yield_value(V&& value) {
    state_->stageYield(std::forward<V>(value));
    return YieldAwaiter<T>(state_);
  }
  YieldPromiseAwaiter<T> yield_value(Promise<T> promise) noexcept {
    return YieldPromiseAwaiter<T>(std::move(promise), state_);
  }

  template <class U>
  GenAwaiter<T, U> await_transform(Promise<U> awaited) noexcept {
    return GenAwaiter<T, U>(std::move(awaited), state_);
  }
  template <class A>
  requires IsDirectAwaitable<A>
  auto await_transform(A&& awaitable) {
    return std::forward<A>(awaitable).awaiter(
        [this]<class U>(Promise<U> p) { return GenAwaiter<T, U>(std::move(p), state_); });
  }
#if VOW_HAS_EXCEPTIONS
  void await_transform(Raise) = delete;  // write error.rethrow() (see Raise)
#else
  auto await_transform(Raise r) noexcept {
    struct Awaiter {
      Error error;
      GenState<T>* gen;
      bool await_ready() const noexcept { return false; }
      void await_suspend(std::coroutine_handle<> h) noexcept {
        // As an uncaught exception: unhandled_exception(), then final_suspend.
        GenState<T>* g = gen;
        g->setBodyError(std::move(error));
        g->setFrame(nullptr);
        h.destroy();  // touch nothing of `this` afterwards
        g->bodyEnded();
      }
      void await_resume() const noexcept {}
    };
    return Awaiter{std::move(r.error), state_};
  }
#endif
  template <class U>
  SettleAwaiter<U, GenAwaiter<T, U>> await_transform(Settle<U> settle) noexcept {
    state_->settling_ = true;
    return {settle.state, GenAwaiter<T, U>(adoptState(settle.state), state_)};
  }
  template <class X>
  requires(!IsDirectAwaitable<X>) void await_transform(X&&) {
    static_assert(AlwaysFalse<X>::value,
                  "co_await in a vow::AsyncGenerator takes a vow::Promise<U>. To await a plain "
                  "value as JS's `await 42` does, write co_await vow::Promise<int>::resolve(42).");
  }

 private:
  GenState<T>* state_;  // owns the frame; the AsyncGenerator made here owns it
};

// ---------------------------------------------------------------------------------------------
// GenState's state machine.

template <class T>
Promise<std::optional<T>> GenState<T>::request(GenRequestKind kind, Error error) {
  auto* s = new GenRequestState<T>();
  Promise<std::optional<T>> promise = adoptState(s);
  if (dead_) return promise;  // the body can never run again: nothing will settle it
  if (kind == GenRequestKind::kNext && status_ == kCompleted) {
    s->resolveValue(std::nullopt);
    return promise;
  }
  if (kind == GenRequestKind::kThrow) {
    if (status_ == kSuspendedStart) {
      destroyFrame();
      status_ = kCompleted;
    }
    if (status_ == kCompleted) {
      s->rejectIfUnlocked(std::move(error));
      return promise;
    }
  }
  s->addSettler();
  if (!queue_.empty()) s->queueBehind(queue_.back().promise);
  queue_.push_back(Request{kind, std::move(error), s});
  if (kind == GenRequestKind::kReturn) {
    if (status_ == kSuspendedStart || status_ == kCompleted) {
      destroyFrame();
      status_ = kAwaitingReturn;
      queueTick(Wait::kAwaitReturn);
    } else if (status_ == kSuspendedYield) {
      resumeWithFront();
    }
  } else if (status_ == kSuspendedStart || status_ == kSuspendedYield) {
    resumeWithFront();
  }
  return promise;
}

template <class T>
void GenState<T>::resumeWithFront() {
  Request& r = queue_.front();
  switch (r.kind) {
    case GenRequestKind::kNext:
      resumeBody(Resumption::kNormal);
      break;
    case GenRequestKind::kThrow:
      resume_error_ = r.error;
      resumeBody(Resumption::kThrow);
      break;
    case GenRequestKind::kReturn:
      // UnwrapYieldResumption awaits the return value (one tick) before the body unwinds.
      status_ = kExecuting;
      queueTick(Wait::kUnwrapReturn);
      break;
  }
}

template <class T>
void GenState<T>::queueTick(Wait w) {
  prepareWait(w);
  // The tick runs in the continuation context current now (promise/internal/context.h): the
  // body may go on inside it, as JS's generator resumes inside the job of its await.
  struct Payload {
    GenState* g;
    ContextFrame* context;  // one reference, or null
  };
  Payload p{this, currentContext()};
  if (p.context != nullptr) p.context->addRef();
  JobQueue::current().push(
      [](Job& job, bool run) {
        Payload p = job.as<Payload>();
        ContextRef context(p.context);
        if (p.context != nullptr) p.context->release();  // `context` holds it now
        if (!run) {
          p.g->drop();
        } else if (p.context == nullptr) {
          p.g->react(nullptr);
        } else {
          ContextScope scope(p.context);
          p.g->react(nullptr);
        }
      },
      &p, sizeof(p));
}

template <class T>
void GenState<T>::react(StateBase* source) {
  Wait w = std::exchange(wait_, Wait::kNone);
  // Released when this returns, even if the body's resumption throws out of a job.
  struct Release {
    GenState* g;
    ~Release() { g->release(); }
  } release{this};
  switch (w) {
    case Wait::kBodyAwait:
      if (StateBase* waiting = waiter()) waiting->setAwaitedSource(nullptr);
#if !VOW_HAS_EXCEPTIONS
      // Without exceptions: a rejection the body awaited plainly ends the body with it.
      if (!std::exchange(settling_, false) && source != nullptr &&
          source->status() == StateBase::kRejected) {
        resume_error_ = source->reason();
        resumeBody(Resumption::kThrow);
        break;
      }
#endif
      resumeBody(Resumption::kNormal);
      break;
    case Wait::kYieldValue:
      yieldStep();
      break;
    case Wait::kYieldPromise: {
      if (StateBase* waiting = waiter()) waiting->setAwaitedSource(nullptr);
      auto* s = static_cast<State<T>*>(source);
      if (s->status() == StateBase::kRejected) {
        resume_error_ = s->reason();
        resumeBody(Resumption::kThrow);
      } else {
        if constexpr (kCopyable<T>) {
          // Held by the job and the co_yield's awaiter only: nobody else can see the value.
          if (s->onlyHeldBy(2)) {
            yielded_.emplace(std::move(s->value()));
          } else {
            yielded_.emplace(s->value());
          }
        } else if (s->takeOnce()) {
          yielded_.emplace(std::move(s->value()));
        } else {
          resume_error_ = Error(TypeError(kValueTakenMessage));
          resumeBody(Resumption::kThrow);
          break;
        }
        yieldStep();
      }
      break;
    }
    case Wait::kUnwrapReturn:
      resumeBody(Resumption::kReturn);
      break;
    case Wait::kAwaitReturn:
      status_ = kCompleted;
      completeStep(Error(), std::nullopt);
      drainQueue();
      break;
    case Wait::kNone:
      break;
  }
}

template <class T>
void GenState<T>::drop() {
  // What the body waited on can never settle (or the microtask queue was torn down): the body
  // can never go on. Its frame is freed (its destructors run, as for a stuck coroutine; no
  // cleanup code runs, as none would in JS), and so are the requests: nothing can settle them
  // any more, and a consumer waiting on one (while holding this generator) must be released
  // rather than keep everything alive in a cycle. Later requests are abandoned at once.
  wait_ = Wait::kNone;
  dead_ = true;
  destroyFrame();
  std::deque<Request> requests = std::move(queue_);
  queue_.clear();
  releaseRequests(std::move(requests));
  release();
}

template <class T>
void GenState<T>::resumeBody(Resumption how) {
#if !VOW_HAS_EXCEPTIONS
  // Without exceptions a throw or return completion cannot unwind the body from inside: its
  // frame is destroyed here instead (its destructors run, as unwinding would run them), and
  // the body ends, with the error of a throw completion.
  if (how != Resumption::kNormal) {
    if (how == Resumption::kThrow) body_error_ = std::exchange(resume_error_, Error());
    status_ = kExecuting;
    std::exchange(frame_, nullptr).destroy();
    bodyEnded();
    return;
  }
#endif
  resumption_ = how;
  status_ = kExecuting;
  if (stackHasRoom()) {
    frame_.resume();
  } else {
    resumeOnNewStack(frame_);
  }
}

template <class T>
void GenState<T>::throwResumption() {
  Resumption how = std::exchange(resumption_, Resumption::kNormal);
  if (how == Resumption::kThrow) {
    Error e = std::move(resume_error_);
    e.rethrow();
  }
  if (how == Resumption::kReturn) throwGeneratorReturn();
}

template <class T>
void GenState<T>::yieldStep() {
  std::optional<T> value = std::move(yielded_);
  yielded_.reset();
  completeStep(Error(), std::move(value));
  if (queue_.empty()) {
    status_ = kSuspendedYield;
  } else {
    resumeWithFront();
  }
}

template <class T>
void GenState<T>::completeStep(Error error, std::optional<T> value) {
  if (queue_.empty()) return;
  Request r = std::move(queue_.front());
  queue_.pop_front();
  // The next request waited on this one; now it waits on whatever the body awaits next.
  if (!queue_.empty()) queue_.front().promise->unlinkFront();
  if (error) {
    r.promise->rejectIfUnlocked(std::move(error));
  } else {
    r.promise->resolveValue(std::move(value));
  }
  r.promise->releaseSettler();
}

template <class T>
void GenState<T>::drainQueue() {
  while (!queue_.empty()) {
    Request& r = queue_.front();
    if (r.kind == GenRequestKind::kReturn) {
      status_ = kAwaitingReturn;
      queueTick(Wait::kAwaitReturn);
      return;
    }
    Error e = r.kind == GenRequestKind::kThrow ? r.error : Error();
    completeStep(std::move(e), std::nullopt);
  }
}

template <class T>
void GenState<T>::bodyEnded() {
  status_ = kCompleted;
  completeStep(std::exchange(body_error_, Error()), std::nullopt);
  drainQueue();
}

}  // namespace vow::internal
