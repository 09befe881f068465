// fs.opendir / fs.Dir: Node's entries, errors, operation queue and tick order.
#include "vow/fs/dir.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "vow/fs/fs.h"
#include "vow/fs/internal/test_dir.h"
#include "vow/loop/loop.h"
#include "vow/promise/for_await.h"
#include "vow/promise/promise.h"

namespace {

namespace fs = vow::fs;
using vow::Error;
using vow::fs::internal::systemErrorOf;
using vow::fs::internal::TestDir;
using Log = std::vector<std::string>;

std::string describe(const fs::Dirent& e) {
  std::string kind = e.isFile()           ? "file"
                     : e.isDirectory()    ? "dir"
                     : e.isSymbolicLink() ? "link"
                                          : "?";
  return e.name + ":" + kind;
}

// a (file), b (file), link (symlink to a), sub (directory).
void populate(const TestDir& dir) {
  fs::writeFileSync(dir / "a", "x");
  fs::writeFileSync(dir / "b", "y");
  fs::symlinkSync("a", dir / "link");
  fs::mkdirSync(dir / "sub");
}

vow::Promise<void> readAll(std::string path, fs::OpendirOptions options, Log* out) {
  fs::Dir dir = co_await fs::promises::opendir(path, options);
  out->push_back("path " + dir.path());
  Log names;
  while (std::optional<fs::Dirent> e = co_await dir.read()) {
    names.push_back(describe(*e) + (e->path == path ? "" : " wrong path " + e->path));
  }
  std::sort(names.begin(), names.end());
  out->insert(out->end(), names.begin(), names.end());
  std::optional<fs::Dirent> again = co_await dir.read();
  out->push_back(again ? "again: entry" : "again: end");
  co_await dir.close();
  out->push_back("closed");
}

TEST(FsOpendir, ReadsEveryEntryThenEndWithAnyBufferSize) {
  for (std::uint32_t size : {1u, 2u, 32u}) {
    vow::Loop loop;
    TestDir dir;
    populate(dir);
    Log log;
    readAll(dir / "", {.bufferSize = size}, &log).catch_([&](const Error& e) {
      log.push_back("rejected " + e.message());
    });
    loop.run();
    const std::string p = dir / "";
    EXPECT_EQ(
        log, (Log{"path " + p, "a:file", "b:file", "link:link", "sub:dir", "again: end", "closed"}))
        << "bufferSize " << size;
  }
}

TEST(FsOpendir, MissingPathRejectsWithEnoentNamingThePath) {
  vow::Loop loop;
  TestDir dir;
  Log log;
  fs::promises::opendir(dir / "missing")
      .then([&](const fs::Dir&) { log.push_back("opened"); },
            [&](const Error& e) {
              const auto& s = systemErrorOf(e);
              log.push_back(s.code() + " " + s.syscall() + " " + e.message());
            });
  loop.run();
  EXPECT_EQ(log, (Log{"ENOENT opendir ENOENT: no such file or directory, opendir '" +
                      dir / "missing" + "'"}));
}

TEST(FsOpendir, AFileIsEnotdirInTheCallbackForm) {
  vow::Loop loop;
  TestDir dir;
  fs::writeFileSync(dir / "f", "x");
  Log log;
  fs::opendir(dir / "f", [&](Error err, fs::Dir d) {
    log.push_back(err.code() + (d ? " with a dir" : " no dir"));
  });
  loop.run();
  EXPECT_EQ(log, (Log{"ENOTDIR no dir"}));
}

TEST(FsOpendirSync, ErrorMessageHasNoPathAsNodes) {
  TestDir dir;
  try {
    fs::opendirSync(dir / "missing");
    FAIL() << "no throw";
  } catch (const vow::SystemError& e) {
    EXPECT_EQ(e.code(), "ENOENT");
    EXPECT_STREQ(e.what(), "ENOENT: no such file or directory, opendir");
  }
}

TEST(FsOpendir, InvalidArgumentsThrowOrReject) {
  vow::Loop loop;
  TestDir dir;
  EXPECT_THROW(fs::opendir(std::string("a\0b", 3), [](Error, fs::Dir) {}), vow::TypeError);
  try {
    fs::opendirSync(dir / "", {.bufferSize = 0});
    FAIL() << "no throw";
  } catch (const vow::RangeError& e) {
    EXPECT_EQ(e.code(), "ERR_OUT_OF_RANGE");
    EXPECT_STREQ(e.what(),
                 "The value of \"options.bufferSize\" is out of range. It must be >= 1 && <= "
                 "4294967295. Received 0");
  }
  Log log;
  fs::promises::opendir(std::string("a\0b", 3))
      .then([&](const fs::Dir&) { log.push_back("opened"); },
            [&](const Error& e) { log.push_back(e.name() + " " + e.code()); });
  loop.run();
  EXPECT_EQ(log, (Log{"TypeError ERR_INVALID_ARG_VALUE"}));
}

TEST(FsDir, ClosedDirThrowsOrRejectsErrDirClosed) {
  vow::Loop loop;
  TestDir dir;
  populate(dir);
  fs::Dir d = fs::opendirSync(dir / "");
  d.closeSync();
  Log log;
  try {
    (void)d.read();
  } catch (const vow::Exception& e) {
    log.push_back(std::string("read ") + e.code() + " " + e.what());
  }
  try {
    d.readSync();
  } catch (const vow::Exception& e) {
    log.push_back(std::string("readSync ") + e.code());
  }
  try {
    d.closeSync();
  } catch (const vow::Exception& e) {
    log.push_back(std::string("closeSync ") + e.code());
  }
  d.close().catch_([&](const Error& e) { log.push_back("close " + e.code()); });
  d.close([&](Error err) { log.push_back("close cb " + err.code()); });
  log.push_back("sync end");
  loop.run();
  EXPECT_EQ(log, (Log{"read ERR_DIR_CLOSED Directory handle was closed", "readSync ERR_DIR_CLOSED",
                      "closeSync ERR_DIR_CLOSED", "sync end", "close cb ERR_DIR_CLOSED",
                      "close ERR_DIR_CLOSED"}));
}

TEST(FsDir, SyncWorkDuringAnAsyncReadIsAConcurrentOperation) {
  vow::Loop loop;
  TestDir dir;
  populate(dir);
  fs::Dir d = fs::opendirSync(dir / "");
  Log log;
  d.read().then([&](std::optional<fs::Dirent> e) { log.push_back(e ? "entry" : "end"); });
  try {
    d.readSync();
  } catch (const vow::Exception& e) {
    log.push_back(std::string(e.code()) + ": " + e.what());
  }
  try {
    d.closeSync();
  } catch (const vow::Exception& e) {
    log.push_back(std::string("closeSync ") + e.code());
  }
  loop.run();
  EXPECT_EQ(log, (Log{"ERR_DIR_CONCURRENT_OPERATION: Cannot do synchronous work on directory "
                      "handle with concurrent asynchronous operations",
                      "closeSync ERR_DIR_CONCURRENT_OPERATION", "entry"}));
  d.closeSync();
}

TEST(FsDir, ReadsAndCloseQueuedBehindAJobRunInOrder) {
  vow::Loop loop;
  TestDir dir;
  populate(dir);
  fs::Dir d = fs::opendirSync(dir / "", {.bufferSize = 1});
  Log log;
  for (int i = 0; i < 3; ++i) {
    d.read().then([&, i](std::optional<fs::Dirent> e) {
      log.push_back("read " + std::to_string(i) + (e ? " entry" : " end"));
    });
  }
  d.close().then([&] { log.push_back("closed"); });
  loop.run();
  EXPECT_EQ(log, (Log{"read 0 entry", "read 1 entry", "read 2 entry", "closed"}));
}

TEST(FsDir, BufferedEntryResolvesAtOnceCallbackOnTheNextTick) {
  vow::Loop loop;
  TestDir dir;
  populate(dir);
  fs::Dir d = fs::opendirSync(dir / "", {.bufferSize = 32});
  Log log;
  d.read().then([&](std::optional<fs::Dirent>) {
    // Node: read2, tick1, tick2, cb read, nextTick.
    d.read().then([&](std::optional<fs::Dirent>) { log.push_back("read2"); });
    vow::Promise<void>::resolve().then([&] { log.push_back("tick1"); }).then([&] {
      log.push_back("tick2");
    });
    d.read([&](Error, std::optional<fs::Dirent>) { log.push_back("cb read"); });
    vow::nextTick([&] { log.push_back("nextTick"); });
  });
  loop.run();
  EXPECT_EQ(log, (Log{"read2", "tick1", "tick2", "cb read", "nextTick"}));
  d.closeSync();
}

TEST(FsDir, ReadSyncWalksTheDirectory) {
  TestDir dir;
  populate(dir);
  fs::Dir d = fs::opendirSync(dir / "", {.bufferSize = 3});
  Log names;
  while (auto e = d.readSync()) names.push_back(describe(*e));
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (Log{"a:file", "b:file", "link:link", "sub:dir"}));
  EXPECT_FALSE(d.readSync().has_value());
  d.closeSync();
}

TEST(FsDir, CallbackReadsUntilEnd) {
  vow::Loop loop;
  TestDir dir;
  populate(dir);
  Log names;
  fs::opendir(dir / "", {.bufferSize = 2}, [&](Error err, fs::Dir d) {
    ASSERT_FALSE(err);
    auto step = std::make_shared<std::function<void()>>();
    *step = [&, d, step] {
      d.read([&, d, step](Error e, std::optional<fs::Dirent> entry) {
        if (e || !entry) {
          d.close([&, step](Error) {
            names.push_back("closed");
            *step = nullptr;
          });
          return;
        }
        names.push_back(describe(*entry));
        (*step)();
      });
    };
    (*step)();
  });
  loop.run();
  ASSERT_EQ(names.size(), 5u);
  EXPECT_EQ(names.back(), "closed");
}

TEST(FsDir, DroppingAnUnclosedDirClosesIt) {
  TestDir dir;
  populate(dir);
  const int before = fs::openSync(dir / "a");
  fs::closeSync(before);
  { fs::Dir d = fs::opendirSync(dir / ""); }
  const int after = fs::openSync(dir / "a");
  fs::closeSync(after);
  EXPECT_EQ(before, after);  // the DIR*'s fd was released
}

}  // namespace

namespace {

vow::Promise<void> forAwaitEntries(std::string path, int stop_after, Log* log) {
  fs::Dir dir = co_await fs::promises::opendir(path, {.bufferSize = 2});
  int n = 0;
  {
    auto it = vow::forAwait(dir);
    while (std::optional<fs::Dirent> e = co_await it.next()) {
      log->push_back("entry");
      if (++n == stop_after) break;
    }
    co_await it.close();
  }
  try {
    co_await dir.close();
    log->push_back("still open");
  } catch (const vow::Exception& e) {
    log->push_back(std::string("then close(): ") + e.code());
  }
}

TEST(FsDirEntries, ForAwaitYieldsEveryEntryThenClosesTheDir) {
  vow::Loop loop;
  TestDir dir;
  populate(dir);
  Log log;
  forAwaitEntries(dir / "", 0, &log);
  loop.run();
  EXPECT_EQ(log, (Log{"entry", "entry", "entry", "entry", "then close(): ERR_DIR_CLOSED"}));
}

TEST(FsDirEntries, LeavingTheLoopEarlyClosesTheDir) {
  vow::Loop loop;
  TestDir dir;
  populate(dir);
  Log log;
  forAwaitEntries(dir / "", 1, &log);
  loop.run();
  EXPECT_EQ(log, (Log{"entry", "then close(): ERR_DIR_CLOSED"}));
}

// The generator ends an early exit by rethrowing the GeneratorReturn it caught, after closing
// the Dir. Rethrown through `co_await Raise{...}`, GCC 12's code freed that exception while it
// was still in flight: a crash in the generator's unhandled_exception, or a heap corruption
// found later, depending on the heap's layout (here: on the temporary directory's length).
// Each round shifts the layout with allocations of another size.
TEST(FsDirEntries, LeavingTheLoopEarlyIsSafeWhateverTheHeapLayout) {
  TestDir dir;
  populate(dir);
  for (std::size_t round = 0; round < 48; ++round) {
    vow::Loop loop;
    std::vector<std::string> padding;
    for (std::size_t i = 0; i <= round % 8; ++i) padding.emplace_back(8 * round + i + 1, 'p');
    const std::string path = dir / "" + std::string(round % 16, '/');
    Log log;
    forAwaitEntries(path, 1, &log);
    loop.run();
    ASSERT_EQ(log, (Log{"entry", "then close(): ERR_DIR_CLOSED"})) << round;
  }
}

TEST(FsDirEntries, ADirClosedMeanwhileRejectsTheNextNext) {
  vow::Loop loop;
  TestDir dir;
  populate(dir);
  fs::Dir d = fs::opendirSync(dir / "", {.bufferSize = 1});
  auto gen = d.entries();
  Log log;
  gen.next()
      .then([&](std::optional<fs::Dirent> e) {
        log.push_back(e ? "entry" : "done");
        d.closeSync();
        return gen.next();
      })
      .then([&](std::optional<fs::Dirent>) { log.push_back("no error"); },
            [&](const Error& e) { log.push_back("rejected " + e.code()); });
  loop.run();
  // Node: the generator's read rejects with ERR_DIR_CLOSED, and its finally's close() rejects
  // with ERR_DIR_CLOSED too, which replaces it.
  EXPECT_EQ(log, (Log{"entry", "rejected ERR_DIR_CLOSED"}));
}

TEST(FsDirEntries, TheGeneratorKeepsATemporaryDirAlive) {
  vow::Loop loop;
  TestDir dir;
  populate(dir);
  int n = 0;
  auto count = [&]() -> vow::Promise<void> {
    auto it = vow::forAwait(fs::opendirSync(dir / ""));  // the Dir is a temporary
    while (co_await it.next()) ++n;
    co_await it.close();
  };
  count();
  loop.run();
  EXPECT_EQ(n, 4);
}

}  // namespace
