// vow::AsyncLocalStorage: Node's AsyncLocalStorage (async_hooks), a value that follows the
// asynchronous flow of the code that set it.
//
//   vow::AsyncLocalStorage<std::string> requestId;
//   requestId.run("r1", [&] {
//     vow::setTimeout([&] { std::puts(requestId.getStore()->c_str()); }, 10);  // "r1"
//     readUser().then([&](User u) { log(*requestId.getStore(), u); });         // "r1"
//   });
//   requestId.getStore();  // nullptr: outside run(), as Node's undefined
//
// The store set by run() (or enterWith()) is seen, exactly where Node v20 shows it, by:
//  - then / catch_ / finally handlers: the context current when the handler was attached
//    (not when the promise was made or settled);
//  - a coroutine after co_await: the context current at the co_await (an enterWith() before it
//    carries over, as in an async function);
//  - queueMicrotask, nextTick, setTimeout, setImmediate, timers::promises: the context current
//    when they were called; setInterval: the same, and an enterWith() inside the callback lasts
//    into the next repetitions (Node's Timeout is one async resource for all of them);
//  - queueWork's `after`, fs callbacks: the context of the call;
//  - EventEmitter listeners: the context of emit() (they run inside it);
//  - process 'unhandledRejection' listeners: the context in which the promise was rejected
//    (Node: the one it was created in; the two differ only for a promise rejected through its
//    resolvers in another context).
// Each callback runs in its own context: an enterWith() inside it ends with it.
//
// Cost: nothing is captured or restored on a thread until an AsyncLocalStorage's run() or
// enterWith() is first called there. Contexts are per thread; queueWork's `work` (on a pool
// thread) runs in none.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <tuple>
#include <type_traits>
#include <utility>

#include "vow/promise/internal/context.h"

namespace vow {

namespace internal {

// The part of AsyncLocalStorage<T> that does not depend on T (loop/async_local_storage.cc).
class AsyncLocalStorageBase {
 public:
  AsyncLocalStorageBase() noexcept;
  AsyncLocalStorageBase(const AsyncLocalStorageBase&) = delete;
  AsyncLocalStorageBase& operator=(const AsyncLocalStorageBase&) = delete;

  // Node: als.disable(): getStore() answers nullptr until the next run() or enterWith().
  void disable() noexcept { enabled_ = false; }

 protected:
  // The store this instance has in the current context (null: none, Node's undefined).
  std::shared_ptr<void> get() const;
  // Makes current the current frame with this instance's store replaced by `store`.
  void enter(std::shared_ptr<void> store);

  // run() and exit() as Node v20 writes them (see the .cc): enters `store` (exit: none) and at
  // the end puts back this storage's previous store only, so another storage's enterWith()
  // inside fn outlives run().
  class RunScope {
   public:
    enum Kind { kRun, kExit };
    RunScope(AsyncLocalStorageBase& self, std::shared_ptr<void> store, Kind kind);
    ~RunScope();
    RunScope(const RunScope&) = delete;
    RunScope& operator=(const RunScope&) = delete;

   private:
    AsyncLocalStorageBase& self_;
    Kind kind_;
    bool active_ = false;  // false: fn runs as a plain call (Node's early returns)
    ContextRef saved_;     // the frame current before run()
    ContextRef entered_;   // the frame run() made current
  };

 private:
  std::uint64_t id_;
  bool enabled_ = false;
};

}  // namespace internal

// One storage. T is the store's type; the store is held by std::shared_ptr, so getStore() may
// be kept beyond the context it came from, and one object may be shared by several run()s as in
// Node (run(std::make_shared<T>(...), ...)).
template <class T>
class AsyncLocalStorage : public internal::AsyncLocalStorageBase {
 public:
  AsyncLocalStorage() = default;

  // Node: als.getStore(). nullptr outside any run() / enterWith() of this storage, inside
  // exit(), and after disable().
  std::shared_ptr<T> getStore() const { return std::static_pointer_cast<T>(get()); }

  // Node: als.run(store, fn, ...args): calls fn(args...) now, in a context where getStore()
  // is `store`, and returns what it returns (an exception goes through). Everything fn
  // starts (promises it attaches handlers to, timers, ticks, fs calls) keeps that context.
  template <class F, class... A>
  decltype(auto) run(std::shared_ptr<T> store, F&& fn, A&&... args) {
    RunScope scope(*this, std::move(store), RunScope::kRun);
    return std::invoke(std::forward<F>(fn), std::forward<A>(args)...);
  }
  template <class F, class... A>
  decltype(auto) run(T store, F&& fn, A&&... args) {
    return run(std::make_shared<T>(std::move(store)), std::forward<F>(fn),
               std::forward<A>(args)...);
  }

  // Node: als.exit(fn, ...args): calls fn(args...) with no store for this storage. (Node v20
  // disables the storage meanwhile: an enterWith() inside is still there after exit().)
  template <class F, class... A>
  decltype(auto) exit(F&& fn, A&&... args) {
    RunScope scope(*this, nullptr, RunScope::kExit);
    return std::invoke(std::forward<F>(fn), std::forward<A>(args)...);
  }

  // Node: als.enterWith(store): the rest of the current synchronous execution (the callback,
  // handler or coroutine step being run, or the main program) and what it starts see `store`.
  void enterWith(std::shared_ptr<T> store) { enter(std::move(store)); }
  void enterWith(T store) { enter(std::make_shared<T>(std::move(store))); }

  // Node: AsyncLocalStorage.bind(fn): fn bound to the current context (of every storage); the
  // returned callable runs it there, wherever it is called from.
  template <class F>
  static auto bind(F&& fn) {
    return [ctx = internal::ContextRef::current(),
            fn = std::forward<F>(fn)](auto&&... args) mutable -> decltype(auto) {
      internal::ContextScope scope(ctx.get());
      return std::invoke(fn, std::forward<decltype(args)>(args)...);
    };
  }

  // Node: AsyncLocalStorage.snapshot(): a callable runInContext(fn, ...args) that calls
  // fn(args...) in the context current now.
  static auto snapshot() {
    return [ctx = internal::ContextRef::current()](auto&& fn, auto&&... args) -> decltype(auto) {
      internal::ContextScope scope(ctx.get());
      return std::invoke(std::forward<decltype(fn)>(fn), std::forward<decltype(args)>(args)...);
    };
  }
};

}  // namespace vow
