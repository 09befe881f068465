// The timers phase's queue: Node's lib/internal/timers.js lists and heap. Users never include
// this; they use vow::setTimeout & co. (vow/loop/timers.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "vow/loop/internal/handle.h"

namespace vow {
class Loop;
}  // namespace vow

namespace vow::internal {

struct TimerList;

// One setTimeout/setInterval timer: Node's `Timeout` object. Reference-counted without atomics
// (loop thread only): each vow::Timeout handle holds one reference, and the loop holds one while
// the timer is armed (in a list) or running. Active while armed (Node: !_destroyed).
struct TimerImpl {
  TimerImpl* prev = nullptr;  // intrusive links in `list`
  TimerImpl* next = nullptr;
  TimerList* list = nullptr;              // the list it is armed in, or null
  LoopLink* link = nullptr;               // its loop (null once the loop is destroyed)
  std::int64_t start = 0;                 // Node's _idleStart: loop time (ms) when (re)armed
  double idle_timeout = 1;                // Node's _idleTimeout; -1 once cleared
  double repeat = 0;                      // Node's _repeat; 0 for setTimeout
  absl::AnyInvocable<void()> on_timeout;  // Node's _onTimeout
  std::uint32_t refs = 0;
  HandleFlags flags;     // active: Node's !_destroyed; refed: Node's [kRefed]
  bool cleared = false;  // clearTimeout ran (Node nulls _onTimeout)

  explicit TimerImpl(LoopLink* l) noexcept : link(l->addRef()) {}
  TimerImpl(const TimerImpl&) = delete;
  TimerImpl& operator=(const TimerImpl&) = delete;
  ~TimerImpl() { link->release(); }
  ::vow::Loop* loop() const noexcept { return link->loop; }
  void addRef() noexcept { ++refs; }
  void release() noexcept {
    if (--refs == 0) delete this;
  }
};

// All armed timers of one duration, in arming order, so in deadline order: Node's TimersList.
// Lists sit in a binary heap ordered by (expiry, id).
struct TimerList {
  std::int64_t expiry = 0;
  std::int64_t msecs = 0;
  std::uint64_t id = 0;
  TimerImpl* head = nullptr;
  TimerImpl* tail = nullptr;
  std::size_t heap_index = 0;
  bool in_map = true;       // still the list for `msecs` (and in the heap)
  bool processing = false;  // listOnTimeout is walking it: do not free it under its feet
};

// Node's timerListMap and timerListQueue: one list per duration (a timer is appended in O(1);
// a list is sorted by deadline because its timers share a duration and start later and later),
// the lists in a binary heap by (expiry, list id).
class TimerQueue {
 public:
  TimerQueue(Loop& loop, LoopLink* link, HandleCount& handles) noexcept
      : loop_(loop), link_(link), handles_(handles) {}
  // Disarms every timer: handles that outlive the loop keep their TimerImpl, unarmed.
  ~TimerQueue();
  TimerQueue(const TimerQueue&) = delete;
  TimerQueue& operator=(const TimerQueue&) = delete;

  // Node: new Timeout(...) and insert(): arms a new timer at the loop's time. `after` must be
  // normalised already (1 .. TIMEOUT_MAX). The queue holds a reference while it is armed.
  TimerImpl* add(absl::AnyInvocable<void()>&& cb, double after, bool repeat);
  // Node: clearTimeout(t) (unenroll).
  void clear(TimerImpl* t);
  // Node: timeout.ref() / unref().
  void setRef(TimerImpl* t, bool ref) noexcept { t->flags.setRef(handles_, ref); }
  // Node: timeout.refresh().
  void refresh(TimerImpl* t);

  // Node's processTimers(now): runs every due timer, a checkpoint between two and after the
  // last. Called again after an exception, it goes on with the next due timer.
  void run(std::int64_t now);

  bool empty() const noexcept { return heap_.empty(); }
  // The first list's expiry (loop time, ms); only when !empty().
  std::int64_t nextExpiry() const noexcept { return heap_[0]->expiry; }

 private:
  void listOnTimeout(TimerList* list, std::int64_t now);
  void insert(TimerImpl* t, double msecs, std::int64_t start);
  void unlink(TimerImpl* t);  // from its list; drops the queue's reference
  void removeList(TimerList* list);
  void heapUp(std::size_t i);
  void heapDown(std::size_t i);
  void heapRemove(std::size_t i);
  static bool listLess(const TimerList* a, const TimerList* b) noexcept;

  Loop& loop_;
  LoopLink* link_;
  HandleCount& handles_;
  absl::flat_hash_map<std::int64_t, TimerList*> lists_;
  TimerList* last_list_ = nullptr;  // the list insert() found last (most timers share a delay)
  std::vector<TimerList*> heap_;
  std::uint64_t next_list_id_ = 1;
};

}  // namespace vow::internal
