// The operations of vow::fs with their arguments checked as Node checks them. Each function
// throws (vow::TypeError / vow::RangeError with Node's code and message) before any I/O, or
// returns the operation ready to run. The callback and promise forms submit it to the thread
// pool and the sync forms run it in place, so all three check their arguments alike.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "vow/fs/internal/ops.h"
#include "vow/fs/types.h"

namespace vow::fs::internal {

// --- whole files ----------------------------------------------------------------------------

inline ReadFileOp readFileOp(std::string_view path, const ReadFileOptions& options) {
  checkPath(path, "path");
  ReadFileOp op;
  op.flags = parseFlags(options.flag);
  op.path.assign(path);
  return op;
}
inline ReadFileOp readFileOp(int fd) {
  checkFd(fd);
  ReadFileOp op;
  op.fd = fd;
  return op;
}
inline WriteFileOp writeFileOp(std::string_view path, std::string data,
                               const WriteFileOptions& options) {
  checkPath(path, "path");
  WriteFileOp op;
  op.flags = parseFlags(options.flag);
  op.mode = options.mode;
  op.path.assign(path);
  op.data = std::move(data);
  return op;
}
inline WriteFileOp writeFileOp(int fd, std::string data) {
  checkFd(fd);
  WriteFileOp op;
  op.fd = fd;
  op.data = std::move(data);
  return op;
}

// --- directories ----------------------------------------------------------------------------

inline ReaddirOp readdirOp(std::string_view path) {
  checkPath(path, "path");
  ReaddirOp op;
  op.path.assign(path);
  return op;
}
inline ReaddirTypesOp readdirTypesOp(std::string_view path) {
  checkPath(path, "path");
  ReaddirTypesOp op;
  op.path.assign(path);
  return op;
}
inline MkdirOp mkdirOp(std::string_view path, const MkdirOptions& options) {
  checkPath(path, "path");
  MkdirOp op;
  op.path.assign(path);
  op.mode = options.mode;
  op.recursive = options.recursive;
  return op;
}
inline StringOp mkdtempOp(std::string_view prefix) {
  checkPath(prefix, "prefix");
  return StringOp{StringKind::kMkdtemp, std::string(prefix)};
}
inline RmOp rmOp(std::string_view path, const RmOptions& options) {
  checkPath(path, "path");
  return RmOp{std::string(path), options.recursive, options.force};
}

// --- paths ----------------------------------------------------------------------------------

inline StatOp statOp(StatKind kind, std::string_view path) {
  checkPath(path, "path");
  StatOp op;
  op.kind = kind;
  op.path.assign(path);
  return op;
}
inline StatOp fstatOp(int fd) {
  checkFd(fd);
  StatOp op;
  op.kind = StatKind::kFstat;
  op.fd = fd;
  return op;
}
inline TwoPathOp twoPathOp(TwoPathKind kind, std::string_view src, const char* src_name,
                           std::string_view dest, const char* dest_name, int mode = 0) {
  checkPath(src, src_name);
  checkPath(dest, dest_name);
  return TwoPathOp{kind, std::string(src), std::string(dest), mode};
}
inline StringOp stringOp(StringKind kind, std::string_view path) {
  checkPath(path, "path");
  return StringOp{kind, std::string(path)};
}

// --- file descriptors -----------------------------------------------------------------------

inline OpenOp openOp(std::string_view path, OpenFlags flags, unsigned mode) {
  checkPath(path, "path");
  OpenOp op;
  op.path.assign(path);
  op.flags = flags.bits();  // after the path, as Node checks them
  op.mode = mode;
  return op;
}
inline ReadOp readOp(int fd, std::span<char> buffer, std::int64_t offset, std::int64_t length,
                     std::int64_t position) {
  checkRead(fd, buffer.size(), offset, length, position);
  ReadOp op;
  op.fd = fd;
  op.buffer = buffer.data() + offset;
  op.length = static_cast<std::size_t>(length);
  op.position = position;
  return op;
}
inline WriteOp writeOp(int fd, std::string data, std::int64_t position) {
  checkFd(fd);
  WriteOp op;
  op.fd = fd;
  op.data = std::move(data);
  // Node's binding writes at the current position for a position that is not a safe integer
  // (and libuv for a negative one).
  op.position = position > kMaxSafeInteger ? -1 : position;
  return op;
}

}  // namespace vow::fs::internal
