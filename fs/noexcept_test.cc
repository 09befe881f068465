// fs failures as absl::Status, the ways that work without exceptions: the nothrow sync API
// (vow::fs::nothrow::*Sync), and the promise API's rejections seen through co_await
// vow::settle(p). Built and run both with exceptions (//...) and without them
// (bazel test --config=noexcept //:noexcept_tests).
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
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

// Runs a coroutine test body on its own loop; the body must fulfil.
template <class F>
void runAsync(F body) {
  vow::Loop loop;
  std::string failure;
  bool finished = false;
  body().then([&] { finished = true; }, [&](const Error& e) { failure = e.message(); });
  loop.run();
  EXPECT_EQ(failure, "");
  EXPECT_TRUE(finished);
}

TEST(FsNothrowSync, AMissingFileIsNotFoundWithNodesCodeAndMessage) {
  TestDir dir;
  const std::string path = dir / "missing.txt";
  absl::StatusOr<vow::Buffer> r = fs::nothrow::readFileSync(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(), "ENOENT: no such file or directory, open '" + path + "'");
  EXPECT_EQ(vow::errorCode(r.status()), "ENOENT");
  // Back to a vow::Error: err.code as in Node.
  EXPECT_EQ(Error(r.status()).code(), "ENOENT");
}

TEST(FsNothrowSync, WritesAndReadsBack) {
  TestDir dir;
  const std::string path = dir / "a.txt";
  absl::Status written = fs::nothrow::writeFileSync(path, "hello");
  ASSERT_TRUE(written.ok()) << written;
  EXPECT_TRUE(fs::nothrow::appendFileSync(path, " world").ok());
  absl::StatusOr<std::string> r = fs::nothrow::readFileSync(path, "utf8");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r, "hello world");
  absl::StatusOr<fs::Stats> st = fs::nothrow::statSync(path);
  ASSERT_TRUE(st.ok()) << st.status();
  EXPECT_EQ(st->size, 11);
}

TEST(FsNothrowSync, AnExistingDirectoryIsAlreadyExists) {
  TestDir dir;
  ASSERT_TRUE(fs::nothrow::mkdirSync(dir / "d").ok());
  absl::Status again = fs::nothrow::mkdirSync(dir / "d").status();
  EXPECT_EQ(again.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(vow::errorCode(again), "EEXIST");
  EXPECT_EQ(again.message(), "EEXIST: file already exists, mkdir '" + (dir / "d") + "'");
}

TEST(FsNothrowSync, RemovingADirectoryWithUnlinkIsAFailedPrecondition) {
  TestDir dir;
  ASSERT_TRUE(fs::nothrow::mkdirSync(dir / "d").ok());
  absl::Status s = fs::nothrow::unlinkSync(dir / "d");
  EXPECT_FALSE(s.ok());
  // Linux says EISDIR to unlink(2) on a directory; Node reports it as such.
  EXPECT_EQ(vow::errorCode(s), "EISDIR");
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
}

TEST(FsNothrowSync, ReadsADirectory) {
  TestDir dir;
  ASSERT_TRUE(fs::nothrow::writeFileSync(dir / "x", "1").ok());
  absl::StatusOr<std::vector<std::string>> names = fs::nothrow::readdirSync(dir.path());
  ASSERT_TRUE(names.ok()) << names.status();
  EXPECT_EQ(*names, std::vector<std::string>{"x"});
  EXPECT_EQ(fs::nothrow::readdirSync(dir / "none").status().code(), absl::StatusCode::kNotFound);
}

#if VOW_HAS_EXCEPTIONS
TEST(FsNothrowSync, WithExceptionsAnInvalidArgumentIsAStatusToo) {
  // Without exceptions this ends the process (a programming error, as a failed CHECK).
  absl::StatusOr<vow::Buffer> r = fs::nothrow::readFileSync(std::string("a\0b", 3));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(vow::errorCode(r.status()), "ERR_INVALID_ARG_VALUE");
}
#endif

TEST(FsPromisesSettle, AMissingFileRejectsAndSettleGivesTheStatus) {
  TestDir dir;
  const std::string path = dir / "missing.txt";
  runAsync([&]() -> Promise<void> {
    absl::StatusOr<vow::Buffer> r = co_await vow::settle(fsp::readFile(path));
    EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
    EXPECT_EQ(vow::errorCode(r.status()), "ENOENT");
    EXPECT_EQ(r.status().message(), "ENOENT: no such file or directory, open '" + path + "'");
  });
}

TEST(FsPromisesSettle, TheRejectionIsStillASystemError) {
  TestDir dir;
  runAsync([&]() -> Promise<void> {
    Promise<void> p = fsp::rmdir(dir / "none");
    absl::Status s = co_await vow::settle(p);
    EXPECT_EQ(vow::errorCode(s), "ENOENT");
    const vow::SystemError* e = vow::AnyPromise(p).reason().as<vow::SystemError>();
    EXPECT_NE(e, nullptr);
    if (e != nullptr) {
      EXPECT_EQ(e->syscall(), "rmdir");
      EXPECT_EQ(e->errnum(), -2);
      EXPECT_EQ(e->path(), dir / "none");
    }
  });
}

TEST(FsPromisesSettle, AnUnhandledRejectedAwaitRejectsTheCoroutine) {
  TestDir dir;
  vow::Loop loop;
  auto body = [&]() -> Promise<std::string> {
    std::string text = co_await fsp::readFile(dir / "missing.txt", "utf8");
    co_return "read " + text;  // never
  };
  std::string code;
  body().then([&](const std::string&) { code = "fulfilled"; },
              [&](const Error& e) { code = e.code(); });
  loop.run();
  EXPECT_EQ(code, "ENOENT");
}

TEST(FsPromisesSettle, ReadsAndWrites) {
  TestDir dir;
  runAsync([&]() -> Promise<void> {
    absl::Status w = co_await vow::settle(fsp::writeFile(dir / "f", "data"));
    EXPECT_TRUE(w.ok()) << w;
    absl::StatusOr<vow::Buffer> r = co_await vow::settle(fsp::readFile(dir / "f"));
    EXPECT_TRUE(r.ok()) << r.status();
    if (r.ok()) EXPECT_EQ(*r, "data");
  });
}

TEST(FsDirEntries, IteratesWithoutExceptions) {
  TestDir dir;
  ASSERT_TRUE(fs::nothrow::writeFileSync(dir / "one", "1").ok());
  ASSERT_TRUE(fs::nothrow::writeFileSync(dir / "two", "2").ok());
  runAsync([&]() -> Promise<void> {
    fs::Dir d = co_await fsp::opendir(dir.path());
    std::vector<std::string> names;
    auto it = d.entries();
    while (true) {
      absl::StatusOr<std::optional<fs::Dirent>> e = co_await vow::settle(it.next());
      EXPECT_TRUE(e.ok()) << e.status();
      if (!e.ok() || !*e) break;
      names.push_back((**e).name);
    }
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{"one", "two"}));
  });
}

}  // namespace
