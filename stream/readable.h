// vow::stream::Readable: Node's stream.Readable (byte streams; chunks are std::string).
//
//   // new Readable({ read() { this.push('a'); this.push(null); } })
//   auto r = vow::stream::Readable::create({.read = [](vow::stream::Readable& self, size_t) {
//     self.push("a");
//     self.push(std::nullopt);
//   }});
//   r->on("data", [](const std::string& chunk) { ... });   // flowing mode
//   r->on("readable", [r = r.get()] { while (auto c = r->read()) ...; });  // paused mode
//
// Events, Node's names and order: "data"(const std::string&), "readable"(), "end"(), "pause"(),
// "resume"(), "error"(const vow::Error&), "close"(). The state machine is Node v20's
// (lib/internal/streams/readable.js): push(), read(), the 'readable' and 'data' modes,
// highWaterMark, maybeReadMore, endReadable, each step on the queue Node uses (process.nextTick
// is vow::nextTick), so the order of events, promise jobs and ticks is Node's.
//
// Not Node's: no objectMode and no encodings (chunks are bytes in std::string); no wrap(),
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
  // the buffer reached highWaterMark. Node: readable.push(null): push(std::nullopt), the end.
  bool push(std::string chunk);
  bool push(std::nullopt_t);
  bool push(std::string_view chunk) { return push(std::string(chunk)); }
  bool push(const char* chunk) { return push(std::string(chunk)); }
  // Node: readable.unshift(chunk): puts a chunk back at the front of the buffer.
  void unshift(std::string chunk);

  // Node: readable.read(): the buffered data (in flowing mode one chunk), or nullopt (Node's
  // null) when nothing is buffered; may call _read. read(n): n bytes or nullopt (all that is
  // left at the end); read(0) only triggers reading. A returned chunk is also emitted as 'data'.
  std::optional<std::string> read();
  std::optional<std::string> read(std::size_t n);

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
  AsyncGenerator<std::string> asyncIterator();
  // Node: readable.iterator({destroyOnReturn}): with destroyOnReturn = false, leaving early
  // leaves the stream alone (its listeners removed).
  AsyncGenerator<std::string> iterator(IteratorOptions options = {});

 protected:
  explicit Readable(ReadableOptions options = {});

  // Node: readable._read(size): override it (or give options.read) to produce data with push().
  // Called on the loop thread from read(), never again before a push(). The default calls
  // options.read, or destroys the stream with ERR_METHOD_NOT_IMPLEMENTED.
  virtual void _read(std::size_t size);
  // Called with a chunk the 'data' listeners saw by const reference and did not take (a
  // listener taking `std::string&` may move it away): a subclass may keep its storage for a
  // later read (fs::ReadStream does: no allocation nor zero-filling per chunk). Not Node's.
  virtual void reuseChunk(std::string& chunk) { (void)chunk; }
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
  std::optional<std::string> readImpl(std::optional<std::size_t> n, bool forFlow);
  std::size_t howMuchToRead(std::optional<std::size_t> n) const;
  std::string fromList(std::size_t n);
  void addChunk(std::string chunk, bool addToFront);
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
