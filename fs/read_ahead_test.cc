// fs::ReadStream's read-ahead (fs/internal/read_ahead.h): on a large cached file the pool reads
// the next chunks ahead of the stream; what the stream emits must stay Node's, byte for byte and
// chunk for chunk, wherever it stops.
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "vow/buffer/buffer.h"
#include "vow/fs/fs.h"
#include "vow/fs/internal/test_dir.h"
#include "vow/loop/async_local_storage.h"
#include "vow/loop/loop.h"
#include "vow/loop/timers.h"
#include "vow/promise/for_await.h"

namespace {

namespace fs = vow::fs;
using vow::Error;
using vow::fs::internal::TestDir;

// Bytes that differ at every offset (so a chunk from the wrong place cannot match).
std::string pattern(std::size_t size) {
  std::string s(size, '\0');
  std::uint32_t x = 0x9E3779B9u;
  for (std::size_t i = 0; i < size; ++i) {
    x = x * 1664525u + 1013904223u;
    s[i] = static_cast<char>(x >> 24);
  }
  return s;
}

struct Seen {
  std::vector<std::size_t> sizes;
  std::string bytes;
  std::vector<std::string> events;
};

// Every chunk, its size, and the events after the data.
void record(const std::shared_ptr<fs::ReadStream>& s, Seen& seen) {
  s->on("data", [&seen](const vow::Buffer& c) {
    seen.sizes.push_back(c.size());
    seen.bytes += std::string_view(c);
  });
  s->on("end", [&seen] { seen.events.push_back("end"); });
  s->on("error", [&seen](const Error& e) { seen.events.push_back("error " + e.code()); });
  s->on("close", [&seen] { seen.events.push_back("close"); });
}

std::vector<std::size_t> chunkSizes(std::size_t total, std::size_t chunk) {
  std::vector<std::size_t> sizes;
  for (std::size_t at = 0; at < total; at += chunk) sizes.push_back(std::min(chunk, total - at));
  return sizes;
}

TEST(ReadStreamReadAhead, ALargeFileIsReadAheadInNodesChunks) {
  vow::Loop loop;
  TestDir dir;
  const std::string data = pattern((std::size_t{3} << 20) + 123);
  fs::writeFileSync(dir / "big", data);
  Seen seen;
  auto s = fs::createReadStream(dir / "big");
  record(s, seen);
  loop.run();
  EXPECT_EQ(seen.sizes, chunkSizes(data.size(), 64 * 1024));
  EXPECT_TRUE(seen.bytes == data);
  EXPECT_EQ(seen.events, (std::vector<std::string>{"end", "close"}));
  EXPECT_EQ(s->bytesRead(), static_cast<std::int64_t>(data.size()));
  // 4 chunks read by the stream itself, then windows of 8 chunks (the last one short).
  EXPECT_GE(s->readAheadWindowsForTesting(), 5u);
}

TEST(ReadStreamReadAhead, StartAndEndBoundTheWindows) {
  vow::Loop loop;
  TestDir dir;
  const std::string data = pattern(std::size_t{4} << 20);
  fs::writeFileSync(dir / "big", data);
  // An end that falls inside a window and inside a chunk.
  const std::int64_t start = 1000, end = (std::int64_t{2} << 20) + 77777;
  Seen seen;
  auto s = fs::createReadStream(dir / "big", {.start = start, .end = end});
  record(s, seen);
  loop.run();
  const std::string want =
      data.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(end - start + 1));
  EXPECT_EQ(seen.sizes, chunkSizes(want.size(), 64 * 1024));
  EXPECT_TRUE(seen.bytes == want);
  EXPECT_EQ(seen.events, (std::vector<std::string>{"end", "close"}));
  EXPECT_GE(s->readAheadWindowsForTesting(), 1u);
}

TEST(ReadStreamReadAhead, OddChunkSizesKeepTheirBoundaries) {
  vow::Loop loop;
  TestDir dir;
  const std::string data = pattern(300001);
  fs::writeFileSync(dir / "f", data);
  Seen seen;
  auto s = fs::createReadStream(dir / "f", {.highWaterMark = 1000});
  record(s, seen);
  loop.run();
  EXPECT_EQ(seen.sizes, chunkSizes(data.size(), 1000));
  EXPECT_TRUE(seen.bytes == data);
  EXPECT_GE(s->readAheadWindowsForTesting(), 30u);
}

TEST(ReadStreamReadAhead, SmallFilesAreNotReadAhead) {
  vow::Loop loop;
  TestDir dir;
  // Four full chunks before it may start, and only two more: read as Node reads.
  const std::string data = pattern(6 * 64 * 1024);
  fs::writeFileSync(dir / "f", data);
  Seen seen;
  auto s = fs::createReadStream(dir / "f");
  record(s, seen);
  loop.run();
  EXPECT_TRUE(seen.bytes == data);
  EXPECT_EQ(s->readAheadWindowsForTesting(), 0u);
}

// Destroyed after each of the first chunks: before read-ahead, with a window in flight, with a
// read waiting for one. Each time: no more data, 'close' without 'end', the fd closed, and the
// stream freed once the window in flight (which holds it) has landed.
TEST(ReadStreamReadAhead, DestroyAtAnyChunkClosesTheFdAfterTheWindowInFlight) {
  TestDir dir;
  const std::string data = pattern(std::size_t{2} << 20);
  fs::writeFileSync(dir / "big", data);
  for (std::size_t stop_after = 1; stop_after <= 20; ++stop_after) {
    vow::Loop loop;
    Seen seen;
    int fd = -1;
    std::weak_ptr<fs::ReadStream> weak;
    {
      auto s = fs::createReadStream(dir / "big");
      weak = s;
      s->on("open", [&fd](int opened) { fd = opened; });
      fs::ReadStream* raw = s.get();
      s->on("data", [&seen, raw, stop_after](const vow::Buffer& c) {
        seen.sizes.push_back(c.size());
        seen.bytes += std::string_view(c);
        if (seen.sizes.size() == stop_after) raw->destroy();
      });
      s->on("end", [&seen] { seen.events.push_back("end"); });
      s->on("close", [&seen] { seen.events.push_back("close"); });
    }
    loop.run();
    ASSERT_EQ(seen.sizes.size(), stop_after) << stop_after;
    EXPECT_TRUE(seen.bytes == data.substr(0, stop_after * 64 * 1024)) << stop_after;
    EXPECT_EQ(seen.events, (std::vector<std::string>{"close"})) << stop_after;
    ASSERT_GE(fd, 0);
    EXPECT_EQ(::fcntl(fd, F_GETFD), -1) << "fd still open after destroy at " << stop_after;
    EXPECT_TRUE(weak.expired()) << stop_after;
  }
}

// Paused mode and for-await read through the same windows.
TEST(ReadStreamReadAhead, ForAwaitReadsTheWholeFile) {
  vow::Loop loop;
  TestDir dir;
  const std::string data = pattern((std::size_t{2} << 20) + 5);
  fs::writeFileSync(dir / "big", data);
  std::string got;
  std::size_t windows = 0;
  auto read = [&]() -> vow::Promise<void> {
    auto s = fs::createReadStream(dir / "big");
    auto it = vow::forAwait(s);
    while (auto chunk = co_await it.next()) got += std::string_view(*chunk);
    co_await it.close();
    windows = s->readAheadWindowsForTesting();
  };
  read();
  loop.run();
  EXPECT_TRUE(got == data);
  EXPECT_GE(windows, 1u);
}

// A chunk arrives in the async context of the read that asked for it, as in Node (where each
// fs.read callback runs in the context of its call), not in that of the read that fetched the
// window it came from, nor in none. Node prints aaaaaabbbb... for the same program (3 MiB
// file).
TEST(ReadStreamReadAhead, ChunksArriveInTheContextOfTheReadThatAskedForThem) {
  vow::Loop loop;
  TestDir dir;
  const std::string data = pattern(std::size_t{3} << 20);
  fs::writeFileSync(dir / "big", data);
  vow::AsyncLocalStorage<std::string> als;
  std::string seen;
  std::shared_ptr<fs::ReadStream> s;
  als.run("a", [&] {
    s = fs::createReadStream(dir / "big");
    s->on("data", [&](const vow::Buffer&) {
      seen += *als.getStore();
      if (seen.size() == 6) {
        s->pause();
        als.run("b", [&] { vow::setTimeout([&] { s->resume(); }, 5); });
      }
    });
  });
  loop.run();
  EXPECT_EQ(seen, "aaaaaa" + std::string(48 - 6, 'b'));
  EXPECT_GE(s->readAheadWindowsForTesting(), 1u);
}

}  // namespace
