// vow::Loop: Node's event loop (libuv's phases) for C++, one per thread.
//
//   vow::setTimeout([] { std::puts("later"); }, 10);
//   vow::nextTick([] { std::puts("first"); });
//   vow::run();  // like a Node process running to its end
//
// Each iteration runs the phases in libuv's order (see docs/event_loop.md):
//   timers -> pending -> idle/prepare -> poll (epoll; I/O, pool completions, posts) -> check
//   (setImmediate) -> close. After EVERY callback a checkpoint runs, as Node's
//   processTicksAndRejections: all nextTick callbacks, then all microtasks, repeated until both
//   queues are empty, then unhandled-rejection processing.
//
// A Loop is made of parts, one concern and one file each (loop/internal/): the timer queue, the
// check queue (immediates), the poller (epoll and I/O watchers), the work queue (thread-pool
// jobs), the cross-thread inbox and the rejection reporter (the promise host). Loop::run only
// orders the phases.
//
// Threading contract: a Loop and everything it runs belong to one thread; the only members
// callable from other threads are post() and the KeepAlive tokens from keepAlive().
#pragma once

#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <string_view>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "vow/loop/internal/check_queue.h"
#include "vow/loop/internal/handle.h"
#include "vow/loop/internal/inbox.h"
#include "vow/loop/internal/poller.h"
#include "vow/loop/internal/rejection_reporter.h"
#include "vow/loop/internal/timer_queue.h"
#include "vow/loop/internal/uring.h"
#include "vow/loop/internal/work_queue.h"
#include "vow/loop/process.h"
#include "vow/promise/host.h"
#include "vow/promise/internal/context.h"
#include "vow/promise/microtask.h"
#include "vow/promise/promise.h"

namespace vow {

class IoWatcher;
namespace internal {
struct LoopAccess;
}  // namespace internal

// The events an I/O watcher waits for (a mask).
enum IoEvents : std::uint32_t {
  kReadable = 1u << 0,  // EPOLLIN
  kWritable = 1u << 2,  // EPOLLOUT
};

// How far Loop::run(mode) goes: libuv's uv_run_mode.
enum class RunMode : std::uint8_t {
  // Until nothing referenced is left (UV_RUN_DEFAULT); what run() does.
  kDefault,
  // One iteration, blocking in poll if nothing is due (UV_RUN_ONCE).
  kOnce,
  // One iteration without blocking (UV_RUN_NOWAIT): for a host loop that embeds vow.
  kNoWait,
};

// A token keeping a loop alive (run() does not return) while it exists. Copyable and
// destructible on any thread: hand one to a thread that will post() later.
class KeepAlive {
 public:
  KeepAlive() = default;
  KeepAlive(const KeepAlive& o);
  KeepAlive(KeepAlive&& o) noexcept = default;
  KeepAlive& operator=(KeepAlive o) noexcept {
    std::swap(inbox_, o.inbox_);
    return *this;
  }
  ~KeepAlive();

 private:
  friend class Loop;
  friend struct internal::LoopAccess;
  explicit KeepAlive(std::shared_ptr<internal::Inbox> inbox);
  std::shared_ptr<internal::Inbox> inbox_;
};

class Loop final {
 public:
  // Makes a loop and installs it as this thread's current loop and promise host until it is
  // destroyed (then the previous ones are current again). Tests own one each this way.
  Loop();
  ~Loop();
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  // This thread's current loop: the innermost live Loop object, else the thread's default loop
  // (made on first use).
  static Loop& current();

  // Runs the loop until nothing referenced is left: first the checkpoint for what the calling
  // code queued (as Node runs one after the main module), then iterations of the phases.
  // An exception escaping any callback, or an unhandled rejection in throw/strict mode, leaves
  // run() as that exception; calling run() again goes on where Node goes on after an
  // 'uncaughtException' handler (docs/event_loop.md, "Exceptions"). Not re-entrant.
  void run();

  // Embedding (libuv's uv_run modes), for a host loop that owns the thread: run(kNoWait) runs
  // the checkpoint for what the host's code queued, then at most one iteration (pending, poll
  // without blocking, check, close, timers), in the same order and with the same checkpoints
  // as run(); kOnce may block in poll; kDefault is run(). As in libuv, only kDefault runs the
  // timers before its first iteration. An exception leaves it as it leaves run(), and the next
  // run(mode) goes on where it stopped, finishing that iteration. Returns alive() (uv_run's
  // result). Call it when backendFd() is readable or backendTimeout() ms have passed.
  bool run(RunMode mode);

  // Whether referenced work is left: ref'd active handles (timers, immediates, I/O watchers),
  // pool jobs, pending posts, KeepAlive tokens, pending and close callbacks. libuv:
  // uv_loop_alive. An embedding host may stop driving the loop once it is false.
  bool alive() const;

  // An fd that polls readable when vow has I/O, posts or pool completions to run (its epoll
  // fd, in which the inbox's eventfd is registered). libuv: uv_backend_fd. Watch it for
  // readability in the host loop and call run(RunMode::kNoWait) when it is; the fd is drained
  // by that run.
  int backendFd() const noexcept;
  // How long the host may wait for backendFd() before calling run(kNoWait), in ms: 0 when work
  // is due without any fd (nextTicks, microtasks or rejections the host's code queued,
  // immediates, pending or close callbacks, a run an exception interrupted), the time to the
  // next timer, or -1 when nothing is due (not alive, or only fds to wait for). Ask again after
  // host code has called into vow. libuv: uv_backend_timeout (which says 0 when not alive).
  int backendTimeout() const;

  // Node's performance.nodeTiming.loopStart and idleTime: when run() was first called, in ns
  // of the monotonic clock (0 before), and the ns spent blocked waiting in the poll phase
  // since (libuv's uv_metrics_idle_time). vow::performance::eventLoopUtilization reads them.
  std::int64_t loopStartNs() const noexcept { return loop_start_ns_; }
  std::int64_t idleTimeNs() const noexcept { return poller_.idleNs(); }

  // The loop's cached time in milliseconds (uv_now), and refreshing it (uv_update_time).
  std::int64_t now() const noexcept { return now_; }
  void updateTime();

  // Queue: nextTick queue, drained at every checkpoint before the microtasks.
  // Node: process.nextTick(f).
  // The callback runs in the async context current now (AsyncLocalStorage), as Node's TickObject.
  void nextTick(absl::AnyInvocable<void()> f) {
    internal::bindToCurrentContext(f);
    ticks_.push_back(std::move(f));
  }

  // Thread-safe: runs `f` on this loop's thread in the poll phase (with a checkpoint after it).
  // A pending post keeps the loop alive; to keep it alive until a post that comes later, hold
  // a KeepAlive. Node: no direct equivalent (a uv_async_t / worker message). A post from the
  // loop's own callbacks (inside run()) costs no eventfd wake-up: the poll does not block
  // while the inbox holds anything.
  void post(absl::AnyInvocable<void()> f);
  KeepAlive keepAlive();

  // The callback form of the thread pool: `work` runs on a pool thread, then `after` runs on
  // this loop's thread in the poll phase. The job keeps the loop alive. Node: uv_queue_work.
  // If `work` throws, the exception is carried to this thread and leaves run() in the poll
  // phase, like an exception from any callback; `after` is then destroyed without being
  // called. (vow::queueWork(fn) instead rejects its promise.)
  void queueWork(absl::AnyInvocable<void()> work, absl::AnyInvocable<void()> after) {
    work_.queue(std::move(work), std::move(after));
  }

  // Phase: pending callbacks (libuv's deferred I/O callbacks). For layers built on the loop.
  void queuePending(absl::AnyInvocable<void()> f) {
    internal::bindToCurrentContext(f);
    pending_.push_back(std::move(f));
  }
  // Phase: close callbacks (libuv's uv_close callbacks). Keeps the loop alive until it runs.
  void queueClose(absl::AnyInvocable<void()> f) {
    internal::bindToCurrentContext(f);
    closing_.push_back(std::move(f));
  }

  // Phase: poll. Calls `callback(events)` whenever `fd` is ready for `events` (level-triggered,
  // epoll). Node: the I/O callbacks of sockets, pipes and fs.watch.
  IoWatcher watch(int fd, std::uint32_t events, absl::AnyInvocable<void(std::uint32_t)> callback);

  // Which backend runs this loop's fs operations: "io_uring" or "threadpool". Decided on the
  // first fs operation (or this call): VOW_IO_URING=1 asks for io_uring, 0 for the pool; unset,
  // the default (README, "fs on io_uring"). A loop whose ring was retired (the process changed
  // its credentials) says "threadpool" from then on.
  std::string_view fsBackend() { return internal::fsBackendName(uring_.backend()); }

  // Node's `process` for this loop: 'unhandledRejection', 'rejectionHandled' and 'warning'
  // events, emitWarning, exitCode, the --unhandled-rejections mode (vow/loop/process.h).
  Process& process() noexcept { return process_; }

  // The checkpoint (Node's processTicksAndRejections): nextTicks, microtasks, repeated, then
  // rejection processing. run() calls it after every callback; exposed for embedders.
  void checkpoint();

 private:
  friend struct internal::LoopAccess;

  // Where run() is (and where a run() after an exception picks up).
  enum class Phase : std::uint8_t {
    kMain,         // the checkpoint after the main program
    kFirstTimers,  // libuv runs the timers once before its first iteration
    kPending,
    kPoll,
    kCheck,
    kClose,
    kTimers,
    kAlive,      // end of an iteration: go on while alive
    kBeforeExit  // Node's 'beforeExit' callback scope: a last checkpoint
  };
  // Which part of checkpoint() an exception came from (kNone: from a callback); read and reset
  // by run() as the exception passes.
  enum class Stage : std::uint8_t { kNone, kTicks, kMicrotasks, kRejections };

  // The weak link handles keep to this loop: made first, nulled when everything else is gone.
  struct LinkOwner {
    explicit LinkOwner(Loop* loop) : link(new internal::LoopLink{loop}) {}
    ~LinkOwner() {
      link->loop = nullptr;
      link->release();
    }
    internal::LoopLink* link;
  };

  void runPhases(Phase phase, bool resumed, RunMode mode);
  void resumeCheckpoint(Stage from);
  void runPending();
  void runClosing();
  int pollTimeout() const;

  // The parts, in construction order (the poller's epoll setup may throw: what was made before
  // it is released by its own destructor).
  LinkOwner link_{this};
  internal::HandleCount handles_;
  Process process_{*this};
  internal::RejectionReporter reporter_{*this, process_};
  internal::InboxReader inbox_{*this};
  internal::Poller poller_{*this, link_.link, handles_, inbox_};
  internal::TimerQueue timers_{*this, link_.link, handles_};
  internal::CheckQueue checks_{*this, handles_};
  internal::WorkQueue work_{*inbox_.inbox()};
  // After the poller (its fd is watched there), destroyed before it.
  internal::Uring uring_{poller_};
  std::deque<absl::AnyInvocable<void()>> ticks_;
  std::deque<absl::AnyInvocable<void()>> pending_;
  std::deque<absl::AnyInvocable<void()>> closing_;

  Loop* previous_ = nullptr;
  PromiseHost* previous_host_ = nullptr;
  std::int64_t now_ = 0;
  std::int64_t loop_start_ns_ = 0;
  bool running_ = false;
  // The last pending phase ran callbacks: run(kOnce) must not block in the poll after it.
  bool ran_pending_ = false;
  // An exception left run() during phase_; the next run() resumes there. resume_stage_: it came
  // from a microtask or a rejection report (kMicrotasks, kRejections), whose drain goes on first.
  bool interrupted_ = false;
  Stage resume_stage_ = Stage::kNone;
  // An exception may have left ticks or microtasks queued that no checkpoint has run since.
  bool unfinished_checkpoint_ = false;
  Phase phase_ = Phase::kMain;
  Stage stage_ = Stage::kNone;
};

// An epoll registration made with Loop::watch. Owns it: destroying the handle stops watching.
// Callbacks run in the poll phase, one checkpoint after each.
class IoWatcher {
 public:
  IoWatcher() = default;
  IoWatcher(IoWatcher&& o) noexcept : w_(std::exchange(o.w_, nullptr)) {}
  IoWatcher& operator=(IoWatcher&& o) noexcept {
    IoWatcher moved(std::move(o));
    std::swap(w_, moved.w_);
    return *this;
  }
  ~IoWatcher();

  // Changes the events watched (0 stops).
  void start(std::uint32_t events);
  void stop();
  bool isActive() const noexcept { return w_ != nullptr && w_->events != 0; }
  // An unref'd watcher does not keep the loop alive. Node: handle.ref()/unref()/hasRef().
  IoWatcher& ref();
  IoWatcher& unref();
  bool hasRef() const noexcept { return w_ != nullptr && w_->flags.refed && w_->loop() != nullptr; }
  // Node: handle.close(): stops watching and releases the registration (the handle is empty
  // afterwards).
  void close();
  int fd() const noexcept { return w_ ? w_->fd : -1; }

 private:
  friend class Loop;
  explicit IoWatcher(internal::IoWatcherImpl* w) : w_(w) {}
  internal::IoWatcherImpl* w_ = nullptr;
};

namespace internal {
// How handles and layers built on the loop reach its parts (the public Loop has no methods
// "for other parts").
struct LoopAccess {
  static TimerQueue& timers(Loop& loop) noexcept { return loop.timers_; }
  static CheckQueue& checks(Loop& loop) noexcept { return loop.checks_; }
  static Poller& poller(Loop& loop) noexcept { return loop.poller_; }
  static LoopLink* link(Loop& loop) noexcept { return loop.link_.link; }
  static WorkQueue& work(Loop& loop) noexcept { return loop.work_; }
  static Uring& uring(Loop& loop) noexcept { return loop.uring_; }
  // Thread-safe: posts `f` through the token's inbox (alive as long as the token, even after
  // its Loop is destroyed: `f` is then destroyed unrun). False for an empty token.
  static bool post(const KeepAlive& token, absl::AnyInvocable<void()> f);
};
}  // namespace internal

// ---------------------------------------------------------------------------------------------
// The thread's current loop, Node's names.

// Runs the current thread's loop to its end. Node: the process running until nothing is left.
inline void run() { Loop::current().run(); }

// Queue: nextTick (runs at the next checkpoint, before promise jobs). Node: process.nextTick(f).
inline void nextTick(absl::AnyInvocable<void()> f) { Loop::current().nextTick(std::move(f)); }

}  // namespace vow

#include "vow/loop/event_iterator.h"         // IWYU pragma: export
#include "vow/loop/thread_pool.h"            // IWYU pragma: export
#include "vow/loop/thread_safe_resolvers.h"  // IWYU pragma: export
#include "vow/loop/timers.h"                 // IWYU pragma: export
