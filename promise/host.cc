#include "vow/promise/host.h"

#include <utility>
#include <vector>

#include "vow/promise/microtask.h"
#include "vow/promise/promise.h"

namespace vow {

namespace {

// This thread's host, and the rejection reports made while it had none.
struct HostSlot {
  HostSlot() {
    // The backlog releases promises when the thread ends: make the promise layer's own
    // thread-locals first, so that they are destroyed after this one.
    internal::JobQueue::current();
    internal::Reaper::run([](void*) {}, nullptr);
  }
  PromiseHost* host = nullptr;
  std::vector<AnyPromise> backlog;
};

HostSlot& slot() {
  thread_local HostSlot s;
  return s;
}

}  // namespace

void PromiseHost::scheduleCallback(absl::AnyInvocable<void()> f) { queueMicrotask(std::move(f)); }

PromiseHost* promiseHost() noexcept { return slot().host; }

PromiseHost* setPromiseHost(PromiseHost* host) {
  HostSlot& s = slot();
  PromiseHost* previous = std::exchange(s.host, host);
  if (host != nullptr && !s.backlog.empty()) {
    std::vector<AnyPromise> backlog = std::move(s.backlog);
    s.backlog.clear();
    for (const AnyPromise& p : backlog) host->promiseRejectedWithoutHandler(p);
  }
  return previous;
}

namespace internal {

void reportRejectedWithoutHandler(StateBase* promise) {
  HostSlot& s = slot();
  if (s.host != nullptr) {
    s.host->promiseRejectedWithoutHandler(AnyPromise(promise));
  } else {
    s.backlog.emplace_back(promise);
  }
}

void reportHandledAfterRejection(StateBase* promise) {
  HostSlot& s = slot();
  if (s.host != nullptr) {
    s.host->promiseHandledAfterRejection(AnyPromise(promise));
    return;
  }
  // Handled before any host saw it: it was never unhandled as far as a host can tell.
  for (auto it = s.backlog.begin(); it != s.backlog.end(); ++it) {
    if (it->state() == promise) {
      s.backlog.erase(it);
      return;
    }
  }
}

}  // namespace internal

}  // namespace vow
