// vow::forAwait: JavaScript's `for await (const x of iterable)` in a coroutine.
//
//   // for await (const line of rl) { if (line === 'END') break; console.log(line); }
//   auto it = vow::forAwait(rl);
//   while (auto line = co_await it.next()) {
//     if (*line == "END") break;
//     std::puts(line->c_str());
//   }
//   co_await it.close();
//
// C++ has no `for co_await`, so the loop is a `while` over `co_await it.next()` (a
// std::optional: nullopt when the iterator is done), and the one thing JS does implicitly is
// written out: leaving a loop early calls the iterator's return() and awaits it (an async
// generator runs its cleanup, a stream is destroyed, an events.on iterator removes its
// listeners). `co_await it.close()` is that step: it costs nothing, not even a tick, when the
// loop ran to the end or next() threw (JS does not close then either), so write it after every
// loop and the ticks match JS on every path.
//
// If `it` is destroyed without close() (an exception left the loop, or close() was
// forgotten), its destructor still calls return() (not when the coroutine is freed while
// suspended, stuck on a promise nobody can settle: JS never closes the iterator then) but
// cannot await it: the cleanup then runs
// after the code that follows, and an error return() reports is dropped (JS also drops it when
// an exception leaves the loop). To await the cleanup on the exception path as JS does, catch,
// then close, then rethrow:
//
//   vow::Error failed;
//   try { while (auto x = co_await it.next()) use(*x); } catch (...) { failed =
//   vow::Error::current(); } co_await it.close(); if (failed) failed.rethrow();
//
// `iterable` is anything with next() -> Promise<std::optional<T>> (an AsyncGenerator, the
// iterator events.on returns; JS: an async iterator), or with an asyncIterator() member
// (JS: [Symbol.asyncIterator]()), given by value, reference or pointer (a shared_ptr to a
// stream). return_() is optional, as in JS.
#pragma once

#include <concepts>
#include <coroutine>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "vow/promise/internal/exceptions.h"
#include "vow/promise/promise.h"

namespace vow {
namespace internal {

template <class P>
struct IteratorResultOf;
template <class T>
struct IteratorResultOf<Promise<std::optional<T>>> {
  using type = T;
};

template <class X>
concept IsAsyncIterator = requires(X& x) {
  typename IteratorResultOf<decltype(x.next())>::type;
};
template <class X>
concept HasAsyncIteratorMember = requires(X& x) {
  { x.asyncIterator() } -> IsAsyncIterator;
};
template <class X>
concept PointsToAsyncIterable = requires(X& x) {
  { (*x).asyncIterator() } -> IsAsyncIterator;
};

// `co_await it.next()`: the iterator's next() promise, awaited as any promise is; records
// whether the loop is over (a done result, or next() threw).
template <class T>
class ForAwaitNext : public DirectAwaitable {
 public:
  ForAwaitNext(Promise<std::optional<T>> promise, bool* done) noexcept
      : promise_(std::move(promise)), done_(done) {}

  template <class Make>
  auto awaiter(Make make) && {
    using Inner = decltype(make(std::move(promise_)));
    struct Awaiter {
      Inner inner;
      bool* done;
#if !VOW_HAS_EXCEPTIONS
      // Without exceptions a rejected next() ends the body without resuming it: a reaction
      // registered just before the body's marks the loop over (no return(), as JS).
      std::optional<Promise<std::optional<T>>> watched;
      bool await_ready() { return inner.await_ready(); }
      void await_suspend(std::coroutine_handle<> h) {
        std::exchange(watched, std::nullopt)
            ->then([](const std::optional<T>&){}, [d = done](const Error&) { *d = true; });
        inner.await_suspend(h);
      }
#else
      bool await_ready() { return inner.await_ready(); }
      void await_suspend(std::coroutine_handle<> h) { inner.await_suspend(h); }
#endif
      std::optional<T> await_resume() {
        VOW_TRY {
          std::optional<T> v = inner.await_resume();
          if (!v) *done = true;
          return v;
        }
        VOW_CATCH_ALL {
          *done = true;  // JS: a next() that throws leaves the iterator alone (no return())
          VOW_RETHROW;
        }
      }
    };
#if !VOW_HAS_EXCEPTIONS
    Promise<std::optional<T>> watched = promise_;
    return Awaiter{make(std::move(promise_)), done_, std::move(watched)};
#else
    return Awaiter{make(std::move(promise_)), done_};
#endif
  }

 private:
  Promise<std::optional<T>> promise_;
  bool* done_;
};

// `co_await it.close()`: JS's AsyncIteratorClose when there is something to close (await the
// promise return() gave), nothing at all (not even a tick) otherwise.
template <class T>
class ForAwaitClose : public DirectAwaitable {
 public:
  ForAwaitClose() noexcept = default;
  explicit ForAwaitClose(Promise<std::optional<T>> promise) noexcept
      : promise_(std::move(promise)) {}

  template <class Make>
  auto awaiter(Make make) && {
    using Inner = decltype(make(std::declval<Promise<std::optional<T>>>()));
    struct Awaiter {
      std::optional<Inner> inner;
      bool await_ready() { return !inner || inner->await_ready(); }
      void await_suspend(std::coroutine_handle<> h) { inner->await_suspend(h); }
      void await_resume() {
        if (inner) (void)inner->await_resume();
      }
    };
    Awaiter a;
    if (promise_) a.inner.emplace(make(*std::move(promise_)));
    return a;
  }

 private:
  std::optional<Promise<std::optional<T>>> promise_;
};

}  // namespace internal

// The loop state of one `for await`: the iterator, and whether it still needs closing. Make it
// with vow::forAwait; it stays where it was made (not copyable, not movable).
template <class I>
class ForAwait {
 public:
  using value_type = typename internal::IteratorResultOf<decltype(std::declval<I&>().next())>::type;

  explicit ForAwait(I iterator) : it_(std::move(iterator)) {}
  ForAwait(const ForAwait&) = delete;
  ForAwait& operator=(const ForAwait&) = delete;
  ~ForAwait() {
    // A frame freed while suspended (what it awaited can never settle) ends nothing: in JS the
    // loop would stay suspended forever and the iterator would never be closed.
    if (done_ || closed_ || internal::droppingFrame()) return;
    closed_ = true;
    if constexpr (requires { it_.return_(); }) {
      // Nobody can await this one; a failure of the cleanup is dropped, as JS drops it when an
      // exception leaves the loop.
      (void)it_.return_().catch_(
          [](const Error&) -> std::optional<value_type> { return std::nullopt; });
    }
  }

  // `co_await it.next()`: the next value, or nullopt when the iterator is done (the loop ends).
  // A rejection throws, and the iterator counts as done (no return() afterwards), as in JS.
  internal::ForAwaitNext<value_type> next() { return {it_.next(), &done_}; }

  // `co_await it.close()` after the loop: calls the iterator's return() and waits for it if the
  // loop was left early; nothing (no tick) if it ran to the end. Closing twice is a no-op.
  internal::ForAwaitClose<value_type> close() {
    if (done_ || closed_) return {};
    closed_ = true;
    if constexpr (requires { it_.return_(); }) {
      return internal::ForAwaitClose<value_type>(it_.return_());
    } else {
      return {};
    }
  }

  // True once next() gave nullopt or threw.
  bool done() const noexcept { return done_; }
  I& iterator() noexcept { return it_; }

 private:
  I it_;
  bool done_ = false;
  bool closed_ = false;
};

// JS: the start of `for await (const x of iterable)`: takes iterable[Symbol.asyncIterator]()
// (its asyncIterator() member, through a pointer if given one), or the iterator itself.
template <class X>
auto forAwait(X&& iterable) {
  using D = std::remove_cvref_t<X>;
  if constexpr (internal::IsAsyncIterator<D>) {
    return ForAwait<D>(std::forward<X>(iterable));
  } else if constexpr (internal::HasAsyncIteratorMember<D>) {
    using I = std::remove_cvref_t<decltype(iterable.asyncIterator())>;
    return ForAwait<I>(iterable.asyncIterator());
  } else {
    static_assert(internal::PointsToAsyncIterable<D>,
                  "vow::forAwait takes an async iterator (next() -> Promise<std::optional<T>>) "
                  "or something with an asyncIterator() member, or a pointer to one.");
    using I = std::remove_cvref_t<decltype((*iterable).asyncIterator())>;
    return ForAwait<I>((*iterable).asyncIterator());
  }
}

}  // namespace vow
