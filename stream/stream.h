// vow::stream::Stream: what Node's Readable, Writable, Duplex and Transform share (destroy, the
// construct step, 'error' and 'close'), as lib/internal/streams/destroy.js does it.
//
// Streams are EventEmitters held by std::shared_ptr; create them with a type's create() or with
// vow::stream::make<T>(args...) for your own subclass (it runs the construct step and watches
// options.signal, which a constructor cannot do: it has no shared_ptr to itself yet).
//
// Every callback a stream runs (events, _read/_write/_final/_destroy callbacks, write() and end()
// callbacks) runs on the loop thread: synchronously inside the call that caused it, or on the
// nextTick queue where Node uses process.nextTick, in Node v20's order.
//
// Keeping alive: a stream keeps itself alive while work of its own is queued (a nextTick, an
// I/O request of an fs stream); pipe() keeps source and destination alive until the
// destination finishes or closes (or the source closes), pipeline() until it calls back. A
// listener that captures its own stream's shared_ptr keeps it alive for good (a cycle that
// Node's garbage collector would free): capture a raw or weak pointer.
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "vow/buffer/buffer.h"
#include "vow/loop/abort_controller.h"
#include "vow/loop/event_emitter.h"
#include "vow/promise/error.h"

namespace vow::stream {

// Node's `(err) => ...` callbacks: of _write, _final, _destroy, _construct, end(cb),
// destroy(err, cb). An empty vow::Error is Node's null.
using Callback = absl::AnyInvocable<void(Error)>;

class Stream;
class Readable;
class Writable;

namespace internal {

// One readable.pipe(dest): its listeners on both streams (readable.cc).
struct PipeLinkBase {
  virtual ~PipeLinkBase() = default;
  // The source emitted 'close': the pipe stops keeping it alive.
  virtual void sourceClosed() = 0;
};

struct ReadableState {
  std::size_t highWaterMark = 16 * 1024;
  std::deque<Buffer> buffer;  // Node's BufferList: the chunks, shared with their pushers
  std::size_t length = 0;
  bool emitClose = true;
  bool autoDestroy = true;
  bool constructed = true;
  bool sync = true;
  bool flowing = false;
  bool hasFlowing = false;  // Node's flowing !== null
  bool ended = false;
  bool endEmitted = false;
  bool reading = false;
  bool needReadable = false;
  bool emittedReadable = false;
  bool readableListening = false;
  bool resumeScheduled = false;
  bool paused = false;
  bool hasPaused = false;
  bool dataListening = false;
  bool dataEmitted = false;
  bool destroyed = false;
  bool closed = false;
  bool closeEmitted = false;
  bool errorEmitted = false;
  bool readingMore = false;
  bool multiAwaitDrain = false;
  Error errored;
  std::vector<const void*> awaitDrainWriters;        // Node's awaitDrainWriters (null/one/Set)
  std::vector<std::shared_ptr<PipeLinkBase>> pipes;  // Node's pipes: one link per pipe()
};

struct BufferedWrite {
  Buffer chunk;  // the Buffer write() was given (shared, as Node keeps the object)
  Callback callback;
};

struct WritableState {
  std::size_t highWaterMark = 16 * 1024;
  std::size_t length = 0;
  std::size_t writelen = 0;
  int pendingcb = 0;
  bool sync = true;
  bool constructed = true;
  bool emitClose = true;
  bool autoDestroy = true;
  bool writing = false;
  bool expectWriteCb = false;
  bool ending = false;
  bool ended = false;
  bool finished = false;
  bool needDrain = false;
  bool destroyed = false;
  bool closed = false;
  bool closeEmitted = false;
  bool errorEmitted = false;
  bool prefinished = false;
  bool finalCalled = false;
  bool bufferProcessing = false;
  bool afterWritePending = false;
  bool corked = false;
  Error errored;
  Callback writecb;
  std::deque<BufferedWrite> buffered;
  std::vector<Callback> onFinished;
};

// Node's errors of the streams module.
Error errStreamDestroyed(const char* what);  // ERR_STREAM_DESTROYED
Error errPrematureClose();                   // ERR_STREAM_PREMATURE_CLOSE
Error errMultipleCallback();                 // ERR_MULTIPLE_CALLBACK

}  // namespace internal

// The part of Node's stream classes that Readable and Writable share: destroy(), the construct
// step, 'error' and 'close'. Not created directly: derive from Readable, Writable, Duplex or
// Transform.
class Stream : public EventEmitter, public std::enable_shared_from_this<Stream> {
 public:
  ~Stream() override;

  // Node: stream.destroy([error][, callback]): marks the stream destroyed now, calls _destroy
  // (after the construct step if that is still running), then on a later tick emits 'error'
  // (when destroyed with one) and 'close'. The callback (Node's undocumented second argument)
  // gets _destroy's outcome. Destroying twice does nothing (the callback runs at once).
  Stream& destroy(Error error = Error(), Callback callback = nullptr);

  bool destroyed() const noexcept;
  // Node: stream.closed ('close' is about to be or was emitted), stream.errored.
  bool closed() const noexcept;
  Error errored() const;
  // Node: stream.readable / stream.writable: whether reading / writing is still possible.
  bool readable() const noexcept;
  bool writable() const noexcept;
  // Whether the stream has a readable / writable side (Node: isReadableNodeStream...).
  bool hasReadableSide() const noexcept { return rs_ != nullptr; }
  bool hasWritableSide() const noexcept { return ws_ != nullptr; }

  // Used by the internals: rs_/ws_ for finished() and pipeline().
  internal::ReadableState* readableState() const noexcept { return rs_; }
  internal::WritableState* writableState() const noexcept { return ws_; }

  // Runs the construct step (when the stream has one) and watches `signal`; make<T>() and the
  // create() functions call it once, right after the shared_ptr exists.
  void init(const AbortSignal& signal = AbortSignal());

 protected:
  Stream() = default;

  // Node: _destroy(err, callback). The default calls back at once with `error`. Runs on the
  // loop thread, inside destroy() (or when the construct step ends).
  virtual void _destroy(Error error, Callback callback);
  // Node: _construct(callback): runs on the nextTick queue after creation; _read/_write wait
  // for it. A class that overrides it calls useConstruct() in its constructor.
  virtual void _construct(Callback callback);
  void useConstruct() noexcept { has_construct_ = true; }

  // Node's errorOrDestroy: destroy(err) when autoDestroy (the default), else 'error'.
  void errorOrDestroy(Error error, bool sync = false);
  // Node's kOnConstructed of each side's state.
  virtual void readableConstructed() {}
  virtual void writableConstructed() {}

  internal::ReadableState* rs_ = nullptr;
  internal::WritableState* ws_ = nullptr;
  bool allow_half_open_ = true;

 private:
  void destroyNow(Error error, Callback callback);
  void emitErrorNT(const Error& error);
  void emitCloseNT();
  void constructNT();
  void onConstruct(Error error);

  bool has_construct_ = false;
  bool construct_called_ = false;
  // destroy() calls waiting for the construct step (Node: once(kDestroy)).
  std::vector<std::pair<Error, Callback>> destroy_waiting_;
  ::vow::internal::AbortRegistration abort_;
};

// Creates a stream of your own class (derived from Readable, Writable, Duplex or Transform):
// make_shared, then the construct step.
template <class T, class... A>
std::shared_ptr<T> make(A&&... args) {
  auto s = std::make_shared<T>(std::forward<A>(args)...);
  s->init();
  return s;
}

}  // namespace vow::stream
