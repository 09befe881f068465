// The value types of vow::fs: Stats, Dirent, the option structs and fs.constants.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "vow/loop/abort_controller.h"

namespace vow::fs {

// Node's `flags` argument of open: a string ("r", "w", "a+", "wx"...) or a number made of
// <fcntl.h>'s O_* bits (O_WRONLY | O_NONBLOCK), as Node takes either. A parameter type only: it
// views the string it was given. An unknown string throws vow::TypeError ERR_INVALID_ARG_VALUE
// from the call, after the path was checked (Node's order).
class OpenFlags {
 public:
  OpenFlags(std::string_view flags) noexcept : text_(flags) {}     // NOLINT: Node's "r"
  OpenFlags(const char* flags) noexcept : text_(flags) {}          // NOLINT
  OpenFlags(const std::string& flags) noexcept : text_(flags) {}   // NOLINT
  OpenFlags(int flags) noexcept : bits_(flags), numeric_(true) {}  // NOLINT: O_* bits
  // The O_* bits; throws for an unknown string.
  int bits() const;

 private:
  std::string_view text_;
  int bits_ = 0;
  bool numeric_ = false;
};

// Node: fs.Stats. Times are milliseconds since the epoch, as Node's *Ms fields.
struct Stats {
  std::uint64_t dev = 0;
  std::uint64_t ino = 0;
  std::uint32_t mode = 0;
  std::uint64_t nlink = 0;
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::uint64_t rdev = 0;
  std::int64_t size = 0;
  std::int64_t blksize = 0;
  std::int64_t blocks = 0;
  double atimeMs = 0;
  double mtimeMs = 0;
  double ctimeMs = 0;
  double birthtimeMs = 0;

  bool isFile() const noexcept { return S_ISREG(mode); }
  bool isDirectory() const noexcept { return S_ISDIR(mode); }
  bool isSymbolicLink() const noexcept { return S_ISLNK(mode); }
  bool isFIFO() const noexcept { return S_ISFIFO(mode); }
  bool isSocket() const noexcept { return S_ISSOCK(mode); }
  bool isBlockDevice() const noexcept { return S_ISBLK(mode); }
  bool isCharacterDevice() const noexcept { return S_ISCHR(mode); }
};

// Node: fs.Dirent (readdir with withFileTypes). `path` is the directory read (Node 20's
// dirent.path / parentPath).
struct Dirent {
  enum class Type : std::uint8_t {
    kUnknown,
    kFile,
    kDirectory,
    kSymlink,
    kFifo,
    kSocket,
    kBlockDevice,
    kCharacterDevice
  };
  std::string name;
  std::string path;
  Type type = Type::kUnknown;

  bool isFile() const noexcept { return type == Type::kFile; }
  bool isDirectory() const noexcept { return type == Type::kDirectory; }
  bool isSymbolicLink() const noexcept { return type == Type::kSymlink; }
  bool isFIFO() const noexcept { return type == Type::kFifo; }
  bool isSocket() const noexcept { return type == Type::kSocket; }
  bool isBlockDevice() const noexcept { return type == Type::kBlockDevice; }
  bool isCharacterDevice() const noexcept { return type == Type::kCharacterDevice; }
};

// Node: fs.StatFs (what fs.statfs gives): the file system's statfs(2) figures.
struct StatFs {
  std::int64_t type = 0;
  std::int64_t bsize = 0;
  std::int64_t blocks = 0;
  std::int64_t bfree = 0;
  std::int64_t bavail = 0;
  std::int64_t files = 0;
  std::int64_t ffree = 0;
};

// Node: fs.constants (the ones the API takes). access() modes are <unistd.h>'s F_OK, R_OK,
// W_OK, X_OK (macros there, so they cannot be redeclared here; the values are Node's).
namespace constants {
inline constexpr int COPYFILE_EXCL = 1;
inline constexpr int COPYFILE_FICLONE = 2;
inline constexpr int COPYFILE_FICLONE_FORCE = 4;
}  // namespace constants

// Options, with Node's names and defaults. Data is bytes (std::string): no encoding option.
struct ReadFileOptions {
  const char* flag = "r";
  // Node: options.signal (callback and promise forms; the sync form ignores it, as Node's).
  // Already aborted: the operation fails at once with an AbortError (cause = the reason), the
  // callback form calling back synchronously as Node's does. Aborted while it runs: it stops at
  // its next step (between reads; an fd it opened is closed) and fails with the AbortError;
  // aborted before its completion reached the loop: it fails too.
  AbortSignalRef signal;
};
struct WriteFileOptions {
  const char* flag = "w";
  unsigned mode = 0666;
  // Node: options.signal, as ReadFileOptions::signal (writes stop between 512 KiB chunks; what
  // was written stays written, as in Node).
  AbortSignalRef signal;
};
struct MkdirOptions {
  bool recursive = false;
  unsigned mode = 0777;
};
struct RmOptions {
  bool recursive = false;
  bool force = false;
};
// readdir(path, fs::withFileTypes, cb): entries instead of names.
struct WithFileTypes {};
inline constexpr WithFileTypes withFileTypes{};

}  // namespace vow::fs
