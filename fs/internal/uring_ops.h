// The io_uring backend of fs: each descriptor the ring can run gets a RingSteps<D> saying how,
// as one ring operation (stat, unlink, open, read...) or a small state machine (readFile: open,
// read, read to confirm the end, close; writeFile: open, write until done, close). submit() in
// dispatch.h sends an operation here when the loop has a ring and the kernel has the opcodes;
// everything else, and everything on a loop without a ring, goes to the thread pool as before.
//
// A step's result fills the Job's failure (Node's syscall name and path, as the pool's run()
// records them) and value, so deliver() reports both backends alike.
#pragma once

#include <fcntl.h>
#include <linux/io_uring.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "vow/buffer/buffer.h"
#include "vow/fs/internal/failure.h"
#include "vow/fs/internal/operations.h"
#include "vow/loop/loop.h"

namespace vow::fs::internal {

using ::vow::internal::Uring;
using ::vow::internal::UringRequest;

// --- SQE preparation (io_uring_enter(2) documents each opcode's fields) -----------------------

inline void prepRw(io_uring_sqe* s, std::uint8_t op, int fd, const void* addr, std::uint32_t len,
                   std::uint64_t off) {
  s->opcode = op;
  s->fd = fd;
  s->addr = reinterpret_cast<std::uintptr_t>(addr);
  s->len = len;
  s->off = off;
}
// The file position (IORING_FEAT_RW_CUR_POS), as read(2)/write(2) use it.
inline constexpr std::uint64_t kCurrentPosition = ~std::uint64_t{0};
// Read and write lengths are 32-bit in an SQE; longer transfers continue in more steps.
inline std::uint32_t clampLen(std::size_t n) {
  return static_cast<std::uint32_t>(std::min<std::size_t>(n, 1u << 30));
}
inline void prepOpen(io_uring_sqe* s, const std::string& path, int flags, unsigned mode) {
  prepRw(s, IORING_OP_OPENAT, AT_FDCWD, path.c_str(), mode, 0);
  s->open_flags = static_cast<std::uint32_t>(flags | O_CLOEXEC);
}
inline void prepClose(io_uring_sqe* s, int fd) { prepRw(s, IORING_OP_CLOSE, fd, nullptr, 0, 0); }
inline void prepStatx(io_uring_sqe* s, int dirfd, const char* path, int flags, struct statx* sx) {
  prepRw(s, IORING_OP_STATX, dirfd, path, kStatMask, reinterpret_cast<std::uintptr_t>(sx));
  s->statx_flags = static_cast<std::uint32_t>(flags);
}

// A multi-step request dropped with its loop: closes the fd it opened. `res`: the result of the
// step in flight (an open's fd), or UringRequest::kNotSubmitted.
inline void releaseFd(bool opening, bool closing, int fd, int res) noexcept {
  if (opening) {
    if (res >= 0) ::close(res);
  } else if (fd >= 0 && (!closing || res == UringRequest::kNotSubmitted)) {
    ::close(fd);
  }
}

// --- per-descriptor steps ---------------------------------------------------------------------

// Not on the ring: the primary template. A specialization has usable() (whether this operation
// may go to `ring`), prepare() (its next step), advance() (a step's result; true when another
// step follows) and release() (the loop is destroyed: close what it opened; `res` as in
// UringRequest::abandon).
template <class D>
struct RingSteps {
  static constexpr bool kRing = false;
};

// One-step operations without a value: the opcode, how to fill it, and Node's failure.
#define VOW_FS_RING_SIMPLE(Desc, opcode, PREP, FAIL)                                     \
  template <>                                                                            \
  struct RingSteps<Desc> {                                                               \
    static constexpr bool kRing = true;                                                  \
    static bool usable(const Desc&, const Uring& ring) { return ring.supports(opcode); } \
    template <class J>                                                                   \
    void prepare(J& job, io_uring_sqe* s) {                                              \
      [[maybe_unused]] const Desc& op = job.op;                                          \
      PREP;                                                                              \
    }                                                                                    \
    template <class J>                                                                   \
    bool advance(J& job, int res) {                                                      \
      [[maybe_unused]] const Desc& op = job.op;                                          \
      if (res < 0) FAIL;                                                                 \
      return false;                                                                      \
    }                                                                                    \
    void release(int) noexcept {}                                                        \
  };

VOW_FS_RING_SIMPLE(Unlink, IORING_OP_UNLINKAT,
                   prepRw(s, IORING_OP_UNLINKAT, AT_FDCWD, op.path.c_str(), 0, 0),
                   job.failure.set(-res, "unlink", op.path))
VOW_FS_RING_SIMPLE(Rmdir, IORING_OP_UNLINKAT,
                   (prepRw(s, IORING_OP_UNLINKAT, AT_FDCWD, op.path.c_str(), 0, 0),
                    s->unlink_flags = AT_REMOVEDIR),
                   job.failure.set(-res, "rmdir", op.path))
VOW_FS_RING_SIMPLE(Rename, IORING_OP_RENAMEAT,
                   prepRw(s, IORING_OP_RENAMEAT, AT_FDCWD, op.oldPath.c_str(), AT_FDCWD,
                          reinterpret_cast<std::uintptr_t>(op.newPath.c_str())),
                   job.failure.set(-res, "rename", op.oldPath, op.newPath))
VOW_FS_RING_SIMPLE(Symlink, IORING_OP_SYMLINKAT,
                   prepRw(s, IORING_OP_SYMLINKAT, AT_FDCWD, op.target.c_str(), 0,
                          reinterpret_cast<std::uintptr_t>(op.path.c_str())),
                   job.failure.set(-res, "symlink", op.target, op.path))
VOW_FS_RING_SIMPLE(Link, IORING_OP_LINKAT,
                   prepRw(s, IORING_OP_LINKAT, AT_FDCWD, op.existingPath.c_str(), AT_FDCWD,
                          reinterpret_cast<std::uintptr_t>(op.newPath.c_str())),
                   job.failure.set(-res, "link", op.existingPath, op.newPath))
VOW_FS_RING_SIMPLE(Close, IORING_OP_CLOSE, prepClose(s, op.fd), job.failure.set(-res, "close"))
VOW_FS_RING_SIMPLE(Fsync, IORING_OP_FSYNC, prepRw(s, IORING_OP_FSYNC, op.fd, nullptr, 0, 0),
                   job.failure.set(-res, "fsync"))
VOW_FS_RING_SIMPLE(Fdatasync, IORING_OP_FSYNC,
                   (prepRw(s, IORING_OP_FSYNC, op.fd, nullptr, 0, 0),
                    s->fsync_flags = IORING_FSYNC_DATASYNC),
                   job.failure.set(-res, "fdatasync"))
#undef VOW_FS_RING_SIMPLE

// mkdir without `recursive` (the recursive walk stays on the pool).
template <>
struct RingSteps<Mkdir> {
  static constexpr bool kRing = true;
  static bool usable(const Mkdir& op, const Uring& ring) {
    return !op.options.recursive && ring.supports(IORING_OP_MKDIRAT);
  }
  template <class J>
  void prepare(J& job, io_uring_sqe* s) {
    prepRw(s, IORING_OP_MKDIRAT, AT_FDCWD, job.op.path.c_str(), job.op.options.mode, 0);
  }
  template <class J>
  bool advance(J& job, int res) {
    if (res < 0) job.failure.set(-res, "mkdir", job.op.path);
    return false;
  }
  void release(int) noexcept {}
};

// fs.open: the fd is the value. An fd opened for a loop that is gone is closed.
template <>
struct RingSteps<Open> {
  static constexpr bool kRing = true;
  static bool usable(const Open&, const Uring&) { return true; }
  template <class J>
  void prepare(J& job, io_uring_sqe* s) {
    prepOpen(s, job.op.path, job.op.bits, job.op.mode);
  }
  template <class J>
  bool advance(J& job, int res) {
    if (res < 0) {
      job.failure.set(-res, "open", job.op.path);
      job.value = -1;
    } else {
      job.value = res;
    }
    return false;
  }
  void release(int res) noexcept { releaseFd(true, false, -1, res); }
};

// fs.read: one read(2) / pread(2).
template <>
struct RingSteps<Read> {
  static constexpr bool kRing = true;
  static bool usable(const Read&, const Uring&) { return true; }
  template <class J>
  void prepare(J& job, io_uring_sqe* s) {
    const Read& op = job.op;
    prepRw(s, IORING_OP_READ, op.fd, op.buffer.data() + op.offset,
           clampLen(static_cast<std::size_t>(op.length)),
           op.position >= 0 ? static_cast<std::uint64_t>(op.position) : kCurrentPosition);
  }
  template <class J>
  bool advance(J& job, int res) {
    if (res < 0) {
      job.failure.set(-res, "read");
      job.value = 0;
    } else {
      job.value = static_cast<std::size_t>(res);
    }
    return false;
  }
  void release(int) noexcept {}
};

// fs.write: all of the data, short writes continued (at position + done, or the file position).
template <>
struct RingSteps<Write> {
  static constexpr bool kRing = true;
  std::size_t done = 0;
  static bool usable(const Write&, const Uring&) { return true; }
  template <class J>
  void prepare(J& job, io_uring_sqe* s) {
    const Write& op = job.op;
    prepRw(s, IORING_OP_WRITE, op.fd, op.data.data() + done, clampLen(op.data.size() - done),
           op.position >= 0 ? static_cast<std::uint64_t>(op.position) + done : kCurrentPosition);
  }
  template <class J>
  bool advance(J& job, int res) {
    if (res < 0) {
      job.failure.set(-res, "write");
    } else {
      done += static_cast<std::size_t>(res);
      if (res > 0 && done < job.op.data.size()) return true;
    }
    job.value = done;
    return false;
  }
  void release(int) noexcept {}
};

// stat / lstat / fstat: one statx(2) into the request.
template <bool kFollow>
struct RingSteps<StatPath<kFollow>> {
  static constexpr bool kRing = true;
  struct statx sx;
  static bool usable(const StatPath<kFollow>&, const Uring&) { return true; }
  template <class J>
  void prepare(J& job, io_uring_sqe* s) {
    prepStatx(s, AT_FDCWD, job.op.path.c_str(),
              AT_STATX_SYNC_AS_STAT | (kFollow ? 0 : AT_SYMLINK_NOFOLLOW), &sx);
  }
  template <class J>
  bool advance(J& job, int res) {
    if (res < 0) {
      job.failure.set(-res, kFollow ? "stat" : "lstat", job.op.path);
    } else {
      job.value = toStats(sx);
    }
    return false;
  }
  void release(int) noexcept {}
};
template <>
struct RingSteps<Fstat> {
  static constexpr bool kRing = true;
  struct statx sx;
  static bool usable(const Fstat&, const Uring&) { return true; }
  template <class J>
  void prepare(J& job, io_uring_sqe* s) {
    prepStatx(s, job.op.fd, "", AT_EMPTY_PATH | AT_STATX_SYNC_AS_STAT, &sx);
  }
  template <class J>
  bool advance(J& job, int res) {
    if (res < 0) {
      job.failure.set(-res, "fstat");
    } else {
      job.value = toStats(sx);
    }
    return false;
  }
  void release(int) noexcept {}
};

// readFile's buffers for its first reads (kFirst, then kProbe more for the read that finds the
// end), reused on the loop thread: a fresh allocation per file cost a malloc and a page fault per
// page (a third of the CPU in a profile of 10,000 small files); at most kMaxInFlight are in use
// at once.
struct FirstBufferPool {
  static constexpr std::size_t kFirst = 64 * 1024;
  static constexpr std::size_t kProbe = 16 * 1024;
  static constexpr std::size_t kSize = kFirst + kProbe;
  std::vector<char*> free;
  ~FirstBufferPool() {
    gone() = true;
    for (char* p : free) delete[] p;
  }
  // Set once this thread's pool is destroyed (a thread's default loop may outlive it).
  static bool& gone() {
    thread_local bool g = false;
    return g;
  }
  static FirstBufferPool& get() {
    thread_local FirstBufferPool pool;
    return pool;
  }
};
struct ReturnFirstBuffer {
  void operator()(char* p) const noexcept {
    if (FirstBufferPool::gone()) {
      delete[] p;
      return;
    }
    auto& pool = FirstBufferPool::get().free;
    if (pool.size() < Uring::kMaxInFlight) {
      pool.push_back(p);
    } else {
      delete[] p;
    }
  }
};
inline char* takeFirstBuffer() {
  if (FirstBufferPool::gone()) return new char[FirstBufferPool::kSize];
  auto& pool = FirstBufferPool::get().free;
  if (pool.empty()) return new char[FirstBufferPool::kSize];
  char* p = pool.back();
  pool.pop_back();
  return p;
}

// readFile's value from the bytes read into its first buffer (the one place the ring builds
// readFile's result from raw bytes; bigger files are read into the result directly).
inline Buffer readFileResult(const char* bytes, std::size_t n) {
  return Buffer::from(std::string_view(bytes, n));
}

// A direct descriptor's slot in SQEs: the file of an open (file_index, 1-based), the target of
// reads (fd + IOSQE_FIXED_FILE) and of close (file_index; fd must be 0).
inline void prepOpenDirect(io_uring_sqe* s, const std::string& path, int flags, int slot) {
  prepRw(s, IORING_OP_OPENAT, AT_FDCWD, path.c_str(), 0666, 0);
  // The kernel refuses O_CLOEXEC for a direct descriptor (it is in no fd table to inherit).
  s->open_flags = static_cast<std::uint32_t>(flags & ~O_CLOEXEC);
  s->file_index = static_cast<std::uint32_t>(slot) + 1;
}
inline void prepCloseDirect(io_uring_sqe* s, int slot) {
  prepRw(s, IORING_OP_CLOSE, 0, nullptr, 0, 0);
  s->file_index = static_cast<std::uint32_t>(slot) + 1;
}

// fs.readFile(path) without a signal (with one, the pool checks it between its steps).
//
// With direct descriptors (uring.h), the common case is two submissions: ONE linked chain
//   openat into a slot of the ring's file table -> read up to 64 KiB -> read up to 16 KiB more
// (IOSQE_IO_LINK after the open: a failed open cancels the reads; IOSQE_IO_HARDLINK after the
// first read: a short read must not cancel the second, which is the one that finds the end),
// then the close of the slot. The close cannot join the chain: only a read returning 0 proves
// the end (a pipe such as /dev/stdin, or a /proc file, reads short before it), and a chain
// cannot make a step depend on a read's count. A file that has more (the second read returned
// bytes) gets a real fd for its slot (IORING_OP_FIXED_FD_INSTALL, hard-linked to the slot's
// close) and goes on as below from the fstat.
//
// Without them, one step per iteration: open -> read up to 64 KiB -> read again until a read
// returns 0 (a small file: two reads, no fstat) -> close. A file that fills the first 64 KiB is
// asked its size (statx) and read into a string of that size in one more read, as the pool does;
// a file without a size (a pipe, /proc) is read in 64 KiB steps up to the limit.
//
// Either way failures name Node's syscalls (open, fstat, read), and the file is closed after any
// failure past the open.
template <>
struct RingSteps<ReadFile> {
  static constexpr bool kRing = true;
  static constexpr std::size_t kFirst = FirstBufferPool::kFirst;
  static constexpr std::size_t kProbe = FirstBufferPool::kProbe;
  enum class Step : std::uint8_t {
    kOpen,
    kFirst,
    kStat,
    kRest,
    kChunks,
    kClose,
    kChain,        // direct: open + read + read, linked
    kInstall,      // direct: the slot's file as an fd, then the slot closed
    kCloseDirect,  // direct: the slot closed
    kCloseSlot,    // direct: the slot closed after kInstall, when its close was cut (kCut)
  };
  Step step = Step::kOpen;
  int fd = -1;
  int slot = -1;    // the direct descriptor's slot
  int res[3] = {};  // the CQEs of the step in flight, by index in its chain
  std::unique_ptr<char[], ReturnFirstBuffer> first;  // the first kFirst (+ kProbe) bytes
  Buffer data;  // not zero-filled: the reads write straight into it
  std::size_t got = 0;
  std::size_t size = 0;  // fstat's size (kRest)
  struct statx sx;

  static bool usable(const ReadFile& op, const Uring&) { return op.abort == nullptr; }
  unsigned sqeCount(const Uring& ring) const noexcept {
    if (step == Step::kOpen && ring.hasFileSlot()) return 3;
    return step == Step::kInstall ? 2 : 1;
  }
  void collect(int r, unsigned index) noexcept {
    if (index < 3) res[index] = r;
  }
  template <class J>
  void prepare(J& job, io_uring_sqe* const* sqes, Uring& ring) {
    io_uring_sqe* s = sqes[0];
    switch (step) {
      case Step::kOpen:
        if (ring.hasFileSlot()) {  // as sqeCount() said: a chain of three
          slot = ring.takeFileSlot();
          step = Step::kChain;
          first.reset(takeFirstBuffer());
          prepOpenDirect(s, job.op.path, job.op.flags, slot);
          s->flags = IOSQE_IO_LINK;
          prepRw(sqes[1], IORING_OP_READ, slot, first.get(), kFirst, kCurrentPosition);
          sqes[1]->flags = IOSQE_FIXED_FILE | IOSQE_IO_HARDLINK;
          prepRw(sqes[2], IORING_OP_READ, slot, first.get() + kFirst, kProbe, kCurrentPosition);
          sqes[2]->flags = IOSQE_FIXED_FILE;
        } else {
          prepOpen(s, job.op.path, job.op.flags, 0666);
        }
        break;
      case Step::kChain:
        break;  // not reached: a chain is prepared from kOpen
      case Step::kInstall:
        prepRw(s, static_cast<std::uint8_t>(::vow::internal::kOpFixedFdInstall), slot, nullptr, 0,
               0);
        s->flags = IOSQE_FIXED_FILE | IOSQE_IO_HARDLINK;  // the close runs whatever it returns
        prepCloseDirect(sqes[1], slot);
        break;
      case Step::kCloseDirect:
      case Step::kCloseSlot:
        prepCloseDirect(s, slot);
        break;
      case Step::kFirst:
        if (!first) first.reset(takeFirstBuffer());
        prepRw(s, IORING_OP_READ, fd, first.get() + got, static_cast<std::uint32_t>(kFirst - got),
               kCurrentPosition);
        break;
      case Step::kStat:
        prepStatx(s, fd, "", AT_EMPTY_PATH | AT_STATX_SYNC_AS_STAT, &sx);
        break;
      case Step::kRest:
        prepRw(s, IORING_OP_READ, fd, data.data() + got, clampLen(size - got), kCurrentPosition);
        break;
      case Step::kChunks:
        if (data.size() - got < kFirst) ::vow::internal::growBuffer(data, got, got + kFirst);
        prepRw(s, IORING_OP_READ, fd, data.data() + got, clampLen(data.size() - got),
               kCurrentPosition);
        break;
      case Step::kClose:
        prepClose(s, fd);
        break;
    }
  }
  template <class J>
  bool advance(J& job, Uring& ring) {
    Failure& failure = job.failure;
    const int r = res[0];
    switch (step) {
      case Step::kChain: {
        const int read1 = res[1], read2 = res[2];
        if (r < 0) {  // the reads were cancelled; the slot holds nothing
          ring.releaseFileSlot(slot);
          slot = -1;
          first.reset();
          failure.set(-r, "open", job.op.path);
          return false;
        }
        // The kernel took the chain only in part (uring.h, kCut): the file is open in its slot;
        // what the reads that did not run would have read is read from an fd, as for a bigger
        // file, from where the ones that ran stopped.
        if (read1 == UringRequest::kCut) {
          got = 0;
          step = Step::kInstall;
          return true;
        }
        if (read1 < 0) return failDirect(failure, -read1, "read");  // EISDIR...
        if (read2 == UringRequest::kCut) {
          got = static_cast<std::size_t>(read1);
          step = Step::kInstall;
          return true;
        }
        if (read2 < 0) return failDirect(failure, -read2, "read");
        got = static_cast<std::size_t>(read1);
        if (read2 == 0) {  // the end: the whole file is in `first`
          setValue(job, readFileResult(first.get(), got));
          first.reset();
          step = Step::kCloseDirect;
          return true;
        }
        // More to read: gather what the two reads got, and go on with an fd from the fstat.
        std::memmove(first.get() + got, first.get() + kFirst, static_cast<std::size_t>(read2));
        got += static_cast<std::size_t>(read2);
        step = Step::kInstall;
        return true;
      }
      case Step::kInstall: {
        // The step's second SQE closed the slot, unless it was cut from the chain (kCut): then
        // the slot is closed by a step of its own before going on.
        const bool slot_closed = res[1] != UringRequest::kCut;
        if (slot_closed) {
          ring.releaseFileSlot(slot);
          slot = -1;
        }
        if (r < 0) {
          first.reset();
          failure.set(-r, "read");
          if (slot_closed) {
            job.value = {};
            return false;
          }
          step = Step::kCloseSlot;
          return true;
        }
        fd = r;
        step = slot_closed ? Step::kStat : Step::kCloseSlot;
        return true;
      }
      case Step::kCloseSlot:
        ring.releaseFileSlot(slot);
        slot = -1;
        if (failure) {  // the install failed
          job.value = {};
          return false;
        }
        step = Step::kStat;
        return true;
      case Step::kCloseDirect:
        ring.releaseFileSlot(slot);
        slot = -1;
        if (failure) job.value = {};
        return false;
      case Step::kOpen:
        if (r < 0) {
          failure.set(-r, "open", job.op.path);
          return false;
        }
        fd = r;
        step = Step::kFirst;
        return true;
      case Step::kFirst:
        if (r < 0) return fail(failure, -r, "read");
        if (r == 0) {  // the end: the whole file is in `first`
          setValue(job, readFileResult(first.get(), got));
          first.reset();
          return closeNext();
        }
        got += static_cast<std::size_t>(r);
        if (got == kFirst) step = Step::kStat;  // a bigger file: ask its size
        return true;
      case Step::kStat: {
        if (r < 0) return fail(failure, -r, "fstat");
        const auto st_size = static_cast<std::int64_t>(sx.stx_size);
        if (S_ISREG(sx.stx_mode) && st_size > ioMaxLength()) {
          failure.setTooLarge(st_size);
          return closeNext();
        }
        if (S_ISREG(sx.stx_mode) && static_cast<std::size_t>(st_size) > got) {
          size = static_cast<std::size_t>(st_size);
          data = Buffer::allocUnsafe(size);
          std::memcpy(data.data(), first.get(), got);
          step = Step::kRest;
        } else {
          data = Buffer::from(std::string_view(first.get(), got));
          step = Step::kChunks;
        }
        first.reset();
        return true;
      }
      case Step::kRest:
        if (r < 0) return fail(failure, -r, "read");
        got += static_cast<std::size_t>(r);
        if (r == 0 || got == size) {  // full, or the file shrank
          ::vow::internal::shrinkBuffer(data, got);
          setValue(job, std::move(data));
          return closeNext();
        }
        return true;
      case Step::kChunks:
        if (r < 0) return fail(failure, -r, "read");
        if (r == 0) {
          ::vow::internal::shrinkBuffer(data, got);
          setValue(job, std::move(data));
          return closeNext();
        }
        got += static_cast<std::size_t>(r);
        if (static_cast<std::int64_t>(got) > ioMaxLength()) {
          failure.setTooLarge(static_cast<std::int64_t>(got));
          return closeNext();
        }
        return true;
      case Step::kClose:
        fd = -1;
        if (failure) job.value = {};
        return false;
    }
    return false;
  }
  // The loop is destroyed: an fd this request opened or installed is closed (a direct descriptor
  // goes with the ring's file table).
  void release(int r, unsigned index) noexcept {
    if (step == Step::kInstall) {
      if (index == 0 && r >= 0) ::close(r);
      return;
    }
    if (step == Step::kCloseSlot) {  // the installed fd is ours; the slot goes with the table
      if (fd >= 0) ::close(fd);
      fd = -1;
      return;
    }
    if (step == Step::kChain || step == Step::kCloseDirect) return;
    releaseFd(step == Step::kOpen, step == Step::kClose, fd, r);
  }
  void release(int r) noexcept { release(r, 0); }

 private:
  bool fail(Failure& failure, int err, const char* syscall) {
    failure.set(err, syscall);
    return closeNext();
  }
  bool failDirect(Failure& failure, int err, const char* syscall) {
    failure.set(err, syscall);
    first.reset();
    step = Step::kCloseDirect;
    return true;
  }
  // The result: the Buffer, or for readFile(path, encoding) its text (decoded here, on the
  // loop thread).
  template <class J>
  static void setValue(J& job, Buffer bytes) {
    if constexpr (std::is_same_v<decltype(job.value), Buffer>) {
      job.value = std::move(bytes);
    } else {
      job.value = ::vow::internal::decode(bytes, job.op.options.encoding.kind());
    }
  }
  bool closeNext() {
    data = Buffer();
    first.reset();
    step = Step::kClose;
    return true;
  }
};

// fs.readFile(path, encoding) without a signal: the same steps, the bytes decoded at the end.
template <>
struct RingSteps<ReadFileText> : RingSteps<ReadFile> {
  static bool usable(const ReadFileText& op, const Uring&) { return op.abort == nullptr; }
};

// fs.writeFile / appendFile (path) without a signal: open -> write until all is written (at the
// file position: O_APPEND appends) -> close; a failed close is the error if nothing failed
// before, as on the pool.
template <>
struct RingSteps<WriteFile> {
  static constexpr bool kRing = true;
  enum class Step : std::uint8_t { kOpen, kWrite, kClose };
  Step step = Step::kOpen;
  int fd = -1;
  std::size_t done = 0;

  static bool usable(const WriteFile& op, const Uring&) { return op.abort == nullptr; }
  template <class J>
  void prepare(J& job, io_uring_sqe* s) {
    switch (step) {
      case Step::kOpen:
        prepOpen(s, job.op.path, job.op.flags, job.op.options.mode);
        break;
      case Step::kWrite:
        prepRw(s, IORING_OP_WRITE, fd, job.op.data.data() + done,
               clampLen(job.op.data.size() - done), kCurrentPosition);
        break;
      case Step::kClose:
        prepClose(s, fd);
        break;
    }
  }
  template <class J>
  bool advance(J& job, int res) {
    switch (step) {
      case Step::kOpen:
        if (res < 0) {
          job.failure.set(-res, "open", job.op.path);
          return false;
        }
        fd = res;
        step = job.op.data.empty() ? Step::kClose : Step::kWrite;
        return true;
      case Step::kWrite:
        if (res < 0) {
          job.failure.set(-res, "write");
        } else {
          done += static_cast<std::size_t>(res);
          if (done < job.op.data.size()) return true;
        }
        step = Step::kClose;
        return true;
      case Step::kClose:
        fd = -1;
        if (res < 0 && !job.failure) job.failure.set(-res, "close");
        return false;
    }
    return false;
  }
  void release(int res) noexcept { releaseFd(step == Step::kOpen, step == Step::kClose, fd, res); }
};

}  // namespace vow::fs::internal
