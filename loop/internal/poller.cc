#include "vow/loop/internal/poller.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "absl/cleanup/cleanup.h"
#include "vow/loop/internal/hrtime.h"
#include "vow/loop/internal/inbox.h"
#include "vow/loop/internal/trace.h"
#include "vow/loop/loop.h"
#include "vow/promise/internal/exceptions.h"

namespace vow::internal {

Poller::Poller(Loop& loop, LoopLink* link, HandleCount& handles, InboxReader& inbox)
    : loop_(loop), link_(link), handles_(handles), inbox_(inbox) {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) VOW_THROW(std::system_error(errno, std::generic_category(), "epoll_create1"));
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = 0;  // the inbox
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, inbox.inbox()->fd(), &ev) < 0) {
    int error = errno;
    ::close(epoll_fd_);
    VOW_THROW(std::system_error(error, std::generic_category(), "epoll_ctl"));
  }
}

Poller::~Poller() {
  // Watchers outliving the loop are stopped; their IoWatcher handles free them.
  for (auto& [id, w] : watchers_) w->events = 0;
  ::close(epoll_fd_);
}

IoWatcherImpl* Poller::watch(int fd, std::uint32_t events,
                             absl::AnyInvocable<void(std::uint32_t)> cb) {
  auto* w = new IoWatcherImpl(link_);
  w->fd = fd;
  w->id = next_id_++;
  w->callback = std::move(cb);
  VOW_TRY { start(w, events); }
  VOW_CATCH_ALL {
    delete w;
    VOW_RETHROW;
  }
  return w;
}

void Poller::start(IoWatcherImpl* w, std::uint32_t events) {
  if (events == 0) {
    stop(w);
    return;
  }
  epoll_event ev{};
  ev.events = ((events & kReadable) ? EPOLLIN : 0u) | ((events & kWritable) ? EPOLLOUT : 0u);
  ev.data.u64 = w->id;
  int op = w->events == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
  if (::epoll_ctl(epoll_fd_, op, w->fd, &ev) < 0) {
    VOW_THROW(std::system_error(errno, std::generic_category(), "epoll_ctl"));
  }
  if (w->events == 0) watchers_[w->id] = w;
  w->events = events;
  w->flags.setActive(handles_, true);
}

void Poller::stop(IoWatcherImpl* w) {
  if (w->events == 0) return;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, w->fd, nullptr);
  watchers_.erase(w->id);
  w->events = 0;
  w->flags.setActive(handles_, false);
}

void Poller::poll(int timeout_ms, bool drain_wakeups) {
  // Posts and completions left over from a batch an exception interrupted run first.
  if (inbox_.hasLeftover()) {
    inbox_.runLeftover();
    timeout_ms = 0;
  }
  polled_count_ = polled_next_ = 0;
  if (timeout_ms == 0 && watchers_.empty() && !drain_wakeups) {
    // Nothing but the inbox is registered and we must not block: skip the syscall (as libuv
    // skips epoll_wait with no fds) and look at the inbox's counter instead.
    if (inbox_.hasQueued()) inbox_.takeAndRun();
    return;
  }
  epoll_event events[kMaxEvents];
  int n;
  // Idle time is measured only around waits that may block, as libuv does: a poll with a zero
  // timeout costs no clock reads.
  const std::int64_t idle_start = timeout_ms != 0 ? monotonicNs() : 0;
  do {
    n = ::epoll_wait(epoll_fd_, events, kMaxEvents, timeout_ms);
  } while (n < 0 && errno == EINTR);
  if (timeout_ms != 0) idle_ns_ += monotonicNs() - idle_start;
  loop_.updateTime();
  // Collect first: callbacks may stop watchers (ids are looked up again before each call), and
  // an exception from one leaves the rest here for resume().
  bool inbox_ready = false;
  for (int i = 0; i < n; ++i) {
    polled_ids_[i] = events[i].data.u64;
    polled_events_[i] = events[i].events;
    inbox_ready |= polled_ids_[i] == 0;
  }
  polled_count_ = n > 0 ? n : 0;
  // Posts from the loop's own thread wrote no wake-up: they run here, where the inbox's
  // readiness would have been (the order of ready fds is the kernel's, not a promise).
  if (!inbox_ready && inbox_.hasQueued()) inbox_.takeAndRun();
  dispatch();
}

void Poller::resume() {
  inbox_.runLeftover();
  dispatch();
}

void Poller::dispatch() {
  while (polled_next_ < polled_count_) {
    int i = polled_next_++;
    if (polled_ids_[i] == 0) {
      inbox_.takeAndRun(/*signalled=*/true);
      continue;
    }
    auto it = watchers_.find(polled_ids_[i]);
    if (it == watchers_.end()) continue;
    IoWatcherImpl* w = it->second;
    std::uint32_t evs = polled_events_[i];
    std::uint32_t got = 0;
    if (evs & (EPOLLIN | EPOLLHUP | EPOLLERR)) got |= kReadable;
    if (evs & (EPOLLOUT | EPOLLHUP | EPOLLERR)) got |= kWritable;
    got &= w->events;
    if (got == 0) continue;
    // The callback runs from a local, so that destroying the watcher inside it does not destroy
    // the running callback. It goes back to the watcher afterwards whatever the callback did
    // to it (stop(), start() again, both): the watcher object lives on while stopped. If the
    // IoWatcher was destroyed meanwhile, the watcher object is freed here instead.
    auto cb = std::move(w->callback);
    w->running = true;
    absl::Cleanup restore = [w, &cb] {
      w->running = false;
      if (w->orphaned) {
        delete w;
      } else if (!w->callback) {
        w->callback = std::move(cb);
      }
    };
    {
      TraceSpan span("I/O", "callback");
      cb(got);
    }
    loop_.checkpoint();
  }
  polled_count_ = polled_next_ = 0;
}

}  // namespace vow::internal
