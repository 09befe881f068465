// The blocking work of every fs operation (run on a pool thread, or inline by the sync API),
// and Node's argument validators.
#include "vow/fs/internal/ops.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <utility>

#include "absl/cleanup/cleanup.h"
#include "vow/promise/error.h"

namespace vow::fs::internal {
namespace {

constexpr std::size_t kChunk = 64 * 1024;

std::atomic<std::int64_t> io_max_length{kIoMaxLength};

// Reads to EOF into `out` (appending), for files whose size fstat cannot tell. Fails with
// ERR_FS_FILE_TOO_LARGE once more than the limit was read (/dev/zero never ends).
bool readToEnd(int fd, std::string& out, Failure& failure) {
  const auto limit = static_cast<std::size_t>(io_max_length.load(std::memory_order_relaxed));
  std::size_t got = out.size();
  for (;;) {
    if (out.size() - got < kChunk) out.resize(got + kChunk);
    ssize_t n = ::read(fd, out.data() + got, out.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      out.clear();
      failure.set(errno, "read");
      return false;
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
    if (got > limit) {
      out = std::string();
      failure.setTooLarge(static_cast<std::int64_t>(got));
      return false;
    }
  }
  out.resize(got);
  return true;
}

bool writeAll(int fd, const char* data, std::size_t size, std::int64_t position,
              std::size_t* written, Failure& failure) {
  std::size_t done = 0;
  while (done < size) {
    ssize_t n = position >= 0
                    ? ::pwrite(fd, data + done, size - done, static_cast<off_t>(position + done))
                    : ::write(fd, data + done, size - done);
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

double toMs(const struct statx_timestamp& t) {
  return static_cast<double>(t.tv_sec) * 1000.0 + static_cast<double>(t.tv_nsec) / 1e6;
}

void fillStats(const struct statx& sx, Stats& s) {
  s.dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
  s.ino = sx.stx_ino;
  s.mode = sx.stx_mode;
  s.nlink = sx.stx_nlink;
  s.uid = sx.stx_uid;
  s.gid = sx.stx_gid;
  s.rdev = makedev(sx.stx_rdev_major, sx.stx_rdev_minor);
  s.size = static_cast<std::int64_t>(sx.stx_size);
  s.blksize = sx.stx_blksize;
  s.blocks = static_cast<std::int64_t>(sx.stx_blocks);
  s.atimeMs = toMs(sx.stx_atime);
  s.mtimeMs = toMs(sx.stx_mtime);
  s.ctimeMs = toMs(sx.stx_ctime);
  s.birthtimeMs = (sx.stx_mask & STATX_BTIME) ? toMs(sx.stx_btime) : s.ctimeMs;
}

Dirent::Type typeOf(unsigned char d_type) {
  switch (d_type) {
    case DT_REG:
      return Dirent::Type::kFile;
    case DT_DIR:
      return Dirent::Type::kDirectory;
    case DT_LNK:
      return Dirent::Type::kSymlink;
    case DT_FIFO:
      return Dirent::Type::kFifo;
    case DT_SOCK:
      return Dirent::Type::kSocket;
    case DT_BLK:
      return Dirent::Type::kBlockDevice;
    case DT_CHR:
      return Dirent::Type::kCharacterDevice;
    default:
      return Dirent::Type::kUnknown;
  }
}

Dirent::Type typeOfMode(mode_t m) {
  if (S_ISREG(m)) return Dirent::Type::kFile;
  if (S_ISDIR(m)) return Dirent::Type::kDirectory;
  if (S_ISLNK(m)) return Dirent::Type::kSymlink;
  if (S_ISFIFO(m)) return Dirent::Type::kFifo;
  if (S_ISSOCK(m)) return Dirent::Type::kSocket;
  if (S_ISBLK(m)) return Dirent::Type::kBlockDevice;
  if (S_ISCHR(m)) return Dirent::Type::kCharacterDevice;
  return Dirent::Type::kUnknown;
}

std::string parentOf(const std::string& p) {
  std::size_t end = p.size();
  while (end > 1 && p[end - 1] == '/') --end;
  std::size_t slash = p.rfind('/', end - 1);
  if (slash == std::string::npos) return ".";
  while (slash > 0 && p[slash - 1] == '/') --slash;
  if (slash == 0) return "/";
  return p.substr(0, slash);
}

// Removes the tree under `path` (rimraf). Reports the first failure with its own path.
bool removeTree(const std::string& path, bool force, Failure& failure) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT && force) return true;
    failure.set(errno, "lstat", path);
    return false;
  }
  if (!S_ISDIR(st.st_mode)) {
    if (::unlink(path.c_str()) != 0 && !(errno == ENOENT && force)) {
      failure.set(errno, "unlink", path);
      return false;
    }
    return true;
  }
  DIR* d = ::opendir(path.c_str());
  if (d == nullptr) {
    if (errno == ENOENT && force) return true;
    failure.set(errno, "scandir", path);
    return false;
  }
  std::vector<std::string> children;
  while (dirent* e = ::readdir(d)) {
    if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
    children.push_back(path + "/" + e->d_name);
  }
  ::closedir(d);
  for (const std::string& c : children) {
    if (!removeTree(c, true, failure)) return false;
  }
  if (::rmdir(path.c_str()) != 0 && !(errno == ENOENT && force)) {
    failure.set(errno, "rmdir", path);
    return false;
  }
  return true;
}

std::string resolvePath(const std::string& p) {
  std::string abs;
  if (p.empty() || p[0] != '/') {
    char buf[PATH_MAX];
    if (::getcwd(buf, sizeof buf) != nullptr) abs = buf;
    abs += '/';
  }
  abs += p;
  // Lexical normalisation (Node's path.resolve).
  std::vector<std::string> parts;
  std::size_t i = 0;
  while (i < abs.size()) {
    std::size_t j = abs.find('/', i);
    if (j == std::string::npos) j = abs.size();
    std::string part = abs.substr(i, j - i);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(std::move(part));
    }
    i = j + 1;
  }
  std::string out;
  for (const auto& part : parts) out += "/" + part;
  return out.empty() ? "/" : out;
}

}  // namespace

void setIoMaxLengthForTesting(std::int64_t max) noexcept {
  io_max_length.store(max, std::memory_order_relaxed);
}

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
  if (range_error) throw RangeError(message, code);
  if (code != nullptr) throw SystemError(code, message, errnum, syscall, path);
  throw SystemError(errnum, syscall, path, dest);
}

void ReadFileOp::run() noexcept {
  try {
    readAll();
  } catch (const std::bad_alloc&) {
    // More than memory holds: an error, not std::terminate (Node fails the read too).
    data = std::string();
    failure = Failure();
    failure.set(ENOMEM, "read");
  }
}

void ReadFileOp::readAll() {
  int f = fd;
  const bool own = f < 0;
  if (own) {
    f = ::open(path.c_str(), flags | O_CLOEXEC);
    if (f < 0) {
      failure.set(errno, "open", path);
      return;
    }
  }
  // Closes an fd this op opened, also when an allocation throws.
  absl::Cleanup closer = [f, own] {
    if (own) ::close(f);
  };
  struct stat st;
  if (::fstat(f, &st) != 0) {
    failure.set(errno, "fstat");
  } else if (S_ISREG(st.st_mode) && st.st_size > io_max_length.load(std::memory_order_relaxed)) {
    failure.setTooLarge(st.st_size);  // Node checks the size fstat tells first
  } else if (S_ISREG(st.st_mode) && st.st_size > 0 && own) {
    // Known size: one allocation, then read() until it is full (or the file shrank).
    const std::size_t size = static_cast<std::size_t>(st.st_size);
    auto fill = [&](char* p, std::size_t n) -> std::size_t {
      std::size_t got = 0;
      while (got < n) {
        ssize_t r = ::read(f, p + got, n - got);
        if (r < 0) {
          if (errno == EINTR) continue;
          failure.set(errno, "read");
          return 0;
        }
        if (r == 0) break;
        got += static_cast<std::size_t>(r);
      }
      return got;
    };
#if defined(__cpp_lib_string_resize_and_overwrite)
    // No zero-fill: read() writes straight into the string's fresh pages (a 256 MiB file
    // otherwise pays a full memset pass before the copy). Only in a build that is C++23 as a
    // whole: vow does not mix standards inside one build.
    data.resize_and_overwrite(size, fill);
#else
    data.resize(size);
    data.resize(fill(data.data(), size));
#endif
  } else {
    readToEnd(f, data, failure);
  }
}

void WriteFileOp::run() noexcept {
  int f = fd;
  const bool own = f < 0;
  if (own) {
    f = ::open(path.c_str(), flags | O_CLOEXEC, mode);
    if (f < 0) {
      failure.set(errno, "open", path);
      return;
    }
  }
  writeAll(f, data.data(), data.size(), -1, nullptr, failure);
  if (own && ::close(f) != 0 && !failure) failure.set(errno, "close");
}

void ReaddirOp::run() noexcept {
  DIR* d = ::opendir(path.c_str());
  if (d == nullptr) {
    failure.set(errno, "scandir", path);
    return;
  }
  errno = 0;
  while (dirent* e = ::readdir(d)) {
    const char* n = e->d_name;
    if (n[0] == '.' && (n[1] == 0 || (n[1] == '.' && n[2] == 0))) continue;
    if (with_types) {
      Dirent::Type t = typeOf(e->d_type);
      if (t == Dirent::Type::kUnknown) {
        struct stat st;
        if (::fstatat(::dirfd(d), n, &st, AT_SYMLINK_NOFOLLOW) == 0) t = typeOfMode(st.st_mode);
      }
      entries.push_back(Dirent{n, path, t});
    } else {
      names.emplace_back(n);
    }
    errno = 0;
  }
  int err = errno;
  ::closedir(d);
  if (err != 0) {
    failure.set(err, "scandir", path);
    names.clear();
    entries.clear();
    return;
  }
  // libuv's scandir sorts by strcmp.
  std::sort(names.begin(), names.end());
  std::sort(entries.begin(), entries.end(),
            [](const Dirent& a, const Dirent& b) { return a.name < b.name; });
}

void StatOp::run() noexcept {
  struct statx sx;
  const unsigned mask = STATX_BASIC_STATS | STATX_BTIME;
  int r;
  const char* sys;
  switch (kind) {
    case StatKind::kStat:
      r = ::statx(AT_FDCWD, path.c_str(), AT_STATX_SYNC_AS_STAT, mask, &sx);
      sys = "stat";
      break;
    case StatKind::kLstat:
      r = ::statx(AT_FDCWD, path.c_str(), AT_STATX_SYNC_AS_STAT | AT_SYMLINK_NOFOLLOW, mask, &sx);
      sys = "lstat";
      break;
    default:
      r = ::statx(fd, "", AT_EMPTY_PATH | AT_STATX_SYNC_AS_STAT, mask, &sx);
      sys = "fstat";
      break;
  }
  if (r != 0) {
    if (kind == StatKind::kFstat) {
      failure.set(errno, sys);
    } else {
      failure.set(errno, sys, path);
    }
    return;
  }
  fillStats(sx, stats);
}

void MkdirOp::run() noexcept {
  if (!recursive) {
    if (::mkdir(path.c_str(), mode) != 0) failure.set(errno, "mkdir", path);
    return;
  }
  // Node's MKDirpSync: create missing parents, shallowest first; report the first created.
  std::vector<std::string> stack;
  stack.push_back(path);
  while (!stack.empty()) {
    const std::string cur = stack.back();
    if (::mkdir(cur.c_str(), mode) == 0) {
      if (!first) first = cur;
      stack.pop_back();
      continue;
    }
    int err = errno;
    if (err == EEXIST || err == EISDIR) {
      struct stat st;
      if (::stat(cur.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
        stack.pop_back();
        continue;
      }
      failure.set(stack.size() == 1 ? EEXIST : ENOTDIR, "mkdir", path);
      first.reset();
      return;
    }
    if (err == ENOENT) {
      std::string parent = parentOf(cur);
      if (parent == cur || stack.size() > 4096) {
        failure.set(err, "mkdir", path);
        first.reset();
        return;
      }
      stack.push_back(std::move(parent));
      continue;
    }
    failure.set(err, "mkdir", path);
    first.reset();
    return;
  }
}

void RmOp::run() noexcept {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT && force) return;
    failure.set(errno, "lstat", path);
    return;
  }
  if (S_ISDIR(st.st_mode)) {
    if (!recursive) {
      failure.errnum = EISDIR;
      failure.syscall = "rm";
      failure.path = path;
      failure.code = "ERR_FS_EISDIR";
      failure.message = "Path is a directory: rm returned EISDIR (is a directory) " + path;
      return;
    }
    removeTree(path, force, failure);
    return;
  }
  if (::unlink(path.c_str()) != 0 && !(errno == ENOENT && force)) {
    failure.set(errno, "unlink", path);
  }
}

void TwoPathOp::run() noexcept {
  switch (kind) {
    case TwoPathKind::kRename:
      if (::rename(src.c_str(), dest.c_str()) != 0) failure.set(errno, "rename", src, dest);
      return;
    case TwoPathKind::kSymlink:
      if (::symlink(src.c_str(), dest.c_str()) != 0) failure.set(errno, "symlink", src, dest);
      return;
    case TwoPathKind::kLink:
      if (::link(src.c_str(), dest.c_str()) != 0) failure.set(errno, "link", src, dest);
      return;
    case TwoPathKind::kCopyFile: {
      if (mode & 4) {  // COPYFILE_FICLONE_FORCE: no clone support here.
        failure.set(ENOSYS, "copyfile", src, dest);
        return;
      }
      int in = ::open(src.c_str(), O_RDONLY | O_CLOEXEC);
      if (in < 0) {
        failure.set(errno, "copyfile", src, dest);
        return;
      }
      struct stat st;
      if (::fstat(in, &st) != 0) {
        failure.set(errno, "copyfile", src, dest);
        ::close(in);
        return;
      }
      int oflags = O_WRONLY | O_CREAT | O_CLOEXEC | ((mode & 1) ? O_EXCL : 0);
      int out = ::open(dest.c_str(), oflags, st.st_mode);
      if (out < 0) {
        failure.set(errno, "copyfile", src, dest);
        ::close(in);
        return;
      }
      struct stat dst;
      if (::fstat(out, &dst) == 0 && dst.st_dev == st.st_dev && dst.st_ino == st.st_ino) {
        ::close(in);
        ::close(out);
        return;  // the same file: nothing to do (libuv)
      }
      if (::ftruncate(out, 0) != 0 || ::fchmod(out, st.st_mode) != 0) {
        failure.set(errno, "copyfile", src, dest);
      }
      off_t left = st.st_size;
      while (!failure && left > 0) {
        ssize_t n = ::copy_file_range(in, nullptr, out, nullptr, static_cast<size_t>(left), 0);
        if (n < 0 &&
            (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP)) {
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
      ::close(in);
      if (::close(out) != 0 && !failure) failure.set(errno, "copyfile", src, dest);
      return;
    }
  }
}

void StringOp::run() noexcept {
  switch (kind) {
    case StringKind::kRealpath: {
      char* r = ::realpath(path.c_str(), nullptr);
      if (r == nullptr) {
        int err = errno;
        // Node's fs.realpath walks the resolved path with lstat; report like it does.
        std::string abs = resolvePath(path);
        std::size_t i = 1;
        while (i <= abs.size()) {
          std::size_t j = abs.find('/', i);
          if (j == std::string::npos) j = abs.size();
          std::string prefix = abs.substr(0, j);
          struct stat st;
          if (::lstat(prefix.c_str(), &st) != 0) {
            failure.set(errno, "lstat", prefix);
            return;
          }
          i = j + 1;
        }
        failure.set(err, "realpath", path);
        return;
      }
      result = r;
      std::free(r);
      return;
    }
    case StringKind::kReadlink: {
      std::string buf(256, '\0');
      for (;;) {
        ssize_t n = ::readlink(path.c_str(), buf.data(), buf.size());
        if (n < 0) {
          failure.set(errno, "readlink", path);
          return;
        }
        if (static_cast<std::size_t>(n) < buf.size()) {
          buf.resize(static_cast<std::size_t>(n));
          result = std::move(buf);
          return;
        }
        buf.resize(buf.size() * 2);
      }
    }
    case StringKind::kMkdtemp: {
      std::string tmpl = path + "XXXXXX";
      if (::mkdtemp(tmpl.data()) == nullptr) {
        failure.set(errno, "mkdtemp", path + "XXXXXX");
        return;
      }
      result = std::move(tmpl);
      return;
    }
  }
}

void OpenOp::run() noexcept {
  fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  if (fd < 0) failure.set(errno, "open", path);
}

void ReadOp::run() noexcept {
  for (;;) {
    ssize_t n = position >= 0 ? ::pread(fd, buffer, length, static_cast<off_t>(position))
                              : ::read(fd, buffer, length);
    if (n < 0) {
      if (errno == EINTR) continue;
      failure.set(errno, "read");
      return;
    }
    bytes = static_cast<std::size_t>(n);
    return;
  }
}

void WriteOp::run() noexcept { writeAll(fd, data.data(), data.size(), position, &bytes, failure); }

}  // namespace vow::fs::internal
