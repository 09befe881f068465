// The value types of vow::fs: Stats, Dirent, the option structs and fs.constants.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "vow/buffer/buffer.h"
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

// Options, with Node's names and defaults. readFile without an encoding gives bytes, a
// vow::Buffer (ReadFileOptions); with one (a BufferEncoding, or ReadFileEncodingOptions) it
// gives the decoded text, a std::string, as Node gives a string. Written data is any bytes
// (std::string, std::string_view, vow::Buffer): writeFile has no encoding option.
struct ReadFileOptions {
  const char* flag = "r";
  // Node: options.signal (callback and promise forms; the sync form ignores it, as Node's).
  // Already aborted: the operation fails at once with an AbortError (cause = the reason), the
  // callback form calling back synchronously as Node's does. Aborted while it runs: it stops at
  // its next step (between reads; an fd it opened is closed) and fails with the AbortError;
  // aborted before its completion reached the loop: it fails too.
  AbortSignalRef signal;
};
// The data of writeFile, appendFile, write and FileHandle's writes (Node: a string or a
// Buffer): a std::string (moved in), a vow::Buffer (shared, as JS passes the object: not
// copied; do not change its bytes before the operation ends), or text (copied).
class WriteData {
 public:
  WriteData(std::string bytes) noexcept : string_(std::move(bytes)) {}            // NOLINT
  WriteData(std::string_view bytes) : string_(bytes) {}                           // NOLINT
  WriteData(const char* bytes) : string_(bytes) {}                                // NOLINT
  WriteData(Buffer bytes) noexcept : buffer_(std::move(bytes)), shared_(true) {}  // NOLINT
  const char* data() const noexcept { return shared_ ? buffer_.data() : string_.data(); }
  std::size_t size() const noexcept { return shared_ ? buffer_.size() : string_.size(); }
  bool empty() const noexcept { return size() == 0; }

 private:
  std::string string_;
  Buffer buffer_;
  bool shared_ = false;
};

// readFile(path, {encoding, flag, signal}) -> std::string: Node's options with an encoding.
// `encoding` has no default, so `{.signal = s}` alone is ReadFileOptions (bytes) and
// `{.encoding = "utf8"}` this (text). An unknown encoding throws (the callback and sync forms)
// or rejects (the promise forms) vow::TypeError ERR_INVALID_ARG_VALUE ("The argument 'encoding'
// is invalid encoding. Received 'x'") before anything else is checked, as Node's.
struct ReadFileEncodingOptions {
  BufferEncoding encoding;
  const char* flag = "r";
  // As ReadFileOptions::signal.
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
