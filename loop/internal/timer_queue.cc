// Timers, following Node's lib/internal/timers.js (insert, listOnTimeout, processTimers,
// unenroll, refresh) line by line where the order can be observed.
#include "vow/loop/internal/timer_queue.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "vow/loop/internal/trace.h"
#include "vow/loop/loop.h"
#include "vow/promise/internal/context.h"

namespace vow::internal {

namespace {

// Keeps a list from being freed while it is walked: clears its `processing` flag when the walk
// ends; if a callback threw, a list detached meanwhile (emptied by clearTimeout) is freed here.
auto processing(TimerList* list) {
  list->processing = true;
  return absl::Cleanup([list] {
    list->processing = false;
    if (std::uncaught_exceptions() > 0 && !list->in_map) delete list;
  });
}

}  // namespace

TimerQueue::~TimerQueue() {
  // The callbacks of armed timers go with the loop even where handles keep a timer object
  // alive (a callback may own what owns a handle: AbortSignal.timeout's). They are destroyed
  // last, when every timer is already cleared, so that a clearTimeout from their destructors
  // finds nothing to do.
  std::vector<absl::AnyInvocable<void()>> callbacks;
  for (TimerList* list : heap_) {
    TimerImpl* t = list->head;
    while (t != nullptr) {
      TimerImpl* next = t->next;
      t->list = nullptr;
      t->prev = t->next = nullptr;
      t->cleared = true;
      t->idle_timeout = -1;
      t->flags.setActive(handles_, false);
      callbacks.push_back(std::move(t->on_timeout));
      t->on_timeout = nullptr;
      t->release();
      t = next;
    }
    delete list;
  }
  heap_.clear();
  callbacks.clear();
}

// --- the heap of lists -----------------------------------------------------------------------

bool TimerQueue::listLess(const TimerList* a, const TimerList* b) noexcept {
  if (a->expiry != b->expiry) return a->expiry < b->expiry;
  return a->id < b->id;
}

void TimerQueue::heapUp(std::size_t i) {
  TimerList* item = heap_[i];
  while (i > 0) {
    std::size_t parent = (i - 1) / 2;
    if (!listLess(item, heap_[parent])) break;
    heap_[i] = heap_[parent];
    heap_[i]->heap_index = i;
    i = parent;
  }
  heap_[i] = item;
  item->heap_index = i;
}

void TimerQueue::heapDown(std::size_t i) {
  TimerList* item = heap_[i];
  std::size_t n = heap_.size();
  for (;;) {
    std::size_t child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && listLess(heap_[child + 1], heap_[child])) ++child;
    if (!listLess(heap_[child], item)) break;
    heap_[i] = heap_[child];
    heap_[i]->heap_index = i;
    i = child;
  }
  heap_[i] = item;
  item->heap_index = i;
}

void TimerQueue::heapRemove(std::size_t i) {
  TimerList* last = heap_.back();
  heap_.pop_back();
  if (i == heap_.size()) return;
  heap_[i] = last;
  last->heap_index = i;
  heapDown(i);
  heapUp(last->heap_index);
}

void TimerQueue::removeList(TimerList* list) {
  // Node: delete timerListMap[msecs]; timerListQueue.removeAt(...)
  if (!list->in_map) return;
  list->in_map = false;
  if (last_list_ == list) last_list_ = nullptr;
  lists_.erase(list->msecs);
  heapRemove(list->heap_index);
  if (!list->processing) delete list;
}

// --- arming ----------------------------------------------------------------------------------

void TimerQueue::insert(TimerImpl* t, double msecs_in, std::int64_t start) {
  // Node's insert(item, msecs, start).
  auto msecs = static_cast<std::int64_t>(std::trunc(msecs_in));
  t->start = start;
  TimerList* list = last_list_;
  if (list == nullptr || list->msecs != msecs) {
    TimerList*& slot = lists_[msecs];
    list = slot;
    if (list == nullptr) {
      list = new TimerList;
      list->expiry = start + msecs;
      list->msecs = msecs;
      list->id = next_list_id_++;
      slot = list;
      heap_.push_back(list);
      heapUp(heap_.size() - 1);
    }
    last_list_ = list;
  }
  t->list = list;
  t->next = nullptr;
  t->prev = list->tail;
  if (list->tail) {
    list->tail->next = t;
  } else {
    list->head = t;
  }
  list->tail = t;
  t->addRef();  // the queue's reference while armed
}

void TimerQueue::unlink(TimerImpl* t) {
  TimerList* list = t->list;
  if (list == nullptr) return;
  if (t->prev) {
    t->prev->next = t->next;
  } else {
    list->head = t->next;
  }
  if (t->next) {
    t->next->prev = t->prev;
  } else {
    list->tail = t->prev;
  }
  t->prev = t->next = nullptr;
  t->list = nullptr;
  t->release();
}

namespace {

// A timer runs in the async context current when it was made (Node's Timeout is the async
// resource). The same Timeout serves every repetition of an interval (and a refresh()), and
// Node v20 keeps an AsyncLocalStorage's store on the resource itself: an enterWith() inside the
// callback is still there at the next repetition. So an interval carries the context its
// callback ended in into the next run. Once AsyncLocalStorage is in use, intervals are bound
// even from the empty context, for that.
void bindTimerToContext(absl::AnyInvocable<void()>& cb, bool repeat) {
  if (currentContext() == nullptr && !(repeat && contextAware())) [[likely]]
    return;
  cb = [ctx = ContextRef::current(), f = std::move(cb)]() mutable {
    ContextScope scope(ctx.get());
    f();
    ctx = ContextRef::current();
  };
}

}  // namespace

TimerImpl* TimerQueue::add(absl::AnyInvocable<void()>&& cb, double after, bool repeat) {
  auto* t = new TimerImpl(link_);
  t->idle_timeout = after;
  t->repeat = repeat ? after : 0;
  t->on_timeout = std::move(cb);
  bindTimerToContext(t->on_timeout, repeat);
  t->flags.setActive(handles_, true);
  loop_.updateTime();  // Node reads the clock on every setTimeout call (getLibuvNow)
  insert(t, after, loop_.now());
  return t;
}

void TimerQueue::clear(TimerImpl* t) {
  // Node: clearTimeout(timer) { timer._onTimeout = null; unenroll(timer) }
  if (!t->cleared) {
    t->cleared = true;
    // Drop the callback now, unless it is the one running (the timers phase holds it then).
    t->on_timeout = nullptr;
  }
  // unenroll
  if (!t->flags.active) return;
  TimerList* list = t->list;
  t->addRef();
  if (list != nullptr) {
    unlink(t);
    if (list->head == nullptr) removeList(list);
  }
  t->flags.setActive(handles_, false);
  t->idle_timeout = -1;
  t->release();
}

void TimerQueue::refresh(TimerImpl* t) {
  // Node: refresh() -> active(this)/unrefActive(this) -> insertGuarded(item, refed, start).
  // insert() then L.append(), which unlinks the timer from its list but leaves that list in
  // place even when it is now empty: the timer goes back to the tail of the same list (same
  // duration), whose expiry and id are only renewed when listOnTimeout finds it too early.
  if (t->idle_timeout < 0) return;
  if (t->list != nullptr) {
    t->addRef();
    unlink(t);
    t->release();
  }
  loop_.updateTime();
  insert(t, t->idle_timeout, loop_.now());
  // A timer that fired and was then cleared has no callback any more (Node: _onTimeout is
  // null): it is armed again, keeping the loop alive until it is due, and is then skipped.
  t->flags.setActive(handles_, true);
}

// --- the timers phase ------------------------------------------------------------------------

void TimerQueue::run(std::int64_t now) {
  // Node's processTimers(now), called by libuv's timer when the first list is due.
  if (heap_.empty() || heap_[0]->expiry > now) return;
  bool ran_list = false;
  while (!heap_.empty()) {
    TimerList* list = heap_[0];
    if (list->expiry > now) break;
    if (ran_list) {
      // The checkpoint may clear every timer of `list` (removeList then detaches it from the
      // map and the heap). Node still processes the list it peeked, now empty; so must we:
      // hold it as "processing" so that it is detached but not freed (listOnTimeout frees it).
      auto guard = processing(list);
      loop_.checkpoint();
    } else {
      ran_list = true;
    }
    listOnTimeout(list, now);
  }
  // The checkpoint after the last timer callback (Node's InternalCallbackScope).
  loop_.checkpoint();
}

void TimerQueue::listOnTimeout(TimerList* list, std::int64_t now) {
  bool ran = false;
  {
    auto guard = processing(list);
    TimerImpl* t;
    while ((t = list->head) != nullptr) {
      std::int64_t diff = now - t->start;
      if (diff < list->msecs) {
        // Too early for this one (and the rest): the list is due again at its head's deadline.
        list->expiry = std::max(t->start + list->msecs, now + 1);
        list->id = next_list_id_++;
        if (list->in_map) heapDown(list->heap_index);
        break;
      }
      t->addRef();  // keep it across the checkpoint and the callback
      absl::Cleanup hold = [t] { t->release(); };
      if (ran) {
        loop_.checkpoint();
      } else {
        ran = true;
      }
      unlink(t);  // Node: L.remove(timer)
      if (t->cleared) {
        t->flags.setActive(handles_, false);
        continue;
      }
      std::int64_t start = 0;
      if (t->repeat != 0) {
        loop_.updateTime();
        start = loop_.now();
      }
      // Run the callback from a local: clearTimeout inside it must not destroy it mid-call.
      absl::AnyInvocable<void()> fn = std::move(t->on_timeout);
      // Node's `finally` after the callback: an interval is re-armed (from when it started),
      // a timeout is done.
      absl::Cleanup finally = [this, t, &fn, start] {
        if (!t->cleared) t->on_timeout = std::move(fn);
        if (t->repeat != 0 && t->idle_timeout != -1) {
          if (t->list == nullptr) {
            t->idle_timeout = t->repeat;
            insert(t, t->idle_timeout, start);
          }
        } else if (t->list == nullptr) {
          t->flags.setActive(handles_, false);
        }
      };
      TraceSpan span(t->repeat != 0 ? "setInterval" : "setTimeout", "callback");
      fn();
    }
  }
  // Node: if the list ran empty, it is deleted (unless a clearTimeout already detached it).
  if (list->head == nullptr) {
    if (list->in_map) {
      removeList(list);  // frees it (processing is false again)
    } else {
      delete list;  // detached while we walked it
    }
  }
}

}  // namespace vow::internal
