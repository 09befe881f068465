// The forms that come with a descriptor's one declaration (internal/operations.inc) and that vow
// lacked before: readFileSync(fd), writeFileSync(fd, data), fs.ftruncate(fd, cb). Expected
// values and messages are Node 20's.
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

}  // namespace
