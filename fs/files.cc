// The blocking work of the operations on file contents and fds (internal/operations.h):
// readFile, writeFile, copyFile, open, read, write.
#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <new>
#include <string>
#include <type_traits>

#include "absl/cleanup/cleanup.h"
#include "vow/buffer/buffer.h"
#include "vow/fs/internal/operations.h"
#include "vow/promise/internal/exceptions.h"

namespace vow::fs::internal {
namespace {

constexpr std::size_t kChunk = 64 * 1024;
// With a signal, reads and writes go in chunks of this size, the signal checked before each
// (Node's kReadFileBufferLength and kWriteFileMaxChunkSize are both 512 KiB).
constexpr std::size_t kAbortableChunk = 512 * 1024;

std::atomic<std::int64_t> io_max_length{kIoMaxLength};

// Reads to EOF into `out` (its first `got` bytes already read), for files whose size fstat
// cannot tell. The Buffer grows by doubling, each growth one copy of what was read (as a
// std::string's would be). Fails with ERR_FS_FILE_TOO_LARGE once more than the limit was read
// (/dev/zero never ends).
bool readToEnd(int fd, Buffer& out, std::size_t got, Failure& failure, const AbortFlag& abort) {
  const auto limit = static_cast<std::size_t>(io_max_length.load(std::memory_order_relaxed));
  for (;;) {
    if (isAborted(abort)) {
      failure.setAborted();
      return false;
    }
    if (out.size() - got < kChunk) ::vow::internal::growBuffer(out, got, got + kChunk);
    ssize_t n = ::read(fd, out.data() + got, out.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      failure.set(errno, "read");
      return false;
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
    if (got > limit) {
      failure.setTooLarge(static_cast<std::int64_t>(got));
      return false;
    }
  }
  ::vow::internal::shrinkBuffer(out, got);
  return true;
}

// readFile of `path` (opened with `flags`), or of `fd` when `path` is null. May throw
// std::bad_alloc.
// With `abort`, checked where Node's readFile checks its signal: after open, after fstat, and
// before each chunk read.
Buffer readAll(const std::string* path, int flags, int fd, Failure& failure,
               const AbortFlag& abort = nullptr) {
  Buffer data;
  int f = fd;
  const bool own = path != nullptr;
  if (own) {
    f = ::open(path->c_str(), flags | O_CLOEXEC);
    if (f < 0) {
      failure.set(errno, "open", *path);
      return data;
    }
  }
  // Closes an fd this operation opened, also when an allocation throws or it is aborted.
  absl::Cleanup closer = [f, own] {
    if (own) ::close(f);
  };
  struct stat st;
  if (isAborted(abort)) {
    failure.setAborted();
  } else if (::fstat(f, &st) != 0) {
    failure.set(errno, "fstat");
  } else if (isAborted(abort)) {
    failure.setAborted();
  } else if (S_ISREG(st.st_mode) && st.st_size > io_max_length.load(std::memory_order_relaxed)) {
    failure.setTooLarge(st.st_size);  // Node checks the size fstat tells first
  } else if (S_ISREG(st.st_mode) && st.st_size > 0 && own) {
    // Known size: one allocation, not zero-filled (allocUnsafe: a 256 MiB file would otherwise
    // pay a full memset pass before the read overwrites it), then read() straight into it
    // until it is full (or the file shrank).
    const std::size_t size = static_cast<std::size_t>(st.st_size);
    data = Buffer::allocUnsafe(size);
    std::size_t got = 0;
    const std::size_t step = abort != nullptr ? kAbortableChunk : size;
    while (got < size) {
      if (got > 0 && isAborted(abort)) {
        failure.setAborted();
        break;
      }
      ssize_t r = ::read(f, data.data() + got, std::min(step, size - got));
      if (r < 0) {
        if (errno == EINTR) continue;
        failure.set(errno, "read");
        break;
      }
      if (r == 0) break;
      got += static_cast<std::size_t>(r);
    }
    ::vow::internal::shrinkBuffer(data, got);
  } else {
    readToEnd(f, data, 0, failure, abort);
  }
  if (failure) data = Buffer();
  return data;
}

// readAll without the exception: more than memory holds is an error, not std::terminate (Node
// fails the read too). With `kind`, the bytes are then decoded (as Node's buffer.toString).
template <class R>
R readAllOrFail(const std::string* path, int flags, int fd, Failure& failure,
                const AbortFlag& abort, BufferEncoding::Kind kind = BufferEncoding::Kind::kUtf8) {
  auto read = [&]() -> R {
    if constexpr (std::is_same_v<R, Buffer>) {
      return readAll(path, flags, fd, failure, abort);
    } else {
      Buffer bytes = readAll(path, flags, fd, failure, abort);
      if (failure) return R();
      return ::vow::internal::decode(bytes, kind);
    }
  };
#if VOW_HAS_EXCEPTIONS
  try {
    return read();
  } catch (const std::bad_alloc&) {
    failure = Failure();
    failure.set(ENOMEM, "read");
    return R();
  }
#else
  return read();  // out of memory ends the process
#endif
}

bool writeAll(int fd, const char* data, std::size_t size, std::int64_t position,
              std::size_t* written, Failure& failure, const AbortFlag& abort = nullptr) {
  std::size_t done = 0;
  const std::size_t step = abort != nullptr ? kAbortableChunk : size;
  while (done < size) {
    // Node's writeAll checks its signal before each write.
    if (isAborted(abort)) {
      if (written) *written = done;
      failure.setAborted();
      return false;
    }
    const std::size_t len = std::min(step, size - done);
    ssize_t n = position >= 0 ? ::pwrite(fd, data + done, len, static_cast<off_t>(position + done))
                              : ::write(fd, data + done, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (written) *written = done;
      failure.set(errno, "write");
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  if (written) *written = done;
  return true;
}

}  // namespace

std::int64_t ioMaxLength() noexcept { return io_max_length.load(std::memory_order_relaxed); }

void setIoMaxLengthForTesting(std::int64_t max) noexcept {
  io_max_length.store(max, std::memory_order_relaxed);
}

Buffer ReadFile::run(Failure& failure) const noexcept {
  return readAllOrFail<Buffer>(&path, flags, -1, failure, abort);
}

std::string ReadFileText::run(Failure& failure) const noexcept {
  return readAllOrFail<std::string>(&path, flags, -1, failure, abort, options.encoding.kind());
}

Buffer ReadFileFd::run(Failure& failure) const noexcept {
  return readAllOrFail<Buffer>(nullptr, 0, fd, failure, abort);
}

std::string ReadFileFdText::run(Failure& failure) const noexcept {
  return readAllOrFail<std::string>(nullptr, 0, fd, failure, abort, options.encoding.kind());
}

void WriteFile::run(Failure& failure) const noexcept {
  const int f = ::open(path.c_str(), flags | O_CLOEXEC, options.mode);
  if (f < 0) {
    failure.set(errno, "open", path);
    return;
  }
  absl::Cleanup closer = [f, &failure] {
    if (::close(f) != 0 && !failure) failure.set(errno, "close");
  };
  writeAll(f, data.data(), data.size(), -1, nullptr, failure, abort);
}

void WriteFileFd::run(Failure& failure) const noexcept {
  writeAll(fd, data.data(), data.size(), -1, nullptr, failure, abort);
}

void CopyFile::run(Failure& failure) const noexcept {
  if (mode & 4) {  // COPYFILE_FICLONE_FORCE: no clone support here.
    failure.set(ENOSYS, "copyfile", src, dest);
    return;
  }
  const int in = ::open(src.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) {
    failure.set(errno, "copyfile", src, dest);
    return;
  }
  absl::Cleanup close_in = [in] { ::close(in); };
  struct stat st;
  if (::fstat(in, &st) != 0) {
    failure.set(errno, "copyfile", src, dest);
    return;
  }
  const int oflags = O_WRONLY | O_CREAT | O_CLOEXEC | ((mode & 1) ? O_EXCL : 0);
  const int out = ::open(dest.c_str(), oflags, st.st_mode);
  if (out < 0) {
    failure.set(errno, "copyfile", src, dest);
    return;
  }
  absl::Cleanup close_out = [&] {
    if (::close(out) != 0 && !failure) failure.set(errno, "copyfile", src, dest);
  };
  struct stat dst;
  if (::fstat(out, &dst) == 0 && dst.st_dev == st.st_dev && dst.st_ino == st.st_ino) {
    return;  // the same file: nothing to do (libuv)
  }
  if (::ftruncate(out, 0) != 0 || ::fchmod(out, st.st_mode) != 0) {
    failure.set(errno, "copyfile", src, dest);
  }
  off_t left = st.st_size;
  while (!failure && left > 0) {
    ssize_t n = ::copy_file_range(in, nullptr, out, nullptr, static_cast<size_t>(left), 0);
    if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP)) {
      n = ::sendfile(out, in, nullptr, static_cast<size_t>(left));
    }
    if (n < 0) {
      if (errno == EINTR) continue;
      failure.set(errno, "copyfile", src, dest);
      break;
    }
    if (n == 0) break;
    left -= n;
  }
}

int Open::run(Failure& failure) const noexcept {
  const int fd = ::open(path.c_str(), bits | O_CLOEXEC, mode);
  if (fd < 0) failure.set(errno, "open", path);
  return fd;
}

std::size_t Read::run(Failure& failure) const noexcept {
  char* p = buffer.data() + offset;
  const auto n_bytes = static_cast<std::size_t>(length);
  for (;;) {
    ssize_t n = position >= 0 ? ::pread(fd, p, n_bytes, static_cast<off_t>(position))
                              : ::read(fd, p, n_bytes);
    if (n < 0) {
      if (errno == EINTR) continue;
      failure.set(errno, "read");
      return 0;
    }
    return static_cast<std::size_t>(n);
  }
}

std::size_t Write::run(Failure& failure) const noexcept {
  std::size_t bytes = 0;
  writeAll(fd, data.data(), data.size(), position, &bytes, failure);
  return bytes;
}

}  // namespace vow::fs::internal
