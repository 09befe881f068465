#include "vow/stream/writable.h"

#include <utility>

#include "vow/loop/loop.h"
#include "vow/promise/internal/exceptions.h"
#include "vow/stream/readable.h"

namespace vow::stream {

Writable::Writable(WritableOptions options) : woptions_(std::move(options)) {
  ws_ = &wstate_;
  wstate_.highWaterMark = woptions_.highWaterMark;
  wstate_.autoDestroy = woptions_.autoDestroy;
  wstate_.emitClose = woptions_.emitClose;
  if (woptions_.construct) useConstruct();
}

namespace {
class PlainWritable final : public Writable {
 public:
  explicit PlainWritable(WritableOptions options) : Writable(std::move(options)) {}
};
}  // namespace

std::shared_ptr<Writable> Writable::create(WritableOptions options) {
  AbortSignal signal = options.signal.get();
  options.signal = AbortSignalRef();
  auto s = std::make_shared<PlainWritable>(std::move(options));
  s->init(signal);
  return s;
}

void Writable::_write(Buffer chunk, Callback callback) {
  if (woptions_.write) {
    woptions_.write(*this, std::move(chunk), std::move(callback));
    return;
  }
  if (hasWritev()) {
    std::vector<Buffer> chunks;
    chunks.push_back(std::move(chunk));
    _writev(std::move(chunks), std::move(callback));
    return;
  }
  VOW_THROW(Exception("The _write() method is not implemented", "ERR_METHOD_NOT_IMPLEMENTED"));
}

void Writable::_writev(std::vector<Buffer> chunks, Callback callback) {
  woptions_.writev(*this, std::move(chunks), std::move(callback));
}

void Writable::_final(Callback callback) { woptions_.final(*this, std::move(callback)); }

void Writable::_destroy(Error error, Callback callback) {
  if (woptions_.destroy) {
    woptions_.destroy(*this, std::move(error), std::move(callback));
    return;
  }
  callback(std::move(error));
}

void Writable::_construct(Callback callback) {
  if (woptions_.construct) {
    woptions_.construct(*this, std::move(callback));
    return;
  }
  callback(Error());
}

void Writable::writableConstructed() {
  if (!wstate_.writing) clearBuffer();
  if (wstate_.ending) finishMaybe(false);
}

bool Writable::writableNeedDrain() const noexcept {
  return !wstate_.destroyed && !wstate_.ending && wstate_.needDrain;
}

// --- write ------------------------------------------------------------------------------------

bool Writable::write(Buffer chunk, Callback callback) {
  auto self = shared_from_this();
  auto& s = wstate_;
  Error err;
  if (s.ending) {
    err = Exception("write after end", "ERR_STREAM_WRITE_AFTER_END");
  } else if (s.destroyed) {
    err = internal::errStreamDestroyed("write");
  }
  if (err) {
    if (callback) {
      nextTick([callback = std::move(callback), err]() mutable { callback(err); });
    }
    errorOrDestroy(err, true);
    return false;
  }
  s.pendingcb++;
  return writeOrBuffer(std::move(chunk), std::move(callback));
}

bool Writable::writeOrBuffer(Buffer chunk, Callback callback) {
  auto& s = wstate_;
  const std::size_t len = chunk.size();
  s.length += len;
  if (s.writing || s.errored || s.corked || !s.constructed) {
    s.buffered.push_back(internal::BufferedWrite{std::move(chunk), std::move(callback)});
  } else {
    s.writelen = len;
    s.writecb = std::move(callback);
    s.writing = s.sync = s.expectWriteCb = true;
    VOW_TRY {
      _write(std::move(chunk),
             [self = shared_from_this(), this](Error e) { onwrite(std::move(e)); });
    }
    VOW_CATCH_ALL {
      s.sync = false;
      VOW_RETHROW;
    }
    s.sync = false;
  }
  const bool ret = s.length < s.highWaterMark || s.length == 0;
  if (!ret) s.needDrain = true;
  return ret && !s.destroyed && !s.errored;
}

void Writable::doWrite(bool writev, std::size_t len, std::vector<internal::BufferedWrite> chunks,
                       Callback callback) {
  auto& s = wstate_;
  s.writelen = len;
  s.writecb = std::move(callback);
  s.writing = s.sync = s.expectWriteCb = true;
  auto onwriteFn = [self = shared_from_this(), this](Error e) { onwrite(std::move(e)); };
  if (s.destroyed) {
    onwriteFn(internal::errStreamDestroyed("write"));
  } else if (writev) {
    std::vector<Buffer> data;
    data.reserve(chunks.size());
    for (auto& c : chunks) data.push_back(std::move(c.chunk));
    _writev(std::move(data), std::move(onwriteFn));
  } else {
    _write(std::move(chunks.front().chunk), std::move(onwriteFn));
  }
  s.sync = false;
}

void Writable::onwrite(Error er) {
  auto self = shared_from_this();
  auto& s = wstate_;
  if (!s.expectWriteCb) {
    errorOrDestroy(internal::errMultipleCallback());
    return;
  }
  const bool sync = s.sync;
  Callback cb = std::move(s.writecb);
  s.writecb = nullptr;
  s.writing = false;
  s.expectWriteCb = false;
  s.length -= s.writelen;
  s.writelen = 0;
  if (er) {
    if (!s.errored) s.errored = er;
    if (rs_ != nullptr && !rs_->errored) rs_->errored = er;
    if (sync) {
      nextTick([self, this, er, cb = std::move(cb)]() mutable {
        onwriteError(std::move(er), std::move(cb));
      });
    } else {
      onwriteError(std::move(er), std::move(cb));
    }
    return;
  }
  if (!s.buffered.empty()) clearBuffer();
  if (sync) {
    const bool needDrain = s.needDrain && s.length == 0;
    const bool needTick = needDrain || cb != nullptr;
    if (cb == nullptr) {
      if (!s.afterWritePending && needTick) {
        s.afterWritePending = true;
        nextTick([self, this] { afterWrite(1, nullptr); });
      } else {
        s.pendingcb--;
        if (s.ending) finishMaybe(true);
      }
    } else {
      // Node batches the ticks of writes that share one callback function; C++ callbacks are
      // distinct objects, so each has its own tick.
      s.afterWritePending = true;
      nextTick([self, this, cb = std::move(cb)]() mutable { afterWrite(1, std::move(cb)); });
    }
  } else {
    afterWrite(1, std::move(cb));
  }
}

void Writable::onwriteError(Error er, Callback cb) {
  auto& s = wstate_;
  --s.pendingcb;
  if (cb) cb(er);
  errorBuffer();
  errorOrDestroy(std::move(er));
}

void Writable::afterWrite(int count, Callback cb) {
  auto& s = wstate_;
  s.afterWritePending = false;
  const bool needDrain = !s.ending && s.needDrain && !s.destroyed && s.length == 0;
  if (needDrain) {
    s.needDrain = false;
    emit("drain");
  }
  while (count-- > 0) {
    s.pendingcb--;
    if (cb) cb(Error());
  }
  if (s.destroyed) errorBuffer();
  if (s.ending) finishMaybe(true);
}

void Writable::errorBuffer() {
  auto& s = wstate_;
  if (s.writing) return;
  auto buffered = std::move(s.buffered);
  s.buffered.clear();
  for (auto& b : buffered) {
    s.length -= b.chunk.size();
    if (b.callback) b.callback(s.errored ? s.errored : internal::errStreamDestroyed("write"));
  }
  callFinishedCallbacks(s.errored ? s.errored : internal::errStreamDestroyed("end"));
}

void Writable::clearBuffer() {
  auto& s = wstate_;
  if (s.destroyed || s.bufferProcessing || s.corked || s.buffered.empty() || !s.constructed) {
    return;
  }
  s.bufferProcessing = true;
  if (s.buffered.size() > 1 && hasWritev()) {
    s.pendingcb -= static_cast<int>(s.buffered.size()) - 1;
    std::vector<internal::BufferedWrite> chunks(std::make_move_iterator(s.buffered.begin()),
                                                std::make_move_iterator(s.buffered.end()));
    s.buffered.clear();
    bool allNoop = true;
    for (auto& c : chunks) allNoop = allNoop && c.callback == nullptr;
    Callback callback;
    std::vector<Callback> callbacks;
    if (!allNoop) {
      for (auto& c : chunks) callbacks.push_back(std::move(c.callback));
      callback = [callbacks = std::move(callbacks)](Error err) mutable {
        for (auto& c : callbacks) {
          if (c) c(err);
        }
      };
    }
    doWrite(true, s.length, std::move(chunks), std::move(callback));
  } else {
    do {
      internal::BufferedWrite b = std::move(s.buffered.front());
      s.buffered.pop_front();
      const std::size_t len = b.chunk.size();
      Callback cb = std::move(b.callback);
      std::vector<internal::BufferedWrite> one;
      one.push_back(std::move(b));
      doWrite(false, len, std::move(one), std::move(cb));
    } while (!s.buffered.empty() && !s.writing);
  }
  s.bufferProcessing = false;
}

// --- end --------------------------------------------------------------------------------------

Writable& Writable::end(Buffer chunk, Callback callback) {
  auto self = shared_from_this();
  Error err;
  if (!chunk.empty()) {
    // _write(this, chunk): its error (after end / destroyed) goes to end's callback.
    auto& s = wstate_;
    if (s.ending) {
      err = Exception("write after end", "ERR_STREAM_WRITE_AFTER_END");
    } else if (s.destroyed) {
      err = internal::errStreamDestroyed("write");
    }
    if (err) {
      errorOrDestroy(err, true);
    } else {
      s.pendingcb++;
      writeOrBuffer(std::move(chunk), nullptr);
    }
  }
  auto& s = wstate_;
  if (err) {
  } else if (!s.ending && !s.errored) {
    s.ending = true;
    finishMaybe(true);
    s.ended = true;
  } else if (s.finished) {
    err = Exception("Cannot call end after a stream was finished", "ERR_STREAM_ALREADY_FINISHED");
  } else if (s.destroyed) {
    err = internal::errStreamDestroyed("end");
  }
  if (callback) {
    if (err) {
      nextTick([callback = std::move(callback), err]() mutable { callback(err); });
    } else if (s.errored) {
      nextTick([callback = std::move(callback), e = s.errored]() mutable { callback(e); });
    } else if (s.finished) {
      nextTick([callback = std::move(callback)]() mutable { callback(Error()); });
    } else {
      s.onFinished.push_back(std::move(callback));
    }
  }
  return *this;
}

Writable& Writable::end(Callback callback) { return end(Buffer(), std::move(callback)); }

bool Writable::needFinish() const {
  const auto& s = wstate_;
  return s.ending && !s.destroyed && s.constructed && !s.finished && !s.writing &&
         !s.errorEmitted && !s.closeEmitted && !s.errored && s.buffered.empty() && s.length == 0;
}

void Writable::onFinish(Error err) {
  auto& s = wstate_;
  if (s.prefinished) {
    errorOrDestroy(err ? err : internal::errMultipleCallback());
    return;
  }
  s.pendingcb--;
  if (err) {
    callFinishedCallbacks(err);
    errorOrDestroy(std::move(err), s.sync);
  } else if (needFinish()) {
    s.prefinished = true;
    emit("prefinish");
    s.pendingcb++;
    nextTick([self = shared_from_this(), this] { finish(); });
  }
}

void Writable::prefinish() {
  auto& s = wstate_;
  if (s.prefinished || s.finalCalled) return;
  if (hasFinal() && !s.destroyed) {
    s.finalCalled = s.sync = true;
    s.pendingcb++;
    VOW_TRY {
      _final([self = shared_from_this(), this](Error e) { onFinish(std::move(e)); });
    }
    VOW_CATCH_ALL { onFinish(Error::current()); }
    s.sync = false;
  } else {
    s.finalCalled = s.prefinished = true;
    emit("prefinish");
  }
}

void Writable::finishMaybe(bool sync) {
  auto& s = wstate_;
  if (!needFinish()) return;
  prefinish();
  if (s.pendingcb == 0) {
    if (sync) {
      s.pendingcb++;
      nextTick([self = shared_from_this(), this] {
        if (needFinish()) {
          finish();
        } else {
          wstate_.pendingcb--;
        }
      });
    } else if (needFinish()) {
      s.pendingcb++;
      finish();
    }
  }
}

void Writable::finish() {
  auto self = shared_from_this();
  auto& s = wstate_;
  s.pendingcb--;
  s.finished = true;
  callFinishedCallbacks(Error());
  emit("finish");
  if (s.autoDestroy) {
    const bool autoDestroy = rs_ == nullptr || (rs_->autoDestroy && rs_->endEmitted);
    if (autoDestroy) destroy();
  }
}

void Writable::callFinishedCallbacks(const Error& err) {
  auto callbacks = std::move(wstate_.onFinished);
  wstate_.onFinished.clear();
  for (auto& cb : callbacks) cb(err);
}

}  // namespace vow::stream
