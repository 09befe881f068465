// Internals of vow::Loop: timer lists, the cross-thread inbox. Users never include this.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "absl/functional/any_invocable.h"

namespace vow {
class Loop;
}  // namespace vow

namespace vow::internal {

struct TimerList;

// The weak link from handles (vow::Timeout, vow::Immediate, vow::IoWatcher) to their loop. The
// loop holds one reference and nulls `loop` in its destructor, so a handle that outlives its loop
// finds null, not freed memory: clearTimeout on it is then a no-op, as on a fired timer. Counted
// without atomics: handles are used on their loop's thread.
struct LoopLink {
  ::vow::Loop* loop = nullptr;
  std::uint32_t refs = 1;

  LoopLink* addRef() noexcept {
    ++refs;
    return this;
  }
  void release() noexcept {
    if (--refs == 0) delete this;
  }
};

// One setTimeout/setInterval timer: Node's `Timeout` object. Reference-counted without atomics
// (loop thread only): each vow::Timeout handle holds one reference, and the loop holds one while
// the timer is armed (in a list) or running.
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
  bool refed = true;       // Node's [kRefed]
  bool destroyed = false;  // Node's _destroyed
  bool cleared = false;    // clearTimeout ran (Node nulls _onTimeout)

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

// The loop's thread-safe entry: posted callbacks and thread-pool completions, signalled through
// one eventfd. A push writes the eventfd only when the queue was empty, so many completions cost
// one wake-up. Shared with pool jobs so a late completion never touches a destroyed loop.
class Inbox {
 public:
  Inbox();
  ~Inbox();
  Inbox(const Inbox&) = delete;
  Inbox& operator=(const Inbox&) = delete;

  // Any thread.
  void push(absl::AnyInvocable<void()> f);
  void wake();
  // Loop thread: takes everything queued (after clearing the eventfd).
  void takeAll(std::vector<absl::AnyInvocable<void()>>& out);

  int fd() const noexcept { return fd_; }
  std::size_t size() const noexcept { return count_.load(std::memory_order_acquire); }

  std::atomic<std::int64_t> keep_alive{0};

 private:
  int fd_ = -1;
  std::mutex mu_;
  std::vector<absl::AnyInvocable<void()>> queue_;
  std::atomic<std::size_t> count_{0};
};

// The epoll registration of one I/O watcher.
struct IoWatcherImpl {
  explicit IoWatcherImpl(LoopLink* l) noexcept : link(l->addRef()) {}
  IoWatcherImpl(const IoWatcherImpl&) = delete;
  IoWatcherImpl& operator=(const IoWatcherImpl&) = delete;
  ~IoWatcherImpl() { link->release(); }
  ::vow::Loop* loop() const noexcept { return link->loop; }

  LoopLink* link;  // its loop (null once the loop is destroyed)
  int fd = -1;
  std::uint32_t events = 0;  // IoEvents mask currently watched; 0 when stopped
  std::uint64_t id = 0;
  bool refed = true;
  // Its callback is running (moved out into Loop::poll, which puts it back afterwards).
  bool running = false;
  // Its IoWatcher was destroyed while the callback ran: Loop::poll frees it afterwards.
  bool orphaned = false;
  absl::AnyInvocable<void(std::uint32_t)> callback;
};

}  // namespace vow::internal
