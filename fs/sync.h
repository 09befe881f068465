// The sync API: Node's fs.*Sync functions. They block the calling thread and throw
// vow::SystemError (OS failures) or vow::TypeError / vow::RangeError (invalid arguments).
// For start-up code and CLIs; inside a running loop prefer the callback or promise API.
//
//   std::string config = vow::fs::readFileSync("config.json");
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

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

}  // namespace vow::fs
