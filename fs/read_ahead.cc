#include "vow/fs/internal/read_ahead.h"

#include <algorithm>
#include <cstring>
#include <span>
#include <utility>

#include "vow/fs/callback.h"
#include "vow/loop/loop.h"
#include "vow/promise/internal/context.h"
namespace vow::fs::internal {

// Everything here runs on the loop thread, except the pool job's read into Window::data. That
// buffer is the job's alone while it is in flight (flying_ holds it and nothing else reads or
// frees it until landed() runs on the loop thread), and the stream it reads for is kept alive
// by the job's callback, so neither the fd nor *this can go away under it: the stream's
// destroy waits for inFlight() to end before it closes the fd.
struct ReadAhead::Window {
  std::unique_ptr<char[]> data;
  std::size_t size = 0;  // asked of the read
  std::size_t len = 0;   // what it got
  std::size_t used = 0;  // taken by the stream
  std::int64_t offset = 0;
  std::uint64_t generation = 0;
  bool final = false;  // the data ends after it (short read, error, or the stream's end)
  Error error;
};

void completeInPollPhase(absl::AnyInvocable<void(Error, std::size_t)> done, Error err,
                         std::size_t bytes) {
  absl::AnyInvocable<void()> complete = [done = std::move(done), err = std::move(err),
                                         bytes]() mutable { done(std::move(err), bytes); };
  vow::internal::bindToCurrentContext(complete);
  Loop::current().post(std::move(complete));  // from the loop thread: no wake-up needed
}

ReadAhead::ReadAhead(int* fd, absl::AnyInvocable<std::shared_ptr<void>()> keep_alive,
                     absl::AnyInvocable<void()> on_idle)
    : fd_(fd), keep_alive_(std::move(keep_alive)), on_idle_(std::move(on_idle)) {}

ReadAhead::~ReadAhead() = default;

bool ReadAhead::inFlight() const noexcept { return flying_ != nullptr; }

void ReadAhead::stop() noexcept {
  stopped_ = true;
  active_ = false;
  ready_.reset();
  queued_.reset();
}

void ReadAhead::noteCachedRead(std::size_t want, std::int64_t offset, std::size_t bytes,
                               std::int64_t limit, std::int64_t file_size) {
  if (stopped_ || active_ || want == 0) return;
  full_reads_ = bytes == want ? (offset == expected_ ? full_reads_ + 1 : 1) : 0;
  expected_ = offset + static_cast<std::int64_t>(bytes);
  if (full_reads_ < kFullReadsBeforeStart) return;
  // A window for the last chunk or two costs more than reading them.
  const std::int64_t end = limit >= 0 ? std::min(limit, file_size) : file_size;
  if (end - expected_ <= 2 * static_cast<std::int64_t>(want)) return;
  active_ = true;
  used_ = true;
  chunk_ = want;
  next_offset_ = fetch_offset_ = expected_;
  limit_ = limit;
  fetch_ended_ = false;
  ++generation_;
  fetch();
}

bool ReadAhead::read(char* into, std::size_t want, std::int64_t offset, std::int64_t limit,
                     Done& done) {
  if (!active_ || has_pending_ || want == 0) return false;
  if (offset != next_offset_ || limit != limit_) {
    // Not the read that follows: read as before (a window in flight lands unused).
    deactivate();
    return false;
  }
  pending_ = Request{into, want, 0, std::move(done), vow::internal::ContextRef::current()};
  has_pending_ = true;
  serve(/*post=*/true);
  return true;
}

void ReadAhead::deactivate() noexcept {
  active_ = false;
  full_reads_ = 0;
  ready_.reset();
  queued_.reset();
  ++generation_;  // a window in flight is stale
}

void ReadAhead::fetch() {
  if (stopped_ || !active_ || fetch_ended_ || flying_ || queued_) return;
  std::size_t size = std::min(kMaxWindow, chunk_ * kChunksPerWindow);
  size = std::max(size, chunk_);
  if (limit_ >= 0) {
    if (fetch_offset_ >= limit_) {
      fetch_ended_ = true;
      return;
    }
    size = static_cast<std::size_t>(
        std::min<std::int64_t>(static_cast<std::int64_t>(size), limit_ - fetch_offset_));
  }
  auto w = std::make_unique<Window>();
  if (spare_ && spare_size_ >= size) {
    w->data = std::move(spare_);
    w->size = spare_size_;
  } else {
    w->data.reset(new char[size]);  // not cleared: the read fills what it reports
    w->size = size;
  }
  w->offset = fetch_offset_;
  w->generation = generation_;
  fetch_offset_ += static_cast<std::int64_t>(size);
  char* data = w->data.get();
  flying_ = std::move(w);
  fs::read(*fd_, std::span<char>(data, size), 0, static_cast<std::int64_t>(size), flying_->offset,
           [this, keep = keep_alive_(), size](Error err, std::size_t bytes) mutable {
             landed(std::move(err), bytes, size);
           });
}

void ReadAhead::landed(Error err, std::size_t bytes, std::size_t asked) {
  std::unique_ptr<Window> w = std::move(flying_);
  ++windows_read_;
  if (stopped_) {
    // Destroyed meanwhile: a read waiting for this window ends (its callback sees the stream
    // destroyed); otherwise the stream's destroy may close the fd now.
    if (has_pending_) {
      has_pending_ = false;
      finish(std::move(pending_), Error(), /*post=*/false);
    } else if (on_idle_) {
      on_idle_();
    }
    return;
  }
  if (w->generation != generation_) {
    fetch();  // active again since: its own window
    return;
  }
  w->len = err ? 0 : bytes;
  w->error = std::move(err);
  w->final = static_cast<bool>(w->error) || bytes < asked ||
             (limit_ >= 0 && w->offset + static_cast<std::int64_t>(bytes) >= limit_);
  if (w->final) fetch_ended_ = true;
  if (ready_ == nullptr) {
    ready_ = std::move(w);
  } else {
    queued_ = std::move(w);
  }
  if (has_pending_) {
    serve(/*post=*/false);  // this is the poll phase already: as a pool read completing
  } else {
    fetch();
  }
}

void ReadAhead::serve(bool post) {
  while (has_pending_) {
    if (ready_ == nullptr) {
      fetch();
      if (flying_ == nullptr) {
        // Nothing left to read ahead (the stream's end): the data ends here.
        active_ = false;
        has_pending_ = false;
        finish(std::move(pending_), Error(), post);
      }
      return;  // else landed() continues
    }
    Window& w = *ready_;
    if (w.error && w.used == w.len) {
      // The read that reaches a failed window fails, as that read would have; read-ahead ends.
      Error err = std::move(w.error);
      deactivate();
      has_pending_ = false;
      Request r = std::move(pending_);
      // Bytes already copied for this read are its result (read(2) returns them).
      if (r.got > 0) err = Error();
      finish(std::move(r), std::move(err), post);
      return;
    }
    const std::size_t n = std::min(pending_.want - pending_.got, w.len - w.used);
    std::memcpy(pending_.into + pending_.got, w.data.get() + w.used, n);
    w.used += n;
    pending_.got += n;
    next_offset_ += static_cast<std::int64_t>(n);
    const bool ends = w.used == w.len && w.final && !w.error;
    if (w.used == w.len && !w.error) {
      spare_size_ = w.size;
      spare_ = std::move(w.data);
      ready_ = std::move(queued_);
    }
    fetch();
    if (pending_.got == pending_.want || ends) {
      // After the last window, the stream's next read is a fresh one (it sees bytes that
      // were appended meanwhile, or 0 at the end, as Node's next read would).
      if (ends) deactivate();
      has_pending_ = false;
      finish(std::move(pending_), Error(), post);
      return;
    }
  }
}

void ReadAhead::finish(Request request, Error err, bool post) {
  if (!post) {
    vow::internal::ContextScope scope(request.context.get());
    request.done(std::move(err), request.got);
    return;
  }
  completeInPollPhase(std::move(request.done), std::move(err), request.got);
}

}  // namespace vow::fs::internal
