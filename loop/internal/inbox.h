// The cross-thread inbox: how other threads (pool workers, Loop::post callers) hand callbacks to
// a loop. Users never include this; they use Loop::post and KeepAlive (vow/loop/loop.h).
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

// The thread-safe side: posted callbacks and thread-pool completions, signalled through one
// eventfd. A push writes the eventfd only when the queue was empty, so many completions cost
// one wake-up. Shared with pool jobs and KeepAlive tokens, so a late completion never touches a
// destroyed loop.
class Inbox {
 public:
  Inbox();
  ~Inbox();
  Inbox(const Inbox&) = delete;
  Inbox& operator=(const Inbox&) = delete;

  // Any thread.
  void push(absl::AnyInvocable<void()> f);
  void wake();
  // The loop's own thread while it runs: queued without a wake-up (see Loop::post); the poll
  // finds it through size().
  void pushFromLoopThread(absl::AnyInvocable<void()> f);
  // Loop thread: takes everything queued, after clearing the eventfd when a wake-up was
  // written (always when `signalled`: the poll saw the eventfd readable).
  void takeAll(std::vector<absl::AnyInvocable<void()>>& out, bool signalled = false);
  // Loop thread: clears a wake-up that brought nothing (a KeepAlive released), so that the
  // eventfd does not stay readable; a push that raced with it stays signalled.
  void clearWakeup();

  int fd() const noexcept { return fd_; }
  std::size_t size() const noexcept { return count_.load(std::memory_order_acquire); }

  // KeepAlive tokens alive (any thread).
  std::atomic<std::int64_t> keep_alive{0};

 private:
  int fd_ = -1;
  std::mutex mu_;
  std::vector<absl::AnyInvocable<void()>> queue_;
  std::atomic<std::size_t> count_{0};
  // Set by wake() before it writes the eventfd: whether takeAll has a wake-up to read. A read
  // that misses a write still in progress leaves the eventfd readable with this false; the
  // poll then sees it readable and takeAll(signalled = true) reads it.
  std::atomic<bool> signalled_{false};
};

// The loop thread's side: takes a batch and runs it, a checkpoint after each callback. A batch
// an exception interrupted stays here and goes on first.
class InboxReader {
 public:
  explicit InboxReader(Loop& loop) : loop_(loop), inbox_(std::make_shared<Inbox>()) {}
  ~InboxReader();
  InboxReader(const InboxReader&) = delete;
  InboxReader& operator=(const InboxReader&) = delete;

  // Takes what other threads pushed and runs it (`signalled`: the eventfd was seen readable).
  void takeAndRun(bool signalled = false);
  // Runs what is left of an interrupted batch.
  void runLeftover();
  bool hasLeftover() const noexcept { return index_ < batch_.size(); }
  // Posts not yet run, or KeepAlive tokens: the loop must stay alive.
  bool keepsAlive() const noexcept {
    return hasLeftover() || inbox_->size() > 0 ||
           inbox_->keep_alive.load(std::memory_order_acquire) > 0;
  }
  bool hasQueued() const noexcept { return inbox_->size() > 0; }
  // While pool jobs are out, the inbox must outlive the loop (see ~InboxReader).
  void outliveLoop() noexcept { outlive_ = true; }

  const std::shared_ptr<Inbox>& inbox() const noexcept { return inbox_; }

 private:
  Loop& loop_;
  std::shared_ptr<Inbox> inbox_;
  std::vector<absl::AnyInvocable<void()>> batch_;
  std::size_t index_ = 0;
  bool outlive_ = false;
};

}  // namespace vow::internal
