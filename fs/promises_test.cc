// fs::promises (the callback API through vow::promisify) and FileHandle, with coroutines.
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "vow/fs/fs.h"
#include "vow/fs/internal/test_dir.h"
#include "vow/loop/loop.h"

namespace {

namespace fs = vow::fs;
namespace fsp = vow::fs::promises;
using vow::Error;
using vow::Promise;
using vow::fs::internal::TestDir;

// Runs a coroutine test body on its own loop; rethrows a failure.
template <class F>
void runAsync(F body) {
  vow::Loop loop;
  Error failure;
  bool finished = false;
  body().then([&] { finished = true; }, [&](const Error& e) { failure = e; });
  loop.run();
  if (failure) failure.rethrow();
  EXPECT_TRUE(finished);
}

TEST(FsPromisesReadFile, WriteThenReadBack) {
  TestDir dir;
  runAsync([&]() -> Promise<void> {
    co_await fsp::writeFile(dir / "a", "hello");
    co_await fsp::appendFile(dir / "a", " world");
    EXPECT_EQ(co_await fsp::readFile(dir / "a"), std::string("hello world"));
  });
}

TEST(FsPromisesReadFile, MissingFileRejectsWithSystemError) {
  TestDir dir;
  runAsync([&]() -> Promise<void> {
    try {
      co_await fsp::readFile(dir / "missing.txt");
      ADD_FAILURE() << "resolved";
    } catch (const vow::SystemError& e) {
      EXPECT_EQ(e.code(), std::string("ENOENT"));
      EXPECT_EQ(e.errnum(), -2);
      EXPECT_EQ(e.message(),
                "ENOENT: no such file or directory, open '" + (dir / "missing.txt") + "'");
    }
  });
}

TEST(FsPromisesReadFile, InvalidArgumentRejectsInsteadOfThrowing) {
  runAsync([&]() -> Promise<void> {
    Promise<vow::Buffer> p = fsp::readFile(std::string("a\0", 2));  // does not throw
    try {
      co_await p;
      ADD_FAILURE() << "resolved";
    } catch (const vow::TypeError& e) {
      EXPECT_EQ(e.code(), std::string("ERR_INVALID_ARG_VALUE"));
    }
  });
}

TEST(FsPromisesOpen, InvalidFlagsRejectInsteadOfThrowing) {
  TestDir dir;
  runAsync([&]() -> Promise<void> {
    Promise<fsp::FileHandle> p = fsp::open(dir / "f", "bogus");  // does not throw
    try {
      co_await p;
      ADD_FAILURE() << "resolved";
    } catch (const vow::TypeError& e) {
      EXPECT_EQ(e.code(), std::string("ERR_INVALID_ARG_VALUE"));
      EXPECT_EQ(e.message(), "The argument 'flags' is invalid. Received 'bogus'");
    }
  });
}

TEST(FsPromisesOpen, AHandleNobodyTakesClosesItsFd) {
  TestDir dir;
  fs::writeFileSync(dir / "f", "x");
  const std::size_t before = fs::readdirSync("/proc/self/fd").size();
  {
    vow::Loop loop;
    bool opened = false;
    (void)fsp::open(dir / "f");  // dropped at once: the fd arrives with nobody to take it
    fsp::open(dir / "f").then([&](const fsp::FileHandle& fh) { opened = fh.fd() >= 0; });
    loop.run();
    EXPECT_TRUE(opened);
  }
  EXPECT_EQ(fs::readdirSync("/proc/self/fd").size(), before);
}

TEST(FsPromisesDirs, MkdirReaddirStatRmdirRm) {
  TestDir dir;
  runAsync([&]() -> Promise<void> {
    auto first = co_await fsp::mkdir(dir / "x/y", {.recursive = true});
    EXPECT_EQ(first, dir / "x");
    EXPECT_FALSE((co_await fsp::mkdir(dir / "x/y", {.recursive = true})).has_value());
    co_await fsp::writeFile(dir / "x/f", "abc");
    std::vector<std::string> names = co_await fsp::readdir(dir / "x");
    EXPECT_EQ(names.size(), 2u);
    EXPECT_EQ(names[0] + names[1], std::string("fy"));
    auto entries = co_await fsp::readdir(dir / "x", fs::withFileTypes);
    EXPECT_TRUE(entries[0].isFile());
    EXPECT_TRUE(entries[1].isDirectory());
    auto st = co_await fsp::stat(dir / "x/f");
    EXPECT_EQ(st.size, 3);
    co_await fsp::rmdir(dir / "x/y");
    try {
      co_await fsp::rmdir(dir / "x");
      ADD_FAILURE();
    } catch (const vow::SystemError& e) {
      EXPECT_EQ(e.code(), std::string("ENOTEMPTY"));
    }
    co_await fsp::rm(dir / "x", {.recursive = true});
    co_await fsp::rm(dir / "x", {.recursive = true, .force = true});
    try {
      co_await fsp::stat(dir / "x");
      ADD_FAILURE();
    } catch (const vow::SystemError& e) {
      EXPECT_EQ(e.syscall(), std::string("stat"));
    }
  });
}

TEST(FsPromisesFiles, RenameCopyLinkAccessChmodTruncateUtimesRealpathMkdtemp) {
  TestDir dir;
  runAsync([&]() -> Promise<void> {
    co_await fsp::writeFile(dir / "a", "12345");
    co_await fsp::rename(dir / "a", dir / "b");
    co_await fsp::copyFile(dir / "b", dir / "c");
    co_await fsp::symlink("c", dir / "l");
    EXPECT_EQ(co_await fsp::readlink(dir / "l"), std::string("c"));
    EXPECT_TRUE((co_await fsp::lstat(dir / "l")).isSymbolicLink());
    co_await fsp::link(dir / "c", dir / "h");
    co_await fsp::access(dir / "h");
    co_await fsp::chmod(dir / "h", 0640);
    co_await fsp::truncate(dir / "h", 3);
    co_await fsp::utimes(dir / "h", 10, 20);
    auto st = co_await fsp::stat(dir / "c");
    EXPECT_EQ(st.size, 3);
    EXPECT_EQ(st.mode & 0777, 0640u);
    EXPECT_EQ(st.mtimeMs, 20000);
    EXPECT_EQ(co_await fsp::realpath(dir / "l"), fs::realpathSync(dir / "c"));
    std::string tmp = co_await fsp::mkdtemp(dir / "t-");
    EXPECT_TRUE(fs::statSync(tmp).isDirectory());
    co_await fsp::unlink(dir / "h");
    try {
      co_await fsp::unlink(dir / "h");
      ADD_FAILURE();
    } catch (const vow::SystemError& e) {
      EXPECT_EQ(e.message(), "ENOENT: no such file or directory, unlink '" + (dir / "h") + "'");
    }
    try {
      co_await fsp::copyFile(dir / "b", dir / "c", fs::constants::COPYFILE_EXCL);
      ADD_FAILURE();
    } catch (const vow::SystemError& e) {
      EXPECT_EQ(e.code(), std::string("EEXIST"));
      EXPECT_EQ(e.dest(), dir / "c");
    }
    try {
      co_await fsp::access(dir / "nope");
      ADD_FAILURE();
    } catch (const vow::SystemError& e) {
      EXPECT_EQ(e.syscall(), std::string("access"));
    }
  });
}

TEST(FsPromisesFileHandle, ReadWriteStatTruncateClose) {
  TestDir dir;
  runAsync([&]() -> Promise<void> {
    fsp::FileHandle fh = co_await fsp::open(dir / "f", "w+");
    EXPECT_GE(fh.fd(), 0);
    EXPECT_EQ(co_await fh.write("hello world"), 11u);
    std::string buf(5, '.');
    EXPECT_EQ(co_await fh.read(std::span<char>(buf), 0, 5, 6), 5u);
    EXPECT_EQ(buf, std::string("world"));
    EXPECT_EQ((co_await fh.stat()).size, 11);
    co_await fh.truncate(5);
    co_await fh.sync();
    co_await fh.close();
    EXPECT_EQ(fh.fd(), -1);
    co_await fh.close();  // closing twice is fine
    try {
      co_await fh.readFile();
      ADD_FAILURE();
    } catch (const vow::SystemError& e) {
      EXPECT_EQ(e.code(), std::string("EBADF"));
    }
    EXPECT_EQ(fs::readFileSync(dir / "f"), std::string("hello"));
    fsp::FileHandle r = co_await fsp::open(dir / "f");
    EXPECT_EQ(co_await r.readFile(), std::string("hello"));
    co_await r.close();
    try {
      co_await fsp::open(dir / "missing");
      ADD_FAILURE();
    } catch (const vow::SystemError& e) {
      EXPECT_EQ(e.syscall(), std::string("open"));
    }
  });
}

TEST(FsPromisesReadFile, ManyConcurrent) {
  TestDir dir;
  fs::writeFileSync(dir / "f", std::string(4096, 'z'));
  vow::Loop loop;
  int ok = 0;
  for (int i = 0; i < 10000; ++i) {
    fsp::readFile(dir / "f").then([&](const vow::Buffer& s) { ok += s.size() == 4096; });
  }
  loop.run();
  EXPECT_EQ(ok, 10000);
}

TEST(FsPromisesUtimes, RejectsNanAndReadsFromTheCurrentPositionAsNode) {
  runAsync([]() -> Promise<void> {
    TestDir dir;
    fs::writeFileSync(dir / "f", "abcdef");
    Error err;
    try {
      co_await fsp::utimes(dir / "f", std::nan(""), 1);
    } catch (...) {
      err = Error::current();
    }
    EXPECT_EQ(err.name(), "TypeError");
    EXPECT_EQ(err.code(), "ERR_INVALID_ARG_TYPE");
    // filehandle.read does not check the position: a negative one reads at the current one.
    fsp::FileHandle h = co_await fsp::open(dir / "f", "r");
    char buf[4];
    EXPECT_EQ(co_await h.read(buf, 0, 2, -5), 2u);
    EXPECT_EQ(co_await h.read(buf, 0, 2, -1), 2u);
    EXPECT_EQ(std::string(buf, 2), "cd");
    co_await h.close();
  });
}

TEST(FsPromisesLutimes, SetsTheLinkAndRejectsLikeNode) {
  runAsync([]() -> Promise<void> {
    TestDir dir;
    fs::writeFileSync(dir / "f", "");
    fs::symlinkSync(dir / "f", dir / "l");
    co_await fsp::lutimes(dir / "l", 3, 4.5);
    EXPECT_DOUBLE_EQ(fs::lstatSync(dir / "l").mtimeMs, 4500);
    Error err;
    try {
      co_await fsp::lutimes(dir / "m", 1, 1);
    } catch (...) {
      err = Error::current();
    }
    EXPECT_EQ(err.message(), "ENOENT: no such file or directory, lutime '" + (dir / "m") + "'");
    fsp::FileHandle h = co_await fsp::open(dir / "f", "r+");
    co_await h.datasync();
    co_await h.close();
    err = Error();
    try {
      co_await h.datasync();  // closed: EBADF, as Node's (whose message is "file closed")
    } catch (...) {
      err = Error::current();
    }
    EXPECT_EQ(err.code(), "EBADF");
  });
}

// FileHandle.utimes / .chmod / .chown: from the futimes, fchmod, fchown descriptors.
TEST(FsPromisesFileHandle, UtimesChmodChownReportLikeNode) {
  TestDir dir;
  fs::writeFileSync(dir / "f", "abc");
  std::vector<std::string> log;
  runAsync([&]() -> Promise<void> {
    fsp::FileHandle fh = co_await fsp::open(dir / "f", "r+");
    co_await fh.utimes(5, 6);
    co_await fh.chmod(0640);
    co_await fh.chown(-1, -1);
    const fs::Stats st = co_await fh.stat();
    log.push_back(std::to_string(st.atimeMs) + " " + std::to_string(st.mtimeMs) + " " +
                  std::to_string(st.mode & 0777));
    try {
      co_await fh.chown(-2, 0);
    } catch (const vow::RangeError& e) {
      log.push_back(e.code() + " " + e.what());
    }
    try {
      co_await fh.utimes(1e30, 1);
    } catch (const vow::SystemError& e) {
      log.push_back(e.what());
    }
    co_await fh.close();
  });
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0], "5000.000000 6000.000000 416");  // 0640
  EXPECT_EQ(log[1],
            "ERR_OUT_OF_RANGE The value of \"uid\" is out of range. It must be >= -1 && <= "
            "4294967295. Received -2");
  EXPECT_EQ(log[2], "EINVAL: invalid argument, futime");
}

}  // namespace
