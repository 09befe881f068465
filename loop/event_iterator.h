// vow::on(emitter, name): Node's events.on, an async iterator of an event's emissions.
//
//   // for await (const [chunk] of on(stream, 'data')) { ... }
//   auto it = vow::forAwait(vow::on<vow::Buffer>(*stream, "data", {.close = {"end"}}));
//   while (auto event = co_await it.next()) {
//     auto& [chunk] = *event;
//     ...
//   }
//   co_await it.close();  // removes the listeners if the loop was left early
//
// Each emission's arguments arrive as a std::tuple<A...> (Node: an array of the arguments), in
// emission order; emissions nobody waits for yet are queued. next() on a queued emission is
// already fulfilled (one tick to await, as Node's `Promise.resolve(result)`). An 'error'
// emission rejects the waiting next() (or the next one) and ends the iteration; so do the
// signal's abort (with an AbortError) and the `close` events (done). return_() ends it at once:
// every listener is removed and waiting next() calls get nullopt.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "vow/loop/abort_controller.h"
#include "vow/loop/event_emitter.h"
#include "vow/promise/error.h"
#include "vow/promise/internal/exceptions.h"
#include "vow/promise/promise.h"

namespace vow {

// Node: the options of events.on.
struct OnOptions {
  // Node: options.signal. Already aborted: on() throws the AbortError; aborted later: the
  // iteration ends with the AbortError (cause = the reason).
  AbortSignalRef signal;
  // Node: options.close: events that end the iteration (done), e.g. {"end"} or {"close"}.
  std::vector<std::string> close;
  // Node: options.highWaterMark / lowWaterMark: with more than highWaterMark emissions queued
  // the emitter is paused (if it has pause()), and resumed when fewer than lowWaterMark are.
  std::size_t highWaterMark = std::numeric_limits<std::size_t>::max();
  std::size_t lowWaterMark = 1;
};

namespace internal {

// The next() calls waiting for an emission. Owned by the listeners only: the consumer's frame
// waits on one of these promises while holding the iterator, so if the iterator owned their
// resolve functions, a consumer waiting on an emitter that is gone would keep itself alive.
template <class T>
struct OnWaiters {
  struct Waiting {
    ResolveFn<std::optional<T>> resolve;
    RejectFn reject;
  };
  std::deque<Waiting> list;
};

template <class T>
class OnState {
 public:
  using Result = Promise<std::optional<T>>;

  void eventHandler(OnWaiters<T>& waiters, T value) {
    if (waiters.list.empty()) {
      ++size_;
      queued_.push_back(std::move(value));
      if (!paused_ && size_ > options_.highWaterMark && pause_) {
        paused_ = true;
        pause_();
      }
    } else {
      ResolveFn<std::optional<T>> resolve = std::move(waiters.list.front().resolve);
      waiters.list.pop_front();
      resolve(std::optional<T>(std::move(value)));
    }
  }

  void errorHandler(Error err) {
    auto waiters = waiters_.lock();
    if (!waiters || waiters->list.empty()) {
      error_ = std::move(err);
    } else {
      RejectFn reject = std::move(waiters->list.front().reject);
      waiters->list.pop_front();
      reject(std::move(err));
    }
    (void)closeHandler();
  }

  Result closeHandler() {
    abort_.remove();
    finished_ = true;
    if (auto waiters = waiters_.lock()) {
      while (!waiters->list.empty()) {
        ResolveFn<std::optional<T>> resolve = std::move(waiters->list.front().resolve);
        waiters->list.pop_front();
        resolve(std::nullopt);
      }
    }
    removeAll();
    return Result::resolve(std::nullopt);
  }

  Result next() {
    if (size_ > 0) {
      T value = std::move(queued_.front());
      queued_.pop_front();
      --size_;
      if (paused_ && size_ < options_.lowWaterMark) {
        resume_();
        paused_ = false;
      }
      return Result::resolve(std::optional<T>(std::move(value)));
    }
    if (error_) return Result::reject(std::exchange(error_, Error()));
    if (finished_) return closeHandler();
    auto [promise, resolve, reject] = Result::withResolvers();
    // No listeners any more (the emitter is gone): nothing can settle it.
    if (auto waiters = waiters_.lock()) {
      waiters->list.push_back({std::move(resolve), std::move(reject)});
    }
    return promise;
  }

  void removeAll() {
    // Last added first, as Node's listenersController.
    if (weak_emitter_ && emitter_alive_.expired()) {
      listeners_.clear();  // went with the emitter
      return;
    }
    while (!listeners_.empty()) {
      auto [name, id] = std::move(listeners_.back());
      listeners_.pop_back();
      emitter_->off(name, id);
    }
  }

  EventEmitter* emitter_ = nullptr;
  // When given a shared_ptr: whether the emitter still exists (the iterator does not keep it
  // alive: its listeners would then keep the iterator's waiters, and so a waiting consumer,
  // alive in a cycle).
  std::weak_ptr<void> emitter_alive_;
  bool weak_emitter_ = false;
  OnOptions options_;
  absl::AnyInvocable<void()> pause_;
  absl::AnyInvocable<void()> resume_;
  std::deque<T> queued_;
  std::weak_ptr<OnWaiters<T>> waiters_;
  std::size_t size_ = 0;
  bool paused_ = false;
  bool finished_ = false;
  Error error_;
  std::vector<std::pair<std::string, EventEmitter::ListenerId>> listeners_;
  AbortRegistration abort_;
};

}  // namespace internal

// What vow::on returns: Node's events.on iterator. A handle; copies are the same iterator.
template <class T>
class EventIterator {
 public:
  // JS: iterator.next().
  Promise<std::optional<T>> next() { return state_->next(); }
  // JS: iterator.return(): removes every listener; waiting next() calls get nullopt.
  Promise<std::optional<T>> return_() { return state_->closeHandler(); }
  // JS: iterator.throw(err): as an 'error' emission (rejects the waiting next, or the next one,
  // and ends the iteration).
  void throw_(Error err) { state_->errorHandler(std::move(err)); }
  // JS: iterator[Symbol.asyncIterator]() returns the iterator.
  EventIterator asyncIterator() const { return *this; }

  // Node: the iterator's watermark data: queued emissions, and whether it paused the emitter.
  std::size_t size() const noexcept { return state_->size_; }
  bool isPaused() const noexcept { return state_->paused_; }

  explicit EventIterator(std::shared_ptr<internal::OnState<T>> s) : state_(std::move(s)) {}

 private:
  std::shared_ptr<internal::OnState<T>> state_;
};

namespace internal {

template <class... A, class E>
EventIterator<std::tuple<A...>> makeOn(E& emitter, std::weak_ptr<void> alive, bool weak_emitter,
                                       std::string name, OnOptions options) {
  using T = std::tuple<A...>;
  const AbortSignal& signal = options.signal.get();
  if (signal.aborted()) abortErrorOf(signal).rethrow();
  if (options.highWaterMark < 1 || options.lowWaterMark < 1) {
    VOW_THROW(
        RangeError(std::string("The value of \"options.") +
                       (options.highWaterMark < 1 ? "highWaterMark" : "lowWaterMark") +
                       "\" is out of range. It must be >= 1 && <= 9007199254740991. Received 0",
                   "ERR_OUT_OF_RANGE"));
  }
  auto state = std::make_shared<OnState<T>>();
  state->emitter_ = &emitter;
  state->emitter_alive_ = std::move(alive);
  state->weak_emitter_ = weak_emitter;
  if constexpr (requires {
                  emitter.pause();
                  emitter.resume();
                }) {
    state->pause_ = [&emitter] { emitter.pause(); };
    state->resume_ = [&emitter] { emitter.resume(); };
  }
  auto waiters = std::make_shared<OnWaiters<T>>();
  state->waiters_ = waiters;
  std::weak_ptr<OnState<T>> weak = state;
  // Listeners hold the state strongly (Node's closures do): an iterator nobody holds keeps
  // collecting until it is closed or the emitter goes away.
  state->listeners_.emplace_back(name, emitter.on(name, [state, waiters](const A&... args) {
    state->eventHandler(*waiters, T(args...));
  }));
  if (name != "error") {
    state->listeners_.emplace_back("error", emitter.on("error", [state, waiters](const Error& err) {
      state->errorHandler(err);
    }));
  }
  for (const std::string& close : options.close) {
    state->listeners_.emplace_back(
        close, emitter.on(close, [state, waiters] { (void)state->closeHandler(); }));
  }
  if (signal) {
    const AbortSignal::ListenerId id =
        signal.addEventListener("abort", [weak](const AbortEvent& event) {
          if (auto s = weak.lock()) s->errorHandler(abortErrorOf(event.target));
        });
    state->abort_ = AbortRegistration(signal, id);
  }
  state->options_ = std::move(options);
  return EventIterator<T>(std::move(state));
}

}  // namespace internal

// Node: events.on(emitter, name[, options]): an async iterator of the emissions of `name`,
// each as a std::tuple of the event's argument types. Given a reference, the emitter must
// outlive the iteration; given a std::shared_ptr, it may go first: a next() waiting then never
// settles (nothing can emit any more) and the waiting coroutine is released, as a promise
// nobody can settle releases its awaiters.
template <class... A, class E>
requires std::derived_from<E, EventEmitter> EventIterator<std::tuple<A...>> on(
    E& emitter, std::string name, OnOptions options = {}) {
  return internal::makeOn<A...>(emitter, {}, false, std::move(name), std::move(options));
}
template <class... A, class E>
requires std::derived_from<E, EventEmitter> EventIterator<std::tuple<A...>> on(
    const std::shared_ptr<E>& emitter, std::string name, OnOptions options = {}) {
  return internal::makeOn<A...>(*emitter, emitter, true, std::move(name), std::move(options));
}

}  // namespace vow
