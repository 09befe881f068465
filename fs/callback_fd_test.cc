// The callback API on file descriptors: fs.read's checks, fdatasync / lutimes, and open / read /
// write / close round trips and errors (moved from callback_test.cc, assertions unchanged).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "vow/fs/fs.h"
#include "vow/fs/internal/test_dir.h"
#include "vow/loop/loop.h"

namespace {

namespace fs = vow::fs;
using vow::Error;
using vow::fs::internal::TestDir;

const vow::SystemError& sys(const Error& e) { return vow::fs::internal::systemErrorOf(e); }

TEST(FsRead, RejectsPositionBelowMinusOneAsNode) {
  vow::Loop loop;
  TestDir dir;
  fs::writeFileSync(dir / "f", "abcdef");
  int fd = fs::openSync(dir / "f", "r");
  char buf[8];
  try {
    fs::read(fd, buf, 0, 4, -5, [](Error, std::size_t) { ADD_FAILURE(); });
    ADD_FAILURE() << "no throw";
  } catch (const vow::RangeError& e) {
    EXPECT_EQ(e.code(), "ERR_OUT_OF_RANGE");
    EXPECT_STREQ(e.what(),
                 "The value of \"position\" is out of range. It must be >= -1 && <= "
                 "9007199254740991. Received -5");
  }
  std::size_t n = 99;
  fs::read(fd, buf, 0, 4, -1, [&](Error err, std::size_t got) {
    EXPECT_FALSE(err);
    n = got;
  });
  loop.run();
  EXPECT_EQ(n, 4u);
  fs::closeSync(fd);
}

TEST(FsFdatasyncAndLutimes, CallbackFormsReportLikeNode) {
  vow::Loop loop;
  TestDir dir;
  fs::writeFileSync(dir / "f", "");
  fs::symlinkSync(dir / "f", dir / "l");
  int fd = fs::openSync(dir / "f", "r+");
  Error a, b, c, d;
  fs::fdatasync(fd, [&](Error err) { a = err; });
  fs::fdatasync(1 << 30, [&](Error err) { b = err; });
  fs::lutimes(dir / "l", 7, 8.25, [&](Error err) { c = err; });
  fs::lutimes(dir / "m", 7, 8, [&](Error err) { d = err; });
  EXPECT_THROW(fs::lutimes(dir / "l", 1, INFINITY, [](Error) {}), vow::TypeError);
  EXPECT_THROW(fs::fdatasync(-1, [](Error) {}), vow::RangeError);
  loop.run();
  fs::closeSync(fd);
  EXPECT_FALSE(a);
  EXPECT_EQ(b.message(), "EBADF: bad file descriptor, fdatasync");
  EXPECT_FALSE(c);
  EXPECT_DOUBLE_EQ(fs::lstatSync(dir / "l").mtimeMs, 8250);
  EXPECT_EQ(d.message(), "ENOENT: no such file or directory, lutime '" + (dir / "m") + "'");
  EXPECT_EQ(sys(d).path(), dir / "m");
}

TEST(FsOpenReadWriteClose, RoundTrip) {
  vow::Loop loop;
  TestDir dir;
  std::string buffer(8, '.');
  std::size_t written = 0, got = 0;
  Error close_err = vow::Exception("unset");
  fs::open(dir / "f", "w+", [&](Error err, int fd) {
    ASSERT_FALSE(err);
    fs::write(fd, "abcdef", [&, fd](Error err, std::size_t n) {
      EXPECT_FALSE(err);
      written = n;
      fs::read(fd, std::span<char>(buffer), 2, 4, 1, [&, fd](Error err, std::size_t n) {
        EXPECT_FALSE(err);
        got = n;
        fs::close(fd, [&](Error err) { close_err = err; });
      });
    });
  });
  loop.run();
  EXPECT_EQ(written, 6u);
  EXPECT_EQ(got, 4u);
  EXPECT_EQ(buffer, "..bcde..");
  EXPECT_FALSE(close_err);
}

TEST(FsOpenReadWriteClose, ErrorsAndArgumentChecks) {
  vow::Loop loop;
  TestDir dir;
  Error a, b, c;
  fs::open(dir / "m", [&](Error err, int) { a = err; });
  // Two different bad fds: jobs run in parallel, and a close racing a write on one fd is a
  // race (TSan says so) even when the fd is not open.
  fs::close(100000, [&](Error err) { b = err; });
  fs::write(100001, "x", [&](Error err, std::size_t) { c = err; });
  loop.run();
  EXPECT_EQ(a.message(), "ENOENT: no such file or directory, open '" + (dir / "m") + "'");
  EXPECT_EQ(b.message(), "EBADF: bad file descriptor, close");
  EXPECT_EQ(c.message(), "EBADF: bad file descriptor, write");
  std::string buf(4, 0);
  try {
    fs::read(0, std::span<char>(buf), 0, -1, 0, [](Error, std::size_t) {});
    FAIL();
  } catch (const vow::RangeError& e) {
    EXPECT_EQ(e.code(), "ERR_OUT_OF_RANGE");
    EXPECT_EQ(e.message(), "The value of \"length\" is out of range. It must be >= 0. Received -1");
  }
  try {
    fs::read(0, std::span<char>(buf), 0, 8, 0, [](Error, std::size_t) {});
    FAIL();
  } catch (const vow::RangeError& e) {
    EXPECT_EQ(e.message(), "The value of \"length\" is out of range. It must be <= 4. Received 8");
  }
  try {
    fs::close(-1, [](Error) {});
    FAIL();
  } catch (const vow::RangeError& e) {
    EXPECT_EQ(e.message(),
              "The value of \"fd\" is out of range. It must be >= 0 && <= 2147483647. Received -1");
  }
  try {
    fs::open(dir / "f", "rx", [](Error, int) {});
    FAIL();
  } catch (const vow::TypeError& e) {
    EXPECT_EQ(e.message(), "The argument 'flags' is invalid. Received 'rx'");
  }
  try {
    fs::rename("a", std::string("b\0", 2), [](Error) {});
    FAIL();
  } catch (const vow::TypeError& e) {
    EXPECT_EQ(e.message(),
              "The argument 'newPath' must be a string, Uint8Array, or URL without null bytes. "
              "Received 'b\\x00'");
  }
}

}  // namespace
