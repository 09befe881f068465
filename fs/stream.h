// fs streams: Node's fs.createReadStream / fs.createWriteStream, built on vow::stream::Readable
// and vow::stream::Writable (vow/stream/), so everything those have (paused-mode read(), the
// 'readable' event, pipe(), stream::finished, stream::pipeline, async iteration) works on them.
//
//   auto in = vow::fs::createReadStream("big.bin", {.highWaterMark = 4096});
//   in->on("data", [](const vow::Buffer& chunk) { ... });
//   in->on("end", [] { ... });
//   in->on("error", [](const vow::Error& e) { ... });
//
// Events, in Node's order: ReadStream: "open"(int fd), "ready", "data"(vow::Buffer chunk)...,
// "end", "close"; on failure "error"(vow::Error) then "close" (never "end").
// WriteStream: "open"(int fd), "ready", "drain" (after write() returned false and the buffer
// emptied), "finish" (after end() and every write completed), "close"; on failure "error" then
// "close". Every fs call the streams make is a pool job of the callback API (one exception
// below); the stream steps around them run as Node's fs streams (lib/internal/fs/streams.js)
// run them: open in the construct step, one read (or one write, or one writev of everything
// buffered) at a time, the fd closed by _destroy after any I/O in flight.
//
// The exceptions: a ReadStream on a regular file copies what the page cache already holds on
// the loop thread (preadv2 with RWF_NOWAIT, which never waits for the disk) instead of a pool
// job, and reads only the rest on the pool. Once it has read a few full chunks that way, the
// pool reads the next ones ahead, 8 chunks (at most 1 MiB) per job, one such job at a time, and
// each chunk is copied from there. Chunks, their sizes and the order of events are Node's (a
// chunk still arrives in a later poll phase); what differs is that such reads do not wait
// behind a busy thread pool, and that bytes are read from the file up to two windows before
// the stream asks for them, at explicit offsets (fd()'s position is not where Node's would be).
//
// Chunks are vow::Buffer, as Node's. A ReadStream reads each chunk into a new Buffer from
// Buffer::allocUnsafe (not zero-filled; a short read gives a subarray of it), except that it
// reuses a chunk's storage once every holder let go of it (no 'data' listener, pipe destination
// or buffered write kept a copy): a chunk you keep is never overwritten. A WriteStream writes
// the Buffer given to write() without copying it (it holds the Buffer until the write ends);
// several buffered chunks written together (_writev) are joined into one Buffer first.
//
// Streams are held by std::shared_ptr: the stream keeps itself alive while it has I/O in
// flight, so dropping your pointer does not cancel it.
//
// Difference from Node, by design: a stream destroyed before its open started (an aborted
// signal) never opens the file (node v20 opens it anyway and emits 'open' after 'close').
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "vow/buffer/buffer.h"
#include "vow/loop/abort_controller.h"
#include "vow/promise/error.h"
#include "vow/stream/readable.h"
#include "vow/stream/writable.h"

namespace vow::fs {

namespace internal {
class ReadAhead;
}  // namespace internal

struct ReadStreamOptions {
  const char* flags = "r";
  unsigned mode = 0666;
  std::int64_t start = -1;  // -1: from the current position (0 for a new fd)
  std::int64_t end = -1;    // inclusive; -1: to the end of the file
  std::size_t highWaterMark = 64 * 1024;
  bool autoClose = true;  // Node: autoClose (the stream's autoDestroy)
  // Node: options.signal (stream.addAbortSignal): aborting destroys the stream with an
  // AbortError (cause = the reason): "error" then "close". Already aborted: destroyed at once.
  AbortSignalRef signal;
};

struct WriteStreamOptions {
  const char* flags = "w";
  unsigned mode = 0666;
  std::int64_t start = -1;  // -1: at the current position
  std::size_t highWaterMark = 16 * 1024;
  // Node: options.signal, as ReadStreamOptions::signal (queued writes fail with the AbortError).
  AbortSignalRef signal;
};

// Node: fs.ReadStream. A vow::stream::Readable: on("data") starts the flow, on("readable") and
// read() read in paused mode, pipe(), pause(), resume(), destroy()...
class ReadStream final : public stream::Readable {
 public:
  // Use createReadStream.
  ReadStream(std::string path, ReadStreamOptions options);
  ~ReadStream() override;

  // How many read-ahead windows the stream read (fs/read_ahead.h): for tests.
  std::size_t readAheadWindowsForTesting() const noexcept;

  const std::string& path() const noexcept { return path_; }
  std::int64_t bytesRead() const noexcept { return bytes_read_; }
  int fd() const noexcept { return fd_; }
  // Node: readStream.pending: the file is not open yet.
  bool pending() const noexcept { return fd_ < 0; }

  // Checks the arguments (throws as Node's constructor does); createReadStream calls it.
  void start();

 protected:
  void _construct(stream::Callback callback) override;
  void _read(std::size_t size) override;
  void _destroy(Error error, stream::Callback callback) override;
  void reuseChunk(Buffer&& chunk) override;

 private:
  // Reads `buffer.size()` bytes at `position` (-1: the fd's position) into `buffer`, copying
  // what the page cache holds on the loop thread and reading the rest on the pool; `done`
  // runs later in the poll phase either way.
  void readCachedOnLoop(Buffer& buffer, std::int64_t position,
                        absl::AnyInvocable<void(Error, std::size_t)>& done);
  // A read (or a read-ahead window) ended after destroy(): closes the fd once no other I/O on
  // it is out (Node's kIoDone).
  void ioEndedAfterDestroy(Error err);

  std::string path_;
  ReadStreamOptions options_;
  // The read in flight reads into read_buffer_ (one at a time, as Node's), which its callback
  // pushes; spare_ is a chunk that nobody else holds any more (reuseChunk), whose storage the
  // next read reuses.
  Buffer read_buffer_;
  Buffer spare_;
  int fd_ = -1;
  std::int64_t pos_ = -1;
  std::int64_t bytes_read_ = 0;
  bool performing_io_ = false;
  stream::Callback io_done_;  // Node's once(kIoDone): _destroy waiting for the read in flight
  // Whether the fd is a regular file whose cached bytes readCachedOnLoop may copy on the loop
  // thread (found by the first read).
  enum class InlineReads : std::uint8_t { kUnknown, kYes, kNo };
  InlineReads inline_reads_ = InlineReads::kUnknown;
  std::int64_t file_size_ = 0;  // when the first read looked (a regular file)
  // A large cached file's next chunks, read by the pool ahead of the stream.
  std::unique_ptr<internal::ReadAhead> ahead_;
};

// Node: fs.WriteStream. A vow::stream::Writable: write() returns false at highWaterMark,
// 'drain', end(), 'finish', 'close'.
class WriteStream final : public stream::Writable {
 public:
  using WriteCallback = stream::Callback;

  // Use createWriteStream.
  WriteStream(std::string path, WriteStreamOptions options);

  const std::string& path() const noexcept { return path_; }
  std::int64_t bytesWritten() const noexcept { return bytes_written_; }
  int fd() const noexcept { return fd_; }
  bool pending() const noexcept { return fd_ < 0; }

  void start();

 protected:
  void _construct(stream::Callback callback) override;
  void _write(Buffer chunk, stream::Callback callback) override;
  void _writev(std::vector<Buffer> chunks, stream::Callback callback) override;
  bool hasWritev() const override { return true; }
  void _destroy(Error error, stream::Callback callback) override;

 private:
  void writeAll(Buffer data, stream::Callback callback);

  std::string path_;
  WriteStreamOptions options_;
  int fd_ = -1;
  std::int64_t pos_ = -1;
  std::int64_t bytes_written_ = 0;
  bool performing_io_ = false;
  stream::Callback io_done_;
};

// Node: fs.createReadStream(path[, options]).
std::shared_ptr<ReadStream> createReadStream(std::string_view path, ReadStreamOptions options = {});
// Node: fs.createWriteStream(path[, options]).
std::shared_ptr<WriteStream> createWriteStream(std::string_view path,
                                               WriteStreamOptions options = {});

}  // namespace vow::fs
