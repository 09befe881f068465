#include "vow/loop/loop.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <system_error>

#include "vow/loop/internal/js_value.h"
#include "vow/promise/promisify.h"

namespace vow {

namespace internal {

// --- Inbox -----------------------------------------------------------------------------------

Inbox::Inbox() {
  fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
}

Inbox::~Inbox() {
  // Callbacks left here belong to a loop that is gone; what they own is released, not run.
  queue_.clear();
  ::close(fd_);
}

void Inbox::wake() {
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

void Inbox::takeAll(std::vector<absl::AnyInvocable<void()>>& out) {
  std::uint64_t value;
  while (::read(fd_, &value, sizeof(value)) < 0 && errno == EINTR) {
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

}  // namespace internal

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

// Node's util.callbackify delivers through process.nextTick. The promise layer knows no loop
// and falls back to queueMicrotask; any program linked with the loop gets nextTick instead,
// installed before main (unless a scheduler was installed earlier: that one is kept). Later
// calls to vow::setCallbackScheduler still choose.
void nextTickCallbackScheduler(absl::AnyInvocable<void()> f) { ::vow::nextTick(std::move(f)); }
[[maybe_unused]] const bool kCallbackifyUsesNextTick = [] {
  if (CallbackScheduler previous = setCallbackScheduler(&nextTickCallbackScheduler)) {
    setCallbackScheduler(previous);
  }
  return true;
}();

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

// Forwards rejection events to the current loop, creating it if needed, for promises rejected
// on the main thread before any loop exists (as in Node, where the host exists before the
// main module runs). Installed for the main thread during static initialisation.
class DefaultTracker final : public internal::RejectionTracker {
 public:
  void onRejectWithNoHandler(internal::StateBase* p) override {
    if (internal::RejectionTracker* loop = loopTracker()) loop->onRejectWithNoHandler(p);
  }
  void onHandlerAddedAfterReject(internal::StateBase* p) override {
    if (internal::RejectionTracker* loop = loopTracker()) loop->onHandlerAddedAfterReject(p);
  }

 private:
  // Making the thread's loop installs it as the tracker in this one's place.
  internal::RejectionTracker* loopTracker() {
    Loop::current();
    internal::RejectionTracker* t = internal::currentRejectionTracker();
    return t != this ? t : nullptr;
  }
};

DefaultTracker g_default_tracker;
const bool g_tracker_installed = [] {
  if (internal::currentRejectionTracker() == nullptr) {
    internal::currentRejectionTracker() = &g_default_tracker;
  }
  return true;
}();

}  // namespace

Loop& Loop::current() {
  if (t_current != nullptr) return *t_current;
  // The default loop lives until the thread ends. Touch the promise layer's thread-locals
  // first so they are destroyed after the loop (which releases promises).
  internal::JobQueue::current();
  internal::Reaper::run([](void*) {}, nullptr);
  thread_local std::unique_ptr<Loop> default_loop;
  default_loop = std::make_unique<Loop>();
  return *t_current;
}

Loop::Loop() : inbox_(std::make_shared<internal::Inbox>()) {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) throw std::system_error(errno, std::generic_category(), "epoll_create1");
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = 0;  // the inbox
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, inbox_->fd(), &ev) < 0) {
    ::close(epoll_fd_);
    throw std::system_error(errno, std::generic_category(), "epoll_ctl");
  }
  if (const char* mode = std::getenv("VOW_UNHANDLED_REJECTIONS")) {
    parseUnhandledRejections(mode, &mode_);
  }
  // Made once the setup that can fail has succeeded (a constructor that throws runs no
  // destructor to free it).
  link_ = new internal::LoopLink{this};
  now_ = clockMs();
  previous_ = t_current;
  t_current = this;
  previous_tracker_ = internal::currentRejectionTracker();
  internal::currentRejectionTracker() = this;
}

Loop::~Loop() {
  if (pending_work_ > 0) {
    // Pool jobs still out will push their completions into the inbox: keep it alive (leaked,
    // with the completions it receives) rather than let them write to freed memory.
    new std::shared_ptr<internal::Inbox>(inbox_);
  }
  if (t_current == this) t_current = previous_;
  if (internal::currentRejectionTracker() == this) {
    internal::currentRejectionTracker() = previous_tracker_;
  }
  // Disarm every timer: drop the loop's references (handles may outlive the loop but must not
  // be used then).
  for (internal::TimerList* list : heap_) {
    internal::TimerImpl* t = list->head;
    while (t != nullptr) {
      internal::TimerImpl* next = t->next;
      t->list = nullptr;
      t->prev = t->next = nullptr;
      t->release();
      t = next;
    }
    delete list;
  }
  for (auto& [id, w] : watchers_) w->events = 0;
  ::close(epoll_fd_);
  // Handles that outlive the loop (a fired timer's Timeout, an Immediate, a stopped IoWatcher)
  // find a null loop from now on.
  link_->loop = nullptr;
  link_->release();
}

bool parseUnhandledRejections(const std::string& text, UnhandledRejections* mode) {
  if (text == "throw") {
    *mode = UnhandledRejections::kThrow;
  } else if (text == "strict") {
    *mode = UnhandledRejections::kStrict;
  } else if (text == "warn") {
    *mode = UnhandledRejections::kWarn;
  } else if (text == "warn-with-error-code") {
    *mode = UnhandledRejections::kWarnWithErrorCode;
  } else if (text == "none") {
    *mode = UnhandledRejections::kNone;
  } else {
    return false;
  }
  return true;
}

void Loop::updateTime() { now_ = clockMs(); }

bool Loop::alive() const {
  return timer_ref_count_ > 0 || immediate_ref_count_ > 0 || io_ref_count_ > 0 ||
         pending_work_ > 0 || !pending_.empty() || !closing_.empty() ||
         inbox_index_ < inbox_batch_.size() || inbox_->size() > 0 ||
         inbox_->keep_alive.load(std::memory_order_acquire) > 0;
}

// --- run -------------------------------------------------------------------------------------

void Loop::run() {
  if (running_) throw std::logic_error("vow::Loop::run() called from inside the loop");
  running_ = true;
  // While it runs, this loop is the thread's current loop (and rejection tracker), so that
  // callbacks calling vow::setTimeout & co. reach it even if another Loop object is current.
  struct Reset {
    Loop* self;
    Loop* saved_current;
    internal::RejectionTracker* saved_tracker;
    ~Reset() {
      self->running_ = false;
      t_current = saved_current;
      internal::currentRejectionTracker() = saved_tracker;
    }
  } reset{this, t_current, internal::currentRejectionTracker()};
  t_current = this;
  internal::currentRejectionTracker() = this;

  bool resumed = std::exchange(interrupted_, false);
  try {
    runPhases(resumed ? phase_ : Phase::kMain, resumed);
  } catch (...) {
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
    resume_checkpoint_ = stage_ == Stage::kMicrotasks || stage_ == Stage::kRejections;
    stage_ = Stage::kNone;
    newImmediate([] {});
    throw;
  }
}

void Loop::runPhases(Phase phase, bool resumed) {
  if (resumed && resume_checkpoint_) checkpoint();
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
        runTimers();
        phase = Phase::kPending;
        break;
      case Phase::kPending:
        runPending();
        phase = Phase::kPoll;
        break;
      case Phase::kPoll:
        // idle / prepare: vow has no public idle or prepare handles; a ref'd immediate acts
        // as Node's idle handle by making the poll below not block (pollTimeout()).
        if (resumed) {
          runInbox();        // what the interrupted poll had left: no new epoll_wait (libuv goes on
          dispatchPolled();  // with the events of the same one)
        } else {
          poll(pollTimeout());
        }
        phase = Phase::kCheck;
        break;
      case Phase::kCheck:
        runCheck(resumed);
        phase = Phase::kClose;
        break;
      case Phase::kClose:
        runClosing();
        phase = Phase::kTimers;
        break;
      case Phase::kTimers:
        if (!resumed) updateTime();  // Node's RunTimers goes on with the same `now`
        runTimers();
        phase = Phase::kAlive;
        break;
      case Phase::kAlive:
        phase = alive() ? Phase::kPending : Phase::kBeforeExit;
        break;
      case Phase::kBeforeExit:
        if (!resumed) checkpoint();
        if (!alive()) return;
        phase = Phase::kFirstTimers;
        break;
    }
  }
}

void Loop::checkpoint() {
  // Node's processTicksAndRejections. stage_ tells run() where an exception came from.
  do {
    stage_ = Stage::kTicks;
    while (!ticks_.empty()) {
      absl::AnyInvocable<void()> f = std::move(ticks_.front());
      ticks_.pop_front();
      f();
    }
    stage_ = Stage::kMicrotasks;
    runMicrotasks();
    stage_ = Stage::kRejections;
  } while (!ticks_.empty() || processRejections());
  stage_ = Stage::kNone;
}

void Loop::nextTick(absl::AnyInvocable<void()> f) { ticks_.push_back(std::move(f)); }

void Loop::queuePending(absl::AnyInvocable<void()> f) { pending_.push_back(std::move(f)); }
void Loop::queueClose(absl::AnyInvocable<void()> f) { closing_.push_back(std::move(f)); }

void Loop::runPending() {
  // Only what was queued before this phase started runs now (libuv swaps its queue).
  std::size_t n = pending_.size();
  while (n-- > 0 && !pending_.empty()) {
    absl::AnyInvocable<void()> f = std::move(pending_.front());
    pending_.pop_front();
    f();
    checkpoint();
  }
}

void Loop::runClosing() {
  std::size_t n = closing_.size();
  while (n-- > 0 && !closing_.empty()) {
    absl::AnyInvocable<void()> f = std::move(closing_.front());
    closing_.pop_front();
    f();
    checkpoint();
  }
}

// --- poll ------------------------------------------------------------------------------------

int Loop::pollTimeout() const {
  // libuv's uv_backend_timeout.
  if (!alive()) return 0;
  if (!pending_.empty() || immediate_ref_count_ > 0 || !closing_.empty()) return 0;
  if (inbox_index_ < inbox_batch_.size()) return 0;
  if (heap_.empty()) return -1;
  std::int64_t diff = heap_[0]->expiry - now_;
  if (diff <= 0) return 0;
  return diff > 0x7fffffff ? 0x7fffffff : static_cast<int>(diff);
}

void Loop::poll(int timeout_ms) {
  // Posts and completions left over from a batch an exception interrupted run first.
  if (inbox_index_ < inbox_batch_.size()) {
    runInbox();
    timeout_ms = 0;
  }
  polled_count_ = polled_next_ = 0;
  if (timeout_ms == 0 && watchers_.empty()) {
    // Nothing but the inbox is registered and we must not block: skip the syscall (as libuv
    // skips epoll_wait with no fds) and look at the inbox's counter instead.
    if (inbox_->size() > 0) {
      inbox_->takeAll(inbox_batch_);
      runInbox();
    }
    return;
  }
  epoll_event events[kMaxEvents];
  int n;
  do {
    n = ::epoll_wait(epoll_fd_, events, kMaxEvents, timeout_ms);
  } while (n < 0 && errno == EINTR);
  updateTime();
  if (n <= 0) return;
  // Collect first: callbacks may stop watchers (ids are looked up again before each call), and
  // an exception from one leaves the rest here for the resumed poll phase.
  for (int i = 0; i < n; ++i) {
    polled_ids_[i] = events[i].data.u64;
    polled_events_[i] = events[i].events;
  }
  polled_count_ = n;
  dispatchPolled();
}

void Loop::dispatchPolled() {
  while (polled_next_ < polled_count_) {
    int i = polled_next_++;
    if (polled_ids_[i] == 0) {
      inbox_->takeAll(inbox_batch_);
      runInbox();
      continue;
    }
    auto it = watchers_.find(polled_ids_[i]);
    if (it == watchers_.end()) continue;
    internal::IoWatcherImpl* w = it->second;
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
    struct Restore {
      internal::IoWatcherImpl* w;
      absl::AnyInvocable<void(std::uint32_t)>* cb;
      ~Restore() {
        w->running = false;
        if (w->orphaned) {
          delete w;
        } else if (!w->callback) {
          w->callback = std::move(*cb);
        }
      }
    } restore{w, &cb};
    cb(got);
    checkpoint();
  }
  polled_count_ = polled_next_ = 0;
}

void Loop::runInbox() {
  while (inbox_index_ < inbox_batch_.size()) {
    absl::AnyInvocable<void()> f = std::move(inbox_batch_[inbox_index_++]);
    f();
    checkpoint();
  }
  inbox_batch_.clear();
  inbox_index_ = 0;
}

void Loop::post(absl::AnyInvocable<void()> f) { inbox_->push(std::move(f)); }

KeepAlive Loop::keepAlive() { return KeepAlive(inbox_); }

void Loop::queueWork(absl::AnyInvocable<void()> work, absl::AnyInvocable<void()> after) {
  // `after` stays on this thread, in a slot; only the slot number travels through the pool.
  std::uint32_t slot;
  if (free_work_slots_.empty()) {
    slot = static_cast<std::uint32_t>(work_after_.size());
    work_after_.push_back(std::move(after));
  } else {
    slot = free_work_slots_.back();
    free_work_slots_.pop_back();
    work_after_[slot] = std::move(after);
  }
  ++pending_work_;
  internal::submitToPool(std::move(work), inbox_.get(), this, slot);
}

void Loop::completeWork(std::uint32_t slot, std::exception_ptr error) {
  absl::AnyInvocable<void()> after = std::move(work_after_[slot]);
  work_after_[slot] = nullptr;
  free_work_slots_.push_back(slot);
  --pending_work_;
  if (error) std::rethrow_exception(error);  // `after` is destroyed, not called
  after();
}

// --- I/O watchers ----------------------------------------------------------------------------

IoWatcher Loop::watch(int fd, std::uint32_t events,
                      absl::AnyInvocable<void(std::uint32_t)> callback) {
  auto* w = new internal::IoWatcherImpl(link_);
  w->fd = fd;
  w->id = next_watcher_id_++;
  w->callback = std::move(callback);
  IoWatcher handle(w);
  ioStart(w, events);
  return handle;
}

void Loop::ioStart(internal::IoWatcherImpl* w, std::uint32_t events) {
  if (events == 0) {
    ioStop(w);
    return;
  }
  epoll_event ev{};
  ev.events = ((events & kReadable) ? EPOLLIN : 0u) | ((events & kWritable) ? EPOLLOUT : 0u);
  ev.data.u64 = w->id;
  int op = w->events == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
  if (::epoll_ctl(epoll_fd_, op, w->fd, &ev) < 0) {
    throw std::system_error(errno, std::generic_category(), "epoll_ctl");
  }
  if (w->events == 0) {
    watchers_[w->id] = w;
    if (w->refed) ++io_ref_count_;
  }
  w->events = events;
}

void Loop::ioStop(internal::IoWatcherImpl* w) {
  if (w->events == 0) return;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, w->fd, nullptr);
  watchers_.erase(w->id);
  if (w->refed) --io_ref_count_;
  w->events = 0;
}

void Loop::ioRef(internal::IoWatcherImpl* w, bool ref) {
  if (w->refed == ref) return;
  w->refed = ref;
  if (w->events != 0) {
    if (ref) {
      ++io_ref_count_;
    } else {
      --io_ref_count_;
    }
  }
}

IoWatcher::~IoWatcher() {
  if (w_ == nullptr) return;
  if (Loop* loop = w_->loop()) loop->ioStop(w_);
  if (w_->running) {
    w_->orphaned = true;  // destroyed inside its own callback: Loop::poll frees it after
  } else {
    delete w_;
  }
}
void IoWatcher::start(std::uint32_t events) {
  if (Loop* loop = w_ ? w_->loop() : nullptr) loop->ioStart(w_, events);
}
void IoWatcher::stop() {
  if (Loop* loop = w_ ? w_->loop() : nullptr) loop->ioStop(w_);
}
IoWatcher& IoWatcher::ref() {
  if (Loop* loop = w_ ? w_->loop() : nullptr) loop->ioRef(w_, true);
  return *this;
}
IoWatcher& IoWatcher::unref() {
  if (Loop* loop = w_ ? w_->loop() : nullptr) loop->ioRef(w_, false);
  return *this;
}

// --- rejections ------------------------------------------------------------------------------

void Loop::onRejectWithNoHandler(internal::StateBase* promise) {
  // Node's unhandledRejection(promise, reason). The map holds no reference: a state can only
  // come back to onHandlerAddedAfterReject after being reported here, which overwrites any
  // stale entry left at a reused address.
  maybe_unhandled_[promise] = Unhandled{++last_promise_id_, false};
  pending_unhandled_.emplace_back(promise);
}

void Loop::onHandlerAddedAfterReject(internal::StateBase* promise) {
  // Node's handledRejection(promise).
  auto it = maybe_unhandled_.find(promise);
  if (it == maybe_unhandled_.end()) return;
  Unhandled info = it->second;
  if (info.in_flight) return;  // Node: in neither map while its batch is being emitted
  maybe_unhandled_.erase(it);
  if (info.warned) async_handled_.emplace_back(AnyPromise(promise), info.uid);
}

ListenerId Loop::onUnhandledRejection(absl::AnyInvocable<void(const Error&, const AnyPromise&)> h) {
  ListenerId id = next_listener_id_++;
  unhandled_handlers_.push_back(
      {id,
       std::make_shared<absl::AnyInvocable<void(const Error&, const AnyPromise&)>>(std::move(h))});
  return id;
}

ListenerId Loop::onRejectionHandled(absl::AnyInvocable<void(const AnyPromise&)> h) {
  ListenerId id = next_listener_id_++;
  handled_handlers_.push_back(
      {id, std::make_shared<absl::AnyInvocable<void(const AnyPromise&)>>(std::move(h))});
  return id;
}

ListenerId Loop::onWarning(absl::AnyInvocable<void(const std::string&, const std::string&)> h) {
  ListenerId id = next_listener_id_++;
  warning_handlers_.push_back(
      {id, std::make_shared<absl::AnyInvocable<void(const std::string&, const std::string&)>>(
               std::move(h))});
  return id;
}

bool Loop::removeListener(ListenerId id) {
  auto erase = [id](auto& v) {
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (it->id == id) {
        v.erase(it);
        return true;
      }
    }
    return false;
  };
  return erase(unhandled_handlers_) || erase(handled_handlers_) || erase(warning_handlers_);
}

void Loop::emitWarning(const std::string& message, const std::string& name) {
  // Node's process.emitWarning emits on the next tick (doEmitWarning), so the code that caused
  // the warning finishes first: `setTimeout(f, 2 ** 31); console.log('after')` prints 'after'
  // before the TimeoutOverflowWarning.
  nextTick([this, message, name] { deliverWarning(message, name); });
}

void Loop::deliverWarning(const std::string& message, const std::string& name) {
  if (warning_handlers_.empty()) {
    std::fprintf(stderr, "(vow:%d) %s: %s\n", static_cast<int>(::getpid()), name.c_str(),
                 message.c_str());
    return;
  }
  auto snapshot = warning_handlers_;
  for (auto& l : snapshot) (*l.fn)(name, message);
}

namespace {
constexpr const char* kUnhandledRejectionMessage =
    "This error originated either by throwing inside of an async function without a catch "
    "block, or by rejecting a promise which was not handled with .catch(). To terminate the "
    "node process on unhandled promise rejection, use the CLI flag "
    "`--unhandled-rejections=strict` (see "
    "https://nodejs.org/api/cli.html#cli_unhandled_rejections_mode).";
}  // namespace

void Loop::emitUnhandledWarning(std::uint64_t uid, const Error& reason) {
  // Node's emitUnhandledRejectionWarning: the reason, then the explanation.
  std::string text = reason ? reason.name() + ": " + reason.message() : "undefined";
  emitWarning(text, "UnhandledPromiseRejectionWarning");
  emitWarning(std::string("Unhandled promise rejection. ") + kUnhandledRejectionMessage +
                  " (rejection id: " + std::to_string(uid) + ")",
              "UnhandledPromiseRejectionWarning");
}

UnhandledPromiseRejection::UnhandledPromiseRejection(Error reason)
    : Exception(std::string(kUnhandledRejectionMessage) +
                    " The promise rejected with the reason \"" +
                    internal::stringifyThrownValue(reason.exception()) + "\".",
                "ERR_UNHANDLED_REJECTION"),
      reason_(std::move(reason)) {}

void Loop::throwReason(const Error& reason) {
  // Node: isErrorLike(reason) ? reason : new UnhandledPromiseRejection(reason). An error here
  // is a C++ exception (statuses are carried as vow::StatusError); an int, a string or any
  // other thrown value is wrapped, so that `catch (const std::exception&)` sees every one.
  if (reason.as<std::exception>() != nullptr) reason.rethrow();
  throw UnhandledPromiseRejection(reason);
}

bool Loop::processRejections() {
  // Node's processPromiseRejections (lib/internal/process/promises.js).
  if (pending_unhandled_.empty() && async_handled_.empty()) return false;
  bool maybe_scheduled = !async_handled_.empty();
  while (!async_handled_.empty()) {
    auto [promise, uid] = std::move(async_handled_.front());
    async_handled_.pop_front();
    if (handled_handlers_.empty()) {
      emitWarning("Promise rejection was handled asynchronously (rejection id: " +
                      std::to_string(uid) + ")",
                  "PromiseRejectionHandledWarning");
    } else {
      auto snapshot = handled_handlers_;
      for (auto& l : snapshot) (*l.fn)(promise);
    }
  }
  // Node 20.20 takes the whole pending set first (`const pending = pendingUnhandledRejections;
  // pendingUnhandledRejections = new SafeMap()`), then reports each entry in order: a handler
  // attached to a later entry by an earlier entry's listener does not stop its report.
  std::deque<AnyPromise> batch;
  batch.swap(pending_unhandled_);
  for (const AnyPromise& p : batch) {
    auto it = maybe_unhandled_.find(p.state());
    if (it != maybe_unhandled_.end()) it->second.in_flight = true;
  }
  // If a report throws (throw/strict mode), the entries not reached yet go back in front of
  // the pending ones, for the next checkpoint (run() called again goes on from there).
  struct Requeue {
    Loop* loop;
    std::deque<AnyPromise>* batch;
    ~Requeue() {
      while (!batch->empty()) {
        auto it = loop->maybe_unhandled_.find(batch->back().state());
        if (it != loop->maybe_unhandled_.end()) it->second.in_flight = false;
        loop->pending_unhandled_.push_front(std::move(batch->back()));
        batch->pop_back();
      }
    }
  } requeue{this, &batch};
  while (!batch.empty()) {
    AnyPromise promise = std::move(batch.front());
    batch.pop_front();
    auto it = maybe_unhandled_.find(promise.state());
    if (it == maybe_unhandled_.end()) continue;  // handled before the batch was taken
    it->second.in_flight = false;
    it->second.warned = true;
    std::uint64_t uid = it->second.uid;
    Error reason = promise.reason();
    auto emit = [&] {
      if (unhandled_handlers_.empty()) return false;
      auto snapshot = unhandled_handlers_;
      for (auto& l : snapshot) (*l.fn)(reason, promise);
      return true;
    };
    switch (mode_) {
      case UnhandledRejections::kStrict:
        throwReason(reason);
      case UnhandledRejections::kNone:
        emit();
        break;
      case UnhandledRejections::kWarn:
        emit();
        emitUnhandledWarning(uid, reason);
        break;
      case UnhandledRejections::kThrow:
        if (!emit()) throwReason(reason);
        break;
      case UnhandledRejections::kWarnWithErrorCode:
        if (!emit()) {
          emitUnhandledWarning(uid, reason);
          exit_code_ = 1;
        }
        break;
    }
    maybe_scheduled = true;
  }
  return maybe_scheduled || !pending_unhandled_.empty();
}

}  // namespace vow
