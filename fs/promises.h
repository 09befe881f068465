// vow::fs::promises: Node's fs.promises. Every function here is the callback API (callback.h)
// turned into a promise with vow::promisify, so both APIs share one implementation, one pool job
// per operation, and Node's errors. Invalid arguments reject (they do not throw), as in Node.
//
//   vow::Promise<void> main() {
//     std::string text = co_await vow::fs::promises::readFile("a.txt");
//     co_await vow::fs::promises::writeFile("b.txt", text);
//   }
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vow/fs/callback.h"
#include "vow/fs/internal/operations.h"
#include "vow/fs/types.h"
#include "vow/promise/promise.h"
#include "vow/promise/promisify.h"

namespace vow::fs::promises {

// The callback API, promisified: each wrapper takes the leading arguments and hands the
// error-first callback promisify makes to the callback function of the same name.
#define VOW_FS_PROMISIFY(T, call) ::vow::promisify<T>([&](auto cb) { call; })()

inline Promise<std::string> readFile(std::string_view path, ReadFileOptions options = {}) {
  return VOW_FS_PROMISIFY(std::string, ::vow::fs::readFile(path, options, std::move(cb)));
}
inline Promise<void> writeFile(std::string_view path, std::string data,
                               WriteFileOptions options = {}) {
  return VOW_FS_PROMISIFY(void,
                          ::vow::fs::writeFile(path, std::move(data), options, std::move(cb)));
}
inline Promise<void> appendFile(std::string_view path, std::string data,
                                WriteFileOptions options = {.flag = "a"}) {
  return VOW_FS_PROMISIFY(void,
                          ::vow::fs::writeFile(path, std::move(data), options, std::move(cb)));
}
inline Promise<std::vector<std::string>> readdir(std::string_view path) {
  return VOW_FS_PROMISIFY(std::vector<std::string>, ::vow::fs::readdir(path, std::move(cb)));
}
inline Promise<std::vector<Dirent>> readdir(std::string_view path, WithFileTypes t) {
  return VOW_FS_PROMISIFY(std::vector<Dirent>, ::vow::fs::readdir(path, t, std::move(cb)));
}
// Resolves to the first directory created with recursive (empty when none was: Node's
// undefined).
inline Promise<std::optional<std::string>> mkdir(std::string_view path, MkdirOptions options = {}) {
  return VOW_FS_PROMISIFY(std::optional<std::string>,
                          ::vow::fs::mkdir(path, options, std::move(cb)));
}
inline Promise<std::string> mkdtemp(std::string_view prefix) {
  return VOW_FS_PROMISIFY(std::string, ::vow::fs::mkdtemp(prefix, std::move(cb)));
}
inline Promise<void> rm(std::string_view path, RmOptions options = {}) {
  return VOW_FS_PROMISIFY(void, ::vow::fs::rm(path, options, std::move(cb)));
}
inline Promise<Stats> stat(std::string_view path) {
  return VOW_FS_PROMISIFY(Stats, ::vow::fs::stat(path, std::move(cb)));
}
inline Promise<Stats> lstat(std::string_view path) {
  return VOW_FS_PROMISIFY(Stats, ::vow::fs::lstat(path, std::move(cb)));
}
inline Promise<void> rename(std::string_view oldPath, std::string_view newPath) {
  return VOW_FS_PROMISIFY(void, ::vow::fs::rename(oldPath, newPath, std::move(cb)));
}
inline Promise<void> copyFile(std::string_view src, std::string_view dest, int mode = 0) {
  return VOW_FS_PROMISIFY(void, ::vow::fs::copyFile(src, dest, mode, std::move(cb)));
}
inline Promise<void> symlink(std::string_view target, std::string_view path) {
  return VOW_FS_PROMISIFY(void, ::vow::fs::symlink(target, path, std::move(cb)));
}
inline Promise<void> link(std::string_view existingPath, std::string_view newPath) {
  return VOW_FS_PROMISIFY(void, ::vow::fs::link(existingPath, newPath, std::move(cb)));
}
inline Promise<std::string> readlink(std::string_view path) {
  return VOW_FS_PROMISIFY(std::string, ::vow::fs::readlink(path, std::move(cb)));
}
inline Promise<std::string> realpath(std::string_view path) {
  return VOW_FS_PROMISIFY(std::string, ::vow::fs::realpath(path, std::move(cb)));
}

// The operations declared in operations.inc that have a promise form.
#define VOW_FS_PATH_OP(name, D, params, args)                      \
  inline Promise<void> name(VOW_FS_UNPAREN params) {               \
    return internal::promiseApi<internal::D>(VOW_FS_UNPAREN args); \
  }
#define VOW_FS_FD_OP(name, D, params, args)
#include "vow/fs/internal/operations.inc"  // NOLINT(build/include)
#undef VOW_FS_PATH_OP
#undef VOW_FS_FD_OP
// Node: fs.promises.access(path): mode F_OK; fs.promises.truncate(path): len 0.
inline Promise<void> access(std::string_view path) { return access(path, F_OK); }
inline Promise<void> truncate(std::string_view path) { return truncate(path, 0); }

// Node: FileHandle (what fs.promises.open resolves to). A handle to an open fd, cheap to copy
// (copies share the fd). close() closes it through the pool; if the last copy goes away while
// the fd is still open, it is closed synchronously (Node closes it on garbage collection).
class FileHandle {
 public:
  FileHandle() = default;
  explicit FileHandle(int fd) : state_(std::make_shared<State>(fd)) {}

  // Node: filehandle.fd (-1 once closed).
  int fd() const noexcept { return state_ ? state_->fd : -1; }

  // Node: filehandle.read(buffer, offset, length, position): resolves to bytesRead. The buffer
  // must stay alive until the promise settles. Unlike fs.read, a negative position is not
  // checked: it reads at the current position (as Node's).
  Promise<std::size_t> read(std::span<char> buffer, std::int64_t offset, std::int64_t length,
                            std::int64_t position = -1) const {
    const int f = fdOrBad();
    if (position < 0) position = -1;
    return VOW_FS_PROMISIFY(std::size_t,
                            ::vow::fs::read(f, buffer, offset, length, position, std::move(cb)));
  }
  // Node: filehandle.write(data[, position]): resolves to bytesWritten (all of data).
  Promise<std::size_t> write(std::string data, std::int64_t position = -1) const {
    const int f = fdOrBad();
    return VOW_FS_PROMISIFY(std::size_t,
                            ::vow::fs::write(f, std::move(data), position, std::move(cb)));
  }
  // Node: filehandle.readFile(): from the current position to the end.
  Promise<std::string> readFile() const {
    const int f = fdOrBad();
    return VOW_FS_PROMISIFY(std::string, ::vow::fs::readFile(f, std::move(cb)));
  }
  Promise<void> writeFile(std::string data) const {
    const int f = fdOrBad();
    return VOW_FS_PROMISIFY(void, ::vow::fs::writeFile(f, std::move(data), std::move(cb)));
  }
  Promise<void> appendFile(std::string data) const { return writeFile(std::move(data)); }
  Promise<Stats> stat() const {
    const int f = fdOrBad();
    return VOW_FS_PROMISIFY(Stats, ::vow::fs::fstat(f, std::move(cb)));
  }
  Promise<void> truncate(std::int64_t len = 0) const {
    const int f = fdOrBad();
    return VOW_FS_PROMISIFY(void, ::vow::fs::ftruncate(f, len, std::move(cb)));
  }
  Promise<void> sync() const { return internal::promiseApi<internal::Fsync>(fdOrBad()); }
  // Node: filehandle.datasync() (fdatasync).
  Promise<void> datasync() const { return internal::promiseApi<internal::Fdatasync>(fdOrBad()); }
  // Node: filehandle.close(). Closing twice resolves (Node: a closed handle's close resolves).
  Promise<void> close() const {
    if (!state_ || state_->fd < 0) return Promise<void>::resolve();
    const int f = std::exchange(state_->fd, -1);
    return VOW_FS_PROMISIFY(void, ::vow::fs::close(f, std::move(cb)));
  }

 private:
  struct State {
    explicit State(int f) : fd(f) {}
    State(const State&) = delete;
    State& operator=(const State&) = delete;
    ~State();
    int fd;
  };
  // A closed handle's operations fail with EBADF, as Node's do.
  int fdOrBad() const noexcept { return state_ && state_->fd >= 0 ? state_->fd : 1 << 30; }
  std::shared_ptr<State> state_;
};

// Node: fs.promises.open(path[, flags[, mode]]).
// Resolved in the open's completion itself, as Node's (no extra `then` hop). If nobody takes
// the handle, it closes the fd.
inline Promise<FileHandle> open(std::string_view path, OpenFlags flags = "r",
                                unsigned mode = 0666) {
  auto [promise, resolve, reject] = Promise<FileHandle>::withResolvers();
  try {
    ::vow::fs::open(path, flags, mode, [resolve = std::move(resolve), reject](Error err, int fd) {
      if (err) {
        reject(std::move(err));
      } else {
        resolve(FileHandle(fd));
      }
    });
  } catch (...) {
    reject(Error::current());  // invalid arguments reject, as Node's async open does
  }
  return std::move(promise);
}

#undef VOW_FS_PROMISIFY

}  // namespace vow::fs::promises
