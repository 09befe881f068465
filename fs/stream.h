// fs streams: Node's fs.createReadStream / fs.createWriteStream as vow::EventEmitters.
//
//   auto in = vow::fs::createReadStream("big.bin", {.highWaterMark = 4096});
//   in->on("data", [](const std::string& chunk) { ... });
//   in->on("end", [] { ... });
//   in->on("error", [](const vow::Error& e) { ... });
//
// Events, in Node's order: ReadStream: "open"(int fd), "ready", "data"(std::string chunk)...,
// "end", "close"; on failure "error"(vow::Error) then "close" (never "end").
// WriteStream: "open"(int fd), "ready", "drain" (after write() returned false and the buffer
// emptied), "finish" (after end() and every write completed), "close"; on failure "error" then
// "close". Every fs call the streams make is a pool job of the callback API.
//
// Streams are held by std::shared_ptr: the stream keeps itself alive while it has I/O in
// flight, so dropping your pointer does not cancel it.
//
// A ReadStream starts flowing when a "data" listener is added with on(), addListener() or
// once() (as in Node; prependListener does not start it, as in Node). Difference from Node,
// by design: there is no paused-mode read().
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "vow/loop/abort_controller.h"
#include "vow/loop/event_emitter.h"
#include "vow/promise/error.h"

namespace vow::fs {

struct ReadStreamOptions {
  const char* flags = "r";
  unsigned mode = 0666;
  std::int64_t start = -1;  // -1: from the current position (0 for a new fd)
  std::int64_t end = -1;    // inclusive; -1: to the end of the file
  std::size_t highWaterMark = 64 * 1024;
  bool autoClose = true;
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

class ReadStream final : public EventEmitter, public std::enable_shared_from_this<ReadStream> {
 public:
  // Use createReadStream.
  ReadStream(std::string path, ReadStreamOptions options);

  // Node's Readable.on, which is also its addListener and what its once adds with: adding a
  // "data" listener starts the flow (unless pause() was called). prependListener and
  // prependOnceListener are EventEmitter's and do not start it, as in Node.
  template <class F>
  ListenerId on(std::string_view name, F&& listener) {
    ListenerId id = EventEmitter::on(name, std::forward<F>(listener));
    startFlowOn(name);
    return id;
  }
  template <class F>
  ListenerId addListener(std::string_view name, F&& listener) {
    return on(name, std::forward<F>(listener));
  }
  template <class F>
  ListenerId once(std::string_view name, F&& listener) {
    ListenerId id = EventEmitter::once(name, std::forward<F>(listener));
    startFlowOn(name);
    return id;
  }

  // Node: readable.pause() / resume() / isPaused().
  void pause();
  void resume();
  bool isPaused() const noexcept { return !flowing_; }
  // Node: readable.destroy([error]): closes the fd, emits "error" (if any) then "close".
  void destroy(Error error = Error());

  const std::string& path() const noexcept { return path_; }
  std::int64_t bytesRead() const noexcept { return bytes_read_; }
  int fd() const noexcept { return fd_; }
  bool destroyed() const noexcept { return destroyed_; }

  // Node: readable.pipe(destination): writes every chunk to `dest` (a WriteStream or anything
  // with write(std::string) -> bool, end(), and on("drain")), pausing while it is full, and ends
  // it at "end". Returns dest.
  template <class W>
  std::shared_ptr<W> pipe(std::shared_ptr<W> dest);

  // Starts the stream (createReadStream calls it).
  void start();

 private:
  void startFlowOn(std::string_view name) {
    if (name == "data" && !explicitly_paused_) resume();
  }
  template <class S>
  friend void watchSignal(const std::shared_ptr<S>& stream, const AbortSignal& signal);
  void afterOpen(Error err, int fd);
  void readMore();
  void onEof();
  void finishDestroy(Error error);

  std::string path_;
  ReadStreamOptions options_;
  int fd_ = -1;
  std::int64_t pos_ = -1;
  std::int64_t bytes_read_ = 0;
  bool flowing_ = false;
  bool explicitly_paused_ = false;
  bool opened_ = false;
  bool reading_ = false;
  bool read_scheduled_ = false;
  bool ended_ = false;
  bool destroyed_ = false;
  bool close_after_read_ = false;
  Error pending_error_;
  std::string chunk_;
  ::vow::internal::AbortRegistration abort_;  // options.signal's listener, until destroyed
};

class WriteStream final : public EventEmitter, public std::enable_shared_from_this<WriteStream> {
 public:
  using WriteCallback = absl::AnyInvocable<void(Error)>;

  // Use createWriteStream.
  WriteStream(std::string path, WriteStreamOptions options);

  // Node: writable.write(chunk[, callback]): queues the chunk; returns false when the queued
  // bytes reached highWaterMark (wait for "drain"). The callback gets the write's outcome.
  // Every failed write reports its error to its callback and the stream emits "error" once.
  bool write(std::string chunk, WriteCallback callback = nullptr);
  // Node: writable.end([chunk]): no more writes; "finish" after the queued ones are done.
  void end();
  void end(std::string chunk);
  // Node: writable.destroy([error]).
  void destroy(Error error = Error());

  const std::string& path() const noexcept { return path_; }
  std::int64_t bytesWritten() const noexcept { return bytes_written_; }
  std::size_t writableLength() const noexcept { return buffered_; }
  bool writableNeedDrain() const noexcept { return need_drain_; }
  int fd() const noexcept { return fd_; }
  bool destroyed() const noexcept { return destroyed_; }

  void start();

 private:
  struct Pending {
    std::string data;
    WriteCallback callback;
  };
  template <class S>
  friend void watchSignal(const std::shared_ptr<S>& stream, const AbortSignal& signal);
  void afterOpen(Error err, int fd);
  void pump();
  // Empties the queue of writes not yet started (and its byte count).
  std::deque<Pending> takeQueued();
  static void failAll(std::deque<Pending>& writes, const Error& err);
  void failQueued(const Error& err);
  void finishDestroy(Error error);

  std::string path_;
  WriteStreamOptions options_;
  int fd_ = -1;
  std::int64_t pos_ = -1;
  std::int64_t bytes_written_ = 0;
  std::size_t buffered_ = 0;
  std::deque<Pending> queue_;
  bool writing_ = false;
  bool need_drain_ = false;
  bool ending_ = false;
  bool finished_ = false;
  bool destroyed_ = false;
  bool close_after_write_ = false;
  Error pending_error_;
  ::vow::internal::AbortRegistration abort_;
};

// Node: fs.createReadStream(path[, options]).
std::shared_ptr<ReadStream> createReadStream(std::string_view path, ReadStreamOptions options = {});
// Node: fs.createWriteStream(path[, options]).
std::shared_ptr<WriteStream> createWriteStream(std::string_view path,
                                               WriteStreamOptions options = {});

template <class W>
std::shared_ptr<W> ReadStream::pipe(std::shared_ptr<W> dest) {
  std::weak_ptr<ReadStream> weak = weak_from_this();
  dest->on("drain", [weak] {
    if (auto self = weak.lock()) self->resume();
  });
  EventEmitter::on("end", [dest] { dest->end(); });
  on("data", [weak, dest](const std::string& chunk) {
    if (!dest->write(chunk)) {
      if (auto self = weak.lock()) self->pause();
    }
  });
  return dest;
}

}  // namespace vow::fs
