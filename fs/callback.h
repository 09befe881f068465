// vow::fs's callback API: Node's fs.<name>(args..., callback). Include "vow/fs/fs.h" (all of
// vow::fs) rather than this header.
//
//   vow::fs::readFile("a.txt", [](vow::Error err, std::string data) {
//     if (err) { std::puts(err.message().c_str()); return; }
//     ...
//   });
//   vow::run();
//
// Every callback is error-first: (vow::Error err) or (vow::Error err, T value); `err` is empty on
// success; on failure it holds a vow::SystemError with Node's code, errno, syscall and message,
// and the value is default (Node passes undefined). Data is bytes in std::string (Node's
// encoding options are moot). Each operation is ONE thread-pool job (readFile = open + fstat +
// read loop + close) and its callback runs on the loop thread in the poll phase, so it orders
// against timers and immediates as Node's does.
//
// Invalid arguments (a NUL byte in a path, bad flags, a negative fd or length) throw
// vow::TypeError / vow::RangeError with Node's code and message synchronously, before any I/O.
// Callbacks are templates: any callable taking the arguments above works, with no type erasure.
#pragma once

#include <fcntl.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vow/fs/internal/checked.h"
#include "vow/fs/internal/dispatch.h"
#include "vow/fs/internal/operations.h"
#include "vow/fs/internal/ops.h"
#include "vow/fs/system_error.h"
#include "vow/fs/types.h"
#include "vow/loop/loop.h"

namespace vow::fs {

// The operations declared in operations.inc: name(params..., cb), cb(vow::Error err).
#define VOW_FS_PATH_OP(name, D, params, args)                                     \
  template <class F>                                                              \
  void name(VOW_FS_UNPAREN params, F&& cb) {                                      \
    internal::callbackApi<internal::D>(std::forward<F>(cb), VOW_FS_UNPAREN args); \
  }
#define VOW_FS_FD_OP VOW_FS_PATH_OP
#include "vow/fs/internal/operations.inc"  // NOLINT(build/include)
#undef VOW_FS_PATH_OP
#undef VOW_FS_FD_OP

// --- whole files ----------------------------------------------------------------------------

// Node: fs.readFile(path[, options], (err, data) => ...).
template <class F>
void readFile(std::string_view path, ReadFileOptions options, F&& cb) {
  internal::submit(internal::readFileOp(path, options), std::forward<F>(cb));
}
template <class F>
void readFile(std::string_view path, F&& cb) {
  readFile(path, ReadFileOptions{}, std::forward<F>(cb));
}

// Node: fs.readFile(fd, (err, data) => ...): from the fd's current position to the end.
template <class F>
void readFile(int fd, F&& cb) {
  internal::submit(internal::readFileOp(fd), std::forward<F>(cb));
}

// Node: fs.writeFile(fd, data, (err) => ...): writes at the fd's current position.
template <class F>
void writeFile(int fd, std::string data, F&& cb) {
  internal::submit(internal::writeFileOp(fd, std::move(data)), std::forward<F>(cb));
}

// Node: fs.writeFile(path, data[, options], (err) => ...): creates or truncates.
template <class F>
void writeFile(std::string_view path, std::string data, WriteFileOptions options, F&& cb) {
  internal::submit(internal::writeFileOp(path, std::move(data), options), std::forward<F>(cb));
}
template <class F>
void writeFile(std::string_view path, std::string data, F&& cb) {
  writeFile(path, std::move(data), WriteFileOptions{}, std::forward<F>(cb));
}

// Node: fs.appendFile(path, data[, options], (err) => ...): writeFile with flag "a".
template <class F>
void appendFile(std::string_view path, std::string data, F&& cb) {
  writeFile(path, std::move(data), WriteFileOptions{.flag = "a"}, std::forward<F>(cb));
}
template <class F>
void appendFile(std::string_view path, std::string data, WriteFileOptions options, F&& cb) {
  writeFile(path, std::move(data), options, std::forward<F>(cb));
}

// --- directories ----------------------------------------------------------------------------

// Node: fs.readdir(path, (err, names) => ...): names without "." and "..", in libuv's order
// (sorted by byte value). Errors name the syscall "scandir", as Node's do.
template <class F>
void readdir(std::string_view path, F&& cb) {
  internal::submit(internal::readdirOp(path), std::forward<F>(cb));
}
// Node: fs.readdir(path, {withFileTypes: true}, (err, entries) => ...).
template <class F>
void readdir(std::string_view path, WithFileTypes, F&& cb) {
  internal::submit(internal::readdirTypesOp(path), std::forward<F>(cb));
}

// Node: fs.mkdir(path[, options], (err, first) => ...). With recursive, `first` is the first
// directory created (empty optional when it already existed: Node's undefined).
template <class F>
void mkdir(std::string_view path, MkdirOptions options, F&& cb) {
  internal::submit(internal::mkdirOp(path, options), std::forward<F>(cb));
}
template <class F>
void mkdir(std::string_view path, F&& cb) {
  mkdir(path, MkdirOptions{}, std::forward<F>(cb));
}

// Node: fs.mkdtemp(prefix, (err, dir) => ...): prefix + six random characters.
template <class F>
void mkdtemp(std::string_view prefix, F&& cb) {
  internal::submit(internal::mkdtempOp(prefix), std::forward<F>(cb));
}

// Node: fs.rm(path[, {recursive, force}], (err) => ...). Without recursive a directory fails
// with Node's ERR_FS_EISDIR; with force a missing path is not an error.
template <class F>
void rm(std::string_view path, RmOptions options, F&& cb) {
  internal::submit(internal::rmOp(path, options), std::forward<F>(cb));
}
template <class F>
void rm(std::string_view path, F&& cb) {
  rm(path, RmOptions{}, std::forward<F>(cb));
}

// --- files and links ------------------------------------------------------------------------

// Node: fs.stat / fs.lstat (path, (err, stats) => ...), fs.fstat(fd, ...).
template <class F>
void stat(std::string_view path, F&& cb) {
  internal::submit(internal::statOp(internal::StatKind::kStat, path), std::forward<F>(cb));
}
template <class F>
void lstat(std::string_view path, F&& cb) {
  internal::submit(internal::statOp(internal::StatKind::kLstat, path), std::forward<F>(cb));
}
template <class F>
void fstat(int fd, F&& cb) {
  internal::submit(internal::fstatOp(fd), std::forward<F>(cb));
}

// Node: fs.rename(oldPath, newPath, (err) => ...).
template <class F>
void rename(std::string_view oldPath, std::string_view newPath, F&& cb) {
  internal::submit(internal::twoPathOp(internal::TwoPathKind::kRename, oldPath, "oldPath", newPath,
                                       "newPath", 0),
                   std::forward<F>(cb));
}

// Node: fs.copyFile(src, dest[, mode], (err) => ...); mode: constants::COPYFILE_EXCL...
template <class F>
void copyFile(std::string_view src, std::string_view dest, int mode, F&& cb) {
  internal::submit(
      internal::twoPathOp(internal::TwoPathKind::kCopyFile, src, "src", dest, "dest", mode),
      std::forward<F>(cb));
}
template <class F>
void copyFile(std::string_view src, std::string_view dest, F&& cb) {
  copyFile(src, dest, 0, std::forward<F>(cb));
}

// Node: fs.symlink(target, path, (err) => ...), fs.link(existingPath, newPath, ...).
template <class F>
void symlink(std::string_view target, std::string_view path, F&& cb) {
  internal::submit(
      internal::twoPathOp(internal::TwoPathKind::kSymlink, target, "target", path, "path", 0),
      std::forward<F>(cb));
}
template <class F>
void link(std::string_view existingPath, std::string_view newPath, F&& cb) {
  internal::submit(internal::twoPathOp(internal::TwoPathKind::kLink, existingPath, "existingPath",
                                       newPath, "newPath", 0),
                   std::forward<F>(cb));
}

// Node: fs.readlink(path, (err, target) => ...), fs.realpath(path, (err, resolved) => ...).
template <class F>
void readlink(std::string_view path, F&& cb) {
  internal::submit(internal::stringOp(internal::StringKind::kReadlink, path), std::forward<F>(cb));
}
template <class F>
void realpath(std::string_view path, F&& cb) {
  internal::submit(internal::stringOp(internal::StringKind::kRealpath, path), std::forward<F>(cb));
}

// Node: fs.access(path, cb): mode F_OK; fs.truncate(path, cb): len 0. (access, chmod, truncate,
// utimes, lutimes, chown, lchown, rmdir, unlink: see operations.inc.)
template <class F>
void access(std::string_view path, F&& cb) {
  access(path, F_OK, std::forward<F>(cb));
}
template <class F>
void truncate(std::string_view path, F&& cb) {
  truncate(path, 0, std::forward<F>(cb));
}

// --- file descriptors -------------------------------------------------------------------------

// Node: fs.open(path[, flags[, mode]], (err, fd) => ...). flags: "r", "w", "a", "wx", "r+"...
// or O_* bits (OpenFlags).
template <class F>
void open(std::string_view path, OpenFlags flags, unsigned mode, F&& cb) {
  internal::submit(internal::openOp(path, flags, mode), std::forward<F>(cb));
}
template <class F>
void open(std::string_view path, OpenFlags flags, F&& cb) {
  open(path, flags, 0666, std::forward<F>(cb));
}
template <class F>
void open(std::string_view path, F&& cb) {
  open(path, "r", 0666, std::forward<F>(cb));
}

// Node: fs.read(fd, buffer, offset, length, position, (err, bytesRead) => ...). Reads into
// buffer[offset, offset + length); position -1 reads from the current file position, one
// outside [-1, 2^53 - 1] throws vow::RangeError ERR_OUT_OF_RANGE (as Node). The buffer must
// stay alive until the callback runs.
template <class F>
void read(int fd, std::span<char> buffer, std::int64_t offset, std::int64_t length,
          std::int64_t position, F&& cb) {
  internal::submit(internal::readOp(fd, buffer, offset, length, position), std::forward<F>(cb));
}

// Node: fs.write(fd, data[, position], (err, bytesWritten) => ...). The data is copied into the
// operation; all of it is written (short writes are continued), or the error is reported. A
// negative position, or one past 2^53 - 1, writes at the current position (as Node).
template <class F>
void write(int fd, std::string data, std::int64_t position, F&& cb) {
  internal::submit(internal::writeOp(fd, std::move(data), position), std::forward<F>(cb));
}
template <class F>
void write(int fd, std::string data, F&& cb) {
  write(fd, std::move(data), -1, std::forward<F>(cb));
}

}  // namespace vow::fs
