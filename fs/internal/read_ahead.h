// The read-ahead of fs::ReadStream on a large regular file (private to //fs: stream.cc,
// read_ahead.cc).
//
// A ReadStream asks for one chunk at a time (Node's fs.read of highWaterMark bytes per _read).
// Once it has read kFullReadsBeforeStart full chunks in a row from the page cache, the next
// bytes are read ahead by the thread pool in windows of kChunksPerWindow chunks, one window in
// flight while the stream takes chunks from the last one. Each chunk is then a copy from memory
// on the loop thread instead of a 64 KiB read from the kernel's page cache there: the loop keeps
// its time for the JavaScript-side work (a Transform, readline's line splitting) while a pool
// thread copies from the page cache, and one pool job serves kChunksPerWindow chunks, so its
// hand-over costs the loop less than one chunk's copy did.
//
// What JavaScript sees does not change: the chunks and their sizes are those of Node's reads
// (a window that comes back short is the end of the file for the chunks it holds; the stream's
// next read after it is a fresh read, which sees bytes appended meanwhile), and each chunk still
// arrives in a later poll phase. What differs: bytes are read from the file up to two windows
// before the stream asks for them, at explicit offsets (the fd's own position is not moved by
// them), and an error is reported at the read that reaches the window that failed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "absl/functional/any_invocable.h"
#include "vow/promise/error.h"
#include "vow/promise/internal/context.h"

namespace vow::fs::internal {

// Runs `done(err, bytes)` in a later poll phase, in the async context current now: a read
// served on the loop thread completes as a pool read that took no time would (the stream's
// cached reads and the read-ahead's both).
void completeInPollPhase(absl::AnyInvocable<void(Error, std::size_t)> done, Error err,
                         std::size_t bytes);

class ReadAhead {
 public:
  using Done = absl::AnyInvocable<void(Error, std::size_t)>;

  // Full sequential reads (from the page cache) before read-ahead starts: files up to this many
  // chunks, and two more, are read as before, without a window.
  static constexpr int kFullReadsBeforeStart = 4;
  static constexpr std::size_t kChunksPerWindow = 8;
  static constexpr std::size_t kMaxWindow = std::size_t{1} << 20;

  // `keep_alive` is held by each window's pool job (the stream); `on_idle` runs when a window
  // lands after stop() and nothing waits for it (the stream's destroy waits for that).
  ReadAhead(int* fd, absl::AnyInvocable<std::shared_ptr<void>()> keep_alive,
            absl::AnyInvocable<void()> on_idle);
  ~ReadAhead();
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  // A read of `want` bytes at file offset `offset` into `into`, bounded by `limit` (the
  // offset the stream ends at, exclusive; -1: the end of the file). Returns false when the
  // read-ahead does not serve it (the caller reads as before), true when `done` was taken: it
  // runs later in the poll phase, with the number of bytes copied into `into`.
  bool read(char* into, std::size_t want, std::int64_t offset, std::int64_t limit, Done& done);
  // The caller's own read of `want` bytes at `offset` got `bytes` from the page cache: counts
  // toward starting, and starts the first window after enough of them when the file (of
  // `file_size` bytes when the stream first looked) has more than two chunks left.
  void noteCachedRead(std::size_t want, std::int64_t offset, std::size_t bytes, std::int64_t limit,
                      std::int64_t file_size);
  // No new window (the stream is being destroyed); a window in flight still lands.
  void stop() noexcept;
  // Whether a window's pool job is running (the fd must stay open until it ends).
  bool inFlight() const noexcept;
  // Whether read-ahead ever started: from then on the stream reads at explicit offsets (the
  // windows do not move the fd's position, so its own reads must not rely on it).
  bool started() const noexcept { return used_; }
  // How many windows were read: for tests that check read-ahead was used.
  std::size_t windowsReadForTesting() const noexcept { return windows_read_; }

 private:
  struct Window;
  struct Request {
    char* into = nullptr;
    std::size_t want = 0;
    std::size_t got = 0;
    Done done;
    // The async context of the read (Node: its FSReqCallback's): a read that waits for a
    // window completes in it, not in that of the read that fetched the window.
    ::vow::internal::ContextRef context;
  };
  void fetch();
  void landed(Error err, std::size_t bytes, std::size_t asked);
  void deactivate() noexcept;
  // Copies from the ready window into the pending request; completes it (posted when
  // `post`) once it is whole or the data ends.
  void serve(bool post);
  void finish(Request request, Error err, bool post);

  int* fd_;
  absl::AnyInvocable<std::shared_ptr<void>()> keep_alive_;
  absl::AnyInvocable<void()> on_idle_;
  // At most two windows: the one being taken from, and the next (in flight, or landed).
  std::unique_ptr<Window> ready_;   // being taken from
  std::unique_ptr<Window> queued_;  // landed while ready_ still had data
  std::unique_ptr<Window> flying_;  // in the pool's hands
  std::unique_ptr<char[]> spare_;   // a used window's storage, for the next one
  std::size_t spare_size_ = 0;
  Request pending_;  // a read of the stream waiting for a window
  bool has_pending_ = false;
  bool active_ = false;
  bool used_ = false;
  bool stopped_ = false;
  bool fetch_ended_ = false;  // a window reached the end: no more to fetch
  int full_reads_ = 0;
  std::int64_t expected_ = -1;      // where a sequential cached read would start
  std::size_t chunk_ = 0;           // the reads' size when read-ahead started
  std::int64_t next_offset_ = -1;   // where the next read of the stream starts
  std::int64_t fetch_offset_ = -1;  // where the next window starts
  std::int64_t limit_ = -1;
  std::uint64_t generation_ = 0;  // bumped when read-ahead stops: a window in flight is stale
  std::size_t windows_read_ = 0;
};

}  // namespace vow::fs::internal
