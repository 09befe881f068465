#include "vow/loop/internal/inbox.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "vow/loop/internal/trace.h"
#include "vow/loop/loop.h"
#include "vow/promise/internal/exceptions.h"

namespace vow::internal {

Inbox::Inbox() {
  fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (fd_ < 0) VOW_THROW(std::system_error(errno, std::generic_category(), "eventfd"));
}

Inbox::~Inbox() {
  // Callbacks left here belong to a loop that is gone; what they own is released, not run.
  queue_.clear();
  ::close(fd_);
}

void Inbox::wake() {
  signalled_.store(true, std::memory_order_release);
  std::uint64_t one = 1;
  ssize_t n;
  do {
    n = ::write(fd_, &one, sizeof(one));
  } while (n < 0 && errno == EINTR);
}

void Inbox::push(absl::AnyInvocable<void()> f) {
  bool was_empty;
  {
    std::lock_guard<std::mutex> lock(mu_);
    was_empty = queue_.empty();
    queue_.push_back(std::move(f));
    count_.fetch_add(1, std::memory_order_release);
  }
  // One wake-up for many pushes: only the push that finds the queue empty writes.
  if (was_empty) wake();
}

void Inbox::pushFromLoopThread(absl::AnyInvocable<void()> f) {
  std::lock_guard<std::mutex> lock(mu_);
  queue_.push_back(std::move(f));
  count_.fetch_add(1, std::memory_order_release);
}

void Inbox::takeAll(std::vector<absl::AnyInvocable<void()>>& out, bool signalled) {
  // Only posts from the loop's own thread since the last take: no eventfd to clear (a read of
  // it would be a syscall for nothing; they cost microseconds in some VMs).
  if (signalled_.exchange(false, std::memory_order_acq_rel) || signalled) {
    std::uint64_t value;
    while (::read(fd_, &value, sizeof(value)) < 0 && errno == EINTR) {
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (out.empty()) {
    out.swap(queue_);
  } else {
    for (auto& f : queue_) out.push_back(std::move(f));
    queue_.clear();
  }
  count_.store(0, std::memory_order_release);
}

void Inbox::clearWakeup() {
  signalled_.store(false, std::memory_order_release);
  std::uint64_t value;
  while (::read(fd_, &value, sizeof(value)) < 0 && errno == EINTR) {
  }
  if (size() > 0) wake();
}

InboxReader::~InboxReader() {
  // Pool jobs still out will push their completions into the inbox: keep it alive (leaked,
  // with the completions it receives) rather than let them write to freed memory.
  if (outlive_) new std::shared_ptr<Inbox>(inbox_);
}

void InboxReader::takeAndRun(bool signalled) {
  inbox_->takeAll(batch_, signalled);
  runLeftover();
}

void InboxReader::runLeftover() {
  while (index_ < batch_.size()) {
    absl::AnyInvocable<void()> f = std::move(batch_[index_++]);
    {
      TraceSpan span("post", "callback");
      f();
    }
    loop_.checkpoint();
  }
  batch_.clear();
  index_ = 0;
}

}  // namespace vow::internal
