// The loop's io_uring (uring.h): setup against the kernel ABI, one submission per loop
// iteration, completions in the poll phase, and the credential check of CVE-2024-22017.
//
// Threads: none of ours. The ring belongs to the loop thread: requests are queued, submitted
// and completed there. The kernel runs the steps inline during io_uring_enter or on its io-wq
// workers (capped at kMaxWorkers); their buffers belong to the requests, which live until their
// completion is reaped (or, when the loop is destroyed, until the ring has drained).
#include "vow/loop/internal/uring.h"

#include <grp.h>
#include <linux/io_uring.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "vow/loop/internal/poller.h"
#include "vow/loop/loop.h"

namespace vow::internal {
namespace {

std::atomic<int> fail_setup_errno{0};
std::atomic<int> mode_override{-2};  // -2: read VOW_IO_URING
std::atomic<bool> no_direct_files{false};
std::atomic<unsigned> submit_limit{0};  // tests: at most this many SQEs per io_uring_enter

// VOW_IO_URING: 0 the pool, 1 io_uring (a warning when it cannot be had), unset or anything
// else: the default.
int configuredMode() {
  int forced = mode_override.load(std::memory_order_relaxed);
  if (forced != -2) return forced;
  static const int mode = [] {
    const char* v = std::getenv("VOW_IO_URING");
    if (v == nullptr || *v == '\0') return -1;
    if (std::strcmp(v, "0") == 0) return 0;
    if (std::strcmp(v, "1") == 0) return 1;
    return -1;
  }();
  return mode;
}

// io_uring is opt-in by default for now (see README, "fs on io_uring"): VOW_IO_URING=1 turns it on.
constexpr bool kOnByDefault = false;

int sysSetup(unsigned entries, io_uring_params* p) {
  return static_cast<int>(::syscall(__NR_io_uring_setup, entries, p));
}
int sysEnter(int fd, unsigned submit, unsigned min_complete, unsigned flags) {
  return static_cast<int>(
      ::syscall(__NR_io_uring_enter, fd, submit, min_complete, flags, nullptr, 0));
}
int sysRegister(int fd, unsigned op, void* arg, unsigned n) {
  return static_cast<int>(::syscall(__NR_io_uring_register, fd, op, arg, n));
}

std::vector<gid_t> currentGroups() {
  int n = ::getgroups(0, nullptr);
  std::vector<gid_t> groups(n > 0 ? static_cast<std::size_t>(n) : 0);
  if (n > 0 && ::getgroups(n, groups.data()) < 0) groups.clear();
  return groups;
}

// user_data's low bits: the SQE's index in its request's step (kMaxChain <= 4), and a bit for
// an SQE cut from its chain (flush: it became a NOP). Requests are at least 8-aligned.
constexpr std::uint64_t kIndexMask = 3;
constexpr std::uint64_t kCutBit = 4;
constexpr std::uint64_t kRequestMask = ~(kIndexMask | kCutBit);
static_assert(UringRequest::kMaxChain <= kIndexMask + 1);
static_assert(alignof(UringRequest) > (kIndexMask | kCutBit));

constexpr std::uint8_t kLinkFlags = IOSQE_IO_LINK | IOSQE_IO_HARDLINK;

// What a CQE tells the request: its result, or kCut for an SQE cut from its chain.
int resultOf(const io_uring_cqe& cqe) noexcept {
  return (cqe.user_data & kCutBit) != 0 ? UringRequest::kCut : cqe.res;
}

}  // namespace

void failUringSetupForTesting(int err) noexcept {
  fail_setup_errno.store(err, std::memory_order_relaxed);
}
void disableUringDirectFilesForTesting(bool disable) noexcept {
  no_direct_files.store(disable, std::memory_order_relaxed);
}
void limitUringSubmitForTesting(unsigned n) noexcept {
  submit_limit.store(n, std::memory_order_relaxed);
}
void setUringModeForTesting(int mode) noexcept {
  mode_override.store(mode, std::memory_order_relaxed);
}

std::string_view fsBackendName(FsBackend b) noexcept {
  return b == FsBackend::kIoUring ? "io_uring" : "threadpool";
}

void Uring::start() {
  const int mode = configuredMode();
  const bool want = mode == 1 || (mode == -1 && kOnByDefault);
  state_ = State::kOff;
  if (!want) return;
  if (setup()) {
    state_ = State::kOn;
    return;
  }
  if (mode == 1) {
    // Forced on and refused: say so once per process, and go on with the pool (a program that
    // asked for io_uring still works; the warning tells why it is slower than expected).
    static std::atomic<bool> warned{false};
    if (!warned.exchange(true)) {
      std::fprintf(stderr,
                   "vow: VOW_IO_URING=1 but io_uring is unavailable here (%s); fs runs on the "
                   "thread pool\n",
                   std::strerror(errno));
    }
  }
}

bool Uring::setup() {
  if (int err = fail_setup_errno.load(std::memory_order_relaxed)) {
    errno = err;
    return false;
  }
  io_uring_params p{};
  // No SQPOLL: a kernel thread polling the queue would keep the creator's credentials (the
  // CVE) and burn a core of two.
  const int fd = sysSetup(kEntries, &p);
  if (fd < 0) return false;  // ENOSYS (old kernel, seccomp), EPERM (io_uring_disabled)
  fd_ = fd;
  // Completions are never dropped (NODROP, 5.5) and -1 means the file's position (RW_CUR_POS,
  // 5.6): without them, the pool.
  if (!(p.features & IORING_FEAT_NODROP) || !(p.features & IORING_FEAT_RW_CUR_POS)) {
    teardown();
    errno = ENOTSUP;
    return false;
  }
  sq_map_len_ = p.sq_off.array + p.sq_entries * sizeof(unsigned);
  cq_map_len_ = p.cq_off.cqes + p.cq_entries * sizeof(io_uring_cqe);
  const bool single = (p.features & IORING_FEAT_SINGLE_MMAP) != 0;
  if (single && cq_map_len_ > sq_map_len_) sq_map_len_ = cq_map_len_;
  sq_map_ = ::mmap(nullptr, sq_map_len_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd,
                   IORING_OFF_SQ_RING);
  if (sq_map_ == MAP_FAILED) {
    sq_map_ = nullptr;
    teardown();
    return false;
  }
  if (single) {
    cq_map_ = sq_map_;
  } else {
    cq_map_ = ::mmap(nullptr, cq_map_len_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd,
                     IORING_OFF_CQ_RING);
    if (cq_map_ == MAP_FAILED) {
      cq_map_ = nullptr;
      teardown();
      return false;
    }
  }
  sqes_len_ = p.sq_entries * sizeof(io_uring_sqe);
  void* sqes = ::mmap(nullptr, sqes_len_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd,
                      IORING_OFF_SQES);
  if (sqes == MAP_FAILED) {
    teardown();
    return false;
  }
  sqes_ = static_cast<io_uring_sqe*>(sqes);
  auto* sq = static_cast<char*>(sq_map_);
  auto* cq = static_cast<char*>(cq_map_);
  sq_head_ = reinterpret_cast<unsigned*>(sq + p.sq_off.head);
  sq_tail_ = reinterpret_cast<unsigned*>(sq + p.sq_off.tail);
  sq_mask_ = *reinterpret_cast<unsigned*>(sq + p.sq_off.ring_mask);
  sq_array_ = reinterpret_cast<unsigned*>(sq + p.sq_off.array);
  sq_entries_ = p.sq_entries;
  cq_head_ = reinterpret_cast<unsigned*>(cq + p.cq_off.head);
  cq_tail_ = reinterpret_cast<unsigned*>(cq + p.cq_off.tail);
  cq_mask_ = *reinterpret_cast<unsigned*>(cq + p.cq_off.ring_mask);
  cqes_ = cq + p.cq_off.cqes;

  // Which operations this kernel has (io_uring_register(2), IORING_REGISTER_PROBE).
  constexpr unsigned kProbeOps = 256;
  std::unique_ptr<char[]> probe_mem(
      new char[sizeof(io_uring_probe) + kProbeOps * sizeof(io_uring_probe_op)]());
  auto* probe = reinterpret_cast<io_uring_probe*>(probe_mem.get());
  if (sysRegister(fd, IORING_REGISTER_PROBE, probe, kProbeOps) < 0) {
    teardown();
    return false;
  }
  supported_.assign(kProbeOps, false);
  for (unsigned i = 0; i < probe->ops_len && i < kProbeOps; ++i) {
    supported_[probe->ops[i].op] = (probe->ops[i].flags & IO_URING_OP_SUPPORTED) != 0;
  }
  // What readFile and writeFile need (5.6): without them the ring is not worth having.
  for (int op :
       {IORING_OP_OPENAT, IORING_OP_READ, IORING_OP_WRITE, IORING_OP_CLOSE, IORING_OP_STATX}) {
    if (!supports(op)) {
      teardown();
      errno = ENOTSUP;
      return false;
    }
  }
  // Direct descriptors: a sparse fixed-file table (5.19) and a way to turn a slot into an fd
  // (6.8). readFile then opens and reads in one linked submission, its file never entering the
  // process's fd table (no fd allocation, no fget/fput per read). Without them, one step per
  // iteration as before.
  if (supports(kOpFixedFdInstall) && !no_direct_files.load(std::memory_order_relaxed)) {
    io_uring_rsrc_register files{};
    files.nr = kFileSlots;
    files.flags = IORING_RSRC_REGISTER_SPARSE;
    if (sysRegister(fd, IORING_REGISTER_FILES2, &files, sizeof files) == 0) {
      free_slots_.reserve(kFileSlots);
      for (int slot = kFileSlots; slot-- > 0;) free_slots_.push_back(slot);
    }
  }
  // Bounded kernel workers (5.15; older kernels refuse, and bound them by RLIMIT_NPROC only).
  unsigned workers[2] = {kMaxWorkers, kMaxWorkers};
  sysRegister(fd, IORING_REGISTER_IOWQ_MAX_WORKERS, workers, 2);

  // The credentials ops will run with; flush() compares them before every submission.
  ::getresuid(&uid_[0], &uid_[1], &uid_[2]);
  ::getresgid(&gid_[0], &gid_[1], &gid_[2]);
  groups_ = currentGroups();

  // Completions wake the poll phase: the ring fd polls readable while the completion queue
  // holds entries (level-triggered). Unref'd: pending() keeps the loop alive instead, counting
  // requests exactly as the pool counts jobs.
  watcher_ = poller_.watch(fd, kReadable, [this](std::uint32_t) { reap(); });
  poller_.setRef(watcher_, false);
  return true;
}

Uring::~Uring() {
  if (state_ != State::kOn && fd_ < 0) return;
  // The loop is going away with requests queued or in flight. Queued ones never reached the
  // kernel: drop them. In-flight ones may still write into their buffers: cancel what can be
  // cancelled, then wait for every completion before freeing anything.
  for (UringRequest* r : queue_) r->abandon(UringRequest::kNotSubmitted, 0);
  queue_.clear();
  // SQEs in the ring that the kernel has not taken yet (EAGAIN, a partial submission) go with
  // the next io_uring_enter below, and their CQEs are awaited as the others.
  in_flight_ += to_submit_;
  if (fd_ >= 0 && in_flight_ > 0) {
    if (supports(IORING_OP_ASYNC_CANCEL) && to_submit_ < sq_entries_) {
      const unsigned tail = *sq_tail_;
      const unsigned idx = tail & sq_mask_;
      io_uring_sqe* sqe = &sqes_[idx];
      std::memset(sqe, 0, sizeof(*sqe));
      sqe->opcode = IORING_OP_ASYNC_CANCEL;
      sqe->cancel_flags = IORING_ASYNC_CANCEL_ANY;
      sqe->user_data = 0;
      sq_array_[idx] = idx;
      __atomic_store_n(sq_tail_, tail + 1, __ATOMIC_RELEASE);
      ++to_submit_;
    }
    while (in_flight_ > 0) {
      int r = sysEnter(fd_, to_submit_, 1, IORING_ENTER_GETEVENTS);
      if (r < 0 && errno != EINTR && errno != EAGAIN && errno != EBUSY) break;
      if (r > 0) to_submit_ -= static_cast<unsigned>(r);
      unsigned head = *cq_head_;
      const unsigned tail = __atomic_load_n(cq_tail_, __ATOMIC_ACQUIRE);
      for (; head != tail; ++head) {
        auto* cqe = static_cast<io_uring_cqe*>(cqes_) + (head & cq_mask_);
        if (cqe->user_data == 0) continue;  // the cancel request itself
        auto* req = reinterpret_cast<UringRequest*>(cqe->user_data & kRequestMask);
        --in_flight_;
        // Its SQE is over; an fd it opened (res >= 0) is the request's to close. (Direct
        // descriptors go with the ring's file table when the ring fd closes.)
        req->abandon(resultOf(*cqe), static_cast<unsigned>(cqe->user_data & kIndexMask));
      }
      __atomic_store_n(cq_head_, head, __ATOMIC_RELEASE);
    }
  }
  teardown();
}

void Uring::teardown() noexcept {
  if (watcher_ != nullptr) {
    poller_.stop(watcher_);
    delete watcher_;
    watcher_ = nullptr;
  }
  if (sqes_ != nullptr) ::munmap(sqes_, sqes_len_);
  if (cq_map_ != nullptr && cq_map_ != sq_map_) ::munmap(cq_map_, cq_map_len_);
  if (sq_map_ != nullptr) ::munmap(sq_map_, sq_map_len_);
  sqes_ = nullptr;
  sq_map_ = cq_map_ = nullptr;
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool Uring::credentialsChanged() const noexcept {
  uid_t u[3];
  gid_t g[3];
  ::getresuid(&u[0], &u[1], &u[2]);
  ::getresgid(&g[0], &g[1], &g[2]);
  if (std::memcmp(u, uid_, sizeof u) != 0 || std::memcmp(g, gid_, sizeof g) != 0) return true;
  return currentGroups() != groups_;
}

void Uring::retire() {
  // CVE-2024-22017: the process changed its credentials (setuid, setgid, setgroups) since the
  // ring was made. Requests the kernel runs on its workers could run with the old ones, so no
  // new operation goes to this ring: queued requests that have not started move to the thread
  // pool (whose threads change credentials with the process), and this loop's new operations go
  // there too. Requests already past their first step go on here: their remaining steps use an
  // fd they opened (read, write, close), which credentials do not govern.
  state_ = State::kOff;
  std::deque<UringRequest*> keep;
  for (UringRequest* r : queue_) {
    if (!r->moveToPool()) keep.push_back(r);
  }
  queue_.swap(keep);
}

void Uring::flush() {
  // (SQEs the kernel did not take last time, EAGAIN or a partial submission, go again even when
  // no request is queued.)
  if ((queue_.empty() && to_submit_ == 0) || fd_ < 0) return;
  if (state_ == State::kOn && credentialsChanged()) retire();
  // Fill SQEs while there is room in the ring and under the in-flight bound; a step's chain goes
  // whole or waits (the kernel links the SQEs of one submission in ring order).
  unsigned tail = *sq_tail_;
  while (!queue_.empty()) {
    UringRequest* r = queue_.front();
    const unsigned n = r->sqeCount(*this);
    if (in_flight_ + to_submit_ + n > kMaxInFlight || to_submit_ + n > sq_entries_) break;
    queue_.pop_front();
    io_uring_sqe* step[UringRequest::kMaxChain];
    for (unsigned i = 0; i < n; ++i) {
      step[i] = &sqes_[(tail + i) & sq_mask_];
      std::memset(step[i], 0, sizeof(io_uring_sqe));
    }
    r->prepare(step);
    // The SQE's index in the step rides in user_data's low bits (requests are 8-aligned).
    for (unsigned i = 0; i < n; ++i) {
      const unsigned idx = (tail + i) & sq_mask_;
      step[i]->user_data = reinterpret_cast<std::uint64_t>(r) | i;
      sq_array_[idx] = idx;
    }
    tail += n;
    to_submit_ += n;
  }
  __atomic_store_n(sq_tail_, tail, __ATOMIC_RELEASE);
  if (to_submit_ == 0) return;
  // One io_uring_enter for the whole iteration's batch.
  unsigned submit = to_submit_;
  if (const unsigned limit = submit_limit.load(std::memory_order_relaxed); limit != 0) {
    submit = std::min(submit, limit);
  }
  int r;
  do {
    r = sysEnter(fd_, submit, 0, 0);
  } while (r < 0 && errno == EINTR);
  if (r > 0) {
    to_submit_ -= static_cast<unsigned>(r);
    in_flight_ += static_cast<std::size_t>(r);
    if (to_submit_ > 0) cutSplitChain(tail);
  }
  // EAGAIN / EBUSY: the kernel is short of memory or the completion queue is full; the SQEs stay
  // in the ring and go with the next flush (completions are on their way, so the loop iterates).
}

void Uring::cutSplitChain(unsigned tail) noexcept {
  // The kernel took only part of the batch (it stops early when it cannot allocate a request,
  // or after an SQE it rejects). If it stopped inside a linked chain, it ran the part it took as
  // a chain of its own, and the rest would go with the next submission as another chain, no
  // longer ordered after the first part: a read could run before the open of its file, or at
  // the wrong position. So the rest of that chain becomes NOPs marked as cut; each still gives
  // the request its CQE (with kCut as the result), and the request does the cut steps itself
  // (uring.h). The kernel reads an SQE only when it takes it, so until then it is ours to change.
  const unsigned first = tail - to_submit_;  // the oldest SQE the kernel did not take
  if ((sqes_[(first - 1) & sq_mask_].flags & kLinkFlags) == 0) return;  // a chain's end
  for (unsigned pos = first; pos != tail; ++pos) {
    io_uring_sqe& sqe = sqes_[pos & sq_mask_];
    const bool chain_goes_on = (sqe.flags & kLinkFlags) != 0;
    const std::uint64_t data = sqe.user_data | kCutBit;
    std::memset(&sqe, 0, sizeof(sqe));
    sqe.opcode = IORING_OP_NOP;
    sqe.user_data = data;
    ++sqes_cut_;
    if (!chain_goes_on) break;
  }
}

void Uring::reap() {
  // Each completion is one step of one request: complete() runs the next step or the callback,
  // then a checkpoint (Node: each fs callback is a macrotask). The head advances before the
  // callback runs, so an exception leaves only the later entries, and the ring fd stays readable
  // for them.
  Loop& loop = *watcher_->loop();
  for (;;) {
    const unsigned head = *cq_head_;
    if (head == __atomic_load_n(cq_tail_, __ATOMIC_ACQUIRE)) break;
    auto* cqe = static_cast<io_uring_cqe*>(cqes_) + (head & cq_mask_);
    const std::uint64_t data = cqe->user_data;
    auto* req = reinterpret_cast<UringRequest*>(data & kRequestMask);
    const int res = resultOf(*cqe);
    __atomic_store_n(cq_head_, head + 1, __ATOMIC_RELEASE);
    if (req == nullptr) continue;
    --in_flight_;
    req->complete(res, static_cast<unsigned>(data & kIndexMask));
    loop.checkpoint();
  }
}

}  // namespace vow::internal
