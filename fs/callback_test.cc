// The callback API: every operation, success and failure, callbacks on the loop thread.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <optional>
#include <string>
#include <thread>
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

TEST(FsReadFile, ReadsWholeFileAsBytes) {
  vow::Loop loop;
  TestDir dir;
  std::string content(100000, 'x');
  content[5] = '\0';
  fs::writeFileSync(dir / "a", content);
  std::string got;
  bool called = false;
  fs::readFile(dir / "a", [&](Error err, vow::Buffer data) {
    EXPECT_FALSE(err);
    got = std::move(data);
    called = true;
  });
  EXPECT_FALSE(called);  // never synchronous
  loop.run();
  EXPECT_TRUE(called);
  EXPECT_EQ(got, content);
}

TEST(FsReadFile, MissingFileGivesEnoentWithNodesMessage) {
  vow::Loop loop;
  TestDir dir;
  Error error;
  std::string data = "unset";
  fs::readFile(dir / "missing.txt", [&](Error err, vow::Buffer d) {
    error = err;
    data = d;
  });
  loop.run();
  ASSERT_TRUE(error);
  EXPECT_EQ(data, "");
  EXPECT_EQ(sys(error).code(), "ENOENT");
  EXPECT_EQ(sys(error).errnum(), -2);
  EXPECT_EQ(sys(error).syscall(), "open");
  EXPECT_EQ(sys(error).path(), dir / "missing.txt");
  EXPECT_EQ(error.message(),
            "ENOENT: no such file or directory, open '" + (dir / "missing.txt") + "'");
  EXPECT_EQ(error.status().code(), absl::StatusCode::kNotFound);
}

TEST(FsReadFile, DirectoryGivesEisdirWithoutPath) {
  vow::Loop loop;
  TestDir dir;
  Error error;
  fs::readFile(dir.path(), [&](Error err, vow::Buffer) { error = err; });
  loop.run();
  EXPECT_EQ(error.message(), "EISDIR: illegal operation on a directory, read");
  EXPECT_FALSE(sys(error).hasPath());
}

TEST(FsReadFile, EmptyPathIsEnoentLikeNode) {
  vow::Loop loop;
  Error error;
  fs::readFile("", [&](Error err, vow::Buffer) { error = err; });
  loop.run();
  EXPECT_EQ(error.message(), "ENOENT: no such file or directory, open ''");
}

TEST(FsReadFile, NulByteThrowsTypeErrorBeforeAnyIo) {
  vow::Loop loop;
  bool called = false;
  try {
    fs::readFile(std::string("a\0b", 3), [&](Error, vow::Buffer) { called = true; });
    FAIL() << "no throw";
  } catch (const vow::TypeError& e) {
    EXPECT_EQ(e.code(), "ERR_INVALID_ARG_VALUE");
    EXPECT_EQ(e.message(),
              "The argument 'path' must be a string, Uint8Array, or URL without null bytes. "
              "Received 'a\\x00b'");
  }
  loop.run();
  EXPECT_FALSE(called);
}

TEST(FsReadFile, BadFlagThrows) {
  vow::Loop loop;
  EXPECT_THROW(fs::readFile("x", {.flag = "xyz"}, [](Error, vow::Buffer) {}), vow::TypeError);
}

TEST(FsReadFile, TenThousandConcurrentReadsDoNotRunOutOfFds) {
  vow::Loop loop;
  TestDir dir;
  for (int i = 0; i < 100; ++i)
    fs::writeFileSync(dir / std::to_string(i), std::string(4096, 'a' + i % 26));
  int ok = 0;
  int failed = 0;
  for (int i = 0; i < 10000; ++i) {
    fs::readFile(dir / std::to_string(i % 100), [&, i](Error err, vow::Buffer data) {
      if (err || data != std::string(4096, 'a' + (i % 100) % 26)) {
        ++failed;
      } else {
        ++ok;
      }
    });
  }
  loop.run();
  EXPECT_EQ(ok, 10000);
  EXPECT_EQ(failed, 0);
}

TEST(FsReadFile, CallbackRunsOnTheLoopThread) {
  vow::Loop loop;
  TestDir dir;
  fs::writeFileSync(dir / "a", "x");
  std::thread::id where;
  fs::readFile(dir / "a", [&](Error, vow::Buffer) { where = std::this_thread::get_id(); });
  loop.run();
  EXPECT_EQ(where, std::this_thread::get_id());
}

TEST(FsWriteFile, CreatesTruncatesAndAppends) {
  vow::Loop loop;
  TestDir dir;
  std::vector<std::string> log;
  fs::writeFile(dir / "f", "hello world", [&](Error err) {
    EXPECT_FALSE(err);
    fs::writeFile(dir / "f", "new", [&](Error err) {
      EXPECT_FALSE(err);
      fs::appendFile(dir / "f", "er", [&](Error err) {
        EXPECT_FALSE(err);
        fs::readFile(dir / "f", "utf8", [&](Error, std::string d) { log.push_back(d); });
      });
    });
  });
  loop.run();
  EXPECT_EQ(log, std::vector<std::string>{"newer"});
}

TEST(FsWriteFile, ExclusiveFlagOnExistingFileGivesEexist) {
  vow::Loop loop;
  TestDir dir;
  fs::writeFileSync(dir / "f", "x");
  Error error;
  fs::writeFile(dir / "f", "y", {.flag = "wx"}, [&](Error err) { error = err; });
  loop.run();
  EXPECT_EQ(error.message(), "EEXIST: file already exists, open '" + (dir / "f") + "'");
}

TEST(FsWriteFile, DirectoryGivesEisdirOnOpen) {
  vow::Loop loop;
  TestDir dir;
  Error error;
  fs::appendFile(dir.path(), "x", [&](Error err) { error = err; });
  loop.run();
  EXPECT_EQ(error.message(), "EISDIR: illegal operation on a directory, open '" + dir.path() + "'");
}

TEST(FsReaddir, NamesSortedWithoutDots) {
  vow::Loop loop;
  TestDir dir;
  for (auto n : {"b", "a", "c"}) fs::writeFileSync(dir / n, "");
  fs::mkdirSync(dir / "d");
  std::vector<std::string> names;
  std::vector<fs::Dirent> entries;
  fs::readdir(dir.path(), [&](Error err, std::vector<std::string> n) {
    EXPECT_FALSE(err);
    names = n;
  });
  fs::readdir(dir.path(), fs::withFileTypes, [&](Error err, std::vector<fs::Dirent> e) {
    EXPECT_FALSE(err);
    entries = e;
  });
  loop.run();
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "c", "d"}));
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_TRUE(entries[0].isFile());
  EXPECT_TRUE(entries[3].isDirectory());
  EXPECT_EQ(entries[3].name, "d");
}

TEST(FsReaddir, FileGivesEnotdirScandir) {
  vow::Loop loop;
  TestDir dir;
  fs::writeFileSync(dir / "f", "");
  Error error;
  fs::readdir(dir / "f", [&](Error err, std::vector<std::string>) { error = err; });
  loop.run();
  EXPECT_EQ(error.message(), "ENOTDIR: not a directory, scandir '" + (dir / "f") + "'");
}

TEST(FsStat, FileDirectoryAndSymlink) {
  vow::Loop loop;
  TestDir dir;
  fs::writeFileSync(dir / "f", "12345");
  fs::symlinkSync("f", dir / "l");
  fs::Stats f, d, l, ls;
  fs::stat(dir / "f", [&](Error err, fs::Stats s) {
    EXPECT_FALSE(err);
    f = s;
  });
  fs::stat(dir.path(), [&](Error, fs::Stats s) { d = s; });
  fs::stat(dir / "l", [&](Error, fs::Stats s) { l = s; });
  fs::lstat(dir / "l", [&](Error, fs::Stats s) { ls = s; });
  loop.run();
  EXPECT_TRUE(f.isFile());
  EXPECT_EQ(f.size, 5);
  EXPECT_GT(f.mtimeMs, 1e12);
  EXPECT_TRUE(d.isDirectory());
  EXPECT_TRUE(l.isFile());
  EXPECT_TRUE(ls.isSymbolicLink());
}

TEST(FsStat, MissingGivesEnoentStatAndLstat) {
  vow::Loop loop;
  TestDir dir;
  Error a, b, c;
  fs::stat(dir / "m", [&](Error err, fs::Stats) { a = err; });
  fs::lstat(dir / "m", [&](Error err, fs::Stats) { b = err; });
  fs::fstat(100000, [&](Error err, fs::Stats) { c = err; });
  loop.run();
  EXPECT_EQ(a.message(), "ENOENT: no such file or directory, stat '" + (dir / "m") + "'");
  EXPECT_EQ(b.message(), "ENOENT: no such file or directory, lstat '" + (dir / "m") + "'");
  EXPECT_EQ(c.message(), "EBADF: bad file descriptor, fstat");
}

TEST(FsMkdir, RecursiveReturnsFirstCreated) {
  vow::Loop loop;
  TestDir dir;
  std::optional<std::string> first, again;
  fs::mkdir(dir / "a/b/c", {.recursive = true}, [&](Error err, std::optional<std::string> f) {
    EXPECT_FALSE(err);
    first = f;
    fs::mkdir(dir / "a/b/c", {.recursive = true}, [&](Error err, std::optional<std::string> f) {
      EXPECT_FALSE(err);
      again = f;
    });
  });
  loop.run();
  EXPECT_EQ(first, dir / "a");
  EXPECT_FALSE(again.has_value());
  EXPECT_TRUE(fs::statSync(dir / "a/b/c").isDirectory());
}

TEST(FsMkdir, ExistingGivesEexistAndThroughAFileGivesEnotdir) {
  vow::Loop loop;
  TestDir dir;
  fs::writeFileSync(dir / "f", "");
  Error a, b, c;
  fs::mkdir(dir.path(), [&](Error err, std::optional<std::string>) { a = err; });
  fs::mkdir(dir / "f/x", {.recursive = true},
            [&](Error err, std::optional<std::string>) { b = err; });
  fs::mkdir(dir / "f", {.recursive = true},
            [&](Error err, std::optional<std::string>) { c = err; });
  loop.run();
  EXPECT_EQ(a.message(), "EEXIST: file already exists, mkdir '" + dir.path() + "'");
  EXPECT_EQ(b.message(), "ENOTDIR: not a directory, mkdir '" + (dir / "f/x") + "'");
  EXPECT_EQ(sys(c).code(), "EEXIST");
}

TEST(FsMkdtemp, CreatesUniqueDirectoryAndReportsTemplateOnError) {
  vow::Loop loop;
  TestDir dir;
  std::string made;
  Error error;
  fs::mkdtemp(dir / "p-", [&](Error err, std::string d) {
    EXPECT_FALSE(err);
    made = d;
  });
  fs::mkdtemp(dir / "no/p-", [&](Error err, std::string) { error = err; });
  loop.run();
  EXPECT_EQ(made.size(), (dir / "p-").size() + 6);
  EXPECT_TRUE(fs::statSync(made).isDirectory());
  EXPECT_EQ(error.message(),
            "ENOENT: no such file or directory, mkdtemp '" + (dir / "no/p-XXXXXX") + "'");
}

TEST(FsRmdir, RemovesEmptyAndRefusesNonEmpty) {
  vow::Loop loop;
  TestDir dir;
  fs::mkdirSync(dir / "e");
  fs::mkdirSync(dir / "n");
  fs::writeFileSync(dir / "n/f", "");
  Error a, b;
  fs::rmdir(dir / "e", [&](Error err) { a = err; });
  fs::rmdir(dir / "n", [&](Error err) { b = err; });
  loop.run();
  EXPECT_FALSE(a);
  EXPECT_FALSE(fs::existsSync(dir / "e"));
  EXPECT_EQ(b.message(), "ENOTEMPTY: directory not empty, rmdir '" + (dir / "n") + "'");
}

TEST(FsRm, RecursiveForceAndErrors) {
  vow::Loop loop;
  TestDir dir;
  fs::mkdirSync(dir / "t/u/v", {.recursive = true});
  fs::writeFileSync(dir / "t/u/v/f", "x");
  fs::writeFileSync(dir / "t/g", "x");
  Error a, b, c, d;
  fs::rm(dir / "t", {.recursive = true}, [&](Error err) { a = err; });
  fs::rm(dir / "missing", {.force = true}, [&](Error err) { b = err; });
  fs::rm(dir / "missing", [&](Error err) { c = err; });
  fs::mkdirSync(dir / "d");
  fs::rm(dir / "d", [&](Error err) { d = err; });
  loop.run();
  EXPECT_FALSE(a);
  EXPECT_FALSE(fs::existsSync(dir / "t"));
  EXPECT_FALSE(b);
  EXPECT_EQ(c.message(), "ENOENT: no such file or directory, lstat '" + (dir / "missing") + "'");
  EXPECT_EQ(d.code(), "ERR_FS_EISDIR");
  EXPECT_EQ(d.message(), "Path is a directory: rm returned EISDIR (is a directory) " + (dir / "d"));
}

TEST(FsUnlink, RemovesFileAndReportsMissing) {
  vow::Loop loop;
  TestDir dir;
  fs::writeFileSync(dir / "f", "");
  Error a, b;
  fs::unlink(dir / "f", [&](Error err) { a = err; });
  fs::unlink(dir / "m", [&](Error err) { b = err; });
  loop.run();
  EXPECT_FALSE(a);
  EXPECT_EQ(b.message(), "ENOENT: no such file or directory, unlink '" + (dir / "m") + "'");
}

TEST(FsRename, MovesAndReportsBothPaths) {
  vow::Loop loop;
  TestDir dir;
  fs::writeFileSync(dir / "a", "1");
  Error a, b;
  fs::rename(dir / "a", dir / "b", [&](Error err) { a = err; });
  loop.run();
  fs::rename(dir / "a", dir / "c", [&](Error err) { b = err; });
  loop.run();
  EXPECT_FALSE(a);
  EXPECT_EQ(fs::readFileSync(dir / "b"), "1");
  EXPECT_EQ(b.message(), "ENOENT: no such file or directory, rename '" + (dir / "a") + "' -> '" +
                             (dir / "c") + "'");
  EXPECT_EQ(sys(b).dest(), dir / "c");
}

TEST(FsCopyFile, CopiesAndHonoursExcl) {
  vow::Loop loop;
  TestDir dir;
  fs::writeFileSync(dir / "a", std::string(300000, 'q'));
  Error a, b, c;
  fs::copyFile(dir / "a", dir / "b", [&](Error err) {
    a = err;
    fs::copyFile(dir / "a", dir / "b", fs::constants::COPYFILE_EXCL, [&](Error err) { b = err; });
  });
  fs::copyFile(dir / "m", dir / "x", [&](Error err) { c = err; });
  loop.run();
  EXPECT_FALSE(a);
  EXPECT_EQ(fs::readFileSync(dir / "b"), std::string(300000, 'q'));
  EXPECT_EQ(b.message(),
            "EEXIST: file already exists, copyfile '" + (dir / "a") + "' -> '" + (dir / "b") + "'");
  EXPECT_EQ(sys(c).syscall(), "copyfile");
}

TEST(FsSymlink, CreatesReadsAndReportsEexist) {
  vow::Loop loop;
  TestDir dir;
  fs::writeFileSync(dir / "f", "x");
  Error a, b, c;
  std::string target;
  fs::symlink("f", dir / "l", [&](Error err) {
    a = err;
    fs::readlink(dir / "l", [&](Error, std::string t) { target = t; });
    fs::symlink("f", dir / "l", [&](Error err) { b = err; });
  });
  fs::readlink(dir / "f", [&](Error err, std::string) { c = err; });
  loop.run();
  EXPECT_FALSE(a);
  EXPECT_EQ(target, "f");
  EXPECT_EQ(b.message(), "EEXIST: file already exists, symlink 'f' -> '" + (dir / "l") + "'");
  EXPECT_EQ(c.message(), "EINVAL: invalid argument, readlink '" + (dir / "f") + "'");
}

TEST(FsRealpath, ResolvesLinksAndReportsLstatLikeNode) {
  vow::Loop loop;
  TestDir dir;
  fs::mkdirSync(dir / "real");
  fs::symlinkSync(dir / "real", dir / "link");
  std::string resolved;
  Error error;
  fs::realpath(dir / "link/../link", [&](Error err, std::string r) {
    EXPECT_FALSE(err);
    resolved = r;
  });
  fs::realpath(dir / "nope/x", [&](Error err, std::string) { error = err; });
  loop.run();
  EXPECT_EQ(resolved, fs::realpathSync(dir / "real"));
  EXPECT_EQ(sys(error).syscall(), "lstat");
  EXPECT_EQ(sys(error).path(),
            fs::realpathSync(dir.path()) == dir.path() ? dir / "nope" : sys(error).path());
}

TEST(FsAccess, ExistingAndMissing) {
  vow::Loop loop;
  TestDir dir;
  fs::writeFileSync(dir / "f", "");
  Error a, b;
  fs::access(dir / "f", R_OK, [&](Error err) { a = err; });
  fs::access(dir / "m", [&](Error err) { b = err; });
  loop.run();
  EXPECT_FALSE(a);
  EXPECT_EQ(b.message(), "ENOENT: no such file or directory, access '" + (dir / "m") + "'");
}

TEST(FsReadFile, UnknownSizeOverTheMaxLengthFailsWithErrFsFileTooLargeAsNode) {
  // Node's limit is kIoMaxLength (2 GiB - 1); a lower one keeps the test fast.
  fs::internal::setIoMaxLengthForTesting(1 << 20);
  vow::Loop loop;
  Error a;
  std::string data = "unset";
  fs::readFile("/dev/zero", [&](Error err, vow::Buffer d) {
    a = err;
    data = std::move(d);
  });
  loop.run();
  fs::internal::setIoMaxLengthForTesting(fs::internal::kIoMaxLength);
  ASSERT_TRUE(a);
  EXPECT_EQ(a.name(), "RangeError");
  EXPECT_EQ(a.code(), "ERR_FS_FILE_TOO_LARGE");
  const std::string& m = a.message();
  ASSERT_TRUE(m.starts_with("File size (") && m.ends_with(") is greater than 2 GiB")) << m;
  EXPECT_GT(std::stoll(m.substr(11)), 1 << 20);
  EXPECT_EQ(a.as<vow::SystemError>(), nullptr);
  EXPECT_TRUE(data.empty());
}

TEST(FsRm, DirectoryWithoutRecursiveIsASystemErrorNamedSystemErrorAsNode) {
  vow::Loop loop;
  TestDir dir;
  fs::mkdirSync(dir / "d");
  Error d;
  fs::rm(dir / "d", [&](Error err) { d = err; });
  loop.run();
  // Node: SystemError [ERR_FS_EISDIR] with errno 21 (positive), syscall 'rm' and the path.
  EXPECT_EQ(d.name(), "SystemError");
  EXPECT_EQ(d.code(), "ERR_FS_EISDIR");
  EXPECT_EQ(d.message(), "Path is a directory: rm returned EISDIR (is a directory) " + (dir / "d"));
  EXPECT_EQ(sys(d).errnum(), 21);
  EXPECT_EQ(sys(d).syscall(), "rm");
  EXPECT_EQ(sys(d).path(), dir / "d");
  EXPECT_FALSE(sys(d).hasDest());
}

TEST(FsChmodTruncateUtimes, SucceedAndFail) {
  vow::Loop loop;
  TestDir dir;
  fs::writeFileSync(dir / "f", "hello");
  Error a, b, c, d, e, f;
  fs::chmod(dir / "f", 0600, [&](Error err) { a = err; });
  // After the truncate, which sets mtime to now: pool jobs run in parallel, in no set order.
  fs::truncate(dir / "f", 2, [&](Error err) {
    b = err;
    fs::utimes(dir / "f", 1000.5, 2000.25, [&](Error err2) { c = err2; });
  });
  fs::chmod(dir / "m", 0600, [&](Error err) { d = err; });
  fs::truncate(dir / "m", [&](Error err) { e = err; });
  fs::utimes(dir / "m", 1, 1, [&](Error err) { f = err; });
  loop.run();
  EXPECT_FALSE(a || b || c);
  auto st = fs::statSync(dir / "f");
  EXPECT_EQ(st.mode & 0777, 0600u);
  EXPECT_EQ(st.size, 2);
  EXPECT_DOUBLE_EQ(st.mtimeMs, 2000250);
  EXPECT_EQ(d.message(), "ENOENT: no such file or directory, chmod '" + (dir / "m") + "'");
  EXPECT_EQ(e.message(), "ENOENT: no such file or directory, open '" + (dir / "m") + "'");
  EXPECT_EQ(f.message(), "ENOENT: no such file or directory, utime '" + (dir / "m") + "'");
}

TEST(FsChown, CallbackAndPromiseFormsReportLikeNode) {
  vow::Loop loop;
  TestDir dir;
  fs::writeFileSync(dir / "f", "x");
  Error a, b, c;
  fs::chown(dir / "f", ::getuid(), ::getgid(), [&](Error err) { a = err; });
  fs::lchown(dir / "m", -1, -1, [&](Error err) { b = err; });
  fs::promises::chown(dir / "m", 0, 0).catch_([&](const Error& err) { c = err; });
  loop.run();
  EXPECT_FALSE(a);
  EXPECT_EQ(b.message(), "ENOENT: no such file or directory, lchown '" + (dir / "m") + "'");
  EXPECT_EQ(c.message(), "ENOENT: no such file or directory, chown '" + (dir / "m") + "'");
  EXPECT_EQ(sys(c).syscall(), "chown");
  EXPECT_THROW(fs::chown(dir / "f", -2, 0, [](Error) {}), vow::RangeError);
}

TEST(FsOrdering, CallbackRunsInPollPhaseBeforeImmediateAndAfterTicks) {
  vow::Loop loop;
  TestDir dir;
  std::vector<std::string> log;
  fs::stat(dir.path(), [&](Error, fs::Stats) {
    log.push_back("stat");
    vow::setTimeout([&] { log.push_back("timeout"); }, 0);
    vow::setImmediate([&] { log.push_back("immediate"); });
    vow::Promise<void>::resolve().then([&] { log.push_back("then"); });
    vow::nextTick([&] { log.push_back("tick"); });
  });
  loop.run();
  EXPECT_EQ(log, (std::vector<std::string>{"stat", "tick", "then", "immediate", "timeout"}));
}

}  // namespace
