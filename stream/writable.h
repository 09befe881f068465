// vow::stream::Writable: Node's stream.Writable (byte streams; chunks are vow::Buffer).
//
//   // new Writable({ write(chunk, encoding, callback) { sink.push(chunk); callback(); } })
//   auto w = vow::stream::Writable::create({.write = [&](vow::stream::Writable&,
//                                                       vow::Buffer chunk,
//                                                       vow::stream::Callback cb) {
//     sink.push_back(std::move(chunk));
//     cb(nullptr);
//   }});
//   if (!w->write("abc")) w->once("drain", [] { ... });
//   w->end();                                   // 'finish', then 'close'
//
// Events, Node's names and order: "drain"(), "prefinish"(), "finish"(), "error"(const
// vow::Error&), "close"(). The state machine is Node v20's (lib/internal/streams/writable.js):
// one _write at a time, later writes buffered (and handed to _writev together when the class
// has one), write() returning false once the buffered bytes reach highWaterMark, 'drain' when
// they are written, end() -> _final -> 'prefinish' -> 'finish' -> destroy (autoDestroy) ->
// 'close'; each step on the queue Node uses.
//
// Chunks are vow::Buffer, as Node's with decodeStrings (the default): write(buffer) hands that
// Buffer itself to _write / _writev (shared, not copied: do not change its bytes before the
// write's callback, as in Node), and text (std::string, std::string_view, a literal) is copied
// once into a new Buffer first (Node's Buffer.from(string, 'utf8')).
//
// Not Node's: no objectMode, no encodings (decodeStrings: false), no cork()/uncork().
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "vow/buffer/buffer.h"
#include "vow/loop/abort_controller.h"
#include "vow/promise/error.h"
#include "vow/stream/stream.h"

namespace vow::stream {

class Writable;

// Node: the options of new Writable(options).
struct WritableOptions {
  std::size_t highWaterMark = 16 * 1024;
  bool autoDestroy = true;
  bool emitClose = true;
  AbortSignalRef signal;
  // Node: options.write(chunk, encoding, callback): consume the chunk, then callback(err).
  absl::AnyInvocable<void(Writable& self, Buffer chunk, Callback callback)> write;
  // Node: options.writev(chunks, callback): several buffered chunks at once (optional).
  absl::AnyInvocable<void(Writable& self, std::vector<Buffer> chunks, Callback callback)> writev;
  // Node: options.final(callback): after end(), before 'finish'.
  absl::AnyInvocable<void(Writable& self, Callback callback)> final;
  absl::AnyInvocable<void(Writable& self, Error error, Callback callback)> destroy;
  absl::AnyInvocable<void(Writable& self, Callback callback)> construct;
};

class Writable : public virtual Stream {
 public:
  // Node: new Writable(options).
  static std::shared_ptr<Writable> create(WritableOptions options = {});

  // Node: writable.write(chunk[, callback]): returns false when the buffered bytes reached
  // highWaterMark (wait for 'drain'). The callback gets the write's outcome (on the nextTick
  // queue when _write completed synchronously). After end() or destroy(): the callback gets
  // ERR_STREAM_WRITE_AFTER_END / ERR_STREAM_DESTROYED on the next tick and the stream is
  // destroyed with that error.
  // A Buffer is passed on as it is (shared); text is copied into a new Buffer.
  bool write(Buffer chunk, Callback callback = nullptr);
  bool write(std::string_view chunk, Callback callback = nullptr) {
    return write(Buffer::from(chunk), std::move(callback));
  }
  bool write(const char* chunk, Callback callback = nullptr) {
    return write(Buffer::from(chunk), std::move(callback));
  }
  bool write(const std::string& chunk, Callback callback = nullptr) {
    return write(Buffer::from(chunk), std::move(callback));
  }
  // Node: writable.end([chunk][, callback]): no more writes; 'finish' when all are done. The
  // callback runs at 'finish' (or with the error that prevents it). The chunk as write's.
  Writable& end(Callback callback = nullptr);
  Writable& end(Buffer chunk, Callback callback = nullptr);
  Writable& end(std::string_view chunk, Callback callback = nullptr) {
    return end(Buffer::from(chunk), std::move(callback));
  }
  Writable& end(const char* chunk, Callback callback = nullptr) {
    return end(Buffer::from(chunk), std::move(callback));
  }
  Writable& end(const std::string& chunk, Callback callback = nullptr) {
    return end(Buffer::from(chunk), std::move(callback));
  }

  std::size_t writableLength() const noexcept { return wstate_.length; }
  std::size_t writableHighWaterMark() const noexcept { return wstate_.highWaterMark; }
  bool writableNeedDrain() const noexcept;
  bool writableEnded() const noexcept { return wstate_.ending; }
  bool writableFinished() const noexcept { return wstate_.finished; }

 protected:
  explicit Writable(WritableOptions options = {});

  // Node: writable._write(chunk, encoding, callback): consume one chunk, then call `callback`
  // (synchronously or later) with the outcome. The default calls options.write. `chunk` is the
  // Buffer given to write() (shared).
  virtual void _write(Buffer chunk, Callback callback);
  // Node: writable._writev(chunks, callback): when hasWritev() says so, buffered chunks are
  // handed over together (each the Buffer given to write()).
  virtual void _writev(std::vector<Buffer> chunks, Callback callback);
  virtual bool hasWritev() const { return static_cast<bool>(woptions_.writev); }
  // Node: writable._final(callback); hasFinal() says whether there is one.
  virtual void _final(Callback callback);
  virtual bool hasFinal() const { return static_cast<bool>(woptions_.final); }
  void _destroy(Error error, Callback callback) override;
  void _construct(Callback callback) override;
  void writableConstructed() override;

  internal::WritableState wstate_;

 private:
  friend class Stream;
  bool writeOrBuffer(Buffer chunk, Callback callback);
  void doWrite(bool writev, std::size_t len, std::vector<internal::BufferedWrite> chunks,
               Callback callback);
  void onwrite(Error error);
  void onwriteError(Error error, Callback callback);
  void afterWrite(int count, Callback callback);
  void clearBuffer();
  void finishMaybe(bool sync);
  bool needFinish() const;
  void prefinish();
  void onFinish(Error error);
  void finish();
  void callFinishedCallbacks(const Error& error);
  void errorBuffer();

  WritableOptions woptions_;
};

}  // namespace vow::stream
