// The shared state behind every Promise<T>, its reactions, and the deferred teardown that keeps
// long chains off the C++ stack. Users never touch this header.
#pragma once

#include <cstdint>
#include <new>
#include <optional>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "vow/promise/error.h"
#include "vow/promise/internal/async_stack.h"
#include "vow/promise/internal/context.h"
#include "vow/promise/internal/job_queue.h"
#include "vow/promise/internal/pool.h"

namespace vow::internal {

class StateBase;

// Something waiting for a promise to settle: a then() derived promise, a suspended coroutine,
// an adopting promise, a combinator slot. Lives in the source's intrusive list while the source
// is pending. Both calls consume the reference the list held.
class Reaction {
 public:
  // Runs as a microtask once `source` has settled.
  virtual void react(StateBase* source) = 0;
  // The source can never settle any more (every resolver is gone), or the job was discarded.
  virtual void drop() = 0;
  // For cycle detection: the state that waits through this reaction. A then's derived promise,
  // an adopting promise and a suspended coroutine are settled by this reaction alone, and so
  // is allSettled's result (it needs every input); the result of all, race or any
  // (waitsOnAll) can settle from any of its outstanding inputs, each of which holds one
  // settler reference on it, so it is stuck only when all of them are.
  virtual StateBase* waiter() noexcept { return nullptr; }
  virtual bool waitsOnAll() const noexcept { return false; }
  // Async stack traces (vow/promise/async_stack.h): the frame this waiter shows in a chain
  // (a coroutine, a then site, a combinator input); false for one that shows none (an adoption,
  // a race) and is passed through silently.
  virtual bool describeAsyncFrame(RawAsyncFrame&) const noexcept { return false; }

  // States and reactions come from this thread's pool (promise/internal/pool.h): no malloc
  // header, an inline pop. Arrays (a combinator's nodes) still use operator new[].
  static void* operator new(std::size_t size) { return poolAllocate(size); }
  static void operator delete(void* p, std::size_t size) noexcept { poolFree(p, size); }

  Reaction* next_reaction_ = nullptr;

 protected:
  ~Reaction() = default;
};

// Runs teardown work iteratively: a release that would recurse (a chain of promises each
// owning the next) is queued instead and run by the outermost call, first in, first out.
class Reaper {
 public:
  using Fn = void (*)(void*);
  static void run(Fn fn, void* arg);
};

// Rejection tracking (HostPromiseRejectionTracker's "reject" and "handle"): passed to this
// thread's PromiseHost (vow/promise/host.h), or kept for the next one installed.
void reportRejectedWithoutHandler(StateBase* promise);
void reportHandledAfterRejection(StateBase* promise);

#ifndef NDEBUG
[[noreturn]] void failWrongThread();
#endif
[[noreturn]] void unreachableReaction();

// What every state has, whatever its T. Single-threaded: plain counters, no atomics.
// A state is also a Reaction, so a then() derived promise or a coroutine waiting on another
// promise needs no second object (and no second vtable pointer) to sit in that promise's list.
class StateBase : public Reaction {
 public:
  enum Status : std::uint32_t { kPending = 0, kFulfilled = 1, kRejected = 2 };

  StateBase(const StateBase&) = delete;
  StateBase& operator=(const StateBase&) = delete;

  Status status() const noexcept { return static_cast<Status>(status_); }
  bool isPending() const noexcept { return status_ == kPending; }
  bool isHandled() const noexcept { return handled_; }
  // True once resolve/reject was called (the state may still be pending while it adopts).
  bool isLocked() const noexcept { return locked_; }
  // Pending with nothing left that could settle it.
  // (The in-state count is refilled from the overflow table before it reaches zero.)
  bool isAbandoned() const noexcept { return status_ == kPending && settlers_ == 0; }
  std::uint64_t settlers() const noexcept {
    return overflowed_ ? settlers_ + overflowSettlers() : settlers_;
  }

  void addRef() noexcept { ++refs_; }
  void release() noexcept {
    if (--refs_ == 0) Reaper::run(&destroy, this);
  }
  // A settler is a reference that can still settle the state: a resolve/reject function, the
  // list entry of a source this state reacts to, a running coroutine.
  // Any number of settlers is fine: past the bit-field's range the count spills into a side
  // table (so millions of copies of one resolver, or an all() over 2^25 inputs, still work).
  void addSettler() noexcept {
    if (++settlers_ == kMaxInlineSettlers) spillSettlers();
    ++refs_;
  }
  void releaseSettler() noexcept {
    if (--settlers_ == 0) {
      if (overflowed_) {
        refillSettlers();
      } else if (status_ == kPending) {
        Reaper::run(&abandon, this);
      }
    }
    release();
  }

  // Plain states never react; the subclasses that do (then, coroutines) override these.
  void react(StateBase*) override { unreachableReaction(); }
  void drop() override { unreachableReaction(); }
  StateBase* waiter() noexcept override { return this; }

  // True if `state` waits, directly or through other pending promises, on this one (or is
  // this one): making this one wait on `state` would close a cycle that can never settle.
  // Finds cycles of any length made of then, adoption and co_await waits; a cycle through a
  // combinator's result is found while it involves at most a few hundred states.
  bool isAwaitedBy(const StateBase* state) const;
  // The promise this pending state waits on alone (a then's source, the promise it adopts, the
  // one its coroutine awaits), or nullptr: the forward edge the cycle check follows.
  virtual StateBase* awaitedSource() const noexcept { return nullptr; }
  virtual void setAwaitedSource(StateBase*) noexcept {}
  // A combinator's result: it waits on several inputs, not on one.
  virtual bool waitsOnSeveral() const noexcept { return false; }
  // The pending state that settles only after this one without sitting in its reaction list:
  // an async generator's request queued right behind this one (the backward edge matching
  // its awaitedSource()), or nullptr.
  virtual StateBase* queuedBehind() const noexcept { return nullptr; }
  // A combinator's result calls this when one of its inputs is done: if the inputs left all
  // wait on the result itself, nothing can settle it, and its reactions are released.
  void releaseIfStuckInCycle();
  // True if this state belongs to a group of pending states that can only be settled by each
  // other (a cycle through combinators, and generator queues). Looks at up to 256 states that
  // wait on this one.
  bool isStuckInCycle() const;
  // True when nothing but `owners` references keep this state: a value moved out of it then
  // cannot be observed by anyone else.
  bool onlyHeldBy(std::uint32_t owners) const noexcept { return refs_ == owners; }

  // The rejection reason; only when status() == kRejected.
  virtual const Error& reason() const noexcept = 0;
  // Rejects unless already locked.
  void rejectIfUnlocked(Error error) {
    if (locked_ || status_ != kPending) return;
    locked_ = 1;
    rejectNow(std::move(error));
  }

  // For move-only values: true the first time, false once the value was taken.
  bool takeOnce() noexcept {
    bool was_taken = taken_;
    taken_ = 1;
    return !was_taken;
  }

  // What waits on this pending state, newest first (async stack traces walk it).
  Reaction* newestReaction() const noexcept { return reactions_; }

  // JS's [[PromiseIsHandled]] = true, telling the tracker if it was reported unhandled.
  void markHandled();
  // Registers `r` (which carries one reference of its own). Marks this state handled.
  void addReaction(Reaction* r);

  void checkThread() const noexcept {
#ifndef NDEBUG
    if (owner_ != std::this_thread::get_id()) failWrongThread();
#endif
  }

 protected:
  StateBase() noexcept = default;
  virtual ~StateBase() = default;

  virtual void storeError(Error&& error) noexcept = 0;
  void rejectNow(Error error);
  // Moves every waiting reaction to the job queue, in registration order.
  void scheduleReactions();
  void lock() noexcept { locked_ = 1; }
  void setStatus(Status s) noexcept { status_ = s; }
  bool aux() const noexcept { return aux_; }
  void setAux(bool v) noexcept { aux_ = v; }

 private:
  static void destroy(void* self);
  static void abandon(void* self);
  void dropReactions();
  // The settler count is settlers_ plus, when overflowed_, an entry in a thread-local table:
  // keeping the per-promise state at its size. Half the in-state range moves at a time, so a
  // count going up and down across the boundary touches the table once per 2^23 steps.
  static constexpr std::uint32_t kMaxInlineSettlers = (1u << 24) - 1;
  static constexpr std::uint32_t kSettlersMoved = 1u << 23;
  void spillSettlers() noexcept;
  void refillSettlers() noexcept;
  std::uint64_t overflowSettlers() const noexcept;

  std::uint32_t refs_ = 1;
  std::uint32_t settlers_ : 24 = 0;
  std::uint32_t overflowed_ : 1 = 0;  // part of the settler count is in the side table
  std::uint32_t status_ : 2 = kPending;
  std::uint32_t handled_ : 1 = 0;
  std::uint32_t locked_ : 1 = 0;
  std::uint32_t reported_ : 1 = 0;  // told the tracker "rejected with no handler"
  std::uint32_t aux_ : 1 = 0;       // for subclasses
  std::uint32_t taken_ : 1 = 0;     // a move-only value was moved out
  Reaction* reactions_ = nullptr;   // newest first while pending
#ifndef NDEBUG
  std::thread::id owner_ = std::this_thread::get_id();
#endif
};

// A reference-counted handle to a state of any T; what rejection tracking hands out.
class StateRef {
 public:
  StateRef() noexcept = default;
  explicit StateRef(StateBase* s) noexcept : s_(s) {
    if (s_) s_->addRef();
  }
  StateRef(const StateRef& o) noexcept : StateRef(o.s_) {}
  StateRef(StateRef&& o) noexcept : s_(std::exchange(o.s_, nullptr)) {}
  StateRef& operator=(StateRef o) noexcept {
    std::swap(s_, o.s_);
    return *this;
  }
  ~StateRef() {
    if (s_) s_->release();
  }
  StateBase* get() const noexcept { return s_; }

 private:
  StateBase* s_ = nullptr;
};

// Queues the job that runs `r` against the settled `source`.
void enqueueReaction(Reaction* r, StateBase* source);

// `r`, or, when a continuation context is current (promise/internal/context.h), a reaction that
// runs `r` in that context: V8 snapshots its continuation-preserved data into every
// PromiseReaction when then() (or await) registers it, not when the promise settles.
Reaction* withCurrentContext(Reaction* r);
Reaction* wrapInContext(Reaction* r);
inline Reaction* withCurrentContext(Reaction* r) {
  if (t_context == nullptr) [[likely]]
    return r;
  return wrapInContext(r);
}

struct Unit {};  // the stored "value" of a Promise<void>

// Whether a promise's value can be copied to each consumer. std::is_copy_constructible is true
// for std::vector<std::unique_ptr<X>> (its copy constructor exists but cannot compile), so look
// inside the standard containers a promise commonly carries; anything else is taken at its word.
template <class T>
struct IsCopyable : std::bool_constant<std::is_copy_constructible_v<T>> {};
template <class T, class A>
struct IsCopyable<std::vector<T, A>> : IsCopyable<T> {};
template <class T>
struct IsCopyable<std::optional<T>> : IsCopyable<T> {};
template <class A, class B>
struct IsCopyable<std::pair<A, B>>
    : std::bool_constant<IsCopyable<A>::value && IsCopyable<B>::value> {};
template <class... Ts>
struct IsCopyable<std::tuple<Ts...>> : std::bool_constant<(IsCopyable<Ts>::value && ...)> {};
template <class... Ts>
struct IsCopyable<std::variant<Ts...>> : std::bool_constant<(IsCopyable<Ts>::value && ...)> {};
template <class T>
inline constexpr bool kCopyable = std::is_void_v<T> || IsCopyable<std::remove_cv_t<T>>::value;

inline constexpr const char* kValueTakenMessage =
    "vow: the value of a Promise<T> with a move-only T was already taken by another consumer";

template <class T>
using Stored = std::conditional_t<std::is_void_v<T>, Unit, T>;

template <class T>
class State : public StateBase {
 public:
  using Value = Stored<T>;

  State() noexcept : source_(nullptr) {}
  ~State() override {
    if (status() == kFulfilled) {
      value_.~Value();
    } else if (status() == kRejected) {
      error_.~Error();
    }
  }

  Value& value() noexcept { return value_; }
  const Error& reason() const noexcept override { return error_; }

  StateBase* awaitedSource() const noexcept override { return isPending() ? source_ : nullptr; }
  void setAwaitedSource(StateBase* source) noexcept override {
    if (isPending()) source_ = source;
  }

  // Settles with a value unless already locked (the resolve function's "alreadyResolved").
  template <class... A>
  void resolveValue(A&&... args) {
    if (isLocked() || !isPending()) return;
    lock();
    fulfillNow(std::forward<A>(args)...);
  }

  // Fulfils a state that is locked but still pending (adoption, coroutine return).
  template <class... A>
  void fulfillNow(A&&... args) {
    ::new (static_cast<void*>(&value_)) Value(std::forward<A>(args)...);
    setStatus(kFulfilled);
    scheduleReactions();
  }

  // Resolves with another promise's state: JS's NewPromiseResolveThenableJob, costing the same
  // two extra jobs. Resolving with itself rejects with a TypeError.
  void resolveWithState(State<T>* other);

  // Settles this (locked, pending) state like `source` (same T) settled.
  void adoptOutcome(State<T>* source) {
    if (source->status() == kFulfilled) {
      if constexpr (kCopyable<T>) {
        // The reaction job holds the only reference: nobody else can see the value, move it.
        if (source->onlyHeldBy(1)) {
          fulfillNow(std::move(source->value()));
          return;
        }
        fulfillNow(source->value());
      } else if (source->takeOnce()) {
        fulfillNow(std::move(source->value()));
      } else {
        rejectNow(Error(TypeError(kValueTakenMessage)));
      }
    } else {
      rejectNow(source->reason());
    }
  }

 protected:
  void storeError(Error&& error) noexcept override {
    ::new (static_cast<void*>(&error_)) Error(std::move(error));
  }

 private:
  // While pending, the union holds what the state waits on (no extra space per promise).
  union {
    StateBase* source_;
    Value value_;
    Error error_;
  };
};

// Settles `target` like the source it waits on: the second half of adopting a promise.
template <class T>
class AdoptReaction final : public Reaction {
 public:
  explicit AdoptReaction(State<T>* target) noexcept : target_(target) {}
  StateBase* waiter() noexcept override { return target_; }
  void react(StateBase* source) override {
    auto* s = static_cast<State<T>*>(source);
    target_->setAwaitedSource(nullptr);
    target_->adoptOutcome(s);
    target_->releaseSettler();
    delete this;
  }
  void drop() override {
    target_->setAwaitedSource(nullptr);
    target_->releaseSettler();
    delete this;
  }

 private:
  State<T>* target_;  // one settler reference
};

template <class T>
void State<T>::resolveWithState(State<T>* other) {
  if (isLocked() || !isPending()) return;
  if (other == this) {
    lock();
    rejectNow(Error(TypeError("Chaining cycle detected for promise #<Promise>")));
    return;
  }
  lock();
  // Job 1 (NewPromiseResolveThenableJob) calls other.then(resolve, reject); the reaction then
  // settles this state (job 2) and this state's reactions run after that.
  struct Payload {
    Reaction* adopt;
    State<T>* source;
  };
  addSettler();
  other->addRef();
  // The context is taken now: the thenable job runs later, in none.
  Payload p{withCurrentContext(new AdoptReaction<T>(this)), other};
  JobQueue::current().push(
      [](Job& job, bool run) {
        Payload p = job.as<Payload>();
        StateRef keep(p.source);
        p.source->release();
        if (run) {
          // A promise waiting (through others) on the one it adopts would wait forever: JS
          // leaves the cycle to its GC; vow drops the reaction so the cycle can be freed.
          if (p.source->isPending() && p.adopt->waiter()->isAwaitedBy(p.source)) {
            p.source->markHandled();  // as JS's then() does
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

}  // namespace vow::internal
