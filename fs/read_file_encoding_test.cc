// readFile's two results, as Node: without an encoding a vow::Buffer (the bytes), with one the
// decoded text (std::string); in every form (callback, promise, sync, nothrow, fd,
// FileHandle) and on both backends (VOW_IO_URING=1 and 0). Expected values are node v20's.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "vow/buffer/buffer.h"
#include "vow/fs/fs.h"
#include "vow/fs/internal/test_dir.h"
#include "vow/loop/loop.h"
#include "vow/promise/combinators.h"
#include "vow/promise/promise.h"
#include "vow/promise/testing/test_support.h"

namespace {

namespace fs = vow::fs;
namespace fsp = vow::fs::promises;
using fs::internal::TestDir;
using vow::Buffer;
using vow::Error;
using vow::Promise;
using Log = std::vector<std::string>;

// Bytes that are not valid UTF-8: ff, a cut 3-byte sequence, then "ok".
const std::string kBytes("\xff\x61\xe2\x82ok", 6);
// What Node's readFile(f, 'utf8') gives for them: each invalid sequence is U+FFFD.
const std::string kText =
    "\uFFFD"
    "a"
    "\uFFFD"
    "ok";

TEST(FsReadFile, WithoutAnEncodingGivesABufferOfTheBytes) {
  vow::Loop loop;
  TestDir dir;
  fs::writeFileSync(dir / "f", kBytes);
  Buffer got;
  fs::readFile(dir / "f", [&](Error err, Buffer data) {
    EXPECT_FALSE(err);
    got = data;
  });
  loop.run();
  EXPECT_EQ(got.toString("hex"), "ff61e2826f6b");
  EXPECT_EQ(got.length(), 6u);
}

TEST(FsReadFile, WithAnEncodingGivesTheDecodedText) {
  vow::Loop loop;
  TestDir dir;
  fs::writeFileSync(dir / "f", kBytes);
  Log log;
  fs::readFile(dir / "f", "utf8", [&](Error err, std::string text) {
    log.push_back(std::string(err ? "err" : "ok") + " utf8 " + Buffer::from(text).toString("hex"));
  });
  fs::readFile(dir / "f", {.encoding = "hex"}, [&](Error err, std::string text) {
    log.push_back(std::string(err ? "err" : "ok") + " hex " + text);
  });
  fs::readFile(dir / "missing", {.encoding = "utf8", .flag = "r"},
               [&](Error err, std::string text) {
                 log.push_back(err.code() + " [" + text + "]");  // Node: data is undefined
               });
  loop.run();
  std::sort(log.begin(), log.end());  // three pool jobs: any order
  EXPECT_EQ(log, (Log{"ENOENT []", "ok hex ff61e2826f6b",
                      "ok utf8 " + Buffer::from(kText).toString("hex")}));
}

TEST(FsReadFile, LargeFilesComeWholeInBothResults) {
  vow::Loop loop;
  TestDir dir;
  std::string big(300000, 'x');
  for (std::size_t i = 0; i < big.size(); i += 1000) big[i] = static_cast<char>('a' + i % 26);
  fs::writeFileSync(dir / "big", big);
  Buffer bytes;
  std::string text;
  fs::readFile(dir / "big", [&](Error err, Buffer d) {
    EXPECT_FALSE(err);
    bytes = d;
  });
  fs::readFile(dir / "big", "latin1", [&](Error err, std::string d) {
    EXPECT_FALSE(err);
    text = d;
  });
  loop.run();
  EXPECT_TRUE(bytes == big);
  EXPECT_TRUE(text == big);  // ASCII: latin1 gives the same text
}

TEST(FsReadFileSync, BothResultsAndTheNothrowForms) {
  TestDir dir;
  fs::writeFileSync(dir / "f", kBytes);
  Buffer b = fs::readFileSync(dir / "f");
  EXPECT_EQ(b.toString("base64"), "/2Higm9r");
  std::string t = fs::readFileSync(dir / "f", "utf8");
  EXPECT_EQ(t, kText);
  EXPECT_EQ(fs::readFileSync(dir / "f", {.encoding = "latin1"}),
            "\u00ff"
            "a\u00e2\u0082ok");
  absl::StatusOr<Buffer> nb = fs::nothrow::readFileSync(dir / "f");
  ASSERT_TRUE(nb.ok());
  EXPECT_EQ(*nb, kBytes);
  absl::StatusOr<std::string> nt = fs::nothrow::readFileSync(dir / "f", "utf8");
  ASSERT_TRUE(nt.ok());
  EXPECT_EQ(*nt, kText);
  const int fd = fs::openSync(dir / "f");
  EXPECT_EQ(fs::readFileSync(fd, "hex"), "ff61e2826f6b");
  fs::closeSync(fd);
}

TEST(FsPromisesReadFile, BothResultsAndFileHandle) {
  vow::Loop loop;
  TestDir dir;
  fs::writeFileSync(dir / "f", kBytes);
  Log log;
  auto body = [&]() -> Promise<void> {
    Buffer b = co_await fsp::readFile(dir / "f");
    log.push_back(b.toString("hex"));
    std::string t = co_await fsp::readFile(dir / "f", "utf8");
    log.push_back(t == kText ? "text ok" : "text wrong");
    fsp::FileHandle fh = co_await fsp::open(dir / "f");
    std::string b64 = co_await fh.readFile("base64");
    log.push_back(b64);
    co_await fh.close();
    fsp::FileHandle fh2 = co_await fsp::open(dir / "f");
    Buffer again = co_await fh2.readFile();
    log.push_back(again.toString("hex"));
    co_await fh2.close();
  };
  body();
  loop.run();
  EXPECT_EQ(log, (Log{"ff61e2826f6b", "text ok", "/2Higm9r", "ff61e2826f6b"}));
}

TEST(FsReadFile, FdFormTakesAnEncoding) {
  vow::Loop loop;
  TestDir dir;
  fs::writeFileSync(dir / "f", "abcdef");
  const int fd = fs::openSync(dir / "f");
  ::lseek(fd, 2, SEEK_SET);
  std::string got;
  fs::readFile(fd, "utf8", [&](Error err, std::string text) {
    EXPECT_FALSE(err);
    got = text;
  });
  loop.run();
  fs::closeSync(fd);
  EXPECT_EQ(got, "cdef");
}

// Node: fs.readFile(p, 'bogus', cb) throws TypeError [ERR_INVALID_ARG_VALUE]: The argument
// 'encoding' is invalid encoding. Received 'bogus' -- before it looks at the path or the signal;
// fs.promises.readFile and filehandle.readFile reject with it.
TEST(FsReadFile, AnUnknownEncodingIsNodesTypeErrorBeforeThePathAndTheSignal) {
  vow::Loop loop;
  TestDir dir;
  fs::writeFileSync(dir / "f", "x");
  const std::string message = "The argument 'encoding' is invalid encoding. Received 'bogus'";
  Log log;
  auto record = [&](const std::string& what, const Error& e) {
    log.push_back(what + " " + e.name() + " " + e.code() + " " + e.message());
  };
  auto attempt = [&](const std::string& what, auto&& f) {
    try {
      f();
      log.push_back(what + " no throw");
    } catch (...) {
      record(what, Error::current());
    }
  };
  attempt("cb", [&] { fs::readFile(dir / "f", "bogus", [](Error, std::string) {}); });
  attempt("cb nul path",
          [&] { fs::readFile(std::string("a\0b", 3), "bogus", [](Error, std::string) {}); });
  attempt("cb aborted", [&] {
    fs::readFile(dir / "f",
                 {.encoding = "bogus", .signal = vow::AbortSignal::abort(vow::Exception("x"))},
                 [](Error, std::string) {});
  });
  attempt("cb fd", [&] { fs::readFile(999, "bogus", [](Error, std::string) {}); });
  attempt("sync", [&] { fs::readFileSync(dir / "f", "bogus"); });
  absl::StatusOr<std::string> nothrow = fs::nothrow::readFileSync(dir / "f", "bogus");
  log.push_back("nothrow " + std::string(vow::errorCode(nothrow.status())));
  fsp::readFile(dir / "f", "bogus")
      .then([&](const std::string&) { log.push_back("p ok"); },
            [&](const Error& e) { record("p", e); });
  auto body = [&]() -> Promise<void> {
    fsp::FileHandle fh = co_await fsp::open(dir / "f");
    try {
      co_await fh.readFile("bogus");
      log.push_back("fh ok");
    } catch (...) {
      record("fh", Error::current());
    }
    co_await fh.close();
  };
  body();
  loop.run();
  const std::string e = "TypeError ERR_INVALID_ARG_VALUE " + message;
  EXPECT_EQ(log, (Log{"cb " + e, "cb nul path " + e, "cb aborted " + e, "cb fd " + e, "sync " + e,
                      "nothrow ERR_INVALID_ARG_VALUE", "p " + e, "fh " + e}));
}

TEST(FsReadFile, TheBufferIsSharedThroughThenAndAllNotCopied) {
  vow::Loop loop;
  TestDir dir;
  fs::writeFileSync(dir / "a", std::string(4096, 'a'));
  fs::writeFileSync(dir / "b", std::string(4096, 'b'));
  const char* first = nullptr;
  const char* passed = nullptr;
  std::vector<const char*> in_all;
  std::vector<Promise<Buffer>> reads;
  reads.push_back(fsp::readFile(dir / "a").then([&](const Buffer& b) {
    first = b.data();
    return b;  // JS: return buf (the same object)
  }));
  reads.push_back(fsp::readFile(dir / "b"));
  reads[0].then([&](const Buffer& b) { passed = b.data(); });
  vow::all(std::move(reads)).then([&](const std::vector<Buffer>& all) {
    for (const Buffer& b : all) in_all.push_back(b.data());
  });
  loop.run();
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(passed, first);
  ASSERT_EQ(in_all.size(), 2u);
  EXPECT_EQ(in_all[0], first);
}

TEST(FsWriteFile, TakesABufferAndSharesIt) {
  vow::Loop loop;
  TestDir dir;
  Buffer data = Buffer::from("6869", "hex");
  bool done = false;
  fs::writeFile(dir / "f", data, [&](Error err) {
    EXPECT_FALSE(err);
    done = true;
  });
  EXPECT_EQ(data.use_count(), 2);  // the operation holds it, as JS holds the object
  loop.run();
  EXPECT_TRUE(done);
  EXPECT_EQ(data.use_count(), 1);
  EXPECT_EQ(fs::readFileSync(dir / "f", "utf8"), "hi");
  fs::appendFileSync(dir / "f", data);  // the sync forms take it as a string_view
  EXPECT_EQ(fs::readFileSync(dir / "f", "utf8"), "hihi");
}

}  // namespace
