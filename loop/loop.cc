// Loop: construction, the thread's current loop, and run(), which orders the phases of the
// parts (loop/internal/). docs/event_loop.md maps each phase to its part.
#include "vow/loop/loop.h"

#include <time.h>

#include <optional>
#include <stdexcept>
#include <utility>

#include "absl/cleanup/cleanup.h"
#include "vow/loop/internal/hrtime.h"
#include "vow/loop/internal/trace.h"
#include "vow/promise/internal/exceptions.h"

namespace vow {

// --- KeepAlive -------------------------------------------------------------------------------

KeepAlive::KeepAlive(std::shared_ptr<internal::Inbox> inbox) : inbox_(std::move(inbox)) {
  inbox_->keep_alive.fetch_add(1, std::memory_order_acq_rel);
}
KeepAlive::KeepAlive(const KeepAlive& o) : inbox_(o.inbox_) {
  if (inbox_) inbox_->keep_alive.fetch_add(1, std::memory_order_acq_rel);
}
KeepAlive::~KeepAlive() {
  if (inbox_ && inbox_->keep_alive.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    inbox_->wake();  // the loop may be blocked in poll with nothing else to wait for
  }
}

// --- Loop: construction, current ------------------------------------------------------------

namespace {

thread_local Loop* t_current = nullptr;

// libuv's UV_CLOCK_FAST: CLOCK_MONOTONIC_COARSE when its resolution is 1 ms or better.
clockid_t fastClock() {
  static const clockid_t id = [] {
    timespec res;
    if (::clock_getres(CLOCK_MONOTONIC_COARSE, &res) == 0 && res.tv_sec == 0 &&
        res.tv_nsec <= 1000000) {
      return CLOCK_MONOTONIC_COARSE;
    }
    return CLOCK_MONOTONIC;
  }();
  return id;
}

std::int64_t clockMs() {
  timespec ts;
  ::clock_gettime(fastClock(), &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

}  // namespace

Loop& Loop::current() {
  if (t_current != nullptr) return *t_current;
  // The default loop lives until the thread ends. Touch the promise layer's thread-locals
  // first so they are destroyed after the loop (which releases promises).
  internal::JobQueue::current();
  internal::Reaper::run([](void*) {}, nullptr);
  promiseHost();
  thread_local std::unique_ptr<Loop> default_loop;
  default_loop = std::make_unique<Loop>();
  return *t_current;
}

Loop::Loop() : now_(clockMs()) {
  internal::traceFromEnvironment();
  // The thread's current loop and promise host from now on (rejections reported before any
  // host existed on this thread are delivered to this one now).
  previous_ = std::exchange(t_current, this);
  previous_host_ = setPromiseHost(&reporter_);
}

Loop::~Loop() {
  if (t_current == this) t_current = previous_;
  if (promiseHost() == &reporter_) setPromiseHost(previous_host_);
  // Pool jobs still out will push their completions into the inbox: it must outlive us.
  if (work_.pending() > 0) inbox_.outliveLoop();
  // The parts go in reverse order: the queued callbacks first (whose handles may still stop a
  // watcher), the timers (disarmed: handles may outlive the loop), the poller, the inbox; the
  // link last, so that from then on handles find a null loop.
}

void Loop::updateTime() { now_ = clockMs(); }

bool Loop::alive() const {
  // libuv's uv__loop_alive: active handles, active requests (pool jobs; posts and KeepAlive
  // tokens, which other threads count), pending and closing callbacks.
  return handles_.active_refed > 0 || work_.pending() > 0 || uring_.pending() > 0 ||
         !pending_.empty() || !closing_.empty() || inbox_.keepsAlive();
}

// --- run -------------------------------------------------------------------------------------

void Loop::run() { run(RunMode::kDefault); }

bool Loop::run(RunMode mode) {
  if (running_) VOW_THROW(std::logic_error("vow::Loop::run() called from inside the loop"));
  running_ = true;
  if (loop_start_ns_ == 0) loop_start_ns_ = internal::monotonicNs();
  internal::traceNameThread("loop");
  // While it runs, this loop is the thread's current loop (and rejection tracker), so that
  // callbacks calling vow::setTimeout & co. reach it even if another Loop object is current.
  Loop* saved_current = t_current;
  PromiseHost* saved_host = setPromiseHost(&reporter_);
  absl::Cleanup reset = [this, saved_current, saved_host] {
    running_ = false;
    t_current = saved_current;
    setPromiseHost(saved_host);
  };
  t_current = this;
  // Callbacks run in the contexts they captured; between them, the loop is in the empty one
  // (Node's main program ends before the loop starts). The caller's comes back at the end.
  internal::ContextScope context(nullptr);

  bool resumed = std::exchange(interrupted_, false);
  stage_ = Stage::kNone;  // a checkpoint() an embedder called outside run() may have thrown
  VOW_TRY { runPhases(resumed ? phase_ : Phase::kMain, resumed, mode); }
  VOW_CATCH_ALL {
    // The exception leaves run() as Node's 'uncaughtException' would be emitted; the next
    // run() goes on where this one stopped, as Node does once a handler has run:
    // - an exception from a callback or a nextTick callback skips the checkpoint that would
    //   have followed it: the rest of the phase runs first (Node: the callback scope failed,
    //   and RunTimers / CheckImmediate call back into JS for the remaining timers/immediates),
    //   and the ticks left wait for the next checkpoint;
    // - one from a microtask or a rejection report lets the checkpoint go on (V8 reports it
    //   and goes on draining; processPromiseRejections goes on after triggering it);
    // - Node's handler then calls setImmediate(noop) "to make sure any ticks get processed":
    //   so does vow, so that the next check phase comes without waiting.
    interrupted_ = true;
    unfinished_checkpoint_ = true;
    resume_stage_ = stage_;
    // A report (throw/strict mode) goes on with its batch; a listener that threw does not
    // (Node's processPromiseRejections had taken the batch: the rest is never reported).
    if (stage_ == Stage::kRejections && !reporter_.takeReportThrew()) resume_stage_ = Stage::kTicks;
    stage_ = Stage::kNone;
    checks_.add([] {});
    VOW_RETHROW;
  }
  return alive();
}

void Loop::runPhases(Phase phase, bool resumed, RunMode mode) {
  if (resumed) resumeCheckpoint(resume_stage_);
  // kOnce and kNoWait (libuv's UV_RUN_ONCE, UV_RUN_NOWAIT): no timers before the iteration,
  // one iteration, no 'beforeExit' scope (the host's loop is the process, not vow's).
  const bool one_iteration = mode != RunMode::kDefault;
  // libuv's uv_run(UV_RUN_DEFAULT) as of libuv 1.45 (Node 20): timers once before the loop,
  // then each iteration ends with the timers. When it is no longer alive, Node emits
  // 'beforeExit' in a callback scope (a checkpoint: what an exception left queued runs there)
  // and runs the loop again if that made it alive. A resumed phase skips the work before its
  // first callback (the clock update, the poll) and goes on with what was left.
  for (;; resumed = false) {
    phase_ = phase;
    switch (phase) {
      case Phase::kMain:
        if (!resumed) checkpoint();  // the checkpoint after the main program
        if (one_iteration) {
          // uv_run: a loop that is not alive only updates its time. (Here, no post is
          // waiting: a wake-up on the inbox's eventfd came from a KeepAlive released, and would
          // keep backendFd() readable for the host.)
          if (!alive()) {
            inbox_.inbox()->clearWakeup();
            updateTime();
            return;
          }
          phase = Phase::kPending;
          break;
        }
        phase = Phase::kFirstTimers;
        break;
      case Phase::kFirstTimers:
        if (!resumed) {
          updateTime();
          if (!alive()) {
            phase = Phase::kBeforeExit;
            break;
          }
        }
        {
          internal::TraceSpan span("timers", "phase");
          timers_.run(now_);
        }
        phase = Phase::kPending;
        break;
      case Phase::kPending: {
        internal::TraceSpan span("pending", "phase");
        runPending();
        phase = Phase::kPoll;
        break;
      }
      case Phase::kPoll: {
        internal::TraceSpan span("poll", "phase");
        // idle / prepare: vow has no public idle or prepare handles; a ref'd immediate acts
        // as Node's idle handle by making the poll below not block (pollTimeout()).
        // io_uring: the steps fs queued during this iteration go to the kernel in one
        // io_uring_enter, just before the poll that will see their completions.
        if (!resumed) uring_.flush();
        if (resumed) {
          poller_.resume();  // what the interrupted poll had left, without a new epoll_wait
        } else if (mode == RunMode::kNoWait) {
          poller_.poll(0, /*drain_wakeups=*/true);
        } else {
          // kOnce blocks only if no pending callback was waiting (libuv's can_sleep); the
          // pending phase has run them, so pollTimeout() alone cannot tell.
          poller_.poll(mode == RunMode::kOnce && ran_pending_ ? 0 : pollTimeout(),
                       /*drain_wakeups=*/one_iteration);
        }
        phase = Phase::kCheck;
        break;
      }
      case Phase::kCheck: {
        internal::TraceSpan span("check", "phase");
        checks_.run(resumed, unfinished_checkpoint_);
        phase = Phase::kClose;
        break;
      }
      case Phase::kClose: {
        internal::TraceSpan span("close", "phase");
        runClosing();
        phase = Phase::kTimers;
        break;
      }
      case Phase::kTimers: {
        internal::TraceSpan span("timers", "phase");
        if (!resumed) updateTime();  // Node's RunTimers goes on with the same `now`
        timers_.run(now_);
        phase = Phase::kAlive;
        break;
      }
      case Phase::kAlive:
        if (one_iteration) return;
        phase = alive() ? Phase::kPending : Phase::kBeforeExit;
        break;
      case Phase::kBeforeExit:
        if (!resumed) checkpoint();
        if (!alive() || one_iteration) return;
        phase = Phase::kFirstTimers;
        break;
    }
  }
}

void Loop::resumeCheckpoint(Stage from) {
  // After an exception from a microtask V8 goes on draining the microtask queue, and after a
  // rejection report processPromiseRejections goes on with its batch; then the checkpoint goes
  // on as usual. After one from a callback or a nextTick, nothing runs until the next callback.
  if (from == Stage::kMicrotasks) {
    VOW_TRY { runMicrotasks(); }
    VOW_CATCH_ALL {
      stage_ = Stage::kMicrotasks;
      VOW_RETHROW;
    }
  } else if (from == Stage::kRejections) {
    VOW_TRY { reporter_.process(); }
    VOW_CATCH_ALL {
      stage_ = Stage::kRejections;
      VOW_RETHROW;
    }
  } else {
    return;
  }
  checkpoint();
}

void Loop::checkpoint() {
  // Node's processTicksAndRejections. Where an exception comes from decides how run() goes on
  // (see run()): the handlers below note it, costing nothing when nothing throws. Traced only
  // when it has something to run (most checkpoints have nothing).
  std::optional<internal::TraceSpan> span;
  if (internal::tracing() && (!ticks_.empty() || !internal::JobQueue::current().empty()))
      [[unlikely]] {
    span.emplace("checkpoint", "loop");
  }
  bool again;
  do {
    VOW_TRY {
      while (!ticks_.empty()) {
        absl::AnyInvocable<void()> f = std::move(ticks_.front());
        ticks_.pop_front();
        // Each tick is its own async resource in Node: one that captured no context runs in
        // the empty one, whatever an enterWith() in the previous callback left current.
        if (internal::contextAware()) [[unlikely]]
          internal::setContext(nullptr);
        f();
      }
    }
    VOW_CATCH_ALL {
      stage_ = Stage::kTicks;
      VOW_RETHROW;
    }
    VOW_TRY { runMicrotasks(); }
    VOW_CATCH_ALL {
      stage_ = Stage::kMicrotasks;
      VOW_RETHROW;
    }
    VOW_TRY { again = !ticks_.empty() || reporter_.process(); }
    VOW_CATCH_ALL {
      stage_ = Stage::kRejections;
      VOW_RETHROW;
    }
  } while (again);
  unfinished_checkpoint_ = false;
  // The callback this checkpoint follows has ended, and an enterWith() in it with it: the next
  // callback starts in the empty context unless it captured one (AsyncLocalStorage).
  if (internal::contextAware()) [[unlikely]]
    internal::setContext(nullptr);
}

void Loop::runPending() {
  // Only what was queued before this phase started runs now (libuv swaps its queue).
  std::size_t n = pending_.size();
  ran_pending_ = n > 0;
  while (n-- > 0 && !pending_.empty()) {
    absl::AnyInvocable<void()> f = std::move(pending_.front());
    pending_.pop_front();
    {
      internal::TraceSpan span("pending", "callback");
      f();
    }
    checkpoint();
  }
}

void Loop::runClosing() {
  std::size_t n = closing_.size();
  while (n-- > 0 && !closing_.empty()) {
    absl::AnyInvocable<void()> f = std::move(closing_.front());
    closing_.pop_front();
    {
      internal::TraceSpan span("close callback", "callback");
      f();
    }
    checkpoint();
  }
}

int Loop::pollTimeout() const {
  // libuv's uv_backend_timeout.
  if (!alive()) return 0;
  if (!pending_.empty() || checks_.hasRefed() || !closing_.empty()) return 0;
  // A post from the loop's own thread wrote no wake-up: the poll must not block on it.
  if (inbox_.hasLeftover() || inbox_.hasQueued() || uring_.hasQueued()) return 0;
  if (timers_.empty()) return -1;
  std::int64_t diff = timers_.nextExpiry() - now_;
  if (diff <= 0) return 0;
  return diff > 0x7fffffff ? 0x7fffffff : static_cast<int>(diff);
}

int Loop::backendFd() const noexcept { return poller_.fd(); }

int Loop::backendTimeout() const {
  // What the next run(kNoWait) would run before any fd is ready: its opening checkpoint (what
  // host code queued), the rest of an interrupted run, or the phases that make poll not block.
  if (interrupted_ || !ticks_.empty() || pendingMicrotasks() > 0 || reporter_.hasWork()) {
    return 0;
  }
  if (!alive()) return -1;
  if (!pending_.empty() || checks_.hasRefed() || !closing_.empty()) return 0;
  if (inbox_.hasLeftover() || inbox_.hasQueued() || uring_.hasQueued()) return 0;
  if (timers_.empty()) return -1;
  // From the clock rather than the cached loop time: the host may have run for a while since
  // vow's last iteration.
  std::int64_t diff = timers_.nextExpiry() - clockMs();
  if (diff <= 0) return 0;
  return diff > 0x7fffffff ? 0x7fffffff : static_cast<int>(diff);
}

void Loop::post(absl::AnyInvocable<void()> f) {
  // From this loop's own thread inside run() (fs streams' reads served on the loop thread): no
  // eventfd write, nor its read later. The loop cannot be blocked in epoll_wait while its own
  // thread posts, and pollTimeout() is 0 while the inbox holds anything. Outside run() (the
  // main program, or a host between its run(kNoWait) calls) a host may be waiting for
  // backendFd() to become readable, so the post wakes it. t_current is this thread's, so
  // another thread never reads running_ here.
  if (t_current == this && running_) {
    inbox_.inbox()->pushFromLoopThread(std::move(f));
    return;
  }
  inbox_.inbox()->push(std::move(f));
}

namespace internal {
bool LoopAccess::post(const KeepAlive& token, absl::AnyInvocable<void()> f) {
  if (!token.inbox_) return false;
  token.inbox_->push(std::move(f));
  return true;
}
}  // namespace internal

KeepAlive Loop::keepAlive() { return KeepAlive(inbox_.inbox()); }

// --- I/O watchers ----------------------------------------------------------------------------

IoWatcher Loop::watch(int fd, std::uint32_t events,
                      absl::AnyInvocable<void(std::uint32_t)> callback) {
  return IoWatcher(poller_.watch(fd, events, std::move(callback)));
}

IoWatcher::~IoWatcher() { close(); }

void IoWatcher::close() {
  if (w_ == nullptr) return;
  if (Loop* loop = w_->loop()) internal::LoopAccess::poller(*loop).stop(w_);
  if (w_->running) {
    w_->orphaned = true;  // closed inside its own callback: the poller frees it after
  } else {
    delete w_;
  }
  w_ = nullptr;
}
void IoWatcher::start(std::uint32_t events) {
  if (Loop* loop = w_ ? w_->loop() : nullptr) internal::LoopAccess::poller(*loop).start(w_, events);
}
void IoWatcher::stop() {
  if (Loop* loop = w_ ? w_->loop() : nullptr) internal::LoopAccess::poller(*loop).stop(w_);
}
IoWatcher& IoWatcher::ref() {
  if (Loop* loop = w_ ? w_->loop() : nullptr) internal::LoopAccess::poller(*loop).setRef(w_, true);
  return *this;
}
IoWatcher& IoWatcher::unref() {
  if (Loop* loop = w_ ? w_->loop() : nullptr) {
    internal::LoopAccess::poller(*loop).setRef(w_, false);
  }
  return *this;
}

}  // namespace vow
