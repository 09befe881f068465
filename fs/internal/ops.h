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

// One path in, nothing out.
enum class PathKind {
  kRmdir,
  kUnlink,
  kAccess,
  kChmod,
  kTruncate,
  kUtimes,
  kLutimes,
  kChown,
  kLchown
};
struct PathOp {
  PathKind kind;
  std::string path;
  unsigned mode = 0;  // access mode, chmod mode
  std::int64_t length = 0;
  double atime = 0, mtime = 0;
  Failure failure;
  std::int64_t uid = -1, gid = -1;  // chown/lchown; -1 leaves it unchanged
  void run() noexcept;
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

enum class FdKind { kClose, kFsync, kFdatasync, kFtruncate, kFchmod, kFchown };
struct FdOp {
  FdKind kind;
  int fd = -1;
  std::int64_t length = 0;
  unsigned mode = 0;
  Failure failure;
  std::int64_t uid = -1, gid = -1;  // fchown; -1 leaves it unchanged
  void run() noexcept;
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

// --- argument checks (Node's validators), thrown before any I/O ---------------------------------

// TypeError ERR_INVALID_ARG_VALUE for a NUL byte in a path.
void checkPath(std::string_view path, const char* name);
// Node's stringToFlags; TypeError ERR_INVALID_ARG_VALUE for anything else.
int parseFlags(std::string_view flags);
// RangeError ERR_OUT_OF_RANGE: "The value of \"<name>\" is out of range. It must be <range>.
// Received <value>".
[[noreturn]] void throwOutOfRange(const char* name, const std::string& range, std::int64_t value);
void checkFd(int fd);
// Number.MAX_SAFE_INTEGER, the largest file position Node takes.
inline constexpr std::int64_t kMaxSafeInteger = 9007199254740991;
// Node's checks of fs.read / fs.readSync(fd, buffer, offset, length, position), in its order:
// fd, offset, length, then position in [-1, 2^53 - 1] (-1: the current position).
void checkRead(int fd, std::size_t buffer_size, std::int64_t offset, std::int64_t length,
               std::int64_t position);
// Node's inspect() of a string for error messages ('a\x00b').
std::string inspectString(std::string_view s);

}  // namespace vow::fs::internal
