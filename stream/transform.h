// vow::stream::Duplex, Transform and PassThrough: Node's stream.Duplex / Transform /
// PassThrough (byte streams; chunks are vow::Buffer, as readable.h and writable.h say).
//
//   // new Transform({ transform(chunk, enc, cb) { cb(null, chunk.toString().toUpperCase()); } })
//   auto upper = vow::stream::Transform::create({.transform = [](vow::stream::Transform&,
//                                                                vow::Buffer chunk,
//                                                                vow::stream::TransformCallback cb)
//                                                                {
//     for (std::uint8_t& c : chunk) c = static_cast<std::uint8_t>(std::toupper(c));  // in place
//     cb(nullptr, std::move(chunk));        // the same Buffer goes on (not copied)
//   }});
//
// _transform gets the Buffer that was written (shared: a PassThrough hands it on unchanged, so
// the Buffer written at one end is the one read at the other, as in Node). Its callback takes a
// Buffer (passed on as it is), text (copied into a new Buffer, as Node's push(string)), or
// nothing (std::nullopt).
//
// A Duplex has both sides' events and methods (Readable's and Writable's); a Transform's
// writable side feeds _transform, whose output is pushed to the readable side, and end() runs
// _flush then pushes the end (Node v20's lib/internal/streams/transform.js, tick for tick).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "vow/buffer/buffer.h"
#include "vow/loop/abort_controller.h"
#include "vow/promise/error.h"
#include "vow/stream/readable.h"
#include "vow/stream/stream.h"
#include "vow/stream/writable.h"

namespace vow::stream {

// Node: the options of new Duplex(options): both sides' options, and allowHalfOpen (false:
// the writable side ends when the readable side does).
struct DuplexOptions {
  std::size_t readableHighWaterMark = 16 * 1024;
  std::size_t writableHighWaterMark = 16 * 1024;
  bool allowHalfOpen = true;
  bool autoDestroy = true;
  bool emitClose = true;
  AbortSignalRef signal;
  absl::AnyInvocable<void(Readable& self, std::size_t size)> read;
  absl::AnyInvocable<void(Writable& self, Buffer chunk, Callback callback)> write;
  absl::AnyInvocable<void(Writable& self, Callback callback)> final;
  absl::AnyInvocable<void(Readable& self, Error error, Callback callback)> destroy;
};

class Duplex : public Readable, public Writable {
 public:
  static std::shared_ptr<Duplex> create(DuplexOptions options = {});

  // Readable's on/once/off (which start the flow) over EventEmitter's.
  using Readable::addListener;
  using Readable::off;
  using Readable::on;
  using Readable::once;
  using Readable::removeAllListeners;
  using Readable::removeListener;
  using Stream::destroy;

 protected:
  explicit Duplex(DuplexOptions options = {});
  void _destroy(Error error, Callback callback) override;
  void _construct(Callback callback) override;
};

// Node's transform callback: callback(err[, data]). `data` is a Buffer (pushed as it is: shared),
// text (std::string, std::string_view or a literal: copied into a new Buffer, as Node's
// push('text')), or std::nullopt / nothing (Node's callback(err) or callback(null, null)). A
// move-only callable, as absl::AnyInvocable<void(Error, std::optional<Buffer>)> that it holds.
class TransformCallback {
 public:
  using Function = absl::AnyInvocable<void(Error, std::optional<Buffer>)>;

  TransformCallback() noexcept = default;
  TransformCallback(std::nullptr_t) noexcept {}  // NOLINT: as AnyInvocable's
  template <class F>
  requires(!std::is_same_v<std::decay_t<F>, TransformCallback> &&
           std::is_constructible_v<Function, F&&>) TransformCallback(F&& f)
      : f_(std::forward<F>(f)) {}  // NOLINT: a callable converts

  void operator()(Error err, std::optional<Buffer> data = std::nullopt) {
    f_(std::move(err), std::move(data));
  }
  void operator()(Error err, Buffer data) {
    f_(std::move(err), std::optional<Buffer>(std::move(data)));
  }
  void operator()(Error err, std::string_view text) { f_(std::move(err), Buffer::from(text)); }
  void operator()(Error err, const char* text) { f_(std::move(err), Buffer::from(text)); }
  void operator()(Error err, const std::string& text) { f_(std::move(err), Buffer::from(text)); }
  explicit operator bool() const noexcept { return static_cast<bool>(f_); }

 private:
  Function f_;
};

class Transform;

// Node: the options of new Transform(options).
struct TransformOptions {
  std::size_t readableHighWaterMark = 16 * 1024;
  std::size_t writableHighWaterMark = 16 * 1024;
  bool allowHalfOpen = true;
  AbortSignalRef signal;
  // Node: options.transform(chunk, encoding, callback): push() any output and call
  // callback(err[, data]) once.
  absl::AnyInvocable<void(Transform& self, Buffer chunk, TransformCallback callback)> transform;
  // Node: options.flush(callback): after the last chunk, before the end.
  absl::AnyInvocable<void(Transform& self, TransformCallback callback)> flush;
  absl::AnyInvocable<void(Readable& self, Error error, Callback callback)> destroy;
};

class Transform : public Duplex {
 public:
  static std::shared_ptr<Transform> create(TransformOptions options = {});

 protected:
  explicit Transform(TransformOptions options = {});
  // Node: transform._transform(chunk, encoding, callback). The default calls options.transform.
  // `chunk` is the Buffer given to write() (shared).
  virtual void _transform(Buffer chunk, TransformCallback callback);
  // Node: transform._flush(callback); hasFlush() says whether there is one.
  virtual void _flush(TransformCallback callback);
  virtual bool hasFlush() const { return static_cast<bool>(toptions_.flush); }

  void _write(Buffer chunk, Callback callback) final;
  void _read(std::size_t size) final;
  void _final(Callback callback) final;
  bool hasFinal() const final { return true; }
  bool hasWritev() const final { return false; }

 private:
  Callback pending_callback_;  // Node's kCallback: a write waiting for the reader
  TransformOptions toptions_;
};

// Node: new PassThrough(): a Transform that passes chunks on unchanged (the same Buffers).
class PassThrough : public Transform {
 public:
  static std::shared_ptr<PassThrough> create(TransformOptions options = {});
  explicit PassThrough(TransformOptions options = {});

 protected:
  void _transform(Buffer chunk, TransformCallback callback) override {
    callback(Error(), std::move(chunk));
  }
};

}  // namespace vow::stream
