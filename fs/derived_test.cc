// fs.futimes, fs.fchmod and fs.statfs (one declaration each), and the forms that come with a
// descriptor's one declaration (internal/operations.inc) and that vow lacked before:
// readFileSync(fd), writeFileSync(fd, data), fs.ftruncate(fd, cb). Expected values and messages are
// Node 20's.
#include <sys/statfs.h>

#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include "gtest/gtest.h"
#include "vow/fs/fs.h"
#include "vow/fs/internal/test_dir.h"
#include "vow/loop/loop.h"

namespace {

namespace fs = vow::fs;
using vow::fs::internal::TestDir;

TEST(FsDerivedForms, ReadFileSyncAndWriteFileSyncOfAnFd) {
  TestDir dir;
  fs::writeFileSync(dir / "f", "abcdef");
  const int fd = fs::openSync(dir / "f", "r+");
  std::string two(2, '.');
  fs::readSync(fd, std::span<char>(two), 0, 2);
  // Node: readFileSync(fd) reads from the fd's current position, writeFileSync(fd) writes there.
  EXPECT_EQ(fs::readFileSync(fd), "cdef");
  fs::writeFileSync(fd, std::string_view("XY"));
  EXPECT_EQ(fs::readFileSync(dir / "f"), "abcdefXY");
  fs::closeSync(fd);
  try {
    fs::readFileSync(fd);
    ADD_FAILURE() << "no throw";
  } catch (const vow::SystemError& e) {
    EXPECT_EQ(e.code(), "EBADF");
    EXPECT_EQ(e.syscall(), "fstat");
    EXPECT_EQ(std::string(e.what()), "EBADF: bad file descriptor, fstat");
  }
  try {
    fs::writeFileSync(fd, "x");
    ADD_FAILURE() << "no throw";
  } catch (const vow::SystemError& e) {
    EXPECT_EQ(e.code(), "EBADF");
    EXPECT_EQ(std::string(e.what()), "EBADF: bad file descriptor, write");
  }
  try {
    fs::readFileSync(-1);
    ADD_FAILURE() << "no throw";
  } catch (const vow::RangeError& e) {
    EXPECT_EQ(e.code(), "ERR_OUT_OF_RANGE");
    EXPECT_EQ(std::string(e.what()),
              "The value of \"fd\" is out of range. It must be >= 0 && <= 2147483647. Received -1");
  }
}

TEST(FsDerivedForms, FtruncateWithoutLengthTruncatesToZero) {
  vow::Loop loop;
  TestDir dir;
  fs::writeFileSync(dir / "f", "abcdef");
  const int fd = fs::openSync(dir / "f", "r+");
  bool called = false;
  fs::ftruncate(fd, [&](vow::Error err) {
    called = true;
    EXPECT_FALSE(err);
  });
  loop.run();
  EXPECT_TRUE(called);
  EXPECT_EQ(fs::fstatSync(fd).size, 0);
  fs::closeSync(fd);
}

TEST(FsFutimesFchmod, SyncAndCallbackFormsReportLikeNode) {
  vow::Loop loop;
  TestDir dir;
  fs::writeFileSync(dir / "f", "abc");
  const int fd = fs::openSync(dir / "f", "r+");
  fs::futimesSync(fd, 1000.5, 2000.25);
  EXPECT_EQ(fs::fstatSync(fd).atimeMs, 1000500);
  EXPECT_EQ(fs::fstatSync(fd).mtimeMs, 2000250);
  fs::fchmodSync(fd, 0600);
  EXPECT_EQ(fs::fstatSync(fd).mode & 0777, 0600u);
  try {
    fs::futimesSync(fd, std::nan(""), 1);
    ADD_FAILURE() << "no throw";
  } catch (const vow::TypeError& e) {
    EXPECT_EQ(e.code(), "ERR_INVALID_ARG_TYPE");
    EXPECT_EQ(std::string(e.what()),
              "The \"atime\" argument must be an instance of Date or an Time in seconds. "
              "Received type number (NaN)");
  }
  try {
    fs::futimesSync(fd, 1, -std::numeric_limits<double>::infinity());
    ADD_FAILURE() << "no throw";
  } catch (const vow::TypeError& e) {
    EXPECT_EQ(std::string(e.what()),
              "The \"mtime\" argument must be an instance of Date or an Time in seconds. "
              "Received type number (-Infinity)");
  }
  try {
    fs::futimesSync(fd, 1e30, 1);
    ADD_FAILURE() << "no throw";
  } catch (const vow::SystemError& e) {
    EXPECT_EQ(std::string(e.what()), "EINVAL: invalid argument, futime");
  }
  EXPECT_THROW(fs::fchmod(-1, 0600, [](vow::Error) {}), vow::RangeError);
  fs::closeSync(fd);
  std::optional<std::string> futime_err, fchmod_err;
  fs::futimes(fd, 1, 1, [&](vow::Error err) { futime_err = err.message(); });
  fs::fchmod(fd, 0600, [&](vow::Error err) { fchmod_err = err.message(); });
  loop.run();
  EXPECT_EQ(futime_err, "EBADF: bad file descriptor, futime");
  EXPECT_EQ(fchmod_err, "EBADF: bad file descriptor, fchmod");
  try {
    fs::fchmodSync(fd, 0600);
    ADD_FAILURE() << "no throw";
  } catch (const vow::SystemError& e) {
    EXPECT_EQ(e.code(), "EBADF");
    EXPECT_EQ(e.syscall(), "fchmod");
  }
}

TEST(FsStatfs, AllThreeFormsGiveTheFileSystemsFiguresAndNodesErrors) {
  vow::Loop loop;
  TestDir dir;
  struct statfs want;
  ASSERT_EQ(::statfs(dir.path().c_str(), &want), 0);
  const fs::StatFs s = fs::statfsSync(dir.path());
  EXPECT_EQ(s.type, static_cast<std::int64_t>(want.f_type));
  EXPECT_EQ(s.bsize, static_cast<std::int64_t>(want.f_bsize));
  EXPECT_EQ(s.blocks, static_cast<std::int64_t>(want.f_blocks));
  EXPECT_EQ(s.files, static_cast<std::int64_t>(want.f_files));
  std::optional<std::int64_t> cb_bsize, promise_blocks;
  std::optional<std::string> cb_err;
  fs::statfs(dir.path(), [&](vow::Error err, const fs::StatFs& st) {
    EXPECT_FALSE(err);
    cb_bsize = st.bsize;
  });
  fs::statfs(dir / "missing/x", [&](vow::Error err, const fs::StatFs&) { cb_err = err.message(); });
  fs::promises::statfs(dir.path()).then([&](const fs::StatFs& st) { promise_blocks = st.blocks; });
  loop.run();
  EXPECT_EQ(cb_bsize, s.bsize);
  EXPECT_EQ(promise_blocks, s.blocks);
  EXPECT_EQ(cb_err, "ENOENT: no such file or directory, statfs '" + (dir / "missing/x") + "'");
  try {
    fs::statfsSync(std::string("a\0b", 3));
    ADD_FAILURE() << "no throw";
  } catch (const vow::TypeError& e) {
    EXPECT_EQ(e.code(), "ERR_INVALID_ARG_VALUE");
    EXPECT_EQ(std::string(e.what()),
              "The argument 'path' must be a string, Uint8Array, or URL without null bytes. "
              "Received 'a\\x00b'");
  }
}

}  // namespace
