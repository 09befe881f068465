// How an fs operation failed: what a descriptor's run() records (it never throws) and what
// becomes Node's error (SystemError, or RangeError ERR_FS_FILE_TOO_LARGE) on the loop thread or
// in the sync API.
#pragma once

#include <cerrno>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "vow/fs/system_error.h"
#include "vow/promise/error.h"

namespace vow::fs::internal {

// What run() reports on failure: enough to build Node's SystemError on the loop thread.
struct Failure {
  int errnum = 0;  // positive errno; 0 = success
  const char* syscall = nullptr;
  std::optional<std::string> path;
  std::optional<std::string> dest;
  // Node's ERR_FS_* errors carry their own code and message: a SystemError, or a RangeError
  // when `range_error` (ERR_FS_FILE_TOO_LARGE).
  const char* code = nullptr;
  std::string message;
  bool range_error = false;

  // Stopped because its signal was aborted (the loop thread reports the AbortError).
  bool aborted = false;

  explicit operator bool() const noexcept { return errnum != 0; }
  void setAborted() {
    errnum = ECANCELED;
    syscall = "abort";
    aborted = true;
  }
  void set(int e, const char* sys) {
    errnum = e;
    syscall = sys;
  }
  void set(int e, const char* sys, std::string_view p) {
    errnum = e;
    syscall = sys;
    path.emplace(p);
  }
  void set(int e, const char* sys, std::string_view p, std::string_view d) {
    set(e, sys, p);
    dest.emplace(d);
  }
  // Node's RangeError ERR_FS_FILE_TOO_LARGE for `size` bytes.
  void setTooLarge(std::int64_t size);
  Error toError() const;
  [[noreturn]] void raise() const;
};

// Node's kIoMaxLength (2 GiB - 1): readFile fails with RangeError ERR_FS_FILE_TOO_LARGE for a
// file larger than this, or once it has read more than this from a file of unknown size.
inline constexpr std::int64_t kIoMaxLength = 2147483647;
// For vow's own tests: lowers the limit readFile enforces (reading 2 GiB would be slow).
void setIoMaxLengthForTesting(std::int64_t max) noexcept;
// The limit in force (kIoMaxLength unless a test lowered it).
std::int64_t ioMaxLength() noexcept;

}  // namespace vow::fs::internal
