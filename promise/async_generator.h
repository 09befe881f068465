// vow::AsyncGenerator<T>: JavaScript's `async function*` for C++20, a coroutine that can both
// `co_await` promises and `co_yield` values, consumed with next() / return_() / throw_().
//
//   vow::AsyncGenerator<int> countdown(int n) {         // async function* countdown(n) {
//     while (n > 0) {                                    //   while (n > 0) {
//       co_await vow::timers::promises::setTimeout(10);  //     await setTimeout(10);
//       co_yield n--;                                    //     yield n--;
//     }                                                  //   }
//   }                                                    // }
//
// Consume it with vow::forAwait (vow/promise/for_await.h), JS's `for await`:
//
//   auto it = vow::forAwait(countdown(3));
//   while (auto n = co_await it.next()) std::printf("%d\n", *n);
//   co_await it.close();   // JS closes the iterator when a loop is left early; see for_await.h
//
// Semantics are the spec's AsyncGenerator, tick for tick: the body starts at the first next(),
// synchronously inside it; `co_yield v` costs the one tick of JS's `yield v` (which awaits v)
// before the next() promise fulfils; requests made while the body runs queue up and are served
// in order; next() on a finished generator resolves at once with nullopt; return_() on a
// generator paused at a co_yield resumes it one tick later as a return: the co_yield throws a
// vow::GeneratorReturn, which unwinds the body (destructors run, and code after a
// `catch (...)` that captured it may still co_await and co_yield, as a JS `finally` does) and
// ends it. throw_(e) makes the paused co_yield throw e.
//
// Differences from JS, by design: next() takes no argument (a co_yield expression is void), and
// the generator's own return value is not kept (`co_return;` only; done results carry nullopt).
// `co_yield promise` awaits the promise and yields its value (a rejection throws at the
// co_yield), as `yield promise` does in JS.
//
// A generator is a handle, cheap to copy; the body's frame lives while a handle or a pending
// co_await inside the body holds it. Dropping every handle of a paused generator destroys its
// frame (its destructors run; JS's garbage collector runs no `finally`).
#pragma once

#include <coroutine>
#include <optional>
#include <type_traits>
#include <utility>

#include "vow/promise/error.h"
#include "vow/promise/internal/async_generator.h"
#include "vow/promise/internal/exceptions.h"
#include "vow/promise/promise.h"

namespace vow {

// What a co_yield (or a co_await, for a body that calls return_ on itself) throws when the
// generator is asked to return: it unwinds the body like JS's return completion. Not a
// std::exception, so `catch (const std::exception&)` lets it through; a `catch (...)` that does
// not rethrow it keeps the generator running, as a JS `finally` that yields does.
struct GeneratorReturn {};

template <class T>
class AsyncGenerator {
  static_assert(!std::is_void_v<T> && !std::is_reference_v<T>,
                "vow::AsyncGenerator<T>: T is the type of the values it yields (not void, not a "
                "reference).");

 public:
  using value_type = T;
  using promise_type = internal::GenPromise<T>;

  AsyncGenerator(const AsyncGenerator& o) noexcept : state_(o.state_) { state_->addRef(); }
  AsyncGenerator(AsyncGenerator&& o) noexcept : state_(std::exchange(o.state_, nullptr)) {}
  AsyncGenerator& operator=(AsyncGenerator o) noexcept {
    std::swap(state_, o.state_);
    return *this;
  }
  ~AsyncGenerator() {
    if (state_ != nullptr) state_->release();
  }

  // JS: gen.next(): the next value, or nullopt once the body has ended ({done: true}). A body
  // that throws rejects this promise and ends the generator. Runs the body synchronously until
  // its next co_await or co_yield when the generator is paused.
  Promise<std::optional<T>> next() { return state_->request(internal::GenRequestKind::kNext); }

  // JS: gen.return(): ends the generator. Paused at a co_yield: the body unwinds from there (one
  // tick later) and the promise settles when it ends (with a value if it yields again while
  // unwinding). Not started or already ended: fulfils with nullopt one tick later.
  Promise<std::optional<T>> return_() { return state_->request(internal::GenRequestKind::kReturn); }

  // JS: gen.throw(e): the paused co_yield throws `e` inside the body. Not started or ended:
  // rejects with `e` and the body never runs.
  Promise<std::optional<T>> throw_(Error error) {
    return state_->request(internal::GenRequestKind::kThrow, std::move(error));
  }

  // JS: gen[Symbol.asyncIterator]() returns gen itself.
  AsyncGenerator asyncIterator() const noexcept { return *this; }

 private:
  friend class internal::GenPromise<T>;
  explicit AsyncGenerator(internal::GenState<T>* s) noexcept : state_(s) {}  // adopts a ref

  internal::GenState<T>* state_;
};

// ---------------------------------------------------------------------------------------------
// Implementation details.

namespace internal {

#if VOW_HAS_EXCEPTIONS
[[noreturn]] inline void throwGeneratorReturn() { throw GeneratorReturn{}; }
#else
// Without exceptions a return completion never resumes the body (GenState::resumeBody).
[[noreturn]] inline void throwGeneratorReturn() { unreachableRethrow(); }
#endif

template <class T>
void GenPromise<T>::unhandled_exception() noexcept {
#if VOW_HAS_EXCEPTIONS
  try {
    throw;
  } catch (const GeneratorReturn&) {
    // A return completion that unwound the whole body: the generator ends normally.
  } catch (...) {
    state_->setBodyError(Error::current());
  }
#endif
}

template <class T>
AsyncGenerator<T> GenPromise<T>::get_return_object() {
  state_->setFrame(std::coroutine_handle<GenPromise>::from_promise(*this));
  return AsyncGenerator<T>(state_);
}

}  // namespace internal
}  // namespace vow
