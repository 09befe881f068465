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

#include "vow/fs/internal/dispatch.h"
#include "vow/fs/internal/ops.h"
#include "vow/fs/types.h"

namespace vow::fs {

inline std::string readFileSync(std::string_view path, ReadFileOptions options = {}) {
  internal::checkPath(path, "path");
  internal::ReadFileOp op;
  op.flags = internal::parseFlags(options.flag);
  op.path.assign(path);
  return internal::runSync(op);
}

inline void writeFileSync(std::string_view path, std::string_view data,
                          WriteFileOptions options = {}) {
  internal::checkPath(path, "path");
  internal::WriteFileOp op;
  op.flags = internal::parseFlags(options.flag);
  op.mode = options.mode;
  op.path.assign(path);
  op.data.assign(data);
  internal::runSync(op);
}

inline void appendFileSync(std::string_view path, std::string_view data,
                           WriteFileOptions options = {.flag = "a"}) {
  writeFileSync(path, data, options);
}

inline std::vector<std::string> readdirSync(std::string_view path) {
  internal::checkPath(path, "path");
  internal::ReaddirOp op;
  op.path.assign(path);
  return internal::runSync(op);
}
inline std::vector<Dirent> readdirSync(std::string_view path, WithFileTypes) {
  internal::checkPath(path, "path");
  internal::ReaddirTypesOp op;
  op.path.assign(path);
  return internal::runSync(op);
}

inline std::optional<std::string> mkdirSync(std::string_view path, MkdirOptions options = {}) {
  internal::checkPath(path, "path");
  internal::MkdirOp op;
  op.path.assign(path);
  op.mode = options.mode;
  op.recursive = options.recursive;
  return internal::runSync(op);
}

inline std::string mkdtempSync(std::string_view prefix) {
  internal::checkPath(prefix, "prefix");
  internal::StringOp op{internal::StringKind::kMkdtemp, std::string(prefix)};
  return internal::runSync(op);
}

inline Stats statSync(std::string_view path) {
  internal::checkPath(path, "path");
  internal::StatOp op;
  op.kind = internal::StatKind::kStat;
  op.path.assign(path);
  return internal::runSync(op);
}
inline Stats lstatSync(std::string_view path) {
  internal::checkPath(path, "path");
  internal::StatOp op;
  op.kind = internal::StatKind::kLstat;
  op.path.assign(path);
  return internal::runSync(op);
}
inline Stats fstatSync(int fd) {
  internal::checkFd(fd);
  internal::StatOp op;
  op.kind = internal::StatKind::kFstat;
  op.fd = fd;
  return internal::runSync(op);
}

namespace internal {
inline void pathOpSync(PathKind kind, std::string_view path, unsigned mode = 0,
                       std::int64_t length = 0, double atime = 0, double mtime = 0) {
  checkPath(path, "path");
  PathOp op{kind, std::string(path)};
  op.mode = mode;
  op.length = length;
  op.atime = atime;
  op.mtime = mtime;
  runSync(op);
}
inline void twoPathOpSync(TwoPathKind kind, std::string_view src, const char* src_name,
                          std::string_view dest, const char* dest_name, int mode) {
  checkPath(src, src_name);
  checkPath(dest, dest_name);
  TwoPathOp op{kind, std::string(src), std::string(dest), mode};
  runSync(op);
}
inline std::string stringOpSync(StringKind kind, std::string_view path) {
  checkPath(path, "path");
  StringOp op{kind, std::string(path)};
  return runSync(op);
}
inline void fdOpSync(FdKind kind, int fd, std::int64_t length = 0, unsigned mode = 0) {
  checkFd(fd);
  FdOp op{kind, fd, length, mode};
  runSync(op);
}
}  // namespace internal

inline void rmdirSync(std::string_view path) {
  internal::pathOpSync(internal::PathKind::kRmdir, path);
}
inline void rmSync(std::string_view path, RmOptions options = {}) {
  internal::checkPath(path, "path");
  internal::RmOp op{std::string(path), options.recursive, options.force};
  internal::runSync(op);
}
inline void unlinkSync(std::string_view path) {
  internal::pathOpSync(internal::PathKind::kUnlink, path);
}
inline void accessSync(std::string_view path, int mode = F_OK) {
  internal::pathOpSync(internal::PathKind::kAccess, path, static_cast<unsigned>(mode));
}
inline void chmodSync(std::string_view path, unsigned mode) {
  internal::pathOpSync(internal::PathKind::kChmod, path, mode);
}
inline void truncateSync(std::string_view path, std::int64_t len = 0) {
  internal::pathOpSync(internal::PathKind::kTruncate, path, 0, len < 0 ? 0 : len);
}
inline void utimesSync(std::string_view path, double atime, double mtime) {
  internal::pathOpSync(internal::PathKind::kUtimes, path, 0, 0, atime, mtime);
}
inline void renameSync(std::string_view oldPath, std::string_view newPath) {
  internal::twoPathOpSync(internal::TwoPathKind::kRename, oldPath, "oldPath", newPath, "newPath",
                          0);
}
inline void copyFileSync(std::string_view src, std::string_view dest, int mode = 0) {
  internal::twoPathOpSync(internal::TwoPathKind::kCopyFile, src, "src", dest, "dest", mode);
}
inline void symlinkSync(std::string_view target, std::string_view path) {
  internal::twoPathOpSync(internal::TwoPathKind::kSymlink, target, "target", path, "path", 0);
}
inline void linkSync(std::string_view existingPath, std::string_view newPath) {
  internal::twoPathOpSync(internal::TwoPathKind::kLink, existingPath, "existingPath", newPath,
                          "newPath", 0);
}
inline std::string readlinkSync(std::string_view path) {
  return internal::stringOpSync(internal::StringKind::kReadlink, path);
}
inline std::string realpathSync(std::string_view path) {
  return internal::stringOpSync(internal::StringKind::kRealpath, path);
}
inline bool existsSync(std::string_view path) noexcept {
  if (path.find('\0') != std::string_view::npos) return false;
  internal::PathOp op{internal::PathKind::kAccess, std::string(path)};
  op.run();
  return !op.failure;
}

inline int openSync(std::string_view path, OpenFlags flags = "r", unsigned mode = 0666) {
  internal::checkPath(path, "path");
  internal::OpenOp op;
  op.path.assign(path);
  op.flags = flags.bits();
  op.mode = mode;
  return internal::runSync(op);
}
inline void closeSync(int fd) { internal::fdOpSync(internal::FdKind::kClose, fd); }
inline void fsyncSync(int fd) { internal::fdOpSync(internal::FdKind::kFsync, fd); }
inline void ftruncateSync(int fd, std::int64_t len = 0) {
  internal::fdOpSync(internal::FdKind::kFtruncate, fd, len < 0 ? 0 : len);
}
inline std::size_t readSync(int fd, std::span<char> buffer, std::int64_t offset,
                            std::int64_t length, std::int64_t position = -1) {
  internal::checkRead(fd, buffer.size(), offset, length);
  internal::ReadOp op;
  op.fd = fd;
  op.buffer = buffer.data() + offset;
  op.length = static_cast<std::size_t>(length);
  op.position = position;
  return internal::runSync(op);
}
inline std::size_t writeSync(int fd, std::string_view data, std::int64_t position = -1) {
  internal::checkFd(fd);
  internal::WriteOp op;
  op.fd = fd;
  op.data.assign(data);
  op.position = position;
  return internal::runSync(op);
}

}  // namespace vow::fs
