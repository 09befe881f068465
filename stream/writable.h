// vow::stream::Writable: Node's stream.Writable (byte streams; chunks are std::string).
//
//   // new Writable({ write(chunk, encoding, callback) { sink.push(chunk); callback(); } })
//   auto w = vow::stream::Writable::create({.write = [&](vow::stream::Writable&,
//                                                       std::string chunk,
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
// Not Node's: no objectMode, no encodings, no cork()/uncork().
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
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
  absl::AnyInvocable<void(Writable& self, std::string chunk, Callback callback)> write;
  // Node: options.writev(chunks, callback): several buffered chunks at once (optional).
  absl::AnyInvocable<void(Writable& self, std::vector<std::string> chunks, Callback callback)>
      writev;
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
  bool write(std::string chunk, Callback callback = nullptr);
  // Node: writable.end([chunk][, callback]): no more writes; 'finish' when all are done. The
  // callback runs at 'finish' (or with the error that prevents it).
  Writable& end(Callback callback = nullptr);
  Writable& end(std::string chunk, Callback callback = nullptr);

  std::size_t writableLength() const noexcept { return wstate_.length; }
  std::size_t writableHighWaterMark() const noexcept { return wstate_.highWaterMark; }
  bool writableNeedDrain() const noexcept;
  bool writableEnded() const noexcept { return wstate_.ending; }
  bool writableFinished() const noexcept { return wstate_.finished; }

 protected:
  explicit Writable(WritableOptions options = {});

  // Node: writable._write(chunk, encoding, callback): consume one chunk, then call `callback`
  // (synchronously or later) with the outcome. The default calls options.write.
  virtual void _write(std::string chunk, Callback callback);
  // Node: writable._writev(chunks, callback): when hasWritev() says so, buffered chunks are
  // handed over together.
  virtual void _writev(std::vector<std::string> chunks, Callback callback);
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
  Error writeImpl(std::string chunk, Callback callback);
  bool writeOrBuffer(std::string chunk, Callback callback);
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
