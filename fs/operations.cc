// The blocking work of the simple operations of internal/operations.h (one syscall, no
// result), and Failure's conversion to Node's errors.
#include "vow/fs/internal/operations.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <ctime>
#include <string>

#include "absl/cleanup/cleanup.h"
#include "vow/promise/error.h"
#include "vow/promise/internal/exceptions.h"

namespace vow::fs::internal {
namespace {

// libuv's uv__fs_to_timespec for a time checked by toUnixTimestamp (finite, >= 0): whole
// seconds, and the fraction kept to microseconds. False past time_t, where the kernel (via
// libuv's conversion) says EINVAL.
bool toTimespec(double t, struct timespec& ts) {
  if (!(t < 9223372036854775808.0)) return false;
  ts.tv_sec = static_cast<time_t>(t);
  ts.tv_nsec = static_cast<long>((t - static_cast<double>(ts.tv_sec)) * 1e9);
  ts.tv_nsec -= ts.tv_nsec % 1000;
  return true;
}

}  // namespace

void Failure::setTooLarge(std::int64_t size) {
  errnum = EFBIG;  // marks the failure; the error has no errno (Node's has none)
  code = "ERR_FS_FILE_TOO_LARGE";
  message = "File size (" + std::to_string(size) + ") is greater than 2 GiB";
  range_error = true;
}

Error Failure::toError() const {
  if (range_error) return RangeError(message, code);
  if (code != nullptr) return SystemError(code, message, errnum, syscall, path);
  return SystemError(errnum, syscall, path, dest);
}

void Failure::raise() const {
  if (range_error) VOW_THROW(RangeError(message, code));
  if (code != nullptr) VOW_THROW(SystemError(code, message, errnum, syscall, path));
  VOW_THROW(SystemError(errnum, syscall, path, dest));
}

void checkOwner(std::int64_t id, const char* name) {
  if (id < -1 || id > 4294967295LL) throwOutOfRange(name, ">= -1 && <= 4294967295", id);
}

double toUnixTimestamp(double time, const char* name) {
  if (std::isfinite(time)) {
    if (time >= 0) return time;
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    return static_cast<double>(now.count()) / 1000;
  }
  VOW_THROW(TypeError(std::string("The \"") + name +
                          "\" argument must be an instance of Date or an Time in seconds. Received "
                          "type number (" +
                          (std::isnan(time) ? "NaN"
                           : time > 0       ? "Infinity"
                                            : "-Infinity") +
                          ")",
                      "ERR_INVALID_ARG_TYPE"));
}

void Rmdir::run(Failure& failure) const noexcept {
  if (::rmdir(path.c_str()) != 0) failure.set(errno, "rmdir", path);
}

void Unlink::run(Failure& failure) const noexcept {
  if (::unlink(path.c_str()) != 0) failure.set(errno, "unlink", path);
}

void Access::run(Failure& failure) const noexcept {
  if (::access(path.c_str(), mode) != 0) failure.set(errno, "access", path);
}

void Chmod::run(Failure& failure) const noexcept {
  if (::chmod(path.c_str(), mode) != 0) failure.set(errno, "chmod", path);
}

void Truncate::run(Failure& failure) const noexcept {
  int f = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (f < 0) {
    failure.set(errno, "open", path);
    return;
  }
  absl::Cleanup closer = [f] { ::close(f); };
  if (::ftruncate(f, len) != 0) failure.set(errno, "ftruncate");
}

template <bool kFollow>
void SetTimes<kFollow>::run(Failure& failure) const noexcept {
  const char* sys = kFollow ? "utime" : "lutime";
  struct timespec ts[2];
  if (!toTimespec(atime, ts[0]) || !toTimespec(mtime, ts[1])) {
    failure.set(EINVAL, sys, path);
    return;
  }
  if (::utimensat(AT_FDCWD, path.c_str(), ts, kFollow ? 0 : AT_SYMLINK_NOFOLLOW) != 0) {
    failure.set(errno, sys, path);
  }
}
template struct SetTimes<true>;
template struct SetTimes<false>;

template <bool kFollow>
void SetOwner<kFollow>::run(Failure& failure) const noexcept {
  const auto u = static_cast<uid_t>(uid);
  const auto g = static_cast<gid_t>(gid);
  if ((kFollow ? ::chown(path.c_str(), u, g) : ::lchown(path.c_str(), u, g)) != 0) {
    failure.set(errno, kFollow ? "chown" : "lchown", path);
  }
}
template struct SetOwner<true>;
template struct SetOwner<false>;

void Close::run(Failure& failure) const noexcept {
  if (::close(fd) != 0) failure.set(errno, "close");
}

void Fsync::run(Failure& failure) const noexcept {
  if (::fsync(fd) != 0) failure.set(errno, "fsync");
}

void Fdatasync::run(Failure& failure) const noexcept {
  if (::fdatasync(fd) != 0) failure.set(errno, "fdatasync");
}

void Ftruncate::run(Failure& failure) const noexcept {
  if (::ftruncate(fd, len) != 0) failure.set(errno, "ftruncate");
}

void Fchmod::run(Failure& failure) const noexcept {
  if (::fchmod(fd, mode) != 0) failure.set(errno, "fchmod");
}

void Futimes::run(Failure& failure) const noexcept {
  struct timespec ts[2];
  if (!toTimespec(atime, ts[0]) || !toTimespec(mtime, ts[1])) {
    failure.set(EINVAL, "futime");
    return;
  }
  if (::futimens(fd, ts) != 0) failure.set(errno, "futime");
}

void Fchown::run(Failure& failure) const noexcept {
  if (::fchown(fd, static_cast<uid_t>(uid), static_cast<gid_t>(gid)) != 0) {
    failure.set(errno, "fchown");
  }
}

}  // namespace vow::fs::internal
