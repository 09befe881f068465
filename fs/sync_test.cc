// The sync API: values returned, vow::SystemError thrown.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <ctime>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "vow/fs/fs.h"
#include "vow/fs/internal/test_dir.h"

namespace {

namespace fs = vow::fs;
using vow::fs::internal::TestDir;

TEST(FsSync, WholeFileOps) {
  TestDir dir;
  fs::writeFileSync(dir / "a", "one");
  fs::appendFileSync(dir / "a", "two");
  EXPECT_EQ(fs::readFileSync(dir / "a"), "onetwo");
  EXPECT_TRUE(fs::existsSync(dir / "a"));
  EXPECT_FALSE(fs::existsSync(dir / "b"));
}

TEST(FsSync, ReadFileMissingThrowsSystemErrorWithNodesMessage) {
  TestDir dir;
  try {
    fs::readFileSync(dir / "m");
    FAIL();
  } catch (const vow::SystemError& e) {
    EXPECT_EQ(e.code(), "ENOENT");
    EXPECT_EQ(e.errnum(), -2);
    EXPECT_EQ(e.syscall(), "open");
    EXPECT_EQ(e.path(), dir / "m");
    EXPECT_FALSE(e.hasDest());
    EXPECT_EQ(e.message(), "ENOENT: no such file or directory, open '" + (dir / "m") + "'");
    EXPECT_EQ(e.toStatus().code(), absl::StatusCode::kNotFound);
  }
  EXPECT_THROW(fs::readFileSync(std::string("x\0", 2)), vow::TypeError);
}

TEST(FsSync, DirectoriesAndStat) {
  TestDir dir;
  EXPECT_EQ(fs::mkdirSync(dir / "a/b", {.recursive = true}), dir / "a");
  EXPECT_THROW(fs::mkdirSync(dir / "a"), vow::SystemError);
  fs::writeFileSync(dir / "a/f", "xy");
  EXPECT_EQ(fs::readdirSync(dir / "a"), (std::vector<std::string>{"b", "f"}));
  EXPECT_EQ(fs::readdirSync(dir / "a", fs::withFileTypes).size(), 2u);
  EXPECT_EQ(fs::statSync(dir / "a/f").size, 2);
  EXPECT_TRUE(fs::lstatSync(dir / "a").isDirectory());
  try {
    fs::readdirSync(dir / "a/f");
    FAIL();
  } catch (const vow::SystemError& e) {
    EXPECT_EQ(e.syscall(), "scandir");
    EXPECT_EQ(e.code(), "ENOTDIR");
  }
  fs::rmdirSync(dir / "a/b");
  EXPECT_THROW(fs::rmdirSync(dir / "a"), vow::SystemError);
  try {
    fs::rmSync(dir / "a");
    FAIL();
  } catch (const vow::SystemError& e) {
    EXPECT_EQ(e.code(), "ERR_FS_EISDIR");
    EXPECT_EQ(e.errnum(), 21);
  }
  fs::rmSync(dir / "a", {.recursive = true});
  EXPECT_FALSE(fs::existsSync(dir / "a"));
  std::string t = fs::mkdtempSync(dir / "t");
  EXPECT_TRUE(fs::statSync(t).isDirectory());
}

TEST(FsSync, LinksRenameCopyAccessChmodTruncateUtimes) {
  TestDir dir;
  fs::writeFileSync(dir / "a", "abcdef");
  fs::renameSync(dir / "a", dir / "b");
  fs::copyFileSync(dir / "b", dir / "c");
  EXPECT_THROW(fs::copyFileSync(dir / "b", dir / "c", fs::constants::COPYFILE_EXCL),
               vow::SystemError);
  fs::symlinkSync("c", dir / "l");
  EXPECT_EQ(fs::readlinkSync(dir / "l"), "c");
  EXPECT_EQ(fs::realpathSync(dir / "l"), fs::realpathSync(dir / "c"));
  fs::linkSync(dir / "c", dir / "h");
  fs::accessSync(dir / "h", R_OK | W_OK);
  fs::chmodSync(dir / "h", 0600);
  fs::truncateSync(dir / "h", 2);
  fs::utimesSync(dir / "h", 5, 6);
  EXPECT_EQ(fs::statSync(dir / "c").size, 2);
  EXPECT_EQ(fs::statSync(dir / "c").mtimeMs, 6000);
  fs::unlinkSync(dir / "h");
  EXPECT_THROW(fs::unlinkSync(dir / "h"), vow::SystemError);
  EXPECT_THROW(fs::renameSync(dir / "h", dir / "i"), vow::SystemError);
  EXPECT_THROW(fs::accessSync(dir / "h"), vow::SystemError);
  EXPECT_THROW(fs::chmodSync(dir / "h", 0600), vow::SystemError);
  EXPECT_THROW(fs::truncateSync(dir / "h"), vow::SystemError);
  EXPECT_THROW(fs::utimesSync(dir / "h", 1, 1), vow::SystemError);
  EXPECT_THROW(fs::symlinkSync("c", dir / "l"), vow::SystemError);
  EXPECT_THROW(fs::readlinkSync(dir / "c"), vow::SystemError);
  EXPECT_THROW(fs::realpathSync(dir / "zz"), vow::SystemError);
}

TEST(FsSync, FileDescriptors) {
  TestDir dir;
  int fd = fs::openSync(dir / "f", "w+");
  EXPECT_EQ(fs::writeSync(fd, "0123456789"), 10u);
  std::string buf(4, '.');
  EXPECT_EQ(fs::readSync(fd, std::span<char>(buf), 1, 3, 2), 3u);
  EXPECT_EQ(buf, ".234");
  EXPECT_EQ(fs::fstatSync(fd).size, 10);
  fs::ftruncateSync(fd, 4);
  fs::fsyncSync(fd);
  fs::closeSync(fd);
  EXPECT_THROW(fs::closeSync(fd), vow::SystemError);
  EXPECT_THROW(fs::openSync(dir / "f", "wx"), vow::SystemError);
  EXPECT_THROW(fs::openSync(dir / "f", "bogus"), vow::TypeError);
  EXPECT_THROW(fs::readSync(0, std::span<char>(buf), -1, 1), vow::RangeError);
}

TEST(FsOpenSync, TakesNumericFlagsAsNodeDoes) {
  TestDir dir;
  int fd = fs::openSync(dir / "n", O_WRONLY | O_CREAT | O_TRUNC, 0600);
  fs::writeSync(fd, "hi");
  fs::closeSync(fd);
  EXPECT_EQ(fs::readFileSync(dir / "n"), "hi");
  EXPECT_EQ(fs::statSync(dir / "n").mode & 0777, 0600u);  // a umask only clears group/other bits
  // O_EXCL from bits, as from "wx".
  EXPECT_THROW(fs::openSync(dir / "n", O_WRONLY | O_CREAT | O_EXCL), vow::SystemError);
  // A FIFO with no reader: O_NONBLOCK makes a writer fail with ENXIO instead of waiting.
  ASSERT_EQ(::mkfifo((dir / "p").c_str(), 0600), 0);
  try {
    fs::openSync(dir / "p", O_WRONLY | O_NONBLOCK);
    ADD_FAILURE() << "opened a FIFO without a reader";
  } catch (const vow::SystemError& e) {
    EXPECT_EQ(e.code(), "ENXIO");
    EXPECT_EQ(e.message(), "ENXIO: no such device or address, open '" + (dir / "p") + "'");
  }
}

TEST(FsOpenSync, ChecksThePathBeforeTheFlags) {
  TestDir dir;
  try {
    fs::openSync(std::string("a\0b", 3), "bogus");
    ADD_FAILURE() << "no error";
  } catch (const vow::TypeError& e) {
    EXPECT_EQ(e.code(), "ERR_INVALID_ARG_VALUE");
    EXPECT_EQ(std::string(e.what()),
              "The argument 'path' must be a string, Uint8Array, or URL without null bytes. "
              "Received 'a\\x00b'");
  }
  try {
    fs::openSync(dir / "f", std::string("bogus"));
    ADD_FAILURE() << "no error";
  } catch (const vow::TypeError& e) {
    EXPECT_EQ(e.code(), "ERR_INVALID_ARG_VALUE");
    EXPECT_EQ(std::string(e.what()), "The argument 'flags' is invalid. Received 'bogus'");
  }
}

TEST(FsChownSync, OwnIdsMinusOneAndNodesErrors) {
  TestDir dir;
  fs::writeFileSync(dir / "f", "x");
  ASSERT_EQ(::symlink("f", (dir / "l").c_str()), 0);
  const auto uid = static_cast<std::int64_t>(::getuid());
  const auto gid = static_cast<std::int64_t>(::getgid());
  fs::chownSync(dir / "f", uid, gid);
  fs::chownSync(dir / "f", -1, -1);  // -1: unchanged
  fs::lchownSync(dir / "l", uid, gid);
  int fd = fs::openSync(dir / "f");
  fs::fchownSync(fd, uid, -1);
  fs::closeSync(fd);
  EXPECT_EQ(static_cast<std::int64_t>(fs::statSync(dir / "f").uid), uid);
  auto message = [](auto f) {
    try {
      f();
    } catch (const vow::Exception& e) {
      return e.code() + " | " + e.message();
    }
    return std::string("no error");
  };
  EXPECT_EQ(message([&] { fs::chownSync(dir / "m", 0, 0); }),
            "ENOENT | ENOENT: no such file or directory, chown '" + (dir / "m") + "'");
  EXPECT_EQ(message([&] { fs::lchownSync(dir / "m", 0, 0); }),
            "ENOENT | ENOENT: no such file or directory, lchown '" + (dir / "m") + "'");
  EXPECT_EQ(message([&] { fs::fchownSync(100000, 0, 0); }),
            "EBADF | EBADF: bad file descriptor, fchown");
  EXPECT_EQ(message([&] { fs::chownSync(dir / "f", -2, 0); }),
            "ERR_OUT_OF_RANGE | The value of \"uid\" is out of range. It must be >= -1 && <= "
            "4294967295. Received -2");
  EXPECT_EQ(message([&] { fs::chownSync(dir / "f", 0, 4294967296LL); }),
            "ERR_OUT_OF_RANGE | The value of \"gid\" is out of range. It must be >= -1 && <= "
            "4294967295. Received 4294967296");
  EXPECT_EQ(message([&] { fs::fchownSync(-1, 0, 0); }),
            "ERR_OUT_OF_RANGE | The value of \"fd\" is out of range. It must be >= 0 && <= "
            "2147483647. Received -1");
}

TEST(FsReadFileSync, FileOverTwoGiBThrowsErrFsFileTooLargeAsNode) {
  TestDir dir;
  int fd = ::open((dir / "big").c_str(), O_CREAT | O_WRONLY, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::ftruncate(fd, 3LL << 30), 0);  // sparse: no disk used
  ::close(fd);
  try {
    fs::readFileSync(dir / "big");
    FAIL() << "no throw";
  } catch (const vow::RangeError& e) {
    EXPECT_EQ(e.code(), "ERR_FS_FILE_TOO_LARGE");
    EXPECT_STREQ(e.what(), "File size (3221225472) is greater than 2 GiB");
  }
}

TEST(FsRmSync, DirectoryWithoutRecursiveThrowsSystemErrorAsNode) {
  TestDir dir;
  fs::mkdirSync(dir / "d");
  try {
    fs::rmSync(dir / "d");
    FAIL() << "no throw";
  } catch (const vow::SystemError& e) {
    EXPECT_STREQ(e.name(), "SystemError");
    EXPECT_EQ(vow::Error(e).name(), "SystemError");
    EXPECT_EQ(e.code(), "ERR_FS_EISDIR");
    EXPECT_EQ(e.errnum(), 21);
    EXPECT_EQ(e.syscall(), "rm");
    EXPECT_EQ(e.path(), dir / "d");
  }
}

std::string outOfRange(const std::function<void()>& f) {
  try {
    f();
  } catch (const vow::RangeError& e) {
    EXPECT_EQ(e.code(), "ERR_OUT_OF_RANGE");
    return e.what();
  }
  return "no throw";
}

TEST(FsReadSync, RejectsNegativePositionAsNode) {
  TestDir dir;
  fs::writeFileSync(dir / "f", "abcdef");
  int fd = fs::openSync(dir / "f", "r+");
  char buf[8] = {};
  const std::string kRange =
      "The value of \"position\" is out of range. It must be >= -1 && <= 9007199254740991. ";
  EXPECT_EQ(outOfRange([&] { fs::readSync(fd, buf, 0, 4, -5); }), kRange + "Received -5");
  EXPECT_EQ(outOfRange([&] { fs::readSync(fd, buf, 0, 4, -2); }), kRange + "Received -2");
  EXPECT_EQ(outOfRange([&] { fs::readSync(fd, buf, 0, 4, 1LL << 53); }),
            kRange + "Received 9_007_199_254_740_992");
  // Node checks offset and length first.
  EXPECT_EQ(outOfRange([&] { fs::readSync(fd, buf, -1, 4, -5); }),
            "The value of \"offset\" is out of range. It must be >= 0 && <= 9007199254740991. "
            "Received -1");
  // -1: the current position; the largest safe integer is a valid (empty) pread.
  EXPECT_EQ(fs::readSync(fd, buf, 0, 2, -1), 2u);
  EXPECT_EQ(fs::readSync(fd, buf, 0, 2, (1LL << 53) - 1), 0u);
  // write takes any position: negative ones and ones past 2^53 - 1 write at the current
  // position (Node passes -1 for a position that is not a safe integer).
  EXPECT_EQ(fs::writeSync(fd, "X", -5), 1u);
  EXPECT_EQ(fs::writeSync(fd, "Y", 1LL << 53), 1u);
  fs::closeSync(fd);
  EXPECT_EQ(fs::readFileSync(dir / "f"), "abXYef");
}

std::string typeErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const vow::TypeError& e) {
    EXPECT_EQ(e.code(), "ERR_INVALID_ARG_TYPE");
    return e.what();
  }
  return "no throw";
}

TEST(FsUtimesSync, ChecksTimesAsNode) {
  TestDir dir;
  const std::string f = dir / "f";
  fs::writeFileSync(f, "");
  const std::string kNot =
      "The \"time\" argument must be an instance of Date or an Time in seconds. Received type "
      "number ";
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(typeErrorOf([&] { fs::utimesSync(f, std::nan(""), 1); }), kNot + "(NaN)");
  EXPECT_EQ(typeErrorOf([&] { fs::utimesSync(f, 1, inf); }), kNot + "(Infinity)");
  EXPECT_EQ(typeErrorOf([&] { fs::utimesSync(f, -inf, 1); }), kNot + "(-Infinity)");
  // Past time_t: the kernel's EINVAL, as Node's.
  try {
    fs::utimesSync(f, 1e300, 1e300);
    ADD_FAILURE() << "no throw";
  } catch (const vow::SystemError& e) {
    EXPECT_EQ(e.message(), "EINVAL: invalid argument, utime '" + f + "'");
  }
  // libuv keeps microseconds.
  fs::utimesSync(f, 1.5, 10000000000.123456789);
  EXPECT_DOUBLE_EQ(fs::statSync(f).atimeMs, 1500);
  EXPECT_DOUBLE_EQ(fs::statSync(f).mtimeMs, 10000000000123.456);
  // A negative time means now.
  const double before = static_cast<double>(::time(nullptr));
  fs::utimesSync(f, -1, -1e300);
  EXPECT_GE(fs::statSync(f).mtimeMs / 1000, before - 1);
  EXPECT_LE(fs::statSync(f).atimeMs / 1000, before + 5);
}

TEST(FsFdatasyncSync, SyncsAndReportsAsNode) {
  TestDir dir;
  int fd = fs::openSync(dir / "f", "w");
  fs::writeSync(fd, "abc");
  fs::fdatasyncSync(fd);
  fs::closeSync(fd);
  try {
    fs::fdatasyncSync(fd);  // closed
    FAIL() << "no throw";
  } catch (const vow::SystemError& e) {
    EXPECT_EQ(e.message(), "EBADF: bad file descriptor, fdatasync");
    EXPECT_EQ(e.errnum(), -9);
    EXPECT_EQ(e.syscall(), "fdatasync");
    EXPECT_FALSE(e.hasPath());
  }
  EXPECT_EQ(outOfRange([] { fs::fdatasyncSync(-1); }),
            "The value of \"fd\" is out of range. It must be >= 0 && <= 2147483647. Received -1");
}

TEST(FsLutimesSync, SetsTheLinksOwnTimesAsNode) {
  TestDir dir;
  fs::writeFileSync(dir / "f", "");
  fs::symlinkSync(dir / "f", dir / "l");
  const double target_mtime = fs::statSync(dir / "f").mtimeMs;
  fs::lutimesSync(dir / "l", 5, 6.5);
  EXPECT_DOUBLE_EQ(fs::lstatSync(dir / "l").mtimeMs, 6500);
  EXPECT_DOUBLE_EQ(fs::statSync(dir / "f").mtimeMs, target_mtime);
  try {
    fs::lutimesSync(dir / "m", 1, 1);
    FAIL() << "no throw";
  } catch (const vow::SystemError& e) {
    EXPECT_EQ(e.message(), "ENOENT: no such file or directory, lutime '" + (dir / "m") + "'");
    EXPECT_EQ(e.syscall(), "lutime");
  }
  EXPECT_EQ(typeErrorOf([&] { fs::lutimesSync(dir / "l", std::nan(""), 1); }),
            "The \"time\" argument must be an instance of Date or an Time in seconds. Received "
            "type number (NaN)");
}

TEST(SystemError, MessagesCodesAndStatuses) {
  vow::SystemError e(ENOTEMPTY, "rmdir", std::string("/x"));
  EXPECT_EQ(e.message(), "ENOTEMPTY: directory not empty, rmdir '/x'");
  EXPECT_EQ(e.errnum(), -39);
  EXPECT_EQ(e.toStatus().code(), absl::StatusCode::kFailedPrecondition);
  vow::SystemError r(-ENOENT, "rename", std::string("a"), std::string("b"));
  EXPECT_EQ(r.message(), "ENOENT: no such file or directory, rename 'a' -> 'b'");
  EXPECT_EQ(vow::SystemError(EACCES, "open", std::string("p")).toStatus().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(vow::SystemError(EEXIST, "mkdir").toStatus().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(vow::SystemError(EBADF, "close").message(), "EBADF: bad file descriptor, close");
  EXPECT_EQ(vow::errnoName(ELOOP), "ELOOP");
  EXPECT_EQ(vow::errnoDescription(EPERM), "operation not permitted");
  EXPECT_EQ(vow::errnoDescription(EIO), "i/o error");
  vow::Error as_error = e;
  EXPECT_EQ(as_error.code(), "ENOTEMPTY");
  EXPECT_EQ(as_error.status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
