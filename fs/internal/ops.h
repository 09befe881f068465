// The fs operations as plain structs: inputs, a run() that does the blocking work (on a pool
// thread for the callback API, inline for the sync API), and the result. One struct per
// operation family; run() never throws and records a failure in `failure`.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vow/fs/internal/validate.h"
#include "vow/fs/system_error.h"
#include "vow/fs/types.h"
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

  explicit operator bool() const noexcept { return errnum != 0; }
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

struct ReadFileOp {
  std::string path;
  int flags = 0;  // O_RDONLY
  int fd = -1;    // read from this fd (FileHandle.readFile) instead of opening `path`
  std::string data;
  Failure failure;
  void run() noexcept;
  std::string take() { return std::move(data); }

 private:
  void readAll();  // run() without the bad_alloc guard
};

struct WriteFileOp {
  std::string path;
  std::string data;
  int flags = 0;
  unsigned mode = 0666;
  int fd = -1;
  Failure failure;
  void run() noexcept;
};

struct ReaddirOp {
  std::string path;
  bool with_types = false;
  std::vector<std::string> names;
  std::vector<Dirent> entries;
  Failure failure;
  void run() noexcept;
  std::vector<std::string> take() { return std::move(names); }
};
struct ReaddirTypesOp : ReaddirOp {
  ReaddirTypesOp() { with_types = true; }
  std::vector<Dirent> take() { return std::move(entries); }
};

enum class StatKind { kStat, kLstat, kFstat };
struct StatOp {
  StatKind kind = StatKind::kStat;
  std::string path;
  int fd = -1;
  Stats stats;
  Failure failure;
  void run() noexcept;
  Stats take() { return stats; }
};

struct MkdirOp {
  std::string path;
  unsigned mode = 0777;
  bool recursive = false;
  std::optional<std::string> first;
  Failure failure;
  void run() noexcept;
  std::optional<std::string> take() { return std::move(first); }
};

struct RmOp {
  std::string path;
  bool recursive = false;
  bool force = false;
  Failure failure;
  void run() noexcept;
};

enum class TwoPathKind { kRename, kCopyFile, kSymlink, kLink };
struct TwoPathOp {
  TwoPathKind kind;
  std::string src;
  std::string dest;
  int mode = 0;  // copyFile mode
  Failure failure;
  void run() noexcept;
};

enum class StringKind { kRealpath, kReadlink, kMkdtemp };
struct StringOp {
  StringKind kind;
  std::string path;
  std::string result;
  Failure failure;
  void run() noexcept;
  std::string take() { return std::move(result); }
};

struct OpenOp {
  std::string path;
  int flags = 0;
  unsigned mode = 0666;
  int fd = -1;
  Failure failure;
  void run() noexcept;
  int take() { return fd; }
};

struct ReadOp {
  int fd = -1;
  char* buffer = nullptr;
  std::size_t length = 0;
  std::int64_t position = -1;  // -1: the current position
  std::size_t bytes = 0;
  Failure failure;
  void run() noexcept;
  std::size_t take() { return bytes; }
};

struct WriteOp {
  int fd = -1;
  std::string data;
  std::int64_t position = -1;
  std::size_t bytes = 0;
  Failure failure;
  void run() noexcept;
  std::size_t take() { return bytes; }
};

// Node's kIoMaxLength (2 GiB - 1): readFile fails with RangeError ERR_FS_FILE_TOO_LARGE for a
// file larger than this, or once it has read more than this from a file of unknown size.
inline constexpr std::int64_t kIoMaxLength = 2147483647;
// For vow's own tests: lowers the limit readFile enforces (reading 2 GiB would be slow).
void setIoMaxLengthForTesting(std::int64_t max) noexcept;

}  // namespace vow::fs::internal
