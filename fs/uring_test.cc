// The io_uring backend itself (loop/internal/uring.*, fs/internal/uring_ops.h): which backend a
// loop picks and its fallback, ordering of completions against the other phases, more requests
// than the ring holds, a loop destroyed with requests in flight, and the credential check of
// CVE-2024-22017. The fs suites run on both backends besides (VOW_IO_URING=0 / =1 in .ci/run).
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "gtest/gtest.h"
#include "vow/fs/fs.h"
#include "vow/fs/internal/failure.h"
#include "vow/fs/internal/test_dir.h"
#include "vow/loop/loop.h"
#include "vow/promise/testing/test_support.h"

namespace {

namespace fs = vow::fs;
using vow::Error;
using vow::fs::internal::TestDir;
using vow::test::Log;

int openFds() {
  int n = 0;
  if (DIR* d = opendir("/proc/self/fd")) {
    while (readdir(d) != nullptr) ++n;
    closedir(d);
  }
  return n;
}

// Each test picks its backend; the environment's VOW_IO_URING is restored afterwards.
class Uring : public ::testing::Test {
 protected:
  void SetUp() override { vow::internal::setUringModeForTesting(1); }
  void TearDown() override {
    vow::internal::setUringModeForTesting(-2);
    vow::internal::failUringSetupForTesting(0);
    vow::internal::disableUringDirectFilesForTesting(false);
  }
  // io_uring on this machine, or the test is skipped (a kernel or sandbox that refuses it).
  void requireRing(vow::Loop& loop) {
    if (loop.fsBackend() != "io_uring") GTEST_SKIP() << "io_uring unavailable here";
  }
};

TEST_F(Uring, TheModeDecidesTheBackend) {
  vow::internal::setUringModeForTesting(0);
  vow::Loop pool;
  EXPECT_EQ(pool.fsBackend(), "threadpool");
  vow::internal::setUringModeForTesting(1);
  vow::Loop ring;
  requireRing(ring);
  EXPECT_EQ(ring.fsBackend(), "io_uring");
}

TEST_F(Uring, ARefusedSetupFallsBackToThePoolAndFsStillWorks) {
  // What an old kernel (ENOSYS), seccomp or kernel.io_uring_disabled (EPERM) answer.
  vow::internal::failUringSetupForTesting(EPERM);
  vow::Loop loop;
  EXPECT_EQ(loop.fsBackend(), "threadpool");
  TestDir dir;
  fs::writeFileSync(dir / "a", "hello");
  std::string got;
  fs::readFile(dir / "a", [&](Error e, vow::Buffer d) {
    EXPECT_FALSE(e);
    got = d;
  });
  loop.run();
  EXPECT_EQ(got, "hello");
}

TEST_F(Uring, CallbacksRunInThePollPhaseEachFollowedByACheckpoint) {
  vow::Loop loop;
  requireRing(loop);
  TestDir dir;
  for (int i = 0; i < 3; ++i) fs::writeFileSync(dir / std::to_string(i), std::to_string(i));
  Log log;
  int done = 0;
  for (int i = 0; i < 3; ++i) {
    fs::readFile(dir / std::to_string(i), "utf8", [&, i](Error e, std::string d) {
      ASSERT_FALSE(e);
      log("cb " + d);
      vow::nextTick([&, i] { log("tick " + std::to_string(i)); });
      vow::queueMicrotask([&, i] { log("micro " + std::to_string(i)); });
      if (++done == 3) {
        // Node: from an I/O callback, the check phase (immediates) comes before the timers.
        vow::setTimeout([&] { log("timeout"); }, 0);
        vow::setImmediate([&] { log("immediate"); });
      }
    });
  }
  loop.run();
  // The callbacks' order among themselves is the kernel's; each is followed by its own ticks
  // and microtasks before the next callback runs.
  ASSERT_EQ(log.size(), 11u);
  for (int k = 0; k < 3; ++k) {
    const std::string n = log[3 * k].substr(3);
    EXPECT_EQ(log[3 * k], "cb " + n);
    EXPECT_EQ(log[3 * k + 1], "tick " + n);
    EXPECT_EQ(log[3 * k + 2], "micro " + n);
  }
  EXPECT_EQ(log[9], "immediate");
  EXPECT_EQ(log[10], "timeout");
}

TEST_F(Uring, MoreRequestsThanTheRingHoldsWaitTheirTurn) {
  vow::Loop loop;
  requireRing(loop);
  TestDir dir;
  constexpr int kFiles = 3000;  // > kMaxInFlight, and each readFile is 4 steps
  int written = 0, read_ok = 0;
  for (int i = 0; i < kFiles; ++i) {
    fs::writeFile(dir / std::to_string(i), std::string(100 + i, static_cast<char>('a' + i % 26)),
                  [&](Error e) {
                    EXPECT_FALSE(e);
                    ++written;
                  });
  }
  auto& ring = vow::internal::LoopAccess::uring(loop);
  EXPECT_EQ(ring.pending(), static_cast<std::size_t>(kFiles));
  loop.run(vow::RunMode::kNoWait);
  EXPECT_LE(ring.inFlight(), vow::internal::Uring::kMaxInFlight);
  loop.run();
  EXPECT_EQ(written, kFiles);
  for (int i = 0; i < kFiles; ++i) {
    fs::readFile(dir / std::to_string(i), [&, i](Error e, vow::Buffer d) {
      EXPECT_FALSE(e);
      if (d == std::string(100 + i, static_cast<char>('a' + i % 26))) ++read_ok;
    });
  }
  loop.run();
  EXPECT_EQ(read_ok, kFiles);
  EXPECT_EQ(ring.pending(), 0u);
}

TEST_F(Uring, ReadFileReadsLargeAndSizelessFilesAndReportsNodesErrors) {
  vow::Loop loop;
  requireRing(loop);
  TestDir dir;
  std::string big(3 * 1024 * 1024 + 17, 'x');
  for (std::size_t i = 0; i < big.size(); i += 4096) big[i] = static_cast<char>('a' + i % 26);
  fs::writeFileSync(dir / "big", big);
  fs::writeFileSync(dir / "64k", std::string(64 * 1024, 'y'));  // exactly the first read
  std::string got_big, got_64k, status, missing, isdir;
  fs::readFile(dir / "big",
               [&](Error e, vow::Buffer d) { got_big = e ? e.message() : d.toString(); });
  fs::readFile(dir / "64k",
               [&](Error e, vow::Buffer d) { got_64k = e ? e.message() : d.toString(); });
  fs::readFile("/proc/self/status", "utf8",
               [&](Error e, std::string d) { status = e ? e.message() : d; });
  fs::readFile(dir / "nope", [&](Error e, vow::Buffer) { missing = e.message(); });
  fs::readFile(dir.path(), [&](Error e, vow::Buffer) { isdir = e.message(); });
  loop.run();
  EXPECT_EQ(got_big, big);
  EXPECT_EQ(got_64k, std::string(64 * 1024, 'y'));
  EXPECT_NE(status.find("Name:"), std::string::npos);
  EXPECT_EQ(missing, "ENOENT: no such file or directory, open '" + dir / "nope" + "'");
  EXPECT_EQ(isdir, "EISDIR: illegal operation on a directory, read");

  fs::internal::setIoMaxLengthForTesting(1 << 20);
  std::string too_large;
  fs::readFile(dir / "big", [&](Error e, vow::Buffer) { too_large = e.message(); });
  loop.run();
  fs::internal::setIoMaxLengthForTesting(fs::internal::kIoMaxLength);
  EXPECT_EQ(too_large, "File size (" + std::to_string(big.size()) + ") is greater than 2 GiB");
}

// Files around the sizes where readFile's linked submission (open, read 64 KiB, read 16 KiB)
// hands over to the step machine, a FIFO whose writer is slower than the reader (short reads
// before the end: the file must stay open until a read returns 0) and Node's errors: the same
// answers with direct descriptors and without (one step per iteration), and no fd left open.
// With `submit_limit`, each io_uring_enter takes at most that many SQEs, as a kernel short of
// memory may: linked chains are split, and their cut part must be done again, not lost or run
// out of order.
void readFilesOfEveryShape(bool direct, unsigned submit_limit = 0) {
  vow::internal::disableUringDirectFilesForTesting(!direct);
  vow::internal::limitUringSubmitForTesting(submit_limit);
  absl::Cleanup unlimit = [] { vow::internal::limitUringSubmitForTesting(0); };
  TestDir dir;
  const std::vector<std::size_t> sizes = {0,     1,     4096,  65535,  65536,  65537,
                                          81919, 81920, 81921, 300000, 1 << 20};
  std::vector<std::string> contents;
  for (std::size_t n : sizes) {
    std::string c(n, '\0');
    for (std::size_t i = 0; i < n; ++i) c[i] = static_cast<char>('a' + (i * 7 + n) % 26);
    fs::writeFileSync(dir / std::to_string(n), c);
    contents.push_back(std::move(c));
  }
  const std::string fifo = dir / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string piped;
  for (int i = 0; i < 200; ++i) piped += std::string(1000, static_cast<char>('A' + i % 26));
  const int fds = openFds();
  {
    vow::Loop loop;
    if (loop.fsBackend() != "io_uring") GTEST_SKIP() << "io_uring unavailable here";
    auto& ring = vow::internal::LoopAccess::uring(loop);
    EXPECT_EQ(ring.directFiles(), direct);
    std::vector<std::string> got(sizes.size());
    for (std::size_t i = 0; i < sizes.size(); ++i) {
      fs::readFile(dir / std::to_string(sizes[i]), [&got, i](Error e, vow::Buffer d) {
        got[i] = e ? e.message() : std::string(std::string_view(d));
      });
    }
    std::string from_fifo, missing, isdir;
    fs::readFile(fifo, "utf8", [&](Error e, std::string d) { from_fifo = e ? e.message() : d; });
    fs::readFile(dir / "nope", [&](Error e, vow::Buffer) { missing = e.message(); });
    fs::readFile(dir.path(), "utf8", [&](Error e, std::string) { isdir = e.message(); });
    std::thread writer([&] {
      const int w = ::open(fifo.c_str(), O_WRONLY | O_CLOEXEC);
      for (std::size_t off = 0; off < piped.size(); off += 1000) {
        if (::write(w, piped.data() + off, 1000) != 1000) break;
        ::usleep(100);
      }
      ::close(w);
    });
    loop.run();
    writer.join();
    for (std::size_t i = 0; i < sizes.size(); ++i) {
      EXPECT_EQ(got[i], contents[i]) << "size " << sizes[i];
    }
    EXPECT_EQ(from_fifo.size(), piped.size());
    EXPECT_EQ(from_fifo, piped);
    EXPECT_EQ(missing, "ENOENT: no such file or directory, open '" + dir / "nope" + "'");
    EXPECT_EQ(isdir, "EISDIR: illegal operation on a directory, read");
    EXPECT_EQ(ring.pending(), 0u);
    EXPECT_EQ(ring.fileSlotsInUse(), 0u);
    if (direct && submit_limit != 0) {
      EXPECT_GT(ring.sqesCut(), 0u);
    } else {
      EXPECT_EQ(ring.sqesCut(), 0u);
    }
  }
  EXPECT_EQ(openFds(), fds);
}

TEST_F(Uring, ReadFileInOneLinkedSubmissionReadsEveryShapeOfFile) { readFilesOfEveryShape(true); }

TEST_F(Uring, ReadFileStepByStepReadsEveryShapeOfFile) { readFilesOfEveryShape(false); }

TEST_F(Uring, ReadFileChainsSplitByAPartialSubmissionReadEveryShapeOfFile) {
  for (unsigned limit : {1u, 2u, 5u}) {
    SCOPED_TRACE("at most " + std::to_string(limit) + " SQEs per io_uring_enter");
    readFilesOfEveryShape(true, limit);
  }
}

TEST_F(Uring, MoreReadFilesThanDirectSlotsAllComplete) {
  vow::Loop loop;
  requireRing(loop);
  auto& ring = vow::internal::LoopAccess::uring(loop);
  if (!ring.directFiles()) GTEST_SKIP() << "no direct descriptors on this kernel";
  TestDir dir;
  constexpr int kFiles = 2 * vow::internal::Uring::kFileSlots + 100;
  for (int i = 0; i < kFiles; ++i) fs::writeFileSync(dir / std::to_string(i), std::to_string(i));
  int ok = 0;
  for (int i = 0; i < kFiles; ++i) {
    fs::readFile(dir / std::to_string(i), [&, i](Error e, vow::Buffer d) {
      if (!e && std::string_view(d) == std::to_string(i)) ++ok;
    });
  }
  // Requests under way finish before new ones start: slots stay within the in-flight bound.
  loop.run(vow::RunMode::kNoWait);
  EXPECT_GT(ring.fileSlotsInUse(), 0u);
  EXPECT_LE(ring.fileSlotsInUse(), vow::internal::Uring::kMaxInFlight);
  loop.run();
  EXPECT_EQ(ok, kFiles);
  EXPECT_EQ(ring.fileSlotsInUse(), 0u);
}

TEST_F(Uring, ALoopDestroyedWithRequestsInFlightLeaksNoFdAndCallsNothing) {
  TestDir dir;
  for (int i = 0; i < 400; ++i) fs::writeFileSync(dir / std::to_string(i), "data");
  const int fds = openFds();
  int called = 0;
  {
    vow::Loop loop;
    requireRing(loop);
    for (int i = 0; i < 400; ++i) {
      fs::readFile(dir / std::to_string(i), [&](Error, vow::Buffer) { ++called; });
      fs::open(dir / std::to_string(i), "r", [&](Error e, int fd) {
        if (!e) ::close(fd);  // opens that completed in the iteration below
        ++called;
      });
    }
    // One iteration without blocking: some requests are in the kernel, some opened their fd,
    // the rest still queued.
    loop.run(vow::RunMode::kNoWait);
    called = 0;
  }
  EXPECT_EQ(called, 0);
  EXPECT_EQ(openFds(), fds);
}

// The child of the test below: 0 when the ring was retired and the read refused.
int dropPrivilegesAndRead(const std::string& secret) {
  vow::internal::setUringModeForTesting(1);
  fs::writeFileSync(secret, "root only");
  ::chmod(secret.c_str(), 0600);
  vow::Loop loop;
  if (loop.fsBackend() != "io_uring") return 0;  // nothing to test here
  std::string before, after;
  fs::readFile(secret, [&](Error e, vow::Buffer d) { before = e ? e.message() : d.toString(); });
  loop.run();
  if (before != "root only") return 11;
  if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0) return 12;
  fs::readFile(secret, [&](Error e, vow::Buffer d) { after = e ? e.code() : d.toString(); });
  loop.run();
  if (after != "EACCES") return 13;
  if (loop.fsBackend() != "threadpool") return 14;
  return 0;
}

// CVE-2024-22017: a ring made before setuid() must not go on running operations with the old
// credentials. As root, a child process reads a root-only file through the ring, drops to
// nobody, and must then be refused (EACCES) while its loop says it left io_uring. The child is
// a fresh process (threadsafe death test): the thread pool it falls back to is its own.
TEST_F(Uring, AfterSetuidTheRingIsRetiredAndOperationsRunWithTheNewCredentials) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to change credentials";
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  TestDir dir;
  ::chmod(dir.path().c_str(), 0755);
  const std::string secret = dir / "secret";
  EXPECT_EXIT(std::_Exit(dropPrivilegesAndRead(secret)), ::testing::ExitedWithCode(0), "");
}

}  // namespace
