// The loop's io_uring: one ring per loop, made on first use, talking to the kernel's ABI
// directly (linux/io_uring.h; no liburing, so a Bazel user needs no system library). fs submits
// requests to it; the loop submits them once per iteration, just before it blocks in the poll
// phase, and the ring's fd is registered in the poller, so completions run in the poll phase
// like the thread pool's. Users never include this; fs reaches it through LoopAccess::uring.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string_view>
#include <vector>

struct io_uring_sqe;

namespace vow::internal {

class Poller;
struct IoWatcherImpl;
class Uring;

// One request: one or more ring operations (steps) run one after the other; a step is one SQE or
// a linked chain of up to kMaxChain SQEs (IOSQE_IO_LINK). Owned by its submitter; the ring only
// holds a pointer while the request is queued or in flight.
class UringRequest {
 public:
  virtual ~UringRequest() = default;
  // How many SQEs the next step takes (1..kMaxChain). Asked right before prepare(), which must
  // fill exactly that many; may depend on the ring (its free direct-descriptor slots).
  virtual unsigned sqeCount(const Uring&) const noexcept { return 1; }
  // Fills `sqes[0..sqeCount())` for the request's next step (zeroed; the ring sets user_data
  // afterwards, telling the CQEs of a chain apart by their index).
  virtual void prepare(io_uring_sqe* const* sqes) noexcept = 0;
  // One CQE of the step: its result (res: >= 0, or -errno) and the SQE's index in the step, on
  // the loop thread in the poll phase. Once the step's last CQE is in, the request either queues
  // its next step (Uring::resume) or finishes, calling its callback and freeing itself (a
  // checkpoint follows, as after any I/O callback).
  virtual void complete(int res, unsigned index) = 0;
  // The ring stopped taking requests (its creator's credentials changed) before this request's
  // first step: run the whole operation elsewhere (the thread pool). Returns false if a step
  // already ran (the request needs the ring to go on: fd steps, which credentials do not affect).
  virtual bool moveToPool() = 0;
  // The loop is destroyed: called once per CQE still owed (res: that SQE's result; an fd an open
  // step made is the request's to close), or once with kNotSubmitted for a queued request. The
  // request frees itself after the last, without calling back.
  virtual void abandon(int res, unsigned index) noexcept = 0;
  static constexpr int kNotSubmitted = -(1 << 30);
  // The result of an SQE of a linked step that did not run: the kernel took only the part of
  // the batch before it (memory short, or an SQE it rejected), so the rest of the chain was
  // replaced by NOPs (running it as a chain of its own would lose its order after the first
  // part). The request does that part of the step again, or another way.
  static constexpr int kCut = -(1 << 29);
  static constexpr unsigned kMaxChain = 4;
};

// IORING_OP_FIXED_FD_INSTALL (6.8): an opcode newer than the system's linux/io_uring.h may be.
inline constexpr int kOpFixedFdInstall = 54;

// Which backend runs fs operations: the kernel's io_uring or the thread pool.
enum class FsBackend : std::uint8_t { kThreadPool, kIoUring };

class Uring {
 public:
  Uring(Poller& poller) noexcept : poller_(poller) {}
  ~Uring();
  Uring(const Uring&) = delete;
  Uring& operator=(const Uring&) = delete;

  // The ring, made on the first call (VOW_IO_URING and the kernel decide: see uring.cc); null
  // when this loop runs fs on the thread pool. Loop thread only.
  Uring* get() {
    if (state_ == State::kUnknown) start();
    return state_ == State::kOn ? this : nullptr;
  }
  FsBackend backend() { return get() != nullptr ? FsBackend::kIoUring : FsBackend::kThreadPool; }
  // Whether the kernel offers `opcode` (IORING_OP_*), probed when the ring was made.
  bool supports(int opcode) const noexcept {
    return opcode >= 0 && static_cast<std::size_t>(opcode) < supported_.size() &&
           supported_[opcode];
  }

  // Queues a new request's first step; submitted by flush(). Keeps the loop alive until it
  // completes.
  void enqueue(UringRequest* r) { queue_.push_back(r); }
  // Queues the next step of a request already under way, ahead of the requests not started:
  // requests finish before new ones start, so those in progress (each holding an fd or a
  // direct-descriptor slot and a buffer) stay as few as the ring's in-flight bound.
  void resume(UringRequest* r) { queue_.push_front(r); }

  // Direct descriptors (a fixed-file table registered sparse, 5.19; IORING_OP_FIXED_FD_INSTALL,
  // 6.8): whether this ring has them, and a free slot of the table, if any.
  bool directFiles() const noexcept { return !free_slots_.empty() || slots_in_use_ > 0; }
  bool hasFileSlot() const noexcept { return !free_slots_.empty(); }
  std::size_t fileSlotsInUse() const noexcept { return slots_in_use_; }
  // A free slot (hasFileSlot() must be true); the taker closes what it opened there (an
  // IORING_OP_CLOSE with file_index) before releaseFileSlot.
  int takeFileSlot() noexcept {
    const int slot = free_slots_.back();
    free_slots_.pop_back();
    ++slots_in_use_;
    return slot;
  }
  void releaseFileSlot(int slot) {
    free_slots_.push_back(slot);
    --slots_in_use_;
  }
  // Before the poll phase blocks: fills SQEs for queued steps (at most kMaxInFlight in flight)
  // and submits them with one io_uring_enter. First checks the process's credentials.
  void flush();
  // Requests queued or in flight: each keeps the loop alive, as a pool job does.
  // (SQEs filled and not taken by the kernel yet count too: their CQEs are owed.)
  std::size_t pending() const noexcept { return queue_.size() + in_flight_ + to_submit_; }
  // Steps the kernel holds (submitted, not reaped): never more than kMaxInFlight.
  std::size_t inFlight() const noexcept { return in_flight_; }
  // SQEs cut from their chain so far, because the kernel took part of a batch (kCut).
  std::size_t sqesCut() const noexcept { return sqes_cut_; }
  // Steps queued and not submitted (the poll must not block on them).
  bool hasQueued() const noexcept {
    return to_submit_ > 0 || (!queue_.empty() && in_flight_ < kMaxInFlight);
  }

  // Entries of the submission queue; the completion queue has twice as many.
  static constexpr unsigned kEntries = 256;
  // Steps in flight at most: the rest wait in queue_ (libuv's regressions at high concurrency
  // came from handing the kernel everything at once; see README).
  static constexpr std::size_t kMaxInFlight = kEntries;
  // Slots of the direct-descriptor table: at most one per request under way (kMaxInFlight in
  // flight, the rest queued for their next step).
  static constexpr unsigned kFileSlots = 1024;
  // Kernel worker threads (io-wq) per ring for operations that block (open, statx, buffered
  // reads that miss the page cache): capped like the thread pool rather than unbounded.
  static constexpr unsigned kMaxWorkers = 4;

 private:
  enum class State : std::uint8_t { kUnknown, kOn, kOff };
  void start();
  bool setup();
  void teardown() noexcept;
  // Runs the completions in the completion queue (the ring fd's watcher, poll phase).
  void reap();
  // After a submission the kernel took only part of (the SQEs before ring position `tail` not
  // taken: the last to_submit_): the rest of a linked chain it split becomes NOPs (kCut).
  void cutSplitChain(unsigned tail) noexcept;
  bool credentialsChanged() const noexcept;
  void retire();

  Poller& poller_;
  State state_ = State::kUnknown;
  int fd_ = -1;
  IoWatcherImpl* watcher_ = nullptr;
  // The mapped rings (see io_uring_setup(2)).
  void* sq_map_ = nullptr;
  std::size_t sq_map_len_ = 0;
  void* cq_map_ = nullptr;  // == sq_map_ with IORING_FEAT_SINGLE_MMAP
  std::size_t cq_map_len_ = 0;
  io_uring_sqe* sqes_ = nullptr;
  std::size_t sqes_len_ = 0;
  unsigned* sq_head_ = nullptr;
  unsigned* sq_tail_ = nullptr;
  unsigned* sq_array_ = nullptr;
  unsigned sq_mask_ = 0;
  unsigned* cq_head_ = nullptr;
  unsigned* cq_tail_ = nullptr;
  unsigned cq_mask_ = 0;
  void* cqes_ = nullptr;
  unsigned sq_entries_ = 0;
  unsigned to_submit_ = 0;  // SQEs filled and not yet accepted by the kernel
  std::size_t sqes_cut_ = 0;

  std::deque<UringRequest*> queue_;
  std::size_t in_flight_ = 0;
  std::vector<bool> supported_;
  std::vector<int> free_slots_;  // empty without direct descriptors
  std::size_t slots_in_use_ = 0;
  // The credentials the ring was made with (CVE-2024-22017): real, effective and saved ids,
  // the supplementary groups.
  uid_t uid_[3] = {};
  gid_t gid_[3] = {};
  std::vector<gid_t> groups_;
};

// The process's choice (VOW_IO_URING: "0" the pool, "1" io_uring, unset: the default), read
// once.
std::string_view fsBackendName(FsBackend b) noexcept;

// For tests: makes the next ring setups fail with `err` (0: back to the kernel's answer), as
// an old kernel (ENOSYS), seccomp (EPERM) or io_uring_disabled (EPERM) would.
void failUringSetupForTesting(int err) noexcept;
// For tests: rings made from now on do without direct descriptors (readFile goes back to one
// step per loop iteration: open, read, read, close), as on a kernel before 6.8.
void disableUringDirectFilesForTesting(bool disable) noexcept;
// For tests: each io_uring_enter submits at most `n` SQEs (0: all), as a kernel short of memory
// may take only part of a batch; linked chains are then split (UringRequest::kCut).
void limitUringSubmitForTesting(unsigned n) noexcept;
// For tests: overrides VOW_IO_URING for loops whose ring is not made yet: -1 unset, 0, 1.
void setUringModeForTesting(int mode) noexcept;

}  // namespace vow::internal
