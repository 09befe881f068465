// vow::fs::promises: Node's fs.promises. Every function here is the callback form of the same
// descriptor (internal/operations.inc) turned into a promise with vow::promisify, so both APIs
// share one implementation, one pool job per operation, and Node's errors. Invalid arguments
// reject (they do not throw), as in Node. FileHandle's methods derive from the fd descriptors.
//
//   vow::Promise<void> main() {
//     std::string text = co_await vow::fs::promises::readFile("a.txt", "utf8");
//     vow::Buffer bytes = co_await vow::fs::promises::readFile("a.png");
//     co_await vow::fs::promises::writeFile("b.png", bytes);  // shares the bytes
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
#include "vow/fs/internal/derive.h"
#include "vow/fs/internal/operations.h"
#include "vow/fs/types.h"
#include "vow/promise/internal/exceptions.h"
#include "vow/promise/promise.h"
#include "vow/promise/promisify.h"

namespace vow::fs::promises {

// Every operation of operations.inc with a promise form: name(params...) -> Promise<Result>.
#define VOW_FS_OP(name, D, params, args)                                        \
  inline Promise<internal::ResultOf<internal::D>> name(VOW_FS_UNPAREN params) { \
    return internal::promiseApi<internal::D>(VOW_FS_UNPAREN args);              \
  }
#define VOW_FS_DEFAULT(name, params, args) \
  inline auto name(VOW_FS_UNPAREN params) { return name(VOW_FS_UNPAREN args); }
#define VOW_FS_OP_NO_PROMISE(name, D, params, args)
#define VOW_FS_DEFAULT_NO_PROMISE(name, params, args)
#define VOW_FS_DATA WriteData
#include "vow/fs/internal/operations.inc"  // NOLINT(build/include)
#undef VOW_FS_OP
#undef VOW_FS_DEFAULT
#undef VOW_FS_OP_NO_PROMISE
#undef VOW_FS_DEFAULT_NO_PROMISE
#undef VOW_FS_DATA

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
    if (position < 0) position = -1;
    return internal::promiseApi<internal::Read>(fdOrBad(), buffer, offset, length, position);
  }
  // Node: filehandle.write(data[, position]): resolves to bytesWritten (all of data).
  Promise<std::size_t> write(WriteData data, std::int64_t position = -1) const {
    return internal::promiseApi<internal::Write>(fdOrBad(), std::move(data), position);
  }
  // Node: filehandle.readFile([{signal}]): from the current position to the end, a Buffer. An
  // aborted signal rejects at once; aborted later, the read stops between 512 KiB chunks.
  Promise<Buffer> readFile(ReadFileOptions options = {}) const {
    if (options.signal.get().aborted()) {
      return Promise<Buffer>::reject(::vow::internal::abortErrorOf(options.signal.get()));
    }
    return internal::promiseApi<internal::ReadFileFd>(fdOrBad(), std::move(options));
  }
  // Node: filehandle.readFile(encoding) / ({encoding, signal}): the decoded text. An unknown
  // encoding rejects with ERR_INVALID_ARG_VALUE (before the signal is looked at).
  Promise<std::string> readFile(ReadFileEncodingOptions options) const {
    // (An invalid encoding is the op's check to reject, ahead of the signal.)
    if (options.encoding.valid() && options.signal.get().aborted()) {
      return Promise<std::string>::reject(::vow::internal::abortErrorOf(options.signal.get()));
    }
    return internal::promiseApi<internal::ReadFileFdText>(fdOrBad(), std::move(options));
  }
  Promise<std::string> readFile(BufferEncoding encoding) const {
    return readFile(ReadFileEncodingOptions{.encoding = encoding});
  }
  // Node: filehandle.writeFile(data[, {signal}]) / appendFile: at the current position.
  Promise<void> writeFile(WriteData data, WriteFileOptions options = {}) const {
    return internal::promiseApi<internal::WriteFileFd>(fdOrBad(), std::move(data),
                                                       std::move(options));
  }
  Promise<void> appendFile(WriteData data, WriteFileOptions options = {}) const {
    return writeFile(std::move(data), std::move(options));
  }
  Promise<Stats> stat() const { return internal::promiseApi<internal::Fstat>(fdOrBad()); }
  Promise<void> truncate(std::int64_t len = 0) const {
    return internal::promiseApi<internal::Ftruncate>(fdOrBad(), len);
  }
  Promise<void> sync() const { return internal::promiseApi<internal::Fsync>(fdOrBad()); }
  // Node: filehandle.datasync() (fdatasync).
  Promise<void> datasync() const { return internal::promiseApi<internal::Fdatasync>(fdOrBad()); }
  // Node: filehandle.utimes(atime, mtime), .chmod(mode), .chown(uid, gid): futimes, fchmod,
  // fchown.
  Promise<void> utimes(double atime, double mtime) const {
    return internal::promiseApi<internal::Futimes>(fdOrBad(), atime, mtime);
  }
  Promise<void> chmod(unsigned mode) const {
    return internal::promiseApi<internal::Fchmod>(fdOrBad(), mode);
  }
  Promise<void> chown(std::int64_t uid, std::int64_t gid) const {
    return internal::promiseApi<internal::Fchown>(fdOrBad(), uid, gid);
  }
  // Node: filehandle.close(). Closing twice resolves (Node: a closed handle's close resolves).
  Promise<void> close() const {
    if (!state_ || state_->fd < 0) return Promise<void>::resolve();
    return internal::promiseApi<internal::Close>(std::exchange(state_->fd, -1));
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
  VOW_TRY {
    ::vow::fs::open(path, flags, mode, [resolve = std::move(resolve), reject](Error err, int fd) {
      if (err) {
        reject(std::move(err));
      } else {
        resolve(FileHandle(fd));
      }
    });
  }
  VOW_CATCH_ALL {
    reject(Error::current());  // invalid arguments reject, as Node's async open does
  }
  return std::move(promise);
}

}  // namespace vow::fs::promises
