// The sync API: Node's fs.*Sync functions. They block the calling thread and throw
// vow::SystemError (OS failures) or vow::TypeError / vow::RangeError (invalid arguments).
// For start-up code and CLIs; inside a running loop prefer the callback or promise API.
//
//   std::string config = vow::fs::readFileSync("config.json");
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vow/fs/internal/checked.h"
#include "vow/fs/internal/dispatch.h"
#include "vow/fs/internal/operations.h"
#include "vow/fs/internal/ops.h"
#include "vow/fs/types.h"

namespace vow::fs {

// The operations declared in operations.inc: nameSync(params...).
#define VOW_FS_PATH_OP(name, D, params, args)            \
  inline void name##Sync(VOW_FS_UNPAREN params) {        \
    internal::syncApi<internal::D>(VOW_FS_UNPAREN args); \
  }
#define VOW_FS_FD_OP VOW_FS_PATH_OP
#include "vow/fs/internal/operations.inc"  // NOLINT(build/include)
#undef VOW_FS_PATH_OP
#undef VOW_FS_FD_OP
// accessSync(path): mode F_OK; truncateSync(path), ftruncateSync(fd): len 0.
inline void accessSync(std::string_view path) { accessSync(path, F_OK); }
inline void truncateSync(std::string_view path) { truncateSync(path, 0); }
inline void ftruncateSync(int fd) { ftruncateSync(fd, 0); }

inline std::string readFileSync(std::string_view path, ReadFileOptions options = {}) {
  return internal::runSync(internal::readFileOp(path, options));
}

inline void writeFileSync(std::string_view path, std::string_view data,
                          WriteFileOptions options = {}) {
  internal::runSync(internal::writeFileOp(path, std::string(data), options));
}

inline void appendFileSync(std::string_view path, std::string_view data,
                           WriteFileOptions options = {.flag = "a"}) {
  writeFileSync(path, data, options);
}

inline std::vector<std::string> readdirSync(std::string_view path) {
  return internal::runSync(internal::readdirOp(path));
}
inline std::vector<Dirent> readdirSync(std::string_view path, WithFileTypes) {
  return internal::runSync(internal::readdirTypesOp(path));
}

inline std::optional<std::string> mkdirSync(std::string_view path, MkdirOptions options = {}) {
  return internal::runSync(internal::mkdirOp(path, options));
}

inline std::string mkdtempSync(std::string_view prefix) {
  return internal::runSync(internal::mkdtempOp(prefix));
}

inline Stats statSync(std::string_view path) {
  return internal::runSync(internal::statOp(internal::StatKind::kStat, path));
}
inline Stats lstatSync(std::string_view path) {
  return internal::runSync(internal::statOp(internal::StatKind::kLstat, path));
}
inline Stats fstatSync(int fd) { return internal::runSync(internal::fstatOp(fd)); }

inline void rmSync(std::string_view path, RmOptions options = {}) {
  internal::runSync(internal::rmOp(path, options));
}
inline void renameSync(std::string_view oldPath, std::string_view newPath) {
  internal::runSync(internal::twoPathOp(internal::TwoPathKind::kRename, oldPath, "oldPath", newPath,
                                        "newPath", 0));
}
inline void copyFileSync(std::string_view src, std::string_view dest, int mode = 0) {
  internal::runSync(
      internal::twoPathOp(internal::TwoPathKind::kCopyFile, src, "src", dest, "dest", mode));
}
inline void symlinkSync(std::string_view target, std::string_view path) {
  internal::runSync(
      internal::twoPathOp(internal::TwoPathKind::kSymlink, target, "target", path, "path", 0));
}
inline void linkSync(std::string_view existingPath, std::string_view newPath) {
  internal::runSync(internal::twoPathOp(internal::TwoPathKind::kLink, existingPath, "existingPath",
                                        newPath, "newPath", 0));
}
inline std::string readlinkSync(std::string_view path) {
  return internal::runSync(internal::stringOp(internal::StringKind::kReadlink, path));
}
inline std::string realpathSync(std::string_view path) {
  return internal::runSync(internal::stringOp(internal::StringKind::kRealpath, path));
}
inline bool existsSync(std::string_view path) noexcept {
  if (path.find('\0') != std::string_view::npos) return false;
  internal::Job<internal::Access> job{{std::string(path), F_OK}};
  job.run();
  return !job.failure;
}

inline int openSync(std::string_view path, OpenFlags flags = "r", unsigned mode = 0666) {
  return internal::runSync(internal::openOp(path, flags, mode));
}
inline std::size_t readSync(int fd, std::span<char> buffer, std::int64_t offset,
                            std::int64_t length, std::int64_t position = -1) {
  return internal::runSync(internal::readOp(fd, buffer, offset, length, position));
}
inline std::size_t writeSync(int fd, std::string_view data, std::int64_t position = -1) {
  return internal::runSync(internal::writeOp(fd, std::string(data), position));
}

}  // namespace vow::fs
