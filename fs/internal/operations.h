// How vow::fs is built: each operation is declared once, and its callback, promise and sync
// functions are derived from that declaration.
//
//  * A descriptor struct (below) holds the operation's named arguments and says how it runs:
//    check() applies Node's argument checks (throwing vow::TypeError / vow::RangeError before
//    any I/O), run(Failure&) does the blocking syscalls and records a failure (with Node's
//    syscall name) instead of throwing. Descriptors know nothing of threads or the loop.
//  * operations.inc lists the public operations: name, descriptor, parameters. callback.h,
//    promises.h and sync.h each expand that list once, through callbackApi / promiseApi /
//    syncApi below, so the three APIs check, run and report alike.
//  * The backend is submit() in dispatch.h: today one thread-pool job per operation (the
//    loop's queueWork) whose result reaches the callback on the loop thread. Another backend
//    (io_uring) replaces submit(); descriptors and the public API stay as they are.
//
// Adding an operation: a descriptor here, its run() in operations.cc, one line in
// operations.inc, and its tests. (The operations with results or options - readFile, readdir,
// stat, mkdir, open, read, write... - are the older per-family structs of ops.h.)
#pragma once

#include <unistd.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "vow/fs/internal/dispatch.h"
#include "vow/fs/internal/ops.h"
#include "vow/promise/promise.h"
#include "vow/promise/promisify.h"

namespace vow::fs::internal {

// Node's validateInteger(uid/gid, name, -1, kMaxUserId).
void checkOwner(std::int64_t id, const char* name);
// Node's toUnixTimestamp for a number: seconds as given, a negative time is now (Date.now() /
// 1000); NaN and +-Infinity throw TypeError ERR_INVALID_ARG_TYPE.
double toUnixTimestamp(double time, const char* name = "time");

// --- descriptors: one path --------------------------------------------------------------------

struct Rmdir {
  std::string path;
  void check() { checkPath(path, "path"); }
  void run(Failure& failure) const noexcept;
};
struct Unlink {
  std::string path;
  void check() { checkPath(path, "path"); }
  void run(Failure& failure) const noexcept;
};
struct Access {
  std::string path;
  int mode = F_OK;
  void check() { checkPath(path, "path"); }
  void run(Failure& failure) const noexcept;
};
struct Chmod {
  std::string path;
  unsigned mode = 0;
  void check() { checkPath(path, "path"); }
  void run(Failure& failure) const noexcept;
};
// Node's fs.truncate: open, ftruncate; a negative length counts as 0.
struct Truncate {
  std::string path;
  std::int64_t len = 0;
  void check() {
    checkPath(path, "path");
    if (len < 0) len = 0;
  }
  void run(Failure& failure) const noexcept;
};
// utimes follows symlinks, lutimes does not. Node's syscall names: "utime", "lutime".
template <bool kFollow>
struct SetTimes {
  std::string path;
  double atime = 0, mtime = 0;
  void check() {
    checkPath(path, "path");
    atime = toUnixTimestamp(atime);
    mtime = toUnixTimestamp(mtime);
  }
  void run(Failure& failure) const noexcept;
};
using Utimes = SetTimes<true>;
using Lutimes = SetTimes<false>;
// chown follows symlinks, lchown does not. -1 leaves an id unchanged.
template <bool kFollow>
struct SetOwner {
  std::string path;
  std::int64_t uid = -1, gid = -1;
  void check() {
    checkPath(path, "path");
    checkOwner(uid, "uid");
    checkOwner(gid, "gid");
  }
  void run(Failure& failure) const noexcept;
};
using Chown = SetOwner<true>;
using Lchown = SetOwner<false>;

// --- descriptors: one fd ----------------------------------------------------------------------

struct Close {
  int fd = -1;
  void check() const { checkFd(fd); }
  void run(Failure& failure) const noexcept;
};
struct Fsync {
  int fd = -1;
  void check() const { checkFd(fd); }
  void run(Failure& failure) const noexcept;
};
struct Fdatasync {
  int fd = -1;
  void check() const { checkFd(fd); }
  void run(Failure& failure) const noexcept;
};
struct Ftruncate {
  int fd = -1;
  std::int64_t len = 0;
  void check() {
    checkFd(fd);
    if (len < 0) len = 0;
  }
  void run(Failure& failure) const noexcept;
};
struct Fchown {
  int fd = -1;
  std::int64_t uid = -1, gid = -1;
  void check() const {
    checkFd(fd);
    checkOwner(uid, "uid");
    checkOwner(gid, "gid");
  }
  void run(Failure& failure) const noexcept;
};

// --- deriving the three APIs from a descriptor ---------------------------------------------------

// A descriptor with its outcome: the shape submit() and runSync() run.
template <class D>
struct Job {
  D op;
  Failure failure;
  void run() noexcept { op.run(failure); }
};

// Paths arrive as string_view and are owned by the descriptor; other arguments pass as they are.
inline std::string own(std::string_view s) { return std::string(s); }
template <class T>
requires(!std::is_convertible_v<T, std::string_view>) T own(T value) { return value; }

template <class D, class... A>
Job<D> makeJob(A&&... args) {
  Job<D> job{D{own(std::forward<A>(args))...}};
  job.op.check();
  return job;
}

// fs.name(args..., cb): checks (throwing), then one backend job; cb(err) on the loop thread.
template <class D, class F, class... A>
void callbackApi(F&& cb, A&&... args) {
  submit(makeJob<D>(std::forward<A>(args)...), std::forward<F>(cb));
}

// fs.promises.name(args...): the callback form promisified; invalid arguments reject.
template <class D, class... A>
Promise<void> promiseApi(A... args) {
  return ::vow::promisify<void>(
      [&](auto cb) { callbackApi<D>(std::move(cb), std::move(args)...); })();
}

// fs.nameSync(args...): checks and runs on the calling thread, throws the failure.
template <class D, class... A>
void syncApi(A&&... args) {
  runSync(makeJob<D>(std::forward<A>(args)...));
}

}  // namespace vow::fs::internal

// Expands a parenthesised parameter or argument list (for operations.inc).
#define VOW_FS_UNPAREN(...) __VA_ARGS__
