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
// Threading contract: a Loop and everything it runs belong to one thread; the only members
// callable from other threads are post() and the KeepAlive tokens from keepAlive().
#pragma once

#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "vow/loop/internal/loop_internal.h"
#include "vow/promise/error.h"
#include "vow/promise/internal/state.h"
#include "vow/promise/microtask.h"
#include "vow/promise/promise.h"

namespace vow {

class Loop;
class IoWatcher;

// How unhandled rejections are treated: Node's --unhandled-rejections modes.
enum class UnhandledRejections {
  // Default. 'unhandledRejection' handlers run; with none, run() throws the reason.
  kThrow,
  // run() throws the reason even if handlers exist (they are not called).
  kStrict,
  // Handlers run, and a warning is always printed.
  kWarn,
  // Handlers run; with none, a warning is printed and exitCode() becomes 1.
  kWarnWithErrorCode,
  // Handlers run; nothing else happens.
  kNone,
};

// Parses Node's spelling ("throw", "strict", "warn", "warn-with-error-code", "none").
// Returns false for anything else. The thread's first loop reads VOW_UNHANDLED_REJECTIONS.
bool parseUnhandledRejections(const std::string& text, UnhandledRejections* mode);

// The events an I/O watcher waits for (a mask).
enum IoEvents : std::uint32_t {
  kReadable = 1u << 0,  // EPOLLIN
  kWritable = 1u << 2,  // EPOLLOUT
};

// What run() throws for an unhandled rejection whose reason is not an error (e.g.
// `Promise<int>::reject(42)`, a thrown int): Node's UnhandledPromiseRejection, code
// ERR_UNHANDLED_REJECTION, message ending `The promise rejected with the reason "42".`.
// reason() is the original reason. Reasons that are C++ exceptions or statuses leave run() as
// themselves.
class UnhandledPromiseRejection : public Exception {
 public:
  explicit UnhandledPromiseRejection(Error reason);
  const char* name() const noexcept override { return "UnhandledPromiseRejection"; }
  const Error& reason() const noexcept { return reason_; }

 private:
  Error reason_;
};

// Identifies a registration made with onUnhandledRejection / onRejectionHandled / onWarning.
using ListenerId = std::uint64_t;

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
  explicit KeepAlive(std::shared_ptr<internal::Inbox> inbox);
  std::shared_ptr<internal::Inbox> inbox_;
};

class Loop final : private internal::RejectionTracker {
 public:
  // Makes a loop and installs it as this thread's current loop until it is destroyed (then the
  // previous one is current again). Tests own one each this way.
  Loop();
  ~Loop() override;
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  // This thread's current loop: the innermost live Loop object, else the thread's default loop
  // (made on first use).
  static Loop& current();

  // Runs the loop until nothing referenced is left: first the checkpoint for what the calling
  // code queued (as Node runs one after the main module), then iterations of the phases.
  // An exception escaping any callback, or an unhandled rejection in throw/strict mode, leaves
  // run() as that exception; calling run() again goes on from there. Not re-entrant.
  void run();

  // Whether referenced work is left: ref'd timers, immediates, I/O watchers, pool jobs, pending
  // posts, KeepAlive tokens, close callbacks.
  bool alive() const;

  // The loop's cached time in milliseconds (uv_now), and refreshing it (uv_update_time).
  std::int64_t now() const noexcept { return now_; }
  void updateTime();

  // Queue: nextTick queue, drained at every checkpoint before the microtasks.
  // Node: process.nextTick(f).
  void nextTick(absl::AnyInvocable<void()> f);

  // Thread-safe: runs `f` on this loop's thread in the poll phase (with a checkpoint after it).
  // A pending post keeps the loop alive; to keep it alive until a post that comes later, hold
  // a KeepAlive. Node: no direct equivalent (a uv_async_t / worker message).
  void post(absl::AnyInvocable<void()> f);
  KeepAlive keepAlive();

  // The callback form of the thread pool: `work` runs on a pool thread, then `after` runs on
  // this loop's thread in the poll phase. The job keeps the loop alive. Node: uv_queue_work.
  // If `work` throws, the exception is carried to this thread and leaves run() in the poll
  // phase, like an exception from any callback; `after` is then destroyed without being
  // called. (vow::queueWork(fn) instead rejects its promise.)
  void queueWork(absl::AnyInvocable<void()> work, absl::AnyInvocable<void()> after);

  // Phase: pending callbacks (libuv's deferred I/O callbacks). For layers built on the loop.
  void queuePending(absl::AnyInvocable<void()> f);
  // Phase: close callbacks (libuv's uv_close callbacks). Keeps the loop alive until it runs.
  void queueClose(absl::AnyInvocable<void()> f);

  // Phase: poll. Calls `callback(events)` whenever `fd` is ready for `events` (level-triggered,
  // epoll). Node: the I/O callbacks of sockets, pipes and fs.watch.
  IoWatcher watch(int fd, std::uint32_t events, absl::AnyInvocable<void(std::uint32_t)> callback);

  // Unhandled rejections (Node's process 'unhandledRejection' / 'rejectionHandled' events and
  // the --unhandled-rejections mode). Handlers run during the checkpoint, after the nextTick and
  // microtask queues drained.
  void setUnhandledRejections(UnhandledRejections mode) noexcept { mode_ = mode; }
  UnhandledRejections unhandledRejections() const noexcept { return mode_; }
  ListenerId onUnhandledRejection(absl::AnyInvocable<void(const Error&, const AnyPromise&)> h);
  ListenerId onRejectionHandled(absl::AnyInvocable<void(const AnyPromise&)> h);
  // Node: process.on('warning'). Without handlers warnings go to stderr as
  // "(vow:PID) Name: message".
  ListenerId onWarning(absl::AnyInvocable<void(const std::string& name, const std::string& msg)> h);
  // Removes a registration of any of the three kinds; false if unknown.
  bool removeListener(ListenerId id);
  // Node: process.emitWarning(message, name). Queue: nextTick, as in Node (the handlers run,
  // or stderr gets the line, at the next checkpoint).
  void emitWarning(const std::string& message, const std::string& name = "Warning");
  // Node: process.exitCode (set to 1 by the warn-with-error-code mode).
  int exitCode() const noexcept { return exit_code_; }
  void setExitCode(int code) noexcept { exit_code_ = code; }

  // The checkpoint (Node's processTicksAndRejections): nextTicks, microtasks, repeated, then
  // rejection processing. run() calls it after every callback; exposed for embedders.
  void checkpoint();

  // --- used by the timers API (timers.h) ---------------------------------------------------
  // The weak link handles keep to this loop (nulled when it is destroyed).
  internal::LoopLink* link() const noexcept { return link_; }
  internal::TimerImpl* newTimer(absl::AnyInvocable<void()> cb, double after, bool repeat);
  void clearTimer(internal::TimerImpl* t);
  void refTimer(internal::TimerImpl* t, bool ref);
  void refreshTimer(internal::TimerImpl* t);
  std::uint64_t newImmediate(absl::AnyInvocable<void()> cb);
  void clearImmediate(std::uint64_t id);
  void refImmediate(std::uint64_t id, bool ref);
  bool immediateHasRef(std::uint64_t id) const;
  // --- used by IoWatcher --------------------------------------------------------------------
  void ioStart(internal::IoWatcherImpl* w, std::uint32_t events);
  void ioStop(internal::IoWatcherImpl* w);
  void ioRef(internal::IoWatcherImpl* w, bool ref);
  // --- used by the thread pool (runs a queueWork `after` on this thread) --------------------
  void completeWork(std::uint32_t slot, std::exception_ptr error);

 private:
  struct ImmediateEntry {
    std::uint64_t id;
    bool refed;
    bool destroyed;
    absl::AnyInvocable<void()> callback;
  };
  struct Unhandled {
    std::uint64_t uid;
    bool warned;
    // In the batch processRejections is emitting, not reached yet: Node has taken it out of
    // pendingUnhandledRejections and not put it in maybeUnhandledPromises, so a handler added
    // now changes nothing (it is still reported).
    bool in_flight = false;
  };
  template <class F>
  struct Listener {
    ListenerId id;
    std::shared_ptr<F> fn;
  };

  // RejectionTracker
  void onRejectWithNoHandler(internal::StateBase* promise) override;
  void onHandlerAddedAfterReject(internal::StateBase* promise) override;

  void runTimers();
  void listOnTimeout(internal::TimerList* list, std::int64_t now);
  void insertTimer(internal::TimerImpl* t, double msecs, std::int64_t start);
  void unlinkTimer(internal::TimerImpl* t);  // from its list; drops the loop's reference
  void removeList(internal::TimerList* list);
  void heapUp(std::size_t i);
  void heapDown(std::size_t i);
  void heapRemove(std::size_t i);
  static bool listLess(const internal::TimerList* a, const internal::TimerList* b) noexcept;

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
  // What checkpoint() is running (an exception there decides how run() goes on).
  enum class Stage : std::uint8_t { kNone, kTicks, kMicrotasks, kRejections };
  void runPhases(Phase phase, bool resumed);

  void runPending();
  int pollTimeout() const;
  void poll(int timeout_ms);
  void dispatchPolled();
  void runInbox();
  void runCheck(bool resumed);
  void runClosing();
  bool processRejections();
  void emitUnhandledWarning(std::uint64_t uid, const Error& reason);
  void deliverWarning(const std::string& message, const std::string& name);
  [[noreturn]] static void throwReason(const Error& reason);
  ImmediateEntry* findImmediate(std::uint64_t id);
  const ImmediateEntry* findImmediate(std::uint64_t id) const;

  internal::LoopLink* link_ = nullptr;  // set at the end of the constructor
  Loop* previous_ = nullptr;
  internal::RejectionTracker* previous_tracker_ = nullptr;
  bool running_ = false;
  // An exception left run() during phase_; the next run() resumes there. resume_checkpoint_:
  // it came from a microtask or a rejection report, whose checkpoint goes on first.
  bool interrupted_ = false;
  bool resume_checkpoint_ = false;
  Phase phase_ = Phase::kMain;
  Stage stage_ = Stage::kNone;
  std::int64_t now_ = 0;

  // nextTick
  std::deque<absl::AnyInvocable<void()>> ticks_;

  // timers: one list per duration, lists in a heap by (expiry, id) (Node's timerListMap and
  // timerListQueue).
  std::unordered_map<std::int64_t, internal::TimerList*> lists_;
  std::vector<internal::TimerList*> heap_;
  std::uint64_t next_list_id_ = 1;
  std::size_t timer_ref_count_ = 0;

  // immediates: queued for the next check phase; the batch being run (ids ascending).
  std::vector<ImmediateEntry> immediates_;
  std::vector<ImmediateEntry> running_immediates_;
  std::size_t running_index_ = 0;
  std::uint64_t next_immediate_id_ = 1;
  std::size_t immediate_ref_count_ = 0;

  std::deque<absl::AnyInvocable<void()>> pending_;
  std::deque<absl::AnyInvocable<void()>> closing_;

  // poll
  int epoll_fd_ = -1;
  std::shared_ptr<internal::Inbox> inbox_;
  std::vector<absl::AnyInvocable<void()>> inbox_batch_;
  std::size_t inbox_index_ = 0;
  std::unordered_map<std::uint64_t, internal::IoWatcherImpl*> watchers_;
  // The events of the last epoll_wait not dispatched yet (an exception interrupted them).
  static constexpr int kMaxEvents = 256;
  std::uint64_t polled_ids_[kMaxEvents];
  std::uint32_t polled_events_[kMaxEvents];
  int polled_count_ = 0;
  int polled_next_ = 0;
  std::uint64_t next_watcher_id_ = 1;
  std::size_t io_ref_count_ = 0;
  std::size_t pending_work_ = 0;
  std::vector<absl::AnyInvocable<void()>> work_after_;  // queueWork `after`s by slot
  std::vector<std::uint32_t> free_work_slots_;

  // rejections
  UnhandledRejections mode_ = UnhandledRejections::kThrow;
  std::unordered_map<internal::StateBase*, Unhandled> maybe_unhandled_;
  std::deque<AnyPromise> pending_unhandled_;
  std::deque<std::pair<AnyPromise, std::uint64_t>> async_handled_;
  std::uint64_t last_promise_id_ = 0;
  ListenerId next_listener_id_ = 1;
  std::vector<Listener<absl::AnyInvocable<void(const Error&, const AnyPromise&)>>>
      unhandled_handlers_;
  std::vector<Listener<absl::AnyInvocable<void(const AnyPromise&)>>> handled_handlers_;
  std::vector<Listener<absl::AnyInvocable<void(const std::string&, const std::string&)>>>
      warning_handlers_;
  int exit_code_ = 0;
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
  bool hasRef() const noexcept { return w_ != nullptr && w_->refed && w_->loop() != nullptr; }
  int fd() const noexcept { return w_ ? w_->fd : -1; }

 private:
  friend class Loop;
  explicit IoWatcher(internal::IoWatcherImpl* w) : w_(w) {}
  internal::IoWatcherImpl* w_ = nullptr;
};

// ---------------------------------------------------------------------------------------------
// The thread's current loop, Node's names.

// Runs the current thread's loop to its end. Node: the process running until nothing is left.
inline void run() { Loop::current().run(); }

// Queue: nextTick (runs at the next checkpoint, before promise jobs). Node: process.nextTick(f).
inline void nextTick(absl::AnyInvocable<void()> f) { Loop::current().nextTick(std::move(f)); }

// Node: process.on('unhandledRejection', (reason, promise) => ...). The handler may take
// (const vow::Error&) or (const vow::Error&, const vow::AnyPromise&).
template <class F>
ListenerId onUnhandledRejection(F&& handler) {
  if constexpr (std::is_invocable_v<F&, const Error&, const AnyPromise&>) {
    return Loop::current().onUnhandledRejection(std::forward<F>(handler));
  } else {
    static_assert(std::is_invocable_v<F&, const Error&>,
                  "onUnhandledRejection: the handler takes (const vow::Error&) or "
                  "(const vow::Error&, const vow::AnyPromise&)");
    return Loop::current().onUnhandledRejection(
        [h = std::forward<F>(handler)](const Error& e, const AnyPromise&) mutable { h(e); });
  }
}
// Node: process.on('rejectionHandled', (promise) => ...).
template <class F>
ListenerId onRejectionHandled(F&& handler) {
  return Loop::current().onRejectionHandled(std::forward<F>(handler));
}
// Node: process.removeListener(...) for the handlers above.
inline bool removeProcessListener(ListenerId id) { return Loop::current().removeListener(id); }
// Node: --unhandled-rejections=mode.
inline void setUnhandledRejections(UnhandledRejections mode) {
  Loop::current().setUnhandledRejections(mode);
}

}  // namespace vow

#include "vow/loop/event_emitter.h"  // IWYU pragma: export
#include "vow/loop/thread_pool.h"    // IWYU pragma: export
#include "vow/loop/timers.h"         // IWYU pragma: export
