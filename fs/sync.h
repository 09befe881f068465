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
#include "vow/fs/internal/ops.h"
#include "vow/fs/types.h"

namespace vow::fs {

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

inline void rmdirSync(std::string_view path) {
  internal::runSync(internal::pathOp(internal::PathKind::kRmdir, path));
}
inline void rmSync(std::string_view path, RmOptions options = {}) {
  internal::runSync(internal::rmOp(path, options));
}
inline void unlinkSync(std::string_view path) {
  internal::runSync(internal::pathOp(internal::PathKind::kUnlink, path));
}
inline void accessSync(std::string_view path, int mode = F_OK) {
  internal::runSync(
      internal::pathOp(internal::PathKind::kAccess, path, static_cast<unsigned>(mode)));
}
inline void chmodSync(std::string_view path, unsigned mode) {
  internal::runSync(internal::pathOp(internal::PathKind::kChmod, path, mode));
}
inline void truncateSync(std::string_view path, std::int64_t len = 0) {
  internal::runSync(internal::pathOp(internal::PathKind::kTruncate, path, 0, len < 0 ? 0 : len));
}
inline void utimesSync(std::string_view path, double atime, double mtime) {
  internal::runSync(internal::utimesOp(internal::PathKind::kUtimes, path, atime, mtime));
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
  internal::PathOp op{internal::PathKind::kAccess, std::string(path)};
  op.run();
  return !op.failure;
}

inline int openSync(std::string_view path, OpenFlags flags = "r", unsigned mode = 0666) {
  return internal::runSync(internal::openOp(path, flags, mode));
}
inline void chownSync(std::string_view path, std::int64_t uid, std::int64_t gid) {
  internal::runSync(internal::chownOp(internal::PathKind::kChown, path, uid, gid));
}
inline void lchownSync(std::string_view path, std::int64_t uid, std::int64_t gid) {
  internal::runSync(internal::chownOp(internal::PathKind::kLchown, path, uid, gid));
}
inline void fchownSync(int fd, std::int64_t uid, std::int64_t gid) {
  internal::runSync(internal::fchownOp(fd, uid, gid));
}
inline void closeSync(int fd) { internal::runSync(internal::fdOp(internal::FdKind::kClose, fd)); }
inline void fsyncSync(int fd) { internal::runSync(internal::fdOp(internal::FdKind::kFsync, fd)); }
inline void ftruncateSync(int fd, std::int64_t len = 0) {
  internal::runSync(internal::fdOp(internal::FdKind::kFtruncate, fd, len < 0 ? 0 : len));
}
inline std::size_t readSync(int fd, std::span<char> buffer, std::int64_t offset,
                            std::int64_t length, std::int64_t position = -1) {
  return internal::runSync(internal::readOp(fd, buffer, offset, length, position));
}
inline std::size_t writeSync(int fd, std::string_view data, std::int64_t position = -1) {
  return internal::runSync(internal::writeOp(fd, std::string(data), position));
}

}  // namespace vow::fs
