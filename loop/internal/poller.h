// The poll phase's I/O: one epoll instance, the watchers registered on it, and the inbox's
// eventfd. Users never include this; they use Loop::watch and vow::IoWatcher.
#pragma once

#include <cstdint>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "vow/loop/internal/handle.h"

namespace vow {
class Loop;
}  // namespace vow

namespace vow::internal {

class InboxReader;

// The epoll registration of one I/O watcher. Active while it watches some events.
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
  HandleFlags flags;
  // Its callback is running (moved out into Poller::dispatch, which puts it back afterwards).
  bool running = false;
  // Its IoWatcher was destroyed while the callback ran: Poller::dispatch frees it afterwards.
  bool orphaned = false;
  absl::AnyInvocable<void(std::uint32_t)> callback;
};

class Poller {
 public:
  // Makes the epoll instance and registers the inbox's eventfd (throws std::system_error).
  Poller(Loop& loop, LoopLink* link, HandleCount& handles, InboxReader& inbox);
  ~Poller();
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;

  IoWatcherImpl* watch(int fd, std::uint32_t events, absl::AnyInvocable<void(std::uint32_t)> cb);
  // Changes the events watched (0 stops). Throws std::system_error if epoll refuses.
  void start(IoWatcherImpl* w, std::uint32_t events);
  void stop(IoWatcherImpl* w);
  void setRef(IoWatcherImpl* w, bool ref) noexcept { w->flags.setRef(handles_, ref); }

  // The poll phase: waits up to `timeout_ms` (-1: no limit) for I/O or the inbox, then runs
  // each ready watcher's callback and the inbox's callbacks, a checkpoint after each.
  // `drain_wakeups`: always read the epoll set, so that a wake-up with nothing queued (a
  // KeepAlive released) does not leave the epoll fd readable for an embedding host.
  void poll(int timeout_ms, bool drain_wakeups = false);
  // The poll phase resumed after an exception: the rest of the interrupted inbox batch, then
  // the rest of the events of the same epoll_wait, without polling again (libuv goes on with
  // the events it has).
  void resume();

  // The epoll instance: readable while a watched fd or the inbox is ready (Loop::backendFd).
  int fd() const noexcept { return epoll_fd_; }

  // Nanoseconds spent in epoll_wait calls that could block (timeout not 0): libuv's
  // uv_metrics_idle_time, which Node's eventLoopUtilization reads.
  std::int64_t idleNs() const noexcept { return idle_ns_; }

 private:
  void dispatch();

  Loop& loop_;
  LoopLink* link_;
  HandleCount& handles_;
  InboxReader& inbox_;
  int epoll_fd_ = -1;
  absl::flat_hash_map<std::uint64_t, IoWatcherImpl*> watchers_;
  std::uint64_t next_id_ = 1;  // 0 is the inbox
  std::int64_t idle_ns_ = 0;
  // The events of the last epoll_wait not dispatched yet (an exception interrupted them).
  static constexpr int kMaxEvents = 256;
  std::uint64_t polled_ids_[kMaxEvents];
  std::uint32_t polled_events_[kMaxEvents];
  int polled_count_ = 0;
  int polled_next_ = 0;
};

}  // namespace vow::internal
