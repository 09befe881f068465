// vow::stream::Duplex, Transform and PassThrough: Node's stream.Duplex / Transform /
// PassThrough (byte streams).
//
//   // new Transform({ transform(chunk, enc, cb) { cb(null, chunk.toString().toUpperCase()); } })
//   auto upper = vow::stream::Transform::create({.transform = [](vow::stream::Transform&,
//                                                                std::string chunk,
//                                                                vow::stream::TransformCallback cb)
//                                                                {
//     for (char& c : chunk) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
//     cb(nullptr, std::move(chunk));
//   }});
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
#include <utility>

#include "absl/functional/any_invocable.h"
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
  absl::AnyInvocable<void(Writable& self, std::string chunk, Callback callback)> write;
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

// Node's transform callback: callback(err[, data]).
using TransformCallback = absl::AnyInvocable<void(Error, std::optional<std::string>)>;

class Transform;

// Node: the options of new Transform(options).
struct TransformOptions {
  std::size_t readableHighWaterMark = 16 * 1024;
  std::size_t writableHighWaterMark = 16 * 1024;
  bool allowHalfOpen = true;
  AbortSignalRef signal;
  // Node: options.transform(chunk, encoding, callback): push() any output and call
  // callback(err[, data]) once.
  absl::AnyInvocable<void(Transform& self, std::string chunk, TransformCallback callback)>
      transform;
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
  virtual void _transform(std::string chunk, TransformCallback callback);
  // Node: transform._flush(callback); hasFlush() says whether there is one.
  virtual void _flush(TransformCallback callback);
  virtual bool hasFlush() const { return static_cast<bool>(toptions_.flush); }

  void _write(std::string chunk, Callback callback) final;
  void _read(std::size_t size) final;
  void _final(Callback callback) final;
  bool hasFinal() const final { return true; }
  bool hasWritev() const final { return false; }

 private:
  Callback pending_callback_;  // Node's kCallback: a write waiting for the reader
  TransformOptions toptions_;
};

// Node: new PassThrough(): a Transform that passes chunks on unchanged.
class PassThrough : public Transform {
 public:
  static std::shared_ptr<PassThrough> create(TransformOptions options = {});
  explicit PassThrough(TransformOptions options = {});

 protected:
  void _transform(std::string chunk, TransformCallback callback) override {
    callback(Error(), std::move(chunk));
  }
};

}  // namespace vow::stream
