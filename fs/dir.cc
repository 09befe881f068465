#include "vow/fs/dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <utility>

#include "vow/fs/internal/dirent_type.h"
#include "vow/fs/internal/dispatch.h"
#include "vow/fs/internal/validate.h"
#include "vow/loop/loop.h"
#include "vow/promise/internal/exceptions.h"

namespace vow::fs {
namespace internal {
namespace {

Error dirClosed() { return Error(Exception("Directory handle was closed", kDirClosedCode)); }
[[noreturn]] void throwDirClosed() {
  VOW_THROW(Exception("Directory handle was closed", kDirClosedCode));
}
[[noreturn]] void throwConcurrent() {
  VOW_THROW(Exception(
      "Cannot do synchronous work on directory handle with concurrent asynchronous operations",
      kDirConcurrentOperationCode));
}

// libuv's uv__fs_readdir: up to bufferSize entries, skipping "." and "..". An entry of unknown
// type is lstat'ed, as Node's getDirent does.
std::vector<Dirent> readEntries(DirState& s, Failure& failure) {
  std::vector<Dirent> out;
  errno = 0;
  while (out.size() < s.bufferSize) {
    dirent* e = ::readdir(s.handle);
    if (e == nullptr) {
      if (errno != 0) failure.set(errno, "scandir");
      break;
    }
    const char* n = e->d_name;
    if (n[0] == '.' && (n[1] == 0 || (n[1] == '.' && n[2] == 0))) continue;
    Dirent::Type t = direntType(e->d_type);
    if (t == Dirent::Type::kUnknown) {
      struct stat st;
      if (::fstatat(::dirfd(s.handle), n, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        t = direntTypeOfMode(st.st_mode);
      }
    }
    out.push_back(Dirent{n, s.path, t});
  }
  return out;
}

}  // namespace

DirState::~DirState() {
  if (handle != nullptr) ::closedir(handle);
}

template <bool kSync>
void OpendirOf<kSync>::check() const {
  checkPath(path, "path");
  if (options.bufferSize < 1) {
    throwOutOfRange("options.bufferSize", ">= 1 && <= 4294967295", options.bufferSize);
  }
}

template <bool kSync>
Dir OpendirOf<kSync>::run(Failure& failure) const noexcept {
  DIR* d = ::opendir(path.c_str());
  if (d == nullptr) {
    if constexpr (kSync) {
      failure.set(errno, "opendir");
    } else {
      failure.set(errno, "opendir", path);
    }
    return Dir();
  }
  return Dir(std::make_shared<DirState>(d, path, options.bufferSize));
}

template struct OpendirOf<false>;
template struct OpendirOf<true>;

std::vector<Dirent> DirRead::run(Failure& failure) const noexcept {
  return readEntries(*state, failure);
}

void DirClose::run(Failure& failure) const noexcept {
  DIR* d = std::exchange(state->handle, nullptr);
  if (d != nullptr && ::closedir(d) != 0) failure.set(errno, "closedir");
}

}  // namespace internal

namespace {
using internal::DirState;
}  // namespace

const std::string& Dir::path() const { return state().path; }

internal::DirState& Dir::state() const {
  if (!state_) VOW_THROW(TypeError("The Dir is empty (not opened)", "ERR_INVALID_ARG_VALUE"));
  return *state_;
}

void Dir::readImpl(bool maybeSync, Callback cb) const {
  DirState& s = state();
  if (s.closed) internal::throwDirClosed();
  if (s.queue) {
    s.queue->push_back([self = *this, maybeSync, cb = std::move(cb)]() mutable {
      self.readImpl(maybeSync, std::move(cb));
    });
    return;
  }
  if (!s.buffered.empty()) {
    Dirent entry = std::move(s.buffered.front());
    s.buffered.pop_front();
    if (maybeSync) {
      nextTick([cb = std::move(cb), entry = std::move(entry)]() mutable {
        cb(Error(), std::move(entry));
      });
    } else {
      cb(Error(), std::move(entry));
    }
    return;
  }
  s.queue.emplace();
  internal::submit(
      internal::Job<internal::DirRead>{{state_}},
      [self = *this, cb = std::move(cb)](Error err, std::vector<Dirent> entries) mutable {
        DirState& st = *self.state_;
        // Node: the operations queued meanwhile run on the next tick, after this callback.
        nextTick([self] {
          auto queue = std::move(*self.state_->queue);
          self.state_->queue.reset();
          for (auto& op : queue) op();
        });
        if (err || entries.empty()) {
          cb(std::move(err), std::nullopt);
          return;
        }
        for (auto& e : entries) st.buffered.push_back(std::move(e));
        Dirent entry = std::move(st.buffered.front());
        st.buffered.pop_front();
        cb(Error(), std::move(entry));
      });
}

Promise<std::optional<Dirent>> Dir::read() const {
  if (state().closed) internal::throwDirClosed();
  return readPromisified();
}

Promise<std::optional<Dirent>> Dir::readPromisified() const {
  // Node: promisify(this[kDirReadImpl]).bind(this, false): a buffered entry resolves at once.
  auto [promise, resolve, reject] = Promise<std::optional<Dirent>>::withResolvers();
  VOW_TRY {
    readImpl(false, [resolve = std::move(resolve), reject](Error err,
                                                           std::optional<Dirent> entry) mutable {
      if (err) {
        reject(std::move(err));
      } else {
        resolve(std::move(entry));
      }
    });
  }
  VOW_CATCH_ALL { reject(Error::current()); }
  return std::move(promise);
}

std::optional<Dirent> Dir::readSync() const {
  DirState& s = state();
  if (s.closed) internal::throwDirClosed();
  if (s.queue) internal::throwConcurrent();
  if (s.buffered.empty()) {
    internal::Failure failure;
    std::vector<Dirent> entries = internal::readEntries(s, failure);
    if (failure) failure.raise();
    if (entries.empty()) return std::nullopt;
    for (auto& e : entries) s.buffered.push_back(std::move(e));
  }
  Dirent entry = std::move(s.buffered.front());
  s.buffered.pop_front();
  return entry;
}

void Dir::closeImpl(CloseCallback cb) const {
  DirState& s = state();
  if (s.closed) {
    nextTick([cb = std::move(cb)]() mutable { cb(internal::dirClosed()); });
    return;
  }
  if (s.queue) {
    s.queue->push_back(
        [self = *this, cb = std::move(cb)]() mutable { self.closeImpl(std::move(cb)); });
    return;
  }
  s.closed = true;
  internal::submit(internal::Job<internal::DirClose>{{state_}}, std::move(cb));
}

Promise<void> Dir::close() const {
  if (state().closed) return Promise<void>::reject(internal::dirClosed());
  return closePromisified();
}

Promise<void> Dir::closePromisified() const {
  auto [promise, resolve, reject] = Promise<void>::withResolvers();
  closeImpl([resolve = std::move(resolve), reject](Error err) {
    if (err) {
      reject(std::move(err));
    } else {
      resolve();
    }
  });
  return std::move(promise);
}

// Node:
//   async* entries() {
//     try {
//       while (true) {
//         const result = await this[kDirReadPromisified]();
//         if (result === null) break;
//         yield result;
//       }
//     } finally {
//       await this[kDirClosePromisified]();
//     }
//   }
AsyncGenerator<Dirent> Dir::entriesOf(Dir self) {
  Error exit;
#if VOW_HAS_EXCEPTIONS
  try {
    while (true) {
      std::optional<Dirent> entry = co_await self.readPromisified();
      if (!entry) break;
      co_yield std::move(*entry);
    }
  } catch (...) {
    exit = Error::current();  // a read's error, or the GeneratorReturn of an early exit
  }
#else
  // Without exceptions a read's error comes through settle. An early exit ends the body
  // without this close (its frame is destroyed); the Dir closes when its last copy goes.
  while (true) {
    Promise<std::optional<Dirent>> read = self.readPromisified();
    auto entry = co_await settle(read);
    if (!entry.ok()) {
      exit = AnyPromise(read).reason();
      break;
    }
    if (!*entry) break;
    co_yield std::move(**entry);
  }
#endif
  co_await self.closePromisified();
#if VOW_HAS_EXCEPTIONS
  if (exit) exit.rethrow();  // not co_await Raise: see promise/internal/coroutine.h
#else
  if (exit) co_await ::vow::internal::Raise{std::move(exit)};
#endif
}

void Dir::closeSync() const {
  DirState& s = state();
  if (s.closed) internal::throwDirClosed();
  if (s.queue) internal::throwConcurrent();
  s.closed = true;
  internal::Failure failure;
  internal::DirClose{state_}.run(failure);
  if (failure) failure.raise();
}

}  // namespace vow::fs
