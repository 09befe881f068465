// Every vow::fs operation, declared once as a descriptor; the callback, promise and sync
// functions are all derived from it.
//
//  * A descriptor (below) holds the operation's named arguments and says how it runs:
//    check() applies Node's argument checks (throwing vow::TypeError / vow::RangeError before
//    any I/O), run(Failure&) does the blocking syscalls, records a failure (with Node's syscall
//    name) instead of throwing, and returns the operation's Result (void, Stats, std::string...).
//    Descriptors know nothing of threads or the loop. Their run()s are in operations.cc (simple
//    ones), files.cc (file contents, fds) and paths.cc (directories, links, stat).
//  * operations.inc lists the public functions: name, descriptor, parameters, and the
//    overloads that only fill in defaults. callback.h, promises.h and sync.h each expand it
//    once through derive.h (callbackApi / promiseApi / syncApi), so the three APIs check, run
//    and report alike. FileHandle's methods call promiseApi on the fd descriptors.
//  * The backend is submit() in dispatch.h (one thread-pool job per operation today; io_uring
//    later): descriptors and the public API do not change with it.
//
// Adding an operation: a descriptor here, its run() in a .cc file, a line in operations.inc
// (plus a VOW_FS_DEFAULT line per shorter overload), and its tests.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "vow/buffer/buffer.h"
#include "vow/fs/internal/failure.h"
#include "vow/fs/internal/validate.h"
#include "vow/fs/types.h"

namespace vow::fs::internal {

// An operation's view of its AbortSignal, which only the loop thread may touch: the signal's
// listener sets it, the pool thread reads it between steps. Null without a signal.
using AbortFlag = std::shared_ptr<const std::atomic<bool>>;
inline bool isAborted(const AbortFlag& flag) noexcept {
  return flag != nullptr && flag->load(std::memory_order_relaxed);
}

// What the stat operations ask statx(2) for, and Node's Stats of its answer (paths.cc; the
// io_uring backend's statx steps use them too).
inline constexpr unsigned kStatMask = STATX_BASIC_STATS | STATX_BTIME;
Stats toStats(const struct statx& sx);

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
struct Fchmod {
  int fd = -1;
  unsigned mode = 0;
  void check() const { checkFd(fd); }
  void run(Failure& failure) const noexcept;
};
// fs.futimes: as utimes, but Node names the times "atime" and "mtime" in its errors, and the
// syscall "futime".
struct Futimes {
  int fd = -1;
  double atime = 0, mtime = 0;
  void check() {
    checkFd(fd);
    atime = toUnixTimestamp(atime, "atime");
    mtime = toUnixTimestamp(mtime, "mtime");
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

// --- descriptors: file contents and fds ------------------------------------------------------

// fs.readFile(path, {flag}): open, fstat, read to the end, close. The bytes go straight into
// the Buffer's storage (no zero-fill pass first).
struct ReadFile {
  using Result = Buffer;
  std::string path;
  ReadFileOptions options;
  int flags = 0;
  AbortFlag abort;  // set by the signal's listener (options.signal is moved out on the loop)
  void check() {
    checkPath(path, "path");
    flags = parseFlags(options.flag);
  }
  Result run(Failure& failure) const noexcept;
};
// fs.readFile(path, {encoding, flag}): ReadFile, then the bytes decoded (on the pool thread).
// `options.encoding` views the caller's string: only its kind() is used after check().
struct ReadFileText {
  using Result = std::string;
  std::string path;
  ReadFileEncodingOptions options;
  int flags = 0;
  AbortFlag abort;
  // Node's getOptions checks the encoding before the signal and the path.
  void checkOptions() const { checkEncoding(options.encoding.valid(), options.encoding.name()); }
  void check() {
    checkOptions();
    checkPath(path, "path");
    flags = parseFlags(options.flag);
  }
  Result run(Failure& failure) const noexcept;
};
// fs.readFile(fd) / FileHandle.readFile(): from the fd's current position to the end.
struct ReadFileFd {
  using Result = Buffer;
  int fd = -1;
  ReadFileOptions options;  // the signal only (the fd is open)
  AbortFlag abort;
  // Node's fs.readFile(fd, {signal}) looks at its signal only once it read the fd's stat: an
  // aborted signal fails the job, not the call.
  static constexpr bool kSignalCheckedInTheJob = true;
  void check() const { checkFd(fd); }
  Result run(Failure& failure) const noexcept;
};
// fs.readFile(fd, {encoding}) / FileHandle.readFile({encoding}): ReadFileFd, decoded.
struct ReadFileFdText {
  using Result = std::string;
  int fd = -1;
  ReadFileEncodingOptions options;  // the encoding and the signal
  AbortFlag abort;
  static constexpr bool kSignalCheckedInTheJob = true;
  void checkOptions() const { checkEncoding(options.encoding.valid(), options.encoding.name()); }
  void check() const {
    checkOptions();
    checkFd(fd);
  }
  Result run(Failure& failure) const noexcept;
};
// fs.writeFile(path, data, {flag, mode}) (appendFile: flag "a").
struct WriteFile {
  std::string path;
  WriteData data;
  WriteFileOptions options;
  int flags = 0;
  AbortFlag abort;
  void check() {
    checkPath(path, "path");
    flags = parseFlags(options.flag);
  }
  void run(Failure& failure) const noexcept;
};
// fs.writeFile(fd, data) / FileHandle.writeFile(): at the fd's current position.
struct WriteFileFd {
  int fd = -1;
  WriteData data;
  WriteFileOptions options;  // the signal only
  AbortFlag abort;
  void check() const { checkFd(fd); }
  void run(Failure& failure) const noexcept;
};
// fs.copyFile(src, dest, mode).
struct CopyFile {
  std::string src, dest;
  int mode = 0;
  void check() const {
    checkPath(src, "src");
    checkPath(dest, "dest");
  }
  void run(Failure& failure) const noexcept;
};
// fs.open(path, flags, mode). `flags` views the caller's string: check() makes it `bits`.
struct Open {
  using Result = int;
  std::string path;
  OpenFlags flags;
  unsigned mode = 0666;
  int bits = 0;
  void check() {
    checkPath(path, "path");
    bits = flags.bits();  // after the path, as Node checks them
  }
  Result run(Failure& failure) const noexcept;
};
// fs.read(fd, buffer, offset, length, position): into buffer[offset, offset + length).
struct Read {
  using Result = std::size_t;
  int fd = -1;
  std::span<char> buffer;
  std::int64_t offset = 0, length = 0;
  std::int64_t position = -1;  // -1: the current position
  void check() const { checkRead(fd, buffer.size(), offset, length, position); }
  Result run(Failure& failure) const noexcept;
};
// fs.write(fd, data, position): all of data (short writes are continued).
struct Write {
  using Result = std::size_t;
  int fd = -1;
  WriteData data;
  std::int64_t position = -1;
  void check() {
    checkFd(fd);
    // Node's binding writes at the current position for a position that is not a safe integer
    // (and libuv for a negative one).
    if (position > kMaxSafeInteger) position = -1;
  }
  Result run(Failure& failure) const noexcept;
};

// --- descriptors: directories, links, stat ---------------------------------------------------

// stat follows symlinks, lstat does not.
template <bool kFollow>
struct StatPath {
  using Result = Stats;
  std::string path;
  void check() const { checkPath(path, "path"); }
  Result run(Failure& failure) const noexcept;
};
using Stat = StatPath<true>;
using Lstat = StatPath<false>;
struct Fstat {
  using Result = Stats;
  int fd = -1;
  void check() const { checkFd(fd); }
  Result run(Failure& failure) const noexcept;
};
// fs.statfs(path) -> StatFs.
struct Statfs {
  using Result = StatFs;
  std::string path;
  void check() const { checkPath(path, "path"); }
  Result run(Failure& failure) const noexcept;
};
// fs.readdir(path): names; with kTypes ({withFileTypes: true}) Dirents.
template <bool kTypes>
struct ReaddirOf {
  using Result = std::conditional_t<kTypes, std::vector<Dirent>, std::vector<std::string>>;
  std::string path;
  void check() const { checkPath(path, "path"); }
  Result run(Failure& failure) const noexcept;
};
using Readdir = ReaddirOf<false>;
using ReaddirTypes = ReaddirOf<true>;
// fs.mkdir(path, {recursive, mode}): the first directory created (with recursive).
struct Mkdir {
  using Result = std::optional<std::string>;
  std::string path;
  MkdirOptions options;
  void check() const { checkPath(path, "path"); }
  Result run(Failure& failure) const noexcept;
};
struct Mkdtemp {
  using Result = std::string;
  std::string prefix;
  void check() const { checkPath(prefix, "prefix"); }
  Result run(Failure& failure) const noexcept;
};
struct Rm {
  std::string path;
  RmOptions options;
  void check() const { checkPath(path, "path"); }
  void run(Failure& failure) const noexcept;
};
struct Rename {
  std::string oldPath, newPath;
  void check() const {
    checkPath(oldPath, "oldPath");
    checkPath(newPath, "newPath");
  }
  void run(Failure& failure) const noexcept;
};
struct Symlink {
  std::string target, path;
  void check() const {
    checkPath(target, "target");
    checkPath(path, "path");
  }
  void run(Failure& failure) const noexcept;
};
struct Link {
  std::string existingPath, newPath;
  void check() const {
    checkPath(existingPath, "existingPath");
    checkPath(newPath, "newPath");
  }
  void run(Failure& failure) const noexcept;
};
struct Readlink {
  using Result = std::string;
  std::string path;
  void check() const { checkPath(path, "path"); }
  Result run(Failure& failure) const noexcept;
};
struct Realpath {
  using Result = std::string;
  std::string path;
  void check() const { checkPath(path, "path"); }
  Result run(Failure& failure) const noexcept;
};

}  // namespace vow::fs::internal
