// AbortSignal's state. Two things are worth explaining.
//
// The listener list is a singly linked list walked the way Node's EventTarget walks its own:
// dispatch remembers the next node before calling a listener, a removed node is only flagged
// (its `next` still leads on), and a node appended during dispatch is reached only if the
// listener running was not the last one. Removing, appending and once-listeners then behave
// exactly as in Node, including the odd cases (see abort_controller_test.cc).
//
// Lifetimes. JS keeps a signal alive as long as anything can reach it, and Node takes care
// that a timeout signal or an AbortSignal.any() signal that someone listens to stays alive until
// it aborts (its timer and its sources hold it only weakly). Here: the timer of a timeout
// signal and the sources of an any() signal hold weak pointers; a signal that has listeners
// ("pinned") is also held strongly by the one that will abort it: its timer's holder, or each
// source's dependant entry (pinning the source in turn). Nothing holds a signal that nobody
// listens to, so dropping the last handle frees it (and clears a timeout's timer), and when the
// loop is destroyed its timers' callbacks release the pins: no cycle outlives the loop.
#include "vow/loop/abort_controller.h"

#include <cmath>
#include <exception>
#include <memory>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "vow/loop/internal/js_value.h"
#include "vow/loop/loop.h"
#include "vow/loop/timers.h"
#include "vow/promise/internal/exceptions.h"
#include "vow/promise/microtask.h"

namespace vow {

namespace internal {

namespace {

// ERR_OUT_OF_RANGE's "Received ...": an integer above 2^32 in magnitude gets "_" separators.
std::string receivedNumber(double value) {
  std::string text = jsNumberToString(value);
  if (std::trunc(value) != value || std::fabs(value) <= 4294967296.0 ||
      text.find('e') != std::string::npos) {
    return text;
  }
  const std::size_t start = text[0] == '-' ? 1 : 0;
  for (std::size_t i = text.size(); i > start + 3; i -= 3) text.insert(i - 3, "_");
  return text;
}

Error defaultAbortReason() { return DOMException("This operation was aborted", "AbortError"); }

struct ListenerNode {
  AbortSignal::ListenerId id = 0;
  absl::AnyInvocable<void(const AbortEvent&)> fn;
  std::shared_ptr<ListenerNode> next;
  ListenerNode* prev = nullptr;
  bool once = false;
  bool removed = false;
};

}  // namespace

class AbortState : public std::enable_shared_from_this<AbortState> {
 public:
  // What the timer of AbortSignal.timeout() holds: the signal weakly, and strongly while pinned.
  struct TimerHolder {
    std::weak_ptr<AbortState> weak;
    std::shared_ptr<AbortState> strong;
  };

  AbortState() = default;
  AbortState(const AbortState&) = delete;
  AbortState& operator=(const AbortState&) = delete;
  ~AbortState() {
    if (is_timeout_) clearTimeout(timer_);
  }

  bool aborted() const noexcept { return aborted_; }
  const Error& reason() const noexcept { return reason_; }

  // Node's abortSignal(signal, reason): no effect once aborted.
  void abort(Error reason) {
    if (aborted_) return;
    auto self = shared_from_this();  // listeners may drop the last handle
    aborted_ = true;
    reason_ = std::move(reason);
    unpin();
    // Aborted, it waits for nothing: its timer no longer holds it for its dependants either.
    // (Kept, that hold was a cycle: the signal holds its timer, whose callback holds it.)
    updateTimerHold();
    dispatch();
    // Node walks its dependants Set in insertion order, skipping those already collected.
    auto dependants = std::move(dependants_);
    dependants_.clear();
    for (Dependant& d : dependants) {
      if (auto s = d.weak.lock()) s->abort(reason_);
    }
  }

  AbortSignal::ListenerId add(absl::AnyInvocable<void(const AbortEvent&)> fn, bool once) {
    auto node = std::make_shared<ListenerNode>();
    node->id = next_id_++;
    node->fn = std::move(fn);
    node->once = once;
    append(node);
    return node->id;
  }

  bool remove(AbortSignal::ListenerId id) {
    auto it = index_.find(id);
    if (it == index_.end() || it->second == onabort_) return false;  // onabort(nullptr) clears
    unlink(it->second);
    return true;
  }

  void setOnabort(absl::AnyInvocable<void(const AbortEvent&)> handler) {
    if (onabort_ == nullptr) {
      // Node's first set adds the wrapper with addEventListener even when the value is null: it
      // takes its place in the order and counts in the size (one more than Node's later sets
      // keep track of: null then a function counts 2).
      auto node = std::make_shared<ListenerNode>();
      node->id = next_id_++;
      node->fn = std::move(handler);
      onabort_ = node.get();
      append(node);
      return;
    }
    // The node stays where it is; only the count of "real" listeners changes (Node's size).
    const bool had = onabort_->fn != nullptr;
    onabort_->fn = std::move(handler);
    const bool has = onabort_->fn != nullptr;
    if (had && !has) countRemoved();
    if (!had && has) countAdded();
  }

  void setMaxListeners(std::size_t n) { max_listeners_ = n; }

  void makeTimeout(double ms) {
    auto holder = std::make_shared<TimerHolder>();
    holder->weak = weak_from_this();
    timer_holder_ = holder;
    is_timeout_ = true;
    timer_ = setTimeout(
        [holder = std::move(holder)] {
          if (auto s = holder->weak.lock()) {
            s->abort(DOMException("The operation was aborted due to timeout", "TimeoutError"));
          }
        },
        ms);
    timer_.unref();
  }

  // AbortSignal.any(): `this` is the result; `source` a non-composite signal.
  void addSource(const std::shared_ptr<AbortState>& source) {
    for (const auto& s : sources_) {
      if (s.lock() == source) return;
    }
    sources_.push_back(source);
    source->pruneDependants();
    source->dependants_.push_back(Dependant{weak_from_this(), nullptr});
  }
  bool composite = false;
  const std::vector<std::weak_ptr<AbortState>>& sources() const noexcept { return sources_; }

 private:
  struct Dependant {
    std::weak_ptr<AbortState> weak;
    std::shared_ptr<AbortState> strong;  // set while the dependant is pinned
  };

  void append(const std::shared_ptr<ListenerNode>& node) {
    node->prev = tail_;
    tail_->next = node;
    tail_ = node.get();
    index_.emplace(node->id, node.get());
    countAdded();
  }

  void unlink(ListenerNode* n) {
    auto keep = n->prev->next;  // the owning pointer to n; n's own `next` stays (see top)
    n->prev->next = n->next;
    if (n->next != nullptr) n->next->prev = n->prev;
    if (tail_ == n) tail_ = n->prev;
    n->removed = true;
    index_.erase(n->id);
    if (n != onabort_ || n->fn != nullptr) countRemoved();
  }

  void countAdded() {
    ++size_;
    if (size_ == 1) pin();
    if (max_listeners_ > 0 && size_ > max_listeners_ && !warned_) {
      warned_ = true;
      Loop::current().process().emitWarning(
          "Possible EventTarget memory leak detected. " + std::to_string(size_) +
              " abort listeners added to [AbortSignal]. MaxListeners is " +
              std::to_string(max_listeners_) + ". Use events.setMaxListeners() to increase limit",
          "MaxListenersExceededWarning");
    }
  }
  void countRemoved() {
    --size_;
    if (size_ == 0) unpin();
  }

  void dispatch() {
    AbortSignal target(shared_from_this());
    AbortEvent event{target};
    std::shared_ptr<ListenerNode> handler = head_.next;
    while (handler != nullptr) {
      std::shared_ptr<ListenerNode> next = handler->next;
      if (handler->removed) {
        handler = std::move(next);
        continue;
      }
      if (handler->once) unlink(handler.get());
      if (handler->fn != nullptr) {
        VOW_TRY { handler->fn(event); }
        VOW_CATCH_ALL {
          // Node's EventTarget: process.nextTick(() => { throw err; }).
          nextTick([e = std::current_exception()] { std::rethrow_exception(e); });
        }
      }
      handler = std::move(next);
    }
  }

  // Pinning: see the top of this file. A pinned signal is held by what will abort it.
  void pin() {
    if (aborted_ || pinned_) return;
    pinned_ = true;
    updateTimerHold();
    for (const auto& w : sources_) {
      if (auto s = w.lock()) s->pinDependant(this);
    }
  }
  void unpin() {
    if (!pinned_) return;
    pinned_ = false;
    auto self = shared_from_this();  // releasing the pins may release the last owner
    updateTimerHold();
    for (const auto& w : sources_) {
      if (auto s = w.lock()) s->unpinDependant(this);
    }
  }
  void pinDependant(AbortState* d) {
    for (Dependant& dep : dependants_) {
      auto s = dep.weak.lock();
      if (s.get() == d) {
        if (dep.strong == nullptr) {
          dep.strong = std::move(s);
          ++pinned_dependants_;
          updateTimerHold();
        }
        return;
      }
    }
  }
  void unpinDependant(AbortState* d) {
    for (Dependant& dep : dependants_) {
      if (dep.strong.get() == d) {
        auto keep = std::move(dep.strong);
        dep.strong = nullptr;
        --pinned_dependants_;
        updateTimerHold();
        return;
      }
    }
  }
  // A timeout signal's timer holds it while it can still abort and someone would see it: it
  // has listeners (pinned_) or a pinned any() signal depends on it. Derived from that state at
  // every change, so no path can leave a stale hold (a cycle through the timer's callback).
  void updateTimerHold() {
    auto holder = timer_holder_.lock();
    if (holder == nullptr) return;
    if (!aborted_ && (pinned_ || pinned_dependants_ > 0)) {
      holder->strong = shared_from_this();
    } else {
      holder->strong.reset();
    }
  }
  void pruneDependants() {
    std::erase_if(dependants_, [](const Dependant& d) { return d.weak.expired(); });
  }

  ListenerNode head_;  // sentinel: head_.next is the first listener
  ListenerNode* tail_ = &head_;
  absl::flat_hash_map<AbortSignal::ListenerId, ListenerNode*> index_;  // listeners in the list
  ListenerNode* onabort_ = nullptr;
  std::size_t size_ = 0;  // listeners, as Node counts them (onabort while set)
  std::size_t max_listeners_ = EventEmitter::defaultMaxListeners;
  AbortSignal::ListenerId next_id_ = 1;
  bool aborted_ = false;
  bool warned_ = false;
  bool pinned_ = false;
  Error reason_;
  std::vector<Dependant> dependants_;
  std::size_t pinned_dependants_ = 0;
  std::vector<std::weak_ptr<AbortState>> sources_;
  bool is_timeout_ = false;
  Timeout timer_;
  // Weak: the holder belongs to the timer's callback, so that it goes with the loop.
  std::weak_ptr<TimerHolder> timer_holder_;
};

}  // namespace internal

const AbortSignal& AbortSignalRef::get() const noexcept {
  static const AbortSignal kNone;
  return signal_ != nullptr ? *signal_ : kNone;
}

bool AbortSignal::aborted() const noexcept { return state_ != nullptr && state_->aborted(); }

const Error& AbortSignal::reason() const noexcept {
  static const Error kNone;
  return state_ != nullptr ? state_->reason() : kNone;
}

void AbortSignal::throwIfAborted() const {
  if (aborted()) reason().rethrow();
}

AbortSignal::ListenerId AbortSignal::add(std::string_view type,
                                         absl::AnyInvocable<void(const AbortEvent&)> listener,
                                         bool once) const {
  if (state_ == nullptr || type != "abort" || listener == nullptr) return 0;
  return state_->add(std::move(listener), once);
}

bool AbortSignal::removeEventListener(std::string_view type, ListenerId id) const {
  if (state_ == nullptr || type != "abort") return false;
  return state_->remove(id);
}

void AbortSignal::onabort(absl::AnyInvocable<void(const AbortEvent&)> handler) const {
  if (state_ != nullptr) state_->setOnabort(std::move(handler));
}

const AbortSignal& AbortSignal::setMaxListeners(int n) const {
  if (n < 0) {
    VOW_THROW(RangeError(
        "The value of \"n\" is out of range. It must be a non-negative number. Received " +
            std::to_string(n),
        "ERR_OUT_OF_RANGE"));
  }
  if (state_ != nullptr) state_->setMaxListeners(static_cast<std::size_t>(n));
  return *this;
}

AbortSignal AbortSignal::abort(Error reason) {
  auto state = std::make_shared<internal::AbortState>();
  state->abort(reason ? std::move(reason) : internal::defaultAbortReason());
  return AbortSignal(std::move(state));
}

AbortSignal AbortSignal::timeout(double ms) {
  // Node: validateUint32(delay, 'delay', false).
  if (!std::isfinite(ms) || std::trunc(ms) != ms) {
    VOW_THROW(
        RangeError("The value of \"delay\" is out of range. It must be an integer. Received " +
                       internal::jsNumberToString(ms),
                   "ERR_OUT_OF_RANGE"));
  }
  if (ms < 0 || ms > 4294967295.0) {
    VOW_THROW(RangeError(
        "The value of \"delay\" is out of range. It must be >= 0 && <= 4294967295. Received " +
            internal::receivedNumber(ms),
        "ERR_OUT_OF_RANGE"));
  }
  auto state = std::make_shared<internal::AbortState>();
  state->makeTimeout(ms);
  return AbortSignal(std::move(state));
}

AbortSignal AbortSignal::any(const std::vector<AbortSignal>& signals) {
  auto result = std::make_shared<internal::AbortState>();
  result->composite = true;
  for (const AbortSignal& signal : signals) {
    if (signal.state_ == nullptr) {
      VOW_THROW(
          TypeError("The \"signals\" argument must be an array of AbortSignal instances (an empty "
                    "vow::AbortSignal is none)",
                    "ERR_INVALID_ARG_TYPE"));
    }
  }
  for (const AbortSignal& signal : signals) {
    if (signal.aborted()) {
      result->abort(signal.reason());
      return AbortSignal(std::move(result));
    }
    if (!signal.state_->composite) {
      result->addSource(signal.state_);
    } else {
      // Node flattens: the result depends on the composite's own sources.
      for (const auto& w : signal.state_->sources()) {
        if (auto source = w.lock()) result->addSource(source);
      }
    }
  }
  return AbortSignal(std::move(result));
}

Promise<void> aborted(const AbortSignal& signal) {
  if (!signal) {
    return Promise<void>::reject(
        TypeError("The \"signal\" argument must be an instance of AbortSignal. Received undefined",
                  "ERR_INVALID_ARG_TYPE"));
  }
  auto [inner, resolve, reject] = Promise<void>::withResolvers();
  if (signal.aborted()) {
    resolve();
  } else {
    signal.addEventListener("abort", [resolve = std::move(resolve)] { resolve(); }, {.once = true});
  }
  // Node's is an async function: its promise adopts this one.
  auto [outer, resolve_outer, reject_outer] = Promise<void>::withResolvers();
  resolve_outer(inner);
  return outer;
}

AbortListener addAbortListener(const AbortSignal& signal,
                               absl::AnyInvocable<void(const AbortEvent&)> listener) {
  if (!signal) {
    VOW_THROW(
        TypeError("The \"signal\" argument must be an instance of AbortSignal. Received undefined",
                  "ERR_INVALID_ARG_TYPE"));
  }
  if (signal.aborted()) {
    queueMicrotask(
        [signal, listener = std::move(listener)]() mutable { listener(AbortEvent{signal}); });
    return AbortListener();
  }
  const AbortSignal::ListenerId id =
      signal.addEventListener("abort", std::move(listener), {.once = true});
  return AbortListener(signal, id);
}

AbortController::AbortController()
    : signal_(AbortSignal(std::make_shared<internal::AbortState>())) {}

void AbortController::abort(Error reason) {
  signal_.state_->abort(reason ? std::move(reason) : internal::defaultAbortReason());
}

}  // namespace vow
