// fs.opendir: Node's fs.Dir, a directory read a few entries at a time.
//
//   vow::fs::Dir dir = co_await vow::fs::promises::opendir("logs");
//   while (std::optional<vow::fs::Dirent> entry = co_await dir.read()) { ... }
//   co_await dir.close();
//
// Entries come in the directory's own order (readdir(3), as libuv's uv_fs_readdir), without
// "." and "..", `bufferSize` at a time from one thread-pool job; each Dirent's `path` is the
// path the Dir was opened with. Reads and closes started while one is in flight wait for it
// (Node's operation queue); the sync forms fail instead.
#pragma once

#include <dirent.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "vow/fs/internal/derive.h"
#include "vow/fs/internal/failure.h"
#include "vow/fs/types.h"
#include "vow/promise/async_generator.h"
#include "vow/promise/error.h"
#include "vow/promise/promise.h"

namespace vow::fs {

// Node: fs.opendir's options (encoding is moot: names are bytes).
struct OpendirOptions {
  // How many entries one read job takes from the directory (Node's default 32); 0 throws
  // vow::RangeError ERR_OUT_OF_RANGE before any I/O (Node opens first, then throws).
  std::uint32_t bufferSize = 32;
};

// Node's ERR_DIR_CLOSED ("Directory handle was closed") and ERR_DIR_CONCURRENT_OPERATION
// ("Cannot do synchronous work on directory handle with concurrent asynchronous operations"):
// vow::Exception with those codes (JS class Error).
inline constexpr char kDirClosedCode[] = "ERR_DIR_CLOSED";
inline constexpr char kDirConcurrentOperationCode[] = "ERR_DIR_CONCURRENT_OPERATION";

namespace internal {
struct DirState;
template <bool kSync>
struct OpendirOf;
}  // namespace internal

// Node: fs.Dir. A handle to an open directory stream; copies share it. Dropping the last copy
// of a Dir that was never closed closes it (Node does on garbage collection). Every callback
// runs on the loop thread.
class Dir {
 public:
  Dir() = default;

  // Node: dir.path: the path given to opendir.
  const std::string& path() const;

  // Node: dir.read(): the next entry, std::nullopt at the end. Resolves in the read job's
  // completion (poll phase), or at once (already resolved) when an entry of the last job is
  // still buffered. Throws ERR_DIR_CLOSED (synchronously, as Node's) on a closed Dir; a read
  // error rejects with a SystemError.
  Promise<std::optional<Dirent>> read() const;
  // Node: dir.read(callback): cb(vow::Error err, std::optional<Dirent> entry); a buffered entry
  // is delivered on the next tick. Throws ERR_DIR_CLOSED on a closed Dir.
  template <class F>
  void read(F&& cb) const {
    readImpl(true, Callback(std::forward<F>(cb)));
  }
  // Node: dir.readSync(). Throws ERR_DIR_CLOSED, ERR_DIR_CONCURRENT_OPERATION while an async
  // operation is in flight, or the SystemError.
  std::optional<Dirent> readSync() const;

  // Node: dir.close(): after the operations queued before it. Rejects with ERR_DIR_CLOSED on a
  // closed Dir.
  Promise<void> close() const;
  // Node: dir.close(callback): cb(vow::Error err); on a closed Dir, ERR_DIR_CLOSED on the next
  // tick.
  template <class F>
  void close(F&& cb) const {
    closeImpl(CloseCallback(std::forward<F>(cb)));
  }
  // Node: dir.closeSync(). Throws ERR_DIR_CLOSED or ERR_DIR_CONCURRENT_OPERATION.
  void closeSync() const;

  // Node: dir.entries() / dir[Symbol.asyncIterator](), an async generator of the entries that
  // closes the Dir when it ends, and when the loop consuming it is left early (return_(), which
  // vow::forAwait's close() calls) or fails; its next() rejects with the read's error, or with
  // ERR_DIR_CLOSED if the Dir was closed meanwhile.
  //
  //   auto it = vow::forAwait(dir);   // for await (const entry of dir)
  //   while (std::optional<vow::fs::Dirent> entry = co_await it.next()) { ... }
  //   co_await it.close();
  AsyncGenerator<Dirent> entries() const { return entriesOf(*this); }
  AsyncGenerator<Dirent> asyncIterator() const { return entriesOf(*this); }

  explicit operator bool() const noexcept { return state_ != nullptr; }

 private:
  template <bool>
  friend struct internal::OpendirOf;
  using Callback = absl::AnyInvocable<void(Error, std::optional<Dirent>)>;
  using CloseCallback = absl::AnyInvocable<void(Error)>;
  explicit Dir(std::shared_ptr<internal::DirState> state) : state_(std::move(state)) {}
  // Node's [kDirReadImpl](maybeSync, callback) and close(callback).
  void readImpl(bool maybeSync, Callback cb) const;
  void closeImpl(CloseCallback cb) const;
  // Node's kDirReadPromisified / kDirClosePromisified: no check of their own first (a closed
  // Dir rejects instead of throwing).
  Promise<std::optional<Dirent>> readPromisified() const;
  Promise<void> closePromisified() const;
  // The generator takes the Dir by value: its body starts at the first next(), when the Dir
  // entries() was called on may be gone.
  static AsyncGenerator<Dirent> entriesOf(Dir self);
  internal::DirState& state() const;

  std::shared_ptr<internal::DirState> state_;
};

namespace internal {

// An open directory stream (DIR*) and what Node's Dir keeps beside it. The DIR* is used only by
// the one job in flight (or the sync calls); the rest only on the loop thread.
struct DirState {
  DirState(DIR* d, std::string p, std::uint32_t buffer_size)
      : handle(d), path(std::move(p)), bufferSize(buffer_size) {}
  DirState(const DirState&) = delete;
  DirState& operator=(const DirState&) = delete;
  ~DirState();

  DIR* handle;
  std::string path;
  std::uint32_t bufferSize;
  std::deque<Dirent> buffered;
  bool closed = false;
  // Node's kDirOperationQueue: null when no operation is in flight.
  std::optional<std::vector<absl::AnyInvocable<void()>>> queue;
};

// fs.opendir(path, {bufferSize}) -> Dir. `sync`: Node's opendirSync error has no path.
template <bool kSync>
struct OpendirOf {
  using Result = Dir;
  std::string path;
  OpendirOptions options;
  void check() const;
  Result run(Failure& failure) const noexcept;
};
using Opendir = OpendirOf<false>;
using OpendirSync = OpendirOf<true>;

// Up to bufferSize entries of an open directory (none: the end).
struct DirRead {
  using Result = std::vector<Dirent>;
  std::shared_ptr<DirState> state;
  void check() const {}
  Result run(Failure& failure) const noexcept;
};
struct DirClose {
  std::shared_ptr<DirState> state;
  void check() const {}
  void run(Failure& failure) const noexcept;
};

}  // namespace internal

// Node: fs.opendir(path[, {bufferSize}], callback): cb(vow::Error err, Dir dir). A NUL byte in
// the path or a bufferSize of 0 throws before any I/O; ENOENT / ENOTDIR... come to the callback
// ("ENOENT: no such file or directory, opendir 'path'").
template <class F>
void opendir(std::string_view path, OpendirOptions options, F&& cb) {
  internal::callbackApi<internal::Opendir>(std::forward<F>(cb), path, options);
}
template <class F>
void opendir(std::string_view path, F&& cb) {
  opendir(path, OpendirOptions{}, std::forward<F>(cb));
}
// Node: fs.opendirSync(path[, {bufferSize}]). Throws the SystemError (whose message, as
// Node's, names no path: "ENOENT: no such file or directory, opendir").
inline Dir opendirSync(std::string_view path, OpendirOptions options = {}) {
  return internal::syncApi<internal::OpendirSync>(path, options);
}

namespace promises {
// Node: fs.promises.opendir(path[, {bufferSize}]) -> Dir; invalid arguments reject.
inline Promise<Dir> opendir(std::string_view path, OpendirOptions options = {}) {
  return internal::promiseApi<internal::Opendir>(path, options);
}
}  // namespace promises

}  // namespace vow::fs
