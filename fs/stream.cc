#include "vow/fs/stream.h"

#include <sys/stat.h>
#include <sys/uio.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <string>
#include <utility>

#include "vow/fs/callback.h"
#include "vow/fs/internal/read_ahead.h"

namespace vow::fs {
namespace {

// Node's close(stream, err, cb): close the fd when one is open, then cb(closeError || err).
void closeFd(int& fd, Error err, stream::Callback cb) {
  if (fd < 0) {
    cb(std::move(err));
    return;
  }
  const int to_close = std::exchange(fd, -1);
  fs::close(to_close, [err = std::move(err), cb = std::move(cb)](Error er) mutable {
    cb(er ? std::move(er) : std::move(err));
  });
}

// Node's _construct of both file streams: open the file, then 'open' (with the fd) and 'ready'.
// `fd` points into *self, which the callback keeps alive.
template <class S>
void openFileStream(std::shared_ptr<S> self, const std::string& path, const char* flags,
                    unsigned mode, int* fd, stream::Callback callback) {
  fs::open(
      path, flags, mode,
      [self = std::move(self), fd, callback = std::move(callback)](Error err, int opened) mutable {
        if (err) {
          callback(std::move(err));
          return;
        }
        *fd = opened;
        callback(Error());
        self->emit("open", opened);
        self->emit("ready");
      });
}

// Node's _destroy of both file streams: with a read or write in flight, close once it ends
// (its callback calls io_done); otherwise close now.
void closeFileStream(int& fd, bool performing_io, stream::Callback& io_done, Error error,
                     stream::Callback callback) {
  if (performing_io) {
    io_done = [&fd, error = std::move(error), callback = std::move(callback)](Error er) mutable {
      closeFd(fd, error ? std::move(error) : std::move(er), std::move(callback));
    };
  } else {
    closeFd(fd, std::move(error), std::move(callback));
  }
}

// createReadStream / createWriteStream: check the arguments as Node's constructors, then start.
template <class S, class Options>
std::shared_ptr<S> createFileStream(std::string_view path, Options options) {
  AbortSignal signal = options.signal.get();  // the options refer to it: copied now
  options.signal = AbortSignalRef();
  auto s = std::make_shared<S>(std::string(path), options);
  s->start();
  s->init(signal);
  return s;
}

stream::ReadableOptions readableOptionsOf(const ReadStreamOptions& o) {
  stream::ReadableOptions r;
  r.highWaterMark = o.highWaterMark;
  r.autoDestroy = o.autoClose;
  return r;
}

stream::WritableOptions writableOptionsOf(const WriteStreamOptions& o) {
  stream::WritableOptions w;
  w.highWaterMark = o.highWaterMark;
  return w;
}

}  // namespace

// --- ReadStream -------------------------------------------------------------------------------

ReadStream::ReadStream(std::string path, ReadStreamOptions options)
    : stream::Stream(),
      stream::Readable(readableOptionsOf(options)),
      path_(std::move(path)),
      options_(options),
      pos_(options.start) {
  options_.signal = AbortSignalRef();
  useConstruct();
  ahead_ = std::make_unique<internal::ReadAhead>(
      &fd_, [this] { return std::shared_ptr<void>(shared_from_this()); },
      [this] { ioEndedAfterDestroy(Error()); });
}

ReadStream::~ReadStream() = default;

std::size_t ReadStream::readAheadWindowsForTesting() const noexcept {
  return ahead_->windowsReadForTesting();
}

void ReadStream::start() {
  internal::checkPath(path_, "path");
  (void)internal::parseFlags(options_.flags);
  if (options_.start >= 0 && options_.end >= 0 && options_.start > options_.end) {
    internal::throwOutOfRange("start", "<= \"end\" (here: " + std::to_string(options_.end) + ")",
                              options_.start);
  }
}

void ReadStream::_construct(stream::Callback callback) {
  openFileStream(std::shared_ptr<ReadStream>(shared_from_this(), this), path_, options_.flags,
                 options_.mode, &fd_, std::move(callback));
}

void ReadStream::_read(std::size_t n) {
  std::int64_t want = static_cast<std::int64_t>(n);
  if (options_.end >= 0) {
    const std::int64_t at = pos_ >= 0 ? pos_ : bytes_read_;
    want = std::min(want, options_.end - at + 1);
  }
  if (want <= 0) {
    push(std::nullopt);
    return;
  }
  auto self = std::shared_ptr<ReadStream>(shared_from_this(), this);
  // Node reads into Buffer.allocUnsafeSlow(n): storage that is not cleared. A chunk given back
  // by reuseChunk (nobody else holds it) serves when it is big enough; otherwise a new one.
  const auto size = static_cast<std::size_t>(want);
  if (spare_.size() >= size) {
    read_buffer_ = spare_.subarray(0, want);
    spare_ = Buffer();
  } else {
    read_buffer_ = Buffer::allocUnsafe(size);
  }
  // *self owns read_buffer_ until the callback pushes it; self is held by the callback.
  performing_io_ = true;
  absl::AnyInvocable<void(Error, std::size_t)> done = [self](Error err, std::size_t bytes) {
    self->performing_io_ = false;
    if (self->destroyed()) {
      self->ioEndedAfterDestroy(std::move(err));
      return;
    }
    if (err) {
      self->errorOrDestroy(std::move(err));
    } else if (bytes > 0) {
      if (self->pos_ >= 0) self->pos_ += static_cast<std::int64_t>(bytes);
      self->bytes_read_ += static_cast<std::int64_t>(bytes);
      // The chunk is the read's Buffer (a subarray of it when the read was short): pushed, it
      // leaves the stream's hands until reuseChunk may give it back.
      Buffer chunk = std::exchange(self->read_buffer_, Buffer());
      vow::internal::shrinkBuffer(chunk, bytes);
      self->push(std::move(chunk));
    } else {
      self->push(std::nullopt);
    }
  };
  readCachedOnLoop(read_buffer_, pos_, done);
}

void ReadStream::readCachedOnLoop(Buffer& buffer, std::int64_t position,
                                  absl::AnyInvocable<void(Error, std::size_t)>& done) {
  // A regular file's bytes that are in the page cache are read here, on the loop thread,
  // with preadv2(RWF_NOWAIT), which copies them or fails with EAGAIN and never waits for the
  // disk. A pool job for a 64 KiB read costs more than the copy (a futex wake-up of a pool
  // thread, an eventfd wake-up of the loop, two context switches), and a stream copying a
  // cached file paid that 16,384 times a GiB. What JavaScript sees does not change: the bytes
  // and the chunk's size are those of the read Node makes (a full read of a regular file
  // returns everything up to the end of the file), and the callback still runs later, in the
  // poll phase (posted to the loop's inbox, as a pool completion is), in the async context of
  // the call: the order of a pool job that took no time. What is not cached, or a short
  // copy, goes to the pool as before (a short copy's rest is read there into the same
  // buffer). Pipes and character devices are never read here: a short read is their answer.
  // Only for reads the fd's position may serve (position -1) or a known offset.
  if (inline_reads_ == InlineReads::kUnknown) {
    struct stat st;
    inline_reads_ =
        ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode) ? InlineReads::kYes : InlineReads::kNo;
    if (inline_reads_ == InlineReads::kYes) file_size_ = st.st_size;
  }
  const std::size_t want = buffer.size();
  // Where the read starts in the file: a stream without `start` reads from the fd's position,
  // which is where its reads so far left it (the stream opened the fd).
  const std::int64_t offset = position >= 0 ? position : bytes_read_;
  const std::int64_t limit = options_.end >= 0 ? options_.end + 1 : -1;
  ssize_t got = -1;
  if (inline_reads_ == InlineReads::kYes) {
    if (ahead_->read(buffer.data(), want, offset, limit, done)) return;
    // Once read-ahead started, whose windows leave the fd's position alone, every read says
    // where it starts.
    if (ahead_->started()) position = offset;
    iovec iov{buffer.data(), want};
    do {
      got = ::preadv2(fd_, &iov, 1, position >= 0 ? position : -1, RWF_NOWAIT);
    } while (got < 0 && errno == EINTR);
    if (got < 0 && errno != EAGAIN) inline_reads_ = InlineReads::kNo;  // not supported here
    if (got >= 0) {
      ahead_->noteCachedRead(want, offset, static_cast<std::size_t>(got), limit, file_size_);
    }
  }
  if (got < 0) {
    // Nothing read here: the whole read is a pool job, as Node's.
    fs::read(fd_, std::span<char>(buffer.data(), want), 0, static_cast<std::int64_t>(want),
             position, std::move(done));
    return;
  }
  const auto bytes = static_cast<std::size_t>(got);
  if (bytes == want || bytes == 0) {
    internal::completeInPollPhase(std::move(done), Error(), bytes);
    return;
  }
  // A short copy: the end of the file, or pages not cached. The pool reads the rest (0 bytes
  // at the end of the file), and the callback gets the total, as one read would have given.
  const std::size_t rest = want - bytes;
  fs::read(fd_, std::span<char>(buffer.data() + bytes, rest), 0, static_cast<std::int64_t>(rest),
           position >= 0 ? position + static_cast<std::int64_t>(bytes) : -1,
           [done = std::move(done), bytes](Error err, std::size_t more) mutable {
             // A read that fails after copying some bytes returns them (read(2)).
             done(Error(), bytes + (err ? 0 : more));
           });
}

void ReadStream::ioEndedAfterDestroy(Error err) {
  // The close waits for both the stream's own read and a read-ahead window (both read the fd):
  // whichever ends last lets it go on.
  if (performing_io_ || ahead_->inFlight()) return;
  if (auto done = std::exchange(io_done_, nullptr)) done(std::move(err));
}

void ReadStream::_destroy(Error error, stream::Callback callback) {
  ahead_->stop();
  closeFileStream(fd_, performing_io_ || ahead_->inFlight(), io_done_, std::move(error),
                  std::move(callback));
}

void ReadStream::reuseChunk(Buffer&& chunk) {
  // Keep one chunk's storage, the size of a read (smaller ones are the end of the file), and
  // only when this is its last holder: a listener, a pipe's destination or a buffered write
  // that kept the chunk holds another reference, and its bytes must stay as they are.
  if (spare_.empty() && chunk.use_count() == 1 && chunk.size() >= options_.highWaterMark) {
    spare_ = std::move(chunk);
  }
}

std::shared_ptr<ReadStream> createReadStream(std::string_view path, ReadStreamOptions options) {
  return createFileStream<ReadStream>(path, std::move(options));
}

// --- WriteStream ------------------------------------------------------------------------------

WriteStream::WriteStream(std::string path, WriteStreamOptions options)
    : stream::Stream(),
      stream::Writable(writableOptionsOf(options)),
      path_(std::move(path)),
      options_(options),
      pos_(options.start) {
  options_.signal = AbortSignalRef();
  useConstruct();
}

void WriteStream::start() {
  internal::checkPath(path_, "path");
  (void)internal::parseFlags(options_.flags);
}

void WriteStream::_construct(stream::Callback callback) {
  openFileStream(std::shared_ptr<WriteStream>(shared_from_this(), this), path_, options_.flags,
                 options_.mode, &fd_, std::move(callback));
}

void WriteStream::writeAll(Buffer data, stream::Callback callback) {
  auto self = std::shared_ptr<WriteStream>(shared_from_this(), this);
  const std::int64_t size = static_cast<std::int64_t>(data.size());
  const std::int64_t at = pos_;
  if (pos_ >= 0) pos_ += size;
  performing_io_ = true;
  fs::write(fd_, std::move(data), at,
            [self, callback = std::move(callback)](Error err, std::size_t n) mutable {
              self->performing_io_ = false;
              // Node's writeAll: a write that ends after destroy() reports ERR_STREAM_DESTROYED,
              // and _destroy (waiting for it) closes with that error.
              if (!err && !self->destroyed()) self->bytes_written_ += static_cast<std::int64_t>(n);
              if (!err && self->destroyed()) err = stream::internal::errStreamDestroyed("write");
              if (self->destroyed()) {
                callback(err);
                if (auto done = std::exchange(self->io_done_, nullptr)) done(std::move(err));
                return;
              }
              callback(std::move(err));
            });
}

// The Buffer is written as it is: fs::write holds it (WriteData shares it) until the write ends.
void WriteStream::_write(Buffer chunk, stream::Callback callback) {
  writeAll(std::move(chunk), std::move(callback));
}

// Node writes the buffered chunks with one fs.writev; vow's fs has no writev, so they are
// joined into one Buffer (one copy) and written with one write.
void WriteStream::_writev(std::vector<Buffer> chunks, stream::Callback callback) {
  if (chunks.size() == 1) {
    writeAll(std::move(chunks.front()), std::move(callback));
    return;
  }
  writeAll(Buffer::concat(chunks), std::move(callback));
}

void WriteStream::_destroy(Error error, stream::Callback callback) {
  closeFileStream(fd_, performing_io_, io_done_, std::move(error), std::move(callback));
}

std::shared_ptr<WriteStream> createWriteStream(std::string_view path, WriteStreamOptions options) {
  return createFileStream<WriteStream>(path, std::move(options));
}

}  // namespace vow::fs
