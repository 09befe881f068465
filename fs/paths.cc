// The blocking work of the operations on directories, links and stat (internal/operations.h):
// stat, lstat, fstat, statfs, readdir, mkdir, mkdtemp, rm, rename, symlink, link, readlink,
// realpath.
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "vow/fs/internal/dirent_type.h"
#include "vow/fs/internal/operations.h"

namespace vow::fs::internal {
namespace {

double toMs(const struct statx_timestamp& t) {
  return static_cast<double>(t.tv_sec) * 1000.0 + static_cast<double>(t.tv_nsec) / 1e6;
}

}  // namespace

Stats toStats(const struct statx& sx) {
  Stats s;
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
  return s;
}

namespace {

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
  std::vector<std::string> children;
  {
    DIR* d = ::opendir(path.c_str());
    if (d == nullptr) {
      if (errno == ENOENT && force) return true;
      failure.set(errno, "scandir", path);
      return false;
    }
    absl::Cleanup closer = [d] { ::closedir(d); };
    while (dirent* e = ::readdir(d)) {
      if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
      children.push_back(path + "/" + e->d_name);
    }
  }
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

template <bool kFollow>
Stats StatPath<kFollow>::run(Failure& failure) const noexcept {
  struct statx sx;
  const int flags = AT_STATX_SYNC_AS_STAT | (kFollow ? 0 : AT_SYMLINK_NOFOLLOW);
  if (::statx(AT_FDCWD, path.c_str(), flags, kStatMask, &sx) != 0) {
    failure.set(errno, kFollow ? "stat" : "lstat", path);
    return Stats();
  }
  return toStats(sx);
}
template struct StatPath<true>;
template struct StatPath<false>;

Stats Fstat::run(Failure& failure) const noexcept {
  struct statx sx;
  if (::statx(fd, "", AT_EMPTY_PATH | AT_STATX_SYNC_AS_STAT, kStatMask, &sx) != 0) {
    failure.set(errno, "fstat");
    return Stats();
  }
  return toStats(sx);
}

StatFs Statfs::run(Failure& failure) const noexcept {
  struct statfs sf;
  if (::statfs(path.c_str(), &sf) != 0) {
    failure.set(errno, "statfs", path);
    return StatFs();
  }
  // libuv's uv_statfs_t, as Node reports it.
  return StatFs{static_cast<std::int64_t>(sf.f_type),   static_cast<std::int64_t>(sf.f_bsize),
                static_cast<std::int64_t>(sf.f_blocks), static_cast<std::int64_t>(sf.f_bfree),
                static_cast<std::int64_t>(sf.f_bavail), static_cast<std::int64_t>(sf.f_files),
                static_cast<std::int64_t>(sf.f_ffree)};
}

template <bool kTypes>
auto ReaddirOf<kTypes>::run(Failure& failure) const noexcept -> Result {
  Result out;
  DIR* d = ::opendir(path.c_str());
  if (d == nullptr) {
    failure.set(errno, "scandir", path);
    return out;
  }
  absl::Cleanup closer = [d] { ::closedir(d); };
  errno = 0;
  while (dirent* e = ::readdir(d)) {
    const char* n = e->d_name;
    if (n[0] == '.' && (n[1] == 0 || (n[1] == '.' && n[2] == 0))) continue;
    if constexpr (kTypes) {
      Dirent::Type t = direntType(e->d_type);
      if (t == Dirent::Type::kUnknown) {
        struct stat st;
        if (::fstatat(::dirfd(d), n, &st, AT_SYMLINK_NOFOLLOW) == 0)
          t = direntTypeOfMode(st.st_mode);
      }
      out.push_back(Dirent{n, path, t});
    } else {
      out.emplace_back(n);
    }
    errno = 0;
  }
  if (errno != 0) {
    failure.set(errno, "scandir", path);
    return Result();
  }
  // libuv's scandir sorts by strcmp.
  if constexpr (kTypes) {
    std::sort(out.begin(), out.end(),
              [](const Dirent& a, const Dirent& b) { return a.name < b.name; });
  } else {
    std::sort(out.begin(), out.end());
  }
  return out;
}
template struct ReaddirOf<true>;
template struct ReaddirOf<false>;

std::optional<std::string> Mkdir::run(Failure& failure) const noexcept {
  if (!options.recursive) {
    if (::mkdir(path.c_str(), options.mode) != 0) failure.set(errno, "mkdir", path);
    return std::nullopt;
  }
  // Node's MKDirpSync: create missing parents, shallowest first; report the first created.
  std::optional<std::string> first;
  std::vector<std::string> stack;
  stack.push_back(path);
  while (!stack.empty()) {
    const std::string cur = stack.back();
    if (::mkdir(cur.c_str(), options.mode) == 0) {
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
      return std::nullopt;
    }
    if (err == ENOENT) {
      std::string parent = parentOf(cur);
      if (parent == cur || stack.size() > 4096) {
        failure.set(err, "mkdir", path);
        return std::nullopt;
      }
      stack.push_back(std::move(parent));
      continue;
    }
    failure.set(err, "mkdir", path);
    return std::nullopt;
  }
  return first;
}

std::string Mkdtemp::run(Failure& failure) const noexcept {
  std::string tmpl = prefix + "XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) {
    failure.set(errno, "mkdtemp", prefix + "XXXXXX");
    return std::string();
  }
  return tmpl;
}

void Rm::run(Failure& failure) const noexcept {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT && options.force) return;
    failure.set(errno, "lstat", path);
    return;
  }
  if (S_ISDIR(st.st_mode)) {
    if (!options.recursive) {
      failure.errnum = EISDIR;
      failure.syscall = "rm";
      failure.path = path;
      failure.code = "ERR_FS_EISDIR";
      failure.message = "Path is a directory: rm returned EISDIR (is a directory) " + path;
      return;
    }
    removeTree(path, options.force, failure);
    return;
  }
  if (::unlink(path.c_str()) != 0 && !(errno == ENOENT && options.force)) {
    failure.set(errno, "unlink", path);
  }
}

void Rename::run(Failure& failure) const noexcept {
  if (::rename(oldPath.c_str(), newPath.c_str()) != 0) {
    failure.set(errno, "rename", oldPath, newPath);
  }
}

void Symlink::run(Failure& failure) const noexcept {
  if (::symlink(target.c_str(), path.c_str()) != 0) failure.set(errno, "symlink", target, path);
}

void Link::run(Failure& failure) const noexcept {
  if (::link(existingPath.c_str(), newPath.c_str()) != 0) {
    failure.set(errno, "link", existingPath, newPath);
  }
}

std::string Readlink::run(Failure& failure) const noexcept {
  std::string buf(256, '\0');
  for (;;) {
    ssize_t n = ::readlink(path.c_str(), buf.data(), buf.size());
    if (n < 0) {
      failure.set(errno, "readlink", path);
      return std::string();
    }
    if (static_cast<std::size_t>(n) < buf.size()) {
      buf.resize(static_cast<std::size_t>(n));
      return buf;
    }
    buf.resize(buf.size() * 2);
  }
}

std::string Realpath::run(Failure& failure) const noexcept {
  char* r = ::realpath(path.c_str(), nullptr);
  if (r != nullptr) {
    absl::Cleanup freer = [r] { std::free(r); };
    return std::string(r);
  }
  const int err = errno;
  // Node's fs.realpath walks the resolved path with lstat; report like it does.
  const std::string abs = resolvePath(path);
  std::size_t i = 1;
  while (i <= abs.size()) {
    std::size_t j = abs.find('/', i);
    if (j == std::string::npos) j = abs.size();
    std::string prefix = abs.substr(0, j);
    struct stat st;
    if (::lstat(prefix.c_str(), &st) != 0) {
      failure.set(errno, "lstat", prefix);
      return std::string();
    }
    i = j + 1;
  }
  failure.set(err, "realpath", path);
  return std::string();
}

}  // namespace vow::fs::internal
