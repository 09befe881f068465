// vow::stream::Readable: Node's stream.Readable (byte streams; chunks are vow::Buffer).
//
//   // new Readable({ read() { this.push('a'); this.push(null); } })
//   auto r = vow::stream::Readable::create({.read = [](vow::stream::Readable& self, size_t) {
//     self.push("a");                       // text: copied once into a Buffer (utf8), as Node
//     self.push(std::nullopt);
//   }});
//   r->on("data", [](const vow::Buffer& chunk) { ... });   // flowing mode
//   r->on("readable", [r = r.get()] { while (auto c = r->read()) ...; });  // paused mode
//
// Events, Node's names and order: "data"(const vow::Buffer&), "readable"(), "end"(), "pause"(),
// "resume"(), "error"(const vow::Error&), "close"(). The state machine is Node v20's
// (lib/internal/streams/readable.js): push(), read(), the 'readable' and 'data' modes,
// highWaterMark, maybeReadMore, endReadable, each step on the queue Node uses (process.nextTick
// is vow::nextTick), so the order of events, promise jobs and ticks is Node's.
//
// Chunks are vow::Buffer, as a Node byte stream's are Buffers: a Buffer pushed is the Buffer
// that 'data', read() and the async iterator give out (the same storage, shared, not copied),
// and pipe() / pipeline() hand that same Buffer to the next stream's write(). Text pushed
// (std::string, std::string_view, a literal) is copied once into a new Buffer, Node's
// Buffer.from(string, 'utf8'). The 'data' event is declared to take a vow::Buffer: a listener
// of another type (a `const std::string&` one written before chunks were Buffers) is refused
// when it is added, by a vow::TypeError ERR_INVALID_ARG_TYPE naming both signatures.
//
// Not Node's: no objectMode and no encodings (setEncoding; chunks are always bytes); no wrap(),
// Readable.from(), the operators (map, filter...), or 'pipe'/'unpipe' events.
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
#include "vow/loop/event_emitter.h"
#include "vow/promise/async_generator.h"
#include "vow/promise/error.h"
#include "vow/stream/stream.h"

namespace vow::stream {

class Readable;

// Node: the options of new Readable(options).
struct ReadableOptions {
  std::size_t highWaterMark = 16 * 1024;
  bool autoDestroy = true;
  bool emitClose = true;
  // Node: options.signal: aborting destroys the stream with an AbortError (cause: the reason).
  AbortSignalRef signal;
  // Node: options.read(size): called when the stream wants data; push() it (now or later).
  absl::AnyInvocable<void(Readable& self, std::size_t size)> read;
  // Node: options.destroy(err, callback).
  absl::AnyInvocable<void(Readable& self, Error error, Callback callback)> destroy;
  // Node: options.construct(callback).
  absl::AnyInvocable<void(Readable& self, Callback callback)> construct;
};

// Node: the options of readable.pipe(destination, options).
struct PipeOptions {
  bool end = true;  // end the destination when the source ends
};

// Node: the options of readable.iterator(options).
struct IteratorOptions {
  bool destroyOnReturn = true;
};

class Readable : public virtual Stream {
 public:
  // Node: new Readable(options).
  static std::shared_ptr<Readable> create(ReadableOptions options = {});

  // Node: readable.push(chunk): adds a chunk (an empty one adds nothing); returns false when
  // the buffer reached highWaterMark. The Buffer itself is kept and given out (shared, not
  // copied: do not change its bytes afterwards, as in Node). Text is copied into a new Buffer
  // (Node's push('abc'): Buffer.from('abc')). Node: readable.push(null): push(std::nullopt),
  // the end.
  bool push(Buffer chunk);
  bool push(std::nullopt_t);
  bool push(std::string_view chunk) { return push(Buffer::from(chunk)); }
  bool push(const char* chunk) { return push(Buffer::from(chunk)); }
  bool push(const std::string& chunk) { return push(Buffer::from(chunk)); }
  // Node: readable.unshift(chunk): puts a chunk back at the front of the buffer (a Buffer
  // shared, text copied, as push).
  void unshift(Buffer chunk);
  void unshift(std::string_view chunk) { unshift(Buffer::from(chunk)); }
  void unshift(const char* chunk) { unshift(Buffer::from(chunk)); }
  void unshift(const std::string& chunk) { unshift(Buffer::from(chunk)); }

  // Node: readable.read(): the buffered data (in flowing mode one chunk), or nullopt (Node's
  // null) when nothing is buffered; may call _read. read(n): n bytes or nullopt (all that is
  // left at the end); read(0) only triggers reading. A returned chunk is also emitted as 'data'.
  // As Node's fromList: a read of exactly the first chunk returns that Buffer itself; a read of
  // part of it returns a subarray (sharing its memory, Node's buf.slice); a read spanning
  // several chunks (or all of them) returns a new Buffer, their bytes concatenated.
  std::optional<Buffer> read();
  std::optional<Buffer> read(std::size_t n);

  // Node: readable.pause() / resume() / isPaused(); readableFlowing: nullopt is Node's null.
  Readable& pause();
  Readable& resume();
  bool isPaused() const noexcept;
  std::optional<bool> readableFlowing() const noexcept;
  std::size_t readableLength() const noexcept { return rstate_.length; }
  std::size_t readableHighWaterMark() const noexcept { return rstate_.highWaterMark; }
  bool readableEnded() const noexcept { return rstate_.endEmitted; }
  bool readableDidRead() const noexcept { return rstate_.dataEmitted; }
  bool readableAborted() const noexcept {
    return (rstate_.destroyed || rstate_.errored) && !rstate_.endEmitted;
  }

  // Node's Readable.prototype.on (also addListener; once adds with it): a 'data' listener
  // starts the flow (unless pause() was called), a 'readable' listener switches to paused
  // mode. prependListener / prependOnceListener are EventEmitter's and do neither, as in Node.
  template <class F>
  ListenerId on(std::string_view name, F&& listener) {
    ListenerId id = EventEmitter::on(name, std::forward<F>(listener));
    afterOn(name);
    return id;
  }
  template <class F>
  ListenerId addListener(std::string_view name, F&& listener) {
    return on(name, std::forward<F>(listener));
  }
  // Node: once(name, f): on() with a wrapper that removes itself (with removeListener, whose
  // bookkeeping for 'data' and 'readable' Node runs) before calling f.
  template <class F>
  ListenerId once(std::string_view name, F&& listener) {
    using Args = typename ::vow::internal::CallableArgs<std::decay_t<F>>::type;
    return onceImpl(name, std::forward<F>(listener), Args{});
  }
  // Node: removeListener / off: for 'readable', re-evaluates the mode on the next tick; the
  // last 'data' listener's removal stops 'data' being emitted straight from push().
  bool off(std::string_view name, ListenerId id);
  bool removeListener(std::string_view name, ListenerId id) { return off(name, id); }
  void removeAllListeners(std::string_view name);
  void removeAllListeners();

  // Node: readable.pipe(destination[, {end}]): writes every chunk to `dest`, pausing while
  // dest.write() returns false until 'drain'; ends dest at 'end' (unless end = false); stops
  // when dest emits 'close' or 'finish' (or an error). Returns dest. An error of the source
  // does not end or destroy dest (as in Node: use pipeline() for that).
  template <class W>
  std::shared_ptr<W> pipe(std::shared_ptr<W> dest, PipeOptions options = {}) {
    static_assert(std::is_base_of_v<Writable, W>, "pipe: the destination must be a Writable");
    pipeImpl(std::shared_ptr<Writable>(dest), options);
    return dest;
  }
  // Node: readable.unpipe([destination]).
  Readable& unpipe();
  Readable& unpipe(const std::shared_ptr<Writable>& dest);

  // Node: readable[Symbol.asyncIterator](): an async generator of the stream's chunks (Node
  // v20's createAsyncIterator, tick for tick): it reads in paused mode (a 'readable' listener
  // and read()), ends when the stream ends, and throws the stream's error. Leaving early
  // (return_(), a `break` followed by forAwait's close()) destroys the stream, as Node does
  // (with an AbortError when it had not ended, which its own 'error' listener absorbs).
  //
  //   auto it = vow::forAwait(stream);      // for await (const chunk of stream)
  //   while (auto chunk = co_await it.next()) use(*chunk);
  //   co_await it.close();
  //
  // The chunks are the Buffers read() returns (shared, not copied).
  AsyncGenerator<Buffer> asyncIterator();
  // Node: readable.iterator({destroyOnReturn}): with destroyOnReturn = false, leaving early
  // leaves the stream alone (its listeners removed).
  AsyncGenerator<Buffer> iterator(IteratorOptions options = {});

 protected:
  explicit Readable(ReadableOptions options = {});

  // Node: readable._read(size): override it (or give options.read) to produce data with push().
  // Called on the loop thread from read(), never again before a push(). The default calls
  // options.read, or destroys the stream with ERR_METHOD_NOT_IMPLEMENTED.
  virtual void _read(std::size_t size);
  // Called with a chunk that flowing mode emitted as 'data' straight from push() or flow(),
  // after its listeners ran (empty when a listener taking `vow::Buffer&` moved it away). A
  // subclass may keep its storage for a later read when nobody else holds it any more
  // (chunk.use_count() == 1: no listener, pipe destination or buffered write kept a copy);
  // fs::ReadStream does (no allocation per chunk). Not Node's (its garbage collector frees the
  // chunk instead); what JavaScript-style code sees does not change.
  virtual void reuseChunk(Buffer&& chunk) { (void)chunk; }
  void _destroy(Error error, Callback callback) override;
  void _construct(Callback callback) override;
  void readableConstructed() override;

  internal::ReadableState rstate_;

 private:
  friend class Stream;
  friend struct PipeAccess;
  void afterOn(std::string_view name);
  template <class F, class... P>
  ListenerId onceImpl(std::string_view name, F&& listener, ::vow::internal::ArgList<P...>) {
    struct Once {
      std::decay_t<F> f;
      ListenerId id = 0;
      bool fired = false;
    };
    auto state = std::make_shared<Once>(Once{std::forward<F>(listener)});
    std::string event(name);
    ListenerId id = on(name, [this, state, event](P... args) {
      if (state->fired) return;
      state->fired = true;
      off(event, state->id);
      state->f(args...);
    });
    state->id = id;
    return id;
  }
  void pipeImpl(std::shared_ptr<Writable> dest, PipeOptions options);
  std::optional<Buffer> readImpl(std::optional<std::size_t> n, bool forFlow);
  std::size_t howMuchToRead(std::optional<std::size_t> n) const;
  Buffer fromList(std::size_t n);
  void addChunk(Buffer chunk, bool addToFront);
  bool canPushMore() const;
  void onEofChunk();
  void emitReadable();
  void emitReadable_();
  void flow();
  void maybeReadMore();
  void maybeReadMore_();
  void resumeScheduled_();
  void endReadable();
  void endReadableNT();
  void updateReadableListening();

  ReadableOptions options_;
};

}  // namespace vow::stream
