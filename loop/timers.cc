// Timers and immediates, following Node's lib/internal/timers.js: one list per duration (a
// timer is appended in O(1); a list is sorted by deadline because every timer in it has the same
// duration and a later start), the lists in a binary heap by (expiry, list id).
#include "vow/loop/timers.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <string>

#include "vow/loop/internal/js_value.h"
#include "vow/loop/loop.h"

namespace vow {

namespace {
constexpr double kTimeoutMax = 2147483647.0;  // 2^31 - 1, Node's TIMEOUT_MAX

double normalizeDelay(double after) {
  // Node: if (!(after >= 1 && after <= TIMEOUT_MAX)) after = 1;
  if (!(after >= 1 && after <= kTimeoutMax)) return 1;
  return after;
}

// Sets a flag for the duration of a scope; keeps a list from being freed while it is walked.
// If a callback throws, a list detached meanwhile (emptied by clearTimeout) is freed here.
struct ProcessingGuard {
  internal::TimerList* list;
  ~ProcessingGuard() {
    list->processing = false;
    if (std::uncaught_exceptions() > 0 && !list->in_map) delete list;
  }
};
}  // namespace

// --- the heap of lists -----------------------------------------------------------------------

bool Loop::listLess(const internal::TimerList* a, const internal::TimerList* b) noexcept {
  if (a->expiry != b->expiry) return a->expiry < b->expiry;
  return a->id < b->id;
}

void Loop::heapUp(std::size_t i) {
  internal::TimerList* item = heap_[i];
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

void Loop::heapDown(std::size_t i) {
  internal::TimerList* item = heap_[i];
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

void Loop::heapRemove(std::size_t i) {
  internal::TimerList* last = heap_.back();
  heap_.pop_back();
  if (i == heap_.size()) return;
  heap_[i] = last;
  last->heap_index = i;
  heapDown(i);
  heapUp(last->heap_index);
}

void Loop::removeList(internal::TimerList* list) {
  // Node: delete timerListMap[msecs]; timerListQueue.removeAt(...)
  if (!list->in_map) return;
  list->in_map = false;
  lists_.erase(list->msecs);
  heapRemove(list->heap_index);
  if (!list->processing) delete list;
}

// --- arming ----------------------------------------------------------------------------------

void Loop::insertTimer(internal::TimerImpl* t, double msecs_in, std::int64_t start) {
  // Node's insert(item, msecs, start).
  auto msecs = static_cast<std::int64_t>(std::trunc(msecs_in));
  t->start = start;
  internal::TimerList*& slot = lists_[msecs];
  internal::TimerList* list = slot;
  if (list == nullptr) {
    list = new internal::TimerList;
    list->expiry = start + msecs;
    list->msecs = msecs;
    list->id = next_list_id_++;
    slot = list;
    heap_.push_back(list);
    heapUp(heap_.size() - 1);
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
  t->addRef();  // the loop's reference while armed
}

void Loop::unlinkTimer(internal::TimerImpl* t) {
  internal::TimerList* list = t->list;
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

internal::TimerImpl* Loop::newTimer(absl::AnyInvocable<void()> cb, double after, bool repeat) {
  // Node: new Timeout(callback, after, args, isRepeat, isRefed) then insert(timeout, after).
  if (after > kTimeoutMax) {
    emitWarning(internal::jsNumberToString(after) +
                    " does not fit into a 32-bit signed integer.\nTimeout duration was set to 1.",
                "TimeoutOverflowWarning");
  }
  after = normalizeDelay(after);
  auto* t = new internal::TimerImpl(link_);
  t->idle_timeout = after;
  t->repeat = repeat ? after : 0;
  t->on_timeout = std::move(cb);
  t->refed = true;
  ++timer_ref_count_;
  updateTime();  // Node reads the clock on every setTimeout call (getLibuvNow)
  insertTimer(t, after, now_);
  return t;
}

void Loop::clearTimer(internal::TimerImpl* t) {
  // Node: clearTimeout(timer) { timer._onTimeout = null; unenroll(timer) }
  if (!t->cleared) {
    t->cleared = true;
    // Drop the callback now, unless it is the one running (the timers phase holds it then).
    t->on_timeout = nullptr;
  }
  // unenroll
  if (t->destroyed) return;
  t->destroyed = true;
  internal::TimerList* list = t->list;
  if (list != nullptr) {
    t->addRef();
    unlinkTimer(t);
    if (list->head == nullptr) removeList(list);
    if (t->refed) --timer_ref_count_;
    t->idle_timeout = -1;
    t->release();
    return;
  }
  if (t->refed) --timer_ref_count_;
  t->idle_timeout = -1;
}

void Loop::refTimer(internal::TimerImpl* t, bool ref) {
  if (t->refed == ref) return;
  t->refed = ref;
  if (!t->destroyed) {
    if (ref) {
      ++timer_ref_count_;
    } else {
      --timer_ref_count_;
    }
  }
}

void Loop::refreshTimer(internal::TimerImpl* t) {
  // Node: refresh() -> active(this)/unrefActive(this) -> insertGuarded(item, refed, start).
  // insert() then L.append(), which unlinks the timer from its list but leaves that list in
  // place even when it is now empty: the timer goes back to the tail of the same list (same
  // duration), whose expiry and id are only renewed when listOnTimeout finds it too early.
  if (t->idle_timeout < 0) return;
  if (t->list != nullptr) {
    t->addRef();
    unlinkTimer(t);
    t->release();
  }
  updateTime();
  insertTimer(t, t->idle_timeout, now_);
  // A timer that fired and was then cleared has no callback any more (Node: _onTimeout is
  // null): it is armed again, keeping the loop alive until it is due, and is then skipped.
  if (t->destroyed) {
    t->destroyed = false;
    if (t->refed) ++timer_ref_count_;
  }
}

// --- the timers phase ------------------------------------------------------------------------

void Loop::runTimers() {
  // Node's processTimers(now), called by libuv's timer when the first list is due.
  if (heap_.empty() || heap_[0]->expiry > now_) return;
  std::int64_t now = now_;
  bool ran_list = false;
  while (!heap_.empty()) {
    internal::TimerList* list = heap_[0];
    if (list->expiry > now) break;
    if (ran_list) {
      // The checkpoint may clear every timer of `list` (removeList then detaches it from the
      // map and the heap). Node still processes the list it peeked, now empty; so must we:
      // hold it as "processing" so that it is detached but not freed (listOnTimeout frees it).
      list->processing = true;
      ProcessingGuard guard{list};
      checkpoint();
    } else {
      ran_list = true;
    }
    listOnTimeout(list, now);
  }
  // The checkpoint after the last timer callback (Node's InternalCallbackScope).
  checkpoint();
}

void Loop::listOnTimeout(internal::TimerList* list, std::int64_t now) {
  list->processing = true;
  bool ran = false;
  {
    ProcessingGuard guard{list};
    internal::TimerImpl* t;
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
      struct Hold {
        internal::TimerImpl* t;
        ~Hold() { t->release(); }
      } hold{t};
      if (ran) {
        checkpoint();
      } else {
        ran = true;
      }
      unlinkTimer(t);  // Node: L.remove(timer)
      if (t->cleared) {
        if (!t->destroyed) {
          t->destroyed = true;
          if (t->refed) --timer_ref_count_;
        }
        continue;
      }
      std::int64_t start = 0;
      if (t->repeat != 0) {
        updateTime();
        start = now_;
      }
      // Run the callback from a local: clearTimeout inside it must not destroy it mid-call.
      absl::AnyInvocable<void()> fn = std::move(t->on_timeout);
      struct Finally {
        Loop* loop;
        internal::TimerImpl* t;
        absl::AnyInvocable<void()>* fn;
        std::int64_t start;
        ~Finally() {
          if (!t->cleared) t->on_timeout = std::move(*fn);
          if (t->repeat != 0 && t->idle_timeout != -1) {
            if (t->list == nullptr) {
              t->idle_timeout = t->repeat;
              loop->insertTimer(t, t->idle_timeout, start);
            }
          } else if (t->list == nullptr && !t->destroyed) {
            t->destroyed = true;
            if (t->refed) --loop->timer_ref_count_;
          }
        }
      } fin{this, t, &fn, start};
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

// --- immediates ------------------------------------------------------------------------------

std::uint64_t Loop::newImmediate(absl::AnyInvocable<void()> cb) {
  std::uint64_t id = next_immediate_id_++;
  immediates_.push_back(ImmediateEntry{id, true, false, std::move(cb)});
  ++immediate_ref_count_;
  return id;
}

Loop::ImmediateEntry* Loop::findImmediate(std::uint64_t id) {
  auto by_id = [](const ImmediateEntry& e, std::uint64_t v) { return e.id < v; };
  auto it = std::lower_bound(immediates_.begin(), immediates_.end(), id, by_id);
  if (it != immediates_.end() && it->id == id) return &*it;
  auto first = running_immediates_.begin() + static_cast<std::ptrdiff_t>(running_index_);
  auto jt = std::lower_bound(first, running_immediates_.end(), id, by_id);
  if (jt != running_immediates_.end() && jt->id == id) return &*jt;
  return nullptr;
}
const Loop::ImmediateEntry* Loop::findImmediate(std::uint64_t id) const {
  return const_cast<Loop*>(this)->findImmediate(id);
}

void Loop::clearImmediate(std::uint64_t id) {
  ImmediateEntry* e = findImmediate(id);
  if (e == nullptr || e->destroyed) return;
  e->destroyed = true;
  if (e->refed) --immediate_ref_count_;
  e->refed = false;
  e->callback = nullptr;
}

void Loop::refImmediate(std::uint64_t id, bool ref) {
  ImmediateEntry* e = findImmediate(id);
  if (e == nullptr || e->destroyed || e->refed == ref) return;
  e->refed = ref;
  if (ref) {
    ++immediate_ref_count_;
  } else {
    --immediate_ref_count_;
  }
}

bool Loop::immediateHasRef(std::uint64_t id) const {
  const ImmediateEntry* e = findImmediate(id);
  return e != nullptr && e->refed;
}

void Loop::runCheck(bool resumed) {
  // Node's processImmediate: runs the immediates queued before this phase (or those an
  // exception left over: Node's outstandingQueue); new ones wait for the next one. Resumed
  // after an exception, it goes on with the batch, or with the next one if that was the last
  // (Node's CheckImmediate calls processImmediate again while kHasOutstanding is set).
  if (running_index_ >= running_immediates_.size()) {
    if (immediates_.empty()) return;
    running_immediates_.clear();
    running_index_ = 0;
    running_immediates_.swap(immediates_);
  }
  // Node's CheckImmediate first runs its native immediates in a callback scope whose end is a
  // checkpoint: empty after any callback, except for ticks an exception left behind.
  if (!resumed) checkpoint();
  bool ran = false;
  while (running_index_ < running_immediates_.size()) {
    if (ran) {
      checkpoint();
    } else {
      ran = true;
    }
    ImmediateEntry& e = running_immediates_[running_index_++];
    if (e.destroyed) continue;
    e.destroyed = true;
    if (e.refed) --immediate_ref_count_;
    e.refed = false;
    absl::AnyInvocable<void()> fn = std::move(e.callback);
    fn();
  }
  running_immediates_.clear();
  running_index_ = 0;
  if (ran) checkpoint();
}

// --- the public functions --------------------------------------------------------------------

Timeout setTimeout(absl::AnyInvocable<void()> f, double ms) {
  return Timeout(Loop::current().newTimer(std::move(f), ms, false));
}

Timeout setInterval(absl::AnyInvocable<void()> f, double ms) {
  return Timeout(Loop::current().newTimer(std::move(f), ms, true));
}

// Every handle operation checks the link: after its loop is destroyed a handle does nothing.
void clearTimeout(const Timeout& t) {
  if (t.t_ == nullptr) return;
  if (Loop* loop = t.t_->loop()) loop->clearTimer(t.t_);
}

Timeout& Timeout::ref() {
  if (t_ == nullptr) return *this;
  if (Loop* loop = t_->loop()) loop->refTimer(t_, true);
  return *this;
}
Timeout& Timeout::unref() {
  if (t_ == nullptr) return *this;
  if (Loop* loop = t_->loop()) loop->refTimer(t_, false);
  return *this;
}
Timeout& Timeout::refresh() {
  if (t_ == nullptr) return *this;
  if (Loop* loop = t_->loop()) loop->refreshTimer(t_);
  return *this;
}
void Timeout::close() { clearTimeout(*this); }

Immediate setImmediate(absl::AnyInvocable<void()> f) {
  Loop& loop = Loop::current();
  std::uint64_t id = loop.newImmediate(std::move(f));
  return Immediate(loop.link()->addRef(), id);
}

Loop* Immediate::loop() const noexcept { return link_ != nullptr ? link_->loop : nullptr; }

void clearImmediate(const Immediate& i) {
  if (Loop* loop = i.loop()) loop->clearImmediate(i.id_);
}

Immediate& Immediate::ref() {
  if (Loop* loop = this->loop()) loop->refImmediate(id_, true);
  return *this;
}
Immediate& Immediate::unref() {
  if (Loop* loop = this->loop()) loop->refImmediate(id_, false);
  return *this;
}
bool Immediate::hasRef() const {
  Loop* loop = this->loop();
  return loop != nullptr && loop->immediateHasRef(id_);
}

}  // namespace vow
