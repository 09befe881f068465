// The sync API: Node's fs.*Sync functions. They block the calling thread and throw
// vow::SystemError (OS failures) or vow::TypeError / vow::RangeError (invalid arguments).
// For start-up code and CLIs; inside a running loop prefer the callback or promise API.
//
//   std::string config = vow::fs::readFileSync("config.json", "utf8");
//   vow::Buffer image = vow::fs::readFileSync("logo.png");
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "vow/fs/internal/derive.h"
#include "vow/fs/internal/operations.h"
#include "vow/fs/types.h"

namespace vow::fs {

// Every operation of operations.inc (its comments document them): nameSync(params...) ->
// Result.
#define VOW_FS_OP(name, D, params, args)                                     \
  inline internal::ResultOf<internal::D> name##Sync(VOW_FS_UNPAREN params) { \
    return internal::syncApi<internal::D>(VOW_FS_UNPAREN args);              \
  }
#define VOW_FS_DEFAULT(name, params, args) \
  inline auto name##Sync(VOW_FS_UNPAREN params) { return name##Sync(VOW_FS_UNPAREN args); }
#define VOW_FS_OP_NO_PROMISE VOW_FS_OP
#define VOW_FS_DEFAULT_NO_PROMISE VOW_FS_DEFAULT
#define VOW_FS_DATA std::string_view
#include "vow/fs/internal/operations.inc"  // NOLINT(build/include)
#undef VOW_FS_OP
#undef VOW_FS_DEFAULT
#undef VOW_FS_OP_NO_PROMISE
#undef VOW_FS_DEFAULT_NO_PROMISE
#undef VOW_FS_DATA

// readSync(fd, buffer, offset, length): at the current position.
inline std::size_t readSync(int fd, std::span<char> buffer, std::int64_t offset,
                            std::int64_t length) {
  return readSync(fd, buffer, offset, length, -1);
}

// Node: fs.existsSync(path): false for any failure, a NUL byte included (never throws).
inline bool existsSync(std::string_view path) noexcept {
  if (path.find('\0') != std::string_view::npos) return false;
  internal::Job<internal::Access> job{{std::string(path), F_OK}};
  job.run();
  return !job.failure;
}

// The sync API without exceptions: vow::fs::nothrow::nameSync(params...) for every nameSync
// above, returning absl::StatusOr<Result> (absl::Status where nameSync returns nothing). An OS
// failure is the status of its vow::SystemError: ENOENT -> NotFound, EEXIST -> AlreadyExists,
// ... with Node's message ("ENOENT: no such file or directory, open 'x'") and Node's code in
// vow::errorCode(status). Invalid arguments (Node's TypeError/RangeError ERR_INVALID_ARG_*,
// ERR_OUT_OF_RANGE) are returned as InvalidArgument/OutOfRange statuses when built with
// exceptions; without exceptions they are programming errors that end the process with
// Node's message, as a failed CHECK would.
//
//   absl::StatusOr<std::string> config = vow::fs::nothrow::readFileSync("config.json", "utf8");
//   if (!config.ok() && vow::errorCode(config.status()) == "ENOENT") ...
namespace nothrow {

#define VOW_FS_OP(name, D, params, args)                                                         \
  inline internal::StatusOf<internal::ResultOf<internal::D>> name##Sync(VOW_FS_UNPAREN params) { \
    return internal::syncStatusApi<internal::D>(VOW_FS_UNPAREN args);                            \
  }
// (Qualified: argument-dependent lookup would find vow::fs's throwing overloads too.)
#define VOW_FS_DEFAULT(name, params, args)                      \
  inline auto name##Sync(VOW_FS_UNPAREN params) {               \
    return ::vow::fs::nothrow::name##Sync(VOW_FS_UNPAREN args); \
  }
#define VOW_FS_OP_NO_PROMISE VOW_FS_OP
#define VOW_FS_DEFAULT_NO_PROMISE VOW_FS_DEFAULT
#define VOW_FS_DATA std::string_view
#include "vow/fs/internal/operations.inc"  // NOLINT(build/include)
#undef VOW_FS_OP
#undef VOW_FS_DEFAULT
#undef VOW_FS_OP_NO_PROMISE
#undef VOW_FS_DEFAULT_NO_PROMISE
#undef VOW_FS_DATA

// readSync(fd, buffer, offset, length): at the current position.
inline absl::StatusOr<std::size_t> readSync(int fd, std::span<char> buffer, std::int64_t offset,
                                            std::int64_t length) {
  return ::vow::fs::nothrow::readSync(fd, buffer, offset, length, -1);
}

}  // namespace nothrow

}  // namespace vow::fs
