// vow::fs's callback API: Node's fs.<name>(args..., callback). Include "vow/fs/fs.h" (all of
// vow::fs) rather than this header.
//
//   vow::fs::readFile("a.txt", "utf8", [](vow::Error err, std::string text) {
//     if (err) { std::puts(err.message().c_str()); return; }
//     ...
//   });
//   vow::fs::readFile("a.png", [](vow::Error err, vow::Buffer data) { ... });  // bytes
//   vow::run();
//
// Every callback is error-first: (vow::Error err) or (vow::Error err, T value); `err` is empty on
// success; on failure it holds a vow::SystemError with Node's code, errno, syscall and message,
// and the value is default (Node passes undefined). readFile gives a vow::Buffer, or with an
// encoding the decoded std::string, as Node; written data is a WriteData (std::string, text or
// a shared vow::Buffer). Each operation is ONE thread-pool job (readFile = open + fstat +
// read loop + close) and its callback runs on the loop thread in the poll phase, so it orders
// against timers and immediates as Node's does.
//
// Invalid arguments (a NUL byte in a path, bad flags, a negative fd or length) throw
// vow::TypeError / vow::RangeError with Node's code and message synchronously, before any I/O.
// Callbacks are templates: any callable taking the arguments above works, with no type erasure.
//
// The functions are generated from internal/operations.inc, which lists and documents them:
// readFile, writeFile, appendFile, copyFile, truncate, readdir, mkdir, mkdtemp, rm, rmdir,
// stat, lstat, statfs, access, unlink, rename, symlink, link, readlink, realpath, chmod, utimes,
// lutimes, chown, lchown, open, read, write, fstat, close, fsync, fdatasync, ftruncate, fchown,
// fchmod, futimes.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "vow/fs/internal/derive.h"
#include "vow/fs/internal/operations.h"
#include "vow/fs/system_error.h"
#include "vow/fs/types.h"
#include "vow/loop/loop.h"

namespace vow::fs {

// Every operation of operations.inc (its comments document them): name(params..., cb).
#define VOW_FS_OP(name, D, params, args)                                          \
  template <class F>                                                              \
  void name(VOW_FS_UNPAREN params, F&& cb) {                                      \
    internal::callbackApi<internal::D>(std::forward<F>(cb), VOW_FS_UNPAREN args); \
  }
#define VOW_FS_DEFAULT(name, params, args)          \
  template <class F>                                \
  void name(VOW_FS_UNPAREN params, F&& cb) {        \
    name(VOW_FS_UNPAREN args, std::forward<F>(cb)); \
  }
#define VOW_FS_OP_NO_PROMISE VOW_FS_OP
#define VOW_FS_DEFAULT_NO_PROMISE VOW_FS_DEFAULT
#define VOW_FS_DATA WriteData
#include "vow/fs/internal/operations.inc"  // NOLINT(build/include)
#undef VOW_FS_OP
#undef VOW_FS_DEFAULT
#undef VOW_FS_OP_NO_PROMISE
#undef VOW_FS_DEFAULT_NO_PROMISE
#undef VOW_FS_DATA

}  // namespace vow::fs
