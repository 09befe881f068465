#include "vow/stream/transform.h"

#include <utility>

#include "vow/loop/loop.h"
#include "vow/promise/internal/exceptions.h"

namespace vow::stream {
namespace {

ReadableOptions readableSide(DuplexOptions& o) {
  ReadableOptions r;
  r.highWaterMark = o.readableHighWaterMark;
  r.autoDestroy = o.autoDestroy;
  r.emitClose = o.emitClose;
  r.read = std::move(o.read);
  r.destroy = std::move(o.destroy);
  return r;
}

WritableOptions writableSide(DuplexOptions& o) {
  WritableOptions w;
  w.highWaterMark = o.writableHighWaterMark;
  w.autoDestroy = o.autoDestroy;
  w.emitClose = o.emitClose;
  w.write = std::move(o.write);
  w.final = std::move(o.final);
  return w;
}

DuplexOptions duplexOf(TransformOptions& t) {
  DuplexOptions d;
  d.readableHighWaterMark = t.readableHighWaterMark;
  d.writableHighWaterMark = t.writableHighWaterMark;
  d.allowHalfOpen = t.allowHalfOpen;
  d.destroy = std::move(t.destroy);
  return d;
}

class PlainDuplex final : public Duplex {
 public:
  explicit PlainDuplex(DuplexOptions options) : Duplex(std::move(options)) {}
};

class PlainTransform final : public Transform {
 public:
  explicit PlainTransform(TransformOptions options) : Transform(std::move(options)) {}
};

}  // namespace

// --- Duplex -----------------------------------------------------------------------------------

Duplex::Duplex(DuplexOptions options)
    : Readable(readableSide(options)), Writable(writableSide(options)) {
  allow_half_open_ = options.allowHalfOpen;
}

std::shared_ptr<Duplex> Duplex::create(DuplexOptions options) {
  AbortSignal signal = options.signal.get();
  options.signal = AbortSignalRef();
  auto s = std::make_shared<PlainDuplex>(std::move(options));
  s->init(signal);
  return s;
}

void Duplex::_destroy(Error error, Callback callback) {
  Readable::_destroy(std::move(error), std::move(callback));
}

void Duplex::_construct(Callback callback) { callback(Error()); }

// --- Transform --------------------------------------------------------------------------------

Transform::Transform(TransformOptions options)
    : Stream(), Duplex(duplexOf(options)), toptions_(std::move(options)) {
  // Node: this._readableState.sync = false.
  rstate_.sync = false;
}

std::shared_ptr<Transform> Transform::create(TransformOptions options) {
  AbortSignal signal = options.signal.get();
  options.signal = AbortSignalRef();
  auto s = std::make_shared<PlainTransform>(std::move(options));
  s->init(signal);
  return s;
}

void Transform::_transform(Buffer chunk, TransformCallback callback) {
  if (toptions_.transform) {
    toptions_.transform(*this, std::move(chunk), std::move(callback));
    return;
  }
  VOW_THROW(Exception("The _transform() method is not implemented", "ERR_METHOD_NOT_IMPLEMENTED"));
}

void Transform::_flush(TransformCallback callback) { toptions_.flush(*this, std::move(callback)); }

void Transform::_write(Buffer chunk, Callback callback) {
  const std::size_t length = rstate_.length;
  auto cb = std::make_shared<Callback>(std::move(callback));
  _transform(std::move(chunk), [self = shared_from_this(), this, length, cb](
                                   Error err, std::optional<Buffer> val) mutable {
    if (err) {
      (*cb)(std::move(err));
      return;
    }
    if (val) push(std::move(*val));
    if (rstate_.ended) {
      nextTick([cb] { (*cb)(Error()); });
    } else if (wstate_.ended || length == rstate_.length ||
               rstate_.length < rstate_.highWaterMark) {
      (*cb)(Error());
    } else {
      pending_callback_ = [cb](Error e) { (*cb)(std::move(e)); };
    }
  });
}

void Transform::_read(std::size_t) {
  if (pending_callback_) {
    Callback callback = std::move(pending_callback_);
    pending_callback_ = nullptr;
    callback(Error());
  }
}

void Transform::_final(Callback callback) {
  if (hasFlush() && !destroyed()) {
    auto cb = std::make_shared<Callback>(std::move(callback));
    _flush([self = shared_from_this(), this, cb](Error er, std::optional<Buffer> data) {
      if (er) {
        if (*cb) {
          (*cb)(std::move(er));
        } else {
          destroy(std::move(er));
        }
        return;
      }
      if (data) push(std::move(*data));
      push(std::nullopt);
      if (*cb) (*cb)(Error());
    });
  } else {
    push(std::nullopt);
    if (callback) callback(Error());
  }
}

// --- PassThrough ------------------------------------------------------------------------------

PassThrough::PassThrough(TransformOptions options) : Stream(), Transform(std::move(options)) {}

std::shared_ptr<PassThrough> PassThrough::create(TransformOptions options) {
  AbortSignal signal = options.signal.get();
  options.signal = AbortSignalRef();
  auto s = std::make_shared<PassThrough>(std::move(options));
  s->init(signal);
  return s;
}

}  // namespace vow::stream
