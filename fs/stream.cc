#include "vow/fs/stream.h"

#include <utility>

#include "vow/fs/callback.h"
#include "vow/loop/loop.h"

namespace vow::fs {
namespace {

// The end of a destroyed stream, read or write, as in Node: close its fd (when one is open),
// then on a later tick 'error' (when destroyed with one) and 'close'. `self` keeps the stream
// alive until 'close' has been emitted.
void closeThenEmitTail(std::shared_ptr<EventEmitter> self, int fd, Error error) {
  auto emitTail = [self = std::move(self), error = std::move(error)] {
    if (error) self->emit("error", error);
    self->emit("close");
  };
  if (fd >= 0) {
    close(fd, [emitTail = std::move(emitTail)](Error) mutable { nextTick(std::move(emitTail)); });
  } else {
    nextTick(std::move(emitTail));
  }
}

}  // namespace

// Node's addAbortSignal(signal, stream), as the stream constructors call it: an aborted signal
// destroys the stream with the AbortError now; otherwise a listener does when it aborts, and is
// removed when the stream is destroyed.
template <class S>
void watchSignal(const std::shared_ptr<S>& stream, const AbortSignal& signal) {
  if (!signal) return;
  if (signal.aborted()) {
    stream->destroy(::vow::internal::abortErrorOf(signal));
    return;
  }
  std::weak_ptr<S> weak = stream;
  const AbortSignal::ListenerId id =
      signal.addEventListener("abort",
                              [weak](const AbortEvent& event) {
                                if (auto s = weak.lock())
                                  s->destroy(::vow::internal::abortErrorOf(event.target));
                              },
                              {.once = true});
  stream->abort_ = ::vow::internal::AbortRegistration(signal, id);
}

// --- ReadStream -------------------------------------------------------------------------------

ReadStream::ReadStream(std::string path, ReadStreamOptions options)
    : path_(std::move(path)), options_(options), pos_(options.start) {}

void ReadStream::start() {
  internal::checkPath(path_, "path");
  const int flags = internal::parseFlags(options_.flags);
  if (options_.start >= 0 && options_.end >= 0 && options_.start > options_.end) {
    internal::throwOutOfRange("start", "<= \"end\" (here: " + std::to_string(options_.end) + ")",
                              options_.start);
  }
  (void)flags;
  // Node opens in the stream's construct step, on the next tick.
  nextTick([self = shared_from_this()] {
    if (self->destroyed_) return;
    open(self->path_, self->options_.flags, self->options_.mode,
         [self](Error err, int fd) { self->afterOpen(std::move(err), fd); });
  });
}

void ReadStream::afterOpen(Error err, int fd) {
  if (err) {
    destroy(std::move(err));
    return;
  }
  fd_ = fd;
  opened_ = true;
  if (destroyed_) {  // destroyed while opening: close what we got
    finishDestroy(pending_error_);
    return;
  }
  emit("open", fd);
  emit("ready");
  if (flowing_) readMore();
}

void ReadStream::pause() {
  explicitly_paused_ = true;
  if (flowing_) {
    flowing_ = false;
    emit("pause");
  }
}

void ReadStream::resume() {
  explicitly_paused_ = false;
  if (flowing_) return;
  flowing_ = true;
  if (opened_ && !read_scheduled_) {
    read_scheduled_ = true;
    nextTick([self = shared_from_this()] {
      self->read_scheduled_ = false;
      self->emit("resume");
      self->readMore();
    });
  }
}

void ReadStream::readMore() {
  if (reading_ || destroyed_ || ended_ || !flowing_ || !opened_) return;
  std::size_t to_read = options_.highWaterMark;
  if (options_.end >= 0) {
    const std::int64_t at = pos_ >= 0 ? pos_ : bytes_read_;
    const std::int64_t left = options_.end - at + 1;
    if (left <= 0) {
      onEof();
      return;
    }
    if (static_cast<std::int64_t>(to_read) > left) to_read = static_cast<std::size_t>(left);
  }
  reading_ = true;
  chunk_.resize(to_read);
  read(fd_, std::span<char>(chunk_.data(), chunk_.size()), 0, static_cast<std::int64_t>(to_read),
       pos_, [self = shared_from_this()](Error err, std::size_t n) {
         self->reading_ = false;
         if (self->close_after_read_) {
           self->close_after_read_ = false;
           self->finishDestroy(self->pending_error_);
           return;
         }
         if (err) {
           self->destroy(std::move(err));
           return;
         }
         if (n == 0) {
           self->onEof();
           return;
         }
         std::string chunk = std::move(self->chunk_);
         chunk.resize(n);
         self->chunk_ = std::string();
         if (self->pos_ >= 0) self->pos_ += static_cast<std::int64_t>(n);
         self->bytes_read_ += static_cast<std::int64_t>(n);
         self->emit("data", std::move(chunk));
         if (self->flowing_ && !self->read_scheduled_) {
           self->read_scheduled_ = true;
           nextTick([self] {
             self->read_scheduled_ = false;
             self->readMore();
           });
         }
       });
}

void ReadStream::onEof() {
  if (ended_) return;
  ended_ = true;
  nextTick([self = shared_from_this()] {
    if (self->destroyed_) return;
    self->emit("end");
    if (self->options_.autoClose) self->destroy();
  });
}

void ReadStream::destroy(Error error) {
  if (destroyed_) return;
  destroyed_ = true;
  abort_.remove();
  pending_error_ = std::move(error);
  if (reading_) {
    close_after_read_ = true;
    return;
  }
  // Not open (yet or ever)? An open in flight closes its fd in afterOpen.
  finishDestroy(pending_error_);
}

void ReadStream::finishDestroy(Error error) {
  closeThenEmitTail(shared_from_this(), std::exchange(fd_, -1), std::move(error));
}

std::shared_ptr<ReadStream> createReadStream(std::string_view path, ReadStreamOptions options) {
  AbortSignal signal = options.signal.get();  // the options refer to it: copied now
  options.signal = AbortSignalRef();
  auto s = std::make_shared<ReadStream>(std::string(path), std::move(options));
  s->start();
  watchSignal(s, signal);
  return s;
}

// --- WriteStream ------------------------------------------------------------------------------

WriteStream::WriteStream(std::string path, WriteStreamOptions options)
    : path_(std::move(path)), options_(options), pos_(options.start) {}

void WriteStream::start() {
  internal::checkPath(path_, "path");
  (void)internal::parseFlags(options_.flags);
  nextTick([self = shared_from_this()] {
    if (self->destroyed_) return;
    open(self->path_, self->options_.flags, self->options_.mode,
         [self](Error err, int fd) { self->afterOpen(std::move(err), fd); });
  });
}

void WriteStream::afterOpen(Error err, int fd) {
  if (err) {
    destroy(std::move(err));
    return;
  }
  fd_ = fd;
  if (destroyed_) {
    finishDestroy(pending_error_);
    return;
  }
  emit("open", fd);
  emit("ready");
  pump();
}

bool WriteStream::write(std::string chunk, WriteCallback callback) {
  if (ending_ || destroyed_) {
    Error err =
        Exception(ending_ ? "write after end" : "Cannot call write after a stream was destroyed",
                  ending_ ? "ERR_STREAM_WRITE_AFTER_END" : "ERR_STREAM_DESTROYED");
    nextTick([self = shared_from_this(), err, callback = std::move(callback)]() mutable {
      if (callback) callback(err);
      if (!self->destroyed_ || self->listenerCount("error") > 0) self->emit("error", err);
    });
    return false;
  }
  buffered_ += chunk.size();
  queue_.push_back(Pending{std::move(chunk), std::move(callback)});
  const bool ok = buffered_ < options_.highWaterMark;
  if (!ok) need_drain_ = true;
  pump();
  return ok;
}

void WriteStream::pump() {
  if (writing_ || fd_ < 0 || destroyed_) return;
  if (queue_.empty()) {
    if (ending_ && !finished_) {
      finished_ = true;
      nextTick([self = shared_from_this()] {
        if (self->destroyed_) return;
        self->emit("finish");
        self->destroy();
      });
    }
    return;
  }
  // Everything queued goes out in one pool job (Node's _writev).
  std::deque<Pending> batch;
  batch.swap(queue_);
  std::string data;
  if (batch.size() == 1) {
    data = std::move(batch.front().data);
  } else {
    std::size_t total = 0;
    for (const auto& p : batch) total += p.data.size();
    data.reserve(total);
    for (const auto& p : batch) data += p.data;
  }
  const std::size_t size = data.size();
  writing_ = true;
  auto shared_batch = std::make_shared<std::deque<Pending>>(std::move(batch));
  fs::write(
      fd_, std::move(data), pos_,
      [self = shared_from_this(), shared_batch, size](Error err, std::size_t n) {
        self->writing_ = false;
        if (err) {
          self->buffered_ -= size;
          for (auto& p : *shared_batch) {
            if (p.callback) p.callback(err);
          }
          self->failQueued(err);
          self->destroy(err);
          return;
        }
        self->bytes_written_ += static_cast<std::int64_t>(n);
        if (self->pos_ >= 0) self->pos_ += static_cast<std::int64_t>(n);
        self->buffered_ -= size;
        if (self->need_drain_ && self->buffered_ == 0 && !self->ending_ && !self->destroyed_) {
          self->need_drain_ = false;
          self->emit("drain");
        }
        for (auto& p : *shared_batch) {
          if (p.callback) p.callback(Error());
        }
        if (self->close_after_write_) {
          self->close_after_write_ = false;
          self->finishDestroy(self->pending_error_);
          return;
        }
        self->pump();
      });
}

std::deque<WriteStream::Pending> WriteStream::takeQueued() {
  std::deque<Pending> rest;
  rest.swap(queue_);
  buffered_ = 0;
  return rest;
}

void WriteStream::failAll(std::deque<Pending>& writes, const Error& err) {
  for (auto& p : writes) {
    if (p.callback) p.callback(err);
  }
}

void WriteStream::failQueued(const Error& err) {
  std::deque<Pending> rest = takeQueued();
  failAll(rest, err);
}

void WriteStream::end() {
  if (ending_) return;
  ending_ = true;
  pump();
}

void WriteStream::end(std::string chunk) {
  write(std::move(chunk));
  end();
}

void WriteStream::destroy(Error error) {
  if (destroyed_) return;
  destroyed_ = true;
  abort_.remove();
  pending_error_ = error;
  if (!queue_.empty()) {
    // Node's Writable.destroy: process.nextTick(errorBuffer, state): the queued writes' callbacks
    // get the error on the next tick, not inside destroy().
    Error reason = error ? error
                         : Error(Exception("Cannot call write after a stream was destroyed",
                                           "ERR_STREAM_DESTROYED"));
    nextTick(
        [rest = takeQueued(), reason = std::move(reason)]() mutable { failAll(rest, reason); });
  }
  if (writing_) {
    close_after_write_ = true;
    return;
  }
  finishDestroy(pending_error_);
}

void WriteStream::finishDestroy(Error error) {
  closeThenEmitTail(shared_from_this(), std::exchange(fd_, -1), std::move(error));
}

std::shared_ptr<WriteStream> createWriteStream(std::string_view path, WriteStreamOptions options) {
  AbortSignal signal = options.signal.get();  // the options refer to it: copied now
  options.signal = AbortSignalRef();
  auto s = std::make_shared<WriteStream>(std::string(path), std::move(options));
  s->start();
  watchSignal(s, signal);
  return s;
}

}  // namespace vow::fs
