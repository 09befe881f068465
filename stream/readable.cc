#include "vow/stream/readable.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "vow/loop/loop.h"
#include "vow/promise/internal/exceptions.h"
#include "vow/promise/promise.h"
#include "vow/stream/finished.h"
#include "vow/stream/writable.h"

namespace vow::stream {

// --- construction -----------------------------------------------------------------------------

Readable::Readable(ReadableOptions options) : options_(std::move(options)) {
  rs_ = &rstate_;
  rstate_.highWaterMark = options_.highWaterMark;
  rstate_.autoDestroy = options_.autoDestroy;
  rstate_.emitClose = options_.emitClose;
  if (options_.construct) useConstruct();
  // A 'data' listener must take a vow::Buffer (by value or reference): any other is refused
  // by on(), not when the first chunk is emitted.
  declareEvent<Buffer>("data");
}

namespace {
// new Readable(options): the class itself, made constructible by make_shared.
class PlainReadable final : public Readable {
 public:
  explicit PlainReadable(ReadableOptions options) : Readable(std::move(options)) {}
};
}  // namespace

std::shared_ptr<Readable> Readable::create(ReadableOptions options) {
  AbortSignal signal = options.signal.get();
  options.signal = AbortSignalRef();
  auto s = std::make_shared<PlainReadable>(std::move(options));
  s->init(signal);
  return s;
}

void Readable::_read(std::size_t size) {
  if (options_.read) {
    options_.read(*this, size);
    return;
  }
  VOW_THROW(Exception("The _read() method is not implemented", "ERR_METHOD_NOT_IMPLEMENTED"));
}

void Readable::_destroy(Error error, Callback callback) {
  if (options_.destroy) {
    options_.destroy(*this, std::move(error), std::move(callback));
    return;
  }
  callback(std::move(error));
}

void Readable::_construct(Callback callback) {
  if (options_.construct) {
    options_.construct(*this, std::move(callback));
    return;
  }
  callback(Error());
}

void Readable::readableConstructed() {
  if (rstate_.needReadable) maybeReadMore();
}

// --- push -------------------------------------------------------------------------------------

bool Readable::canPushMore() const {
  return !rstate_.ended && (rstate_.length < rstate_.highWaterMark || rstate_.length == 0);
}

bool Readable::push(Buffer chunk) {
  auto& s = rstate_;
  if (chunk.empty()) {
    s.reading = false;
    maybeReadMore();
    return canPushMore();
  }
  if (s.ended) {
    errorOrDestroy(Exception("stream.push() after EOF", "ERR_STREAM_PUSH_AFTER_EOF"));
    return false;
  }
  if (s.destroyed || s.errored) return false;
  s.reading = false;
  addChunk(std::move(chunk), false);
  return canPushMore();
}

bool Readable::push(std::nullopt_t) {
  rstate_.reading = false;
  onEofChunk();
  return false;
}

void Readable::unshift(Buffer chunk) {
  auto& s = rstate_;
  if (chunk.empty()) return;
  if (s.endEmitted) {
    errorOrDestroy(
        Exception("stream.unshift() after end event", "ERR_STREAM_UNSHIFT_AFTER_END_EVENT"));
  } else if (s.destroyed || s.errored) {
    return;
  } else {
    addChunk(std::move(chunk), true);
  }
}

void Readable::addChunk(Buffer chunk, bool addToFront) {
  auto self = shared_from_this();
  auto& s = rstate_;
  if (s.flowing && !s.sync && s.dataListening && s.length == 0) {
    s.awaitDrainWriters.clear();
    s.dataEmitted = true;
    std::tuple<Buffer> data(std::move(chunk));
    emitTuple("data", data);
    reuseChunk(std::move(std::get<0>(data)));
  } else {
    s.length += chunk.size();
    if (addToFront) {
      s.buffer.push_front(std::move(chunk));
    } else {
      s.buffer.push_back(std::move(chunk));
    }
    if (s.needReadable) emitReadable();
  }
  maybeReadMore();
}

void Readable::onEofChunk() {
  auto& s = rstate_;
  if (s.ended) return;
  s.ended = true;
  if (s.sync) {
    emitReadable();
  } else {
    s.needReadable = false;
    s.emittedReadable = true;
    emitReadable_();
  }
}

// --- read -------------------------------------------------------------------------------------

namespace {
std::size_t computeNewHighWaterMark(std::size_t n) {
  if (n > 0x40000000) {
    VOW_THROW(RangeError(
        "The value of \"size\" is out of range. It must be <= 1GiB. Received " + std::to_string(n),
        "ERR_OUT_OF_RANGE"));
  }
  std::size_t p = 1;
  while (p < n) p <<= 1;
  return p;
}
}  // namespace

std::size_t Readable::howMuchToRead(std::optional<std::size_t> n) const {
  const auto& s = rstate_;
  if ((n && *n == 0) || (s.length == 0 && s.ended)) return 0;
  if (!n) {
    if (s.flowing && s.length != 0) return s.buffer.front().size();
    return s.length;
  }
  if (*n <= s.length) return *n;
  return s.ended ? s.length : 0;
}

// Node's fromList: the first chunk itself, a subarray of it (shared), or the bytes of several
// chunks in a new Buffer.
Buffer Readable::fromList(std::size_t n) {
  auto& s = rstate_;
  Buffer ret;
  if (n >= s.length) {
    if (s.buffer.size() == 1) {
      ret = std::move(s.buffer.front());
    } else {
      ret = Buffer::allocUnsafe(s.length);
      std::size_t at = 0;
      for (const Buffer& b : s.buffer) {
        std::copy(b.begin(), b.end(), ret.begin() + at);
        at += b.size();
      }
    }
    s.buffer.clear();
  } else if (n < s.buffer.front().size()) {
    Buffer& data = s.buffer.front();
    ret = data.subarray(0, static_cast<std::int64_t>(n));
    data = data.subarray(static_cast<std::int64_t>(n));
  } else if (n == s.buffer.front().size()) {
    ret = std::move(s.buffer.front());
    s.buffer.pop_front();
  } else {
    ret = Buffer::allocUnsafe(n);
    std::size_t at = 0;
    while (!s.buffer.empty()) {
      Buffer& data = s.buffer.front();
      const std::size_t want = n - at;
      if (want >= data.size()) {
        const bool last = want == data.size();
        std::copy(data.begin(), data.end(), ret.begin() + at);
        at += data.size();
        s.buffer.pop_front();
        if (last) break;
      } else {
        std::copy(data.begin(), data.begin() + want, ret.begin() + at);
        data = data.subarray(static_cast<std::int64_t>(want));
        break;
      }
    }
  }
  return ret;
}

std::optional<Buffer> Readable::read() { return readImpl(std::nullopt, false); }
std::optional<Buffer> Readable::read(std::size_t n) { return readImpl(n, false); }

std::optional<Buffer> Readable::readImpl(std::optional<std::size_t> nIn, bool forFlow) {
  auto self = shared_from_this();
  auto& s = rstate_;
  const std::optional<std::size_t> nOrig = nIn;
  if (nIn && *nIn > s.highWaterMark) s.highWaterMark = computeNewHighWaterMark(*nIn);
  if (!nIn || *nIn != 0) s.emittedReadable = false;
  if (nIn && *nIn == 0 && s.needReadable &&
      ((s.highWaterMark != 0 ? s.length >= s.highWaterMark : s.length > 0) || s.ended)) {
    if (s.length == 0 && s.ended) {
      endReadable();
    } else {
      emitReadable();
    }
    return std::nullopt;
  }
  std::size_t n = howMuchToRead(nIn);
  if (n == 0 && s.ended) {
    if (s.length == 0) endReadable();
    return std::nullopt;
  }
  bool doRead = s.needReadable;
  if (s.length == 0 || s.length - n < s.highWaterMark) doRead = true;
  if (s.reading || s.ended || s.destroyed || s.errored || !s.constructed) {
    doRead = false;
  } else if (doRead) {
    s.reading = true;
    s.sync = true;
    if (s.length == 0) s.needReadable = true;
    VOW_TRY { _read(s.highWaterMark); }
    VOW_CATCH_ALL { errorOrDestroy(Error::current()); }
    s.sync = false;
    if (!s.reading) n = howMuchToRead(nOrig);
  }
  std::optional<Buffer> ret;
  if (n > 0) ret = fromList(n);
  if (!ret) {
    if (s.length <= s.highWaterMark) s.needReadable = true;
    n = 0;
  } else {
    s.length -= n;
    s.awaitDrainWriters.clear();
  }
  if (s.length == 0) {
    if (!s.ended) s.needReadable = true;
    if ((!nOrig || *nOrig != n) && s.ended) endReadable();
  }
  if (ret && !s.errorEmitted && !s.closeEmitted) {
    s.dataEmitted = true;
    if (forFlow) {
      std::tuple<Buffer> data(std::move(*ret));
      emitTuple("data", data);
      reuseChunk(std::move(std::get<0>(data)));
      return Buffer();  // flow() only tests for null
    }
    emit("data", *ret);
  }
  return ret;
}

void Readable::emitReadable() {
  auto& s = rstate_;
  s.needReadable = false;
  if (!s.emittedReadable) {
    s.emittedReadable = true;
    nextTick([self = shared_from_this(), this] { emitReadable_(); });
  }
}

void Readable::emitReadable_() {
  auto& s = rstate_;
  if (!s.destroyed && !s.errored && (s.length != 0 || s.ended)) {
    emit("readable");
    s.emittedReadable = false;
  }
  if (!s.flowing && !s.ended && s.length <= s.highWaterMark) s.needReadable = true;
  flow();
}

void Readable::flow() {
  // read() as Node's flow() calls it; the chunk is only emitted (moved into 'data'), not kept.
  while (rstate_.flowing && readImpl(std::nullopt, /*forFlow=*/true).has_value()) {
  }
}

void Readable::maybeReadMore() {
  auto& s = rstate_;
  if (!s.readingMore && s.constructed) {
    s.readingMore = true;
    nextTick([self = shared_from_this(), this] { maybeReadMore_(); });
  }
}

void Readable::maybeReadMore_() {
  auto& s = rstate_;
  while (!s.reading && !s.ended && (s.length < s.highWaterMark || (s.flowing && s.length == 0))) {
    const std::size_t len = s.length;
    read(0);
    if (len == s.length) break;
  }
  s.readingMore = false;
}

void Readable::endReadable() {
  auto& s = rstate_;
  if (!s.endEmitted) {
    s.ended = true;
    nextTick([self = shared_from_this(), this] { endReadableNT(); });
  }
}

void Readable::endReadableNT() {
  auto& s = rstate_;
  if (!s.errored && !s.closeEmitted && !s.endEmitted && s.length == 0) {
    s.endEmitted = true;
    emit("end");
    if (writable() && !allow_half_open_) {
      nextTick([self = shared_from_this()] {
        auto* w = dynamic_cast<Writable*>(self.get());
        if (w != nullptr && self->writable() && !w->writableEnded() && !self->destroyed()) {
          w->end();
        }
      });
    } else if (s.autoDestroy) {
      const bool autoDestroy = ws_ == nullptr || (ws_->autoDestroy && ws_->finished);
      if (autoDestroy) destroy();
    }
  }
}

// --- modes ------------------------------------------------------------------------------------

void Readable::afterOn(std::string_view name) {
  auto& s = rstate_;
  if (name == "data") {
    s.dataListening = true;
    if (listenerCount("readable") > 0) s.readableListening = true;
    if (!(s.hasFlowing && !s.flowing)) resume();
  } else if (name == "readable") {
    if (!s.endEmitted && !s.readableListening) {
      s.readableListening = s.needReadable = s.hasFlowing = true;
      s.flowing = false;
      s.emittedReadable = false;
      if (s.length != 0) {
        emitReadable();
      } else if (!s.reading) {
        nextTick([self = shared_from_this(), this] { read(0); });
      }
    }
  }
}

bool Readable::off(std::string_view name, ListenerId id) {
  const bool removed = EventEmitter::off(name, id);
  if (name == "readable") {
    nextTick([self = shared_from_this(), this] { updateReadableListening(); });
  } else if (name == "data" && listenerCount("data") == 0) {
    rstate_.dataListening = false;
  }
  return removed;
}

void Readable::removeAllListeners(std::string_view name) {
  EventEmitter::removeAllListeners(name);
  if (name == "readable") {
    nextTick([self = shared_from_this(), this] { updateReadableListening(); });
  }
}

void Readable::removeAllListeners() {
  EventEmitter::removeAllListeners();
  nextTick([self = shared_from_this(), this] { updateReadableListening(); });
}

void Readable::updateReadableListening() {
  auto& s = rstate_;
  s.readableListening = listenerCount("readable") > 0;
  if (s.hasPaused && !s.paused && s.resumeScheduled) {
    s.hasFlowing = s.flowing = true;
  } else if (s.dataListening) {
    resume();
  } else if (!s.readableListening) {
    s.hasFlowing = s.flowing = false;
  }
}

Readable& Readable::resume() {
  auto& s = rstate_;
  if (!s.flowing) {
    s.hasFlowing = true;
    s.flowing = !s.readableListening;
    if (!s.resumeScheduled) {
      s.resumeScheduled = true;
      nextTick([self = shared_from_this(), this] { resumeScheduled_(); });
    }
  }
  s.hasPaused = true;
  s.paused = false;
  return *this;
}

void Readable::resumeScheduled_() {
  auto& s = rstate_;
  if (!s.reading) read(0);
  s.resumeScheduled = false;
  emit("resume");
  flow();
  if (s.flowing && !s.reading) read(0);
}

Readable& Readable::pause() {
  auto& s = rstate_;
  if (!(s.hasFlowing && !s.flowing)) {
    s.hasFlowing = true;
    s.flowing = false;
    emit("pause");
  }
  s.hasPaused = s.paused = true;
  return *this;
}

bool Readable::isPaused() const noexcept {
  return rstate_.paused || (rstate_.hasFlowing && !rstate_.flowing);
}

std::optional<bool> Readable::readableFlowing() const noexcept {
  if (!rstate_.hasFlowing) return std::nullopt;
  return rstate_.flowing;
}

// --- pipe -------------------------------------------------------------------------------------

namespace {

struct PipeLink final : internal::PipeLinkBase {
  std::shared_ptr<Readable> strongSrc;  // until the source closes
  std::weak_ptr<Readable> weakSrc;
  std::shared_ptr<Writable> dest;
  std::shared_ptr<Readable> src() const { return weakSrc.lock(); }
  const void* key = nullptr;  // dest, as awaitDrainWriters holds it
  EventEmitter::ListenerId onData = 0, onEnd = 0, onDrain = 0, onError = 0, onClose = 0,
                           onFinish = 0;
  bool cleanedUp = false;
  void sourceClosed() override { strongSrc.reset(); }
};

}  // namespace

struct PipeAccess {
  static void pause(Readable& src, PipeLink& link);
  static void onDrain(Readable& src, const void* key);
  static void cleanup(Readable& src, const std::shared_ptr<PipeLink>& link);
  static void unpipe(Readable& src, const std::shared_ptr<Writable>& dest);
};

void PipeAccess::onDrain(Readable& src, const void* key) {
  auto& s = src.rstate_;
  if (!s.multiAwaitDrain) {
    if (s.awaitDrainWriters.size() == 1 && s.awaitDrainWriters[0] == key) {
      s.awaitDrainWriters.clear();
    }
  } else {
    auto& w = s.awaitDrainWriters;
    w.erase(std::remove(w.begin(), w.end(), key), w.end());
  }
  if (s.awaitDrainWriters.empty() && s.dataListening) src.resume();
}

void PipeAccess::pause(Readable& src, PipeLink& link) {
  auto& s = src.rstate_;
  if (!link.cleanedUp) {
    if (s.pipes.size() == 1 && s.pipes[0].get() == &link) {
      s.awaitDrainWriters.assign(1, link.key);
      s.multiAwaitDrain = false;
    } else if (s.pipes.size() > 1) {
      auto& w = s.awaitDrainWriters;
      if (std::find(w.begin(), w.end(), link.key) == w.end()) w.push_back(link.key);
    }
    src.pause();
  }
}

void PipeAccess::cleanup(Readable& src, const std::shared_ptr<PipeLink>& link) {
  if (link->cleanedUp) return;
  auto dest = link->dest;
  if (dest) {
    dest->off("close", link->onClose);
    dest->off("finish", link->onFinish);
    if (link->onDrain != 0) dest->off("drain", link->onDrain);
    dest->off("error", link->onError);
  }
  src.EventEmitter::off("end", link->onEnd);
  src.off("data", link->onData);
  link->cleanedUp = true;
  auto& s = src.rstate_;
  if (link->onDrain != 0 && (s.multiAwaitDrain || !s.awaitDrainWriters.empty()) &&
      (!dest || dest->writableNeedDrain())) {
    onDrain(src, link->key);
  }
}

void PipeAccess::unpipe(Readable& src, const std::shared_ptr<Writable>& dest) {
  auto& pipes = src.rstate_.pipes;
  auto it = std::find_if(pipes.begin(), pipes.end(), [&](const auto& l) {
    return static_cast<PipeLink*>(l.get())->key == dest.get();
  });
  if (it == pipes.end()) return;
  auto link = std::static_pointer_cast<PipeLink>(*it);
  pipes.erase(it);
  if (pipes.empty()) src.pause();
  cleanup(src, link);
}

Readable& Readable::unpipe(const std::shared_ptr<Writable>& dest) {
  auto self = shared_from_this();
  PipeAccess::unpipe(*this, dest);
  return *this;
}

Readable& Readable::unpipe() {
  auto self = shared_from_this();
  auto pipes = std::move(rstate_.pipes);
  rstate_.pipes.clear();
  if (pipes.empty()) return *this;
  pause();
  for (auto& l : pipes) PipeAccess::cleanup(*this, std::static_pointer_cast<PipeLink>(l));
  return *this;
}

void Readable::pipeImpl(std::shared_ptr<Writable> dest, PipeOptions options) {
  auto& s = rstate_;
  auto self = std::dynamic_pointer_cast<Readable>(shared_from_this());
  if (s.pipes.size() == 1 && !s.multiAwaitDrain) s.multiAwaitDrain = true;
  auto link = std::make_shared<PipeLink>();
  link->strongSrc = self;
  link->weakSrc = self;
  link->dest = dest;
  link->key = dest.get();
  s.pipes.push_back(link);
  std::weak_ptr<PipeLink> weak = link;

  // onend / unpipe at 'end'
  auto endFn = [weak, end = options.end] {
    auto l = weak.lock();
    if (!l || !l->dest) return;
    if (end) {
      l->dest->end();
    } else if (auto src = l->src()) {
      src->unpipe(l->dest);
    }
  };
  if (s.endEmitted) {
    nextTick(std::move(endFn));
  } else {
    link->onEnd = EventEmitter::once("end", std::move(endFn));
  }

  // ondata: write, pause when the destination is full.
  link->onData = on("data", [weak](const Buffer& chunk) {
    auto l = weak.lock();
    if (!l || !l->dest) return;
    // The destination gets the same Buffer (shared, as Node's dest.write(chunk)).
    auto src = l->src();
    if (!l->dest->write(chunk)) {
      if (!src) return;
      PipeAccess::pause(*src, *l);
      if (l->onDrain == 0 && l->dest) {
        l->onDrain = l->dest->on("drain", [weak] {
          auto l2 = weak.lock();
          if (auto src2 = l2 ? l2->src() : nullptr) PipeAccess::onDrain(*src2, l2->key);
        });
      }
    }
  });

  // onerror, prepended: stop piping; rethrow when nobody else listens.
  link->onError = dest->prependListener("error", [weak](const Error& er) {
    auto l = weak.lock();
    if (!l) return;
    auto dest = l->dest;
    auto src = l->src();
    if (src && dest) src->unpipe(dest);
    if (!dest) return;
    dest->off("error", l->onError);
    if (dest->listenerCount("error") == 0) {
      auto* ws = dest->writableState();
      if (ws != nullptr && !ws->errorEmitted) {
        dest->destroy(er);
      } else {
        dest->emit("error", er);
      }
    }
  });
  link->onClose = dest->once("close", [weak] {
    auto l = weak.lock();
    if (!l || !l->dest) return;
    l->dest->off("finish", l->onFinish);
    if (auto src = l->src()) src->unpipe(l->dest);
  });
  link->onFinish = dest->once("finish", [weak] {
    auto l = weak.lock();
    if (!l || !l->dest) return;
    l->dest->off("close", l->onClose);
    if (auto src = l->src()) src->unpipe(l->dest);
  });

  if (dest->writableNeedDrain()) {
    PipeAccess::pause(*this, *link);
    if (link->onDrain == 0) {
      link->onDrain = dest->on("drain", [weak] {
        auto l2 = weak.lock();
        if (auto src2 = l2 ? l2->src() : nullptr) PipeAccess::onDrain(*src2, l2->key);
      });
    }
  } else if (!s.flowing) {
    resume();
  }
}

// --- async iteration --------------------------------------------------------------------------

namespace {

// Node's aggregateTwoErrors(inner, outer) for the iterator's error: the first one wins (two
// different errors would make an AggregateError in Node; they cannot both reach here).
Error aggregate(const Error& inner, const Error& outer) { return inner ? inner : outer; }

// Node's destroyImpl.destroyer(stream, null): destroys a stream that is not destroyed yet, with
// an AbortError when it had not finished.
void destroyer(Readable& stream) {
  if (stream.destroyed()) return;
  Error err;
  // utils.js isFinished: neither side can still be read or written.
  const internal::ReadableState* r = stream.readableState();
  const internal::WritableState* w = stream.writableState();
  // (isReadableFinished without `strict`: only 'end' having been emitted counts.)
  const bool readable = stream.readable() && !r->endEmitted;
  const bool writable = w != nullptr && stream.writable() && !w->ended;
  if (readable || writable) err = AbortError("The operation was aborted");
  stream.destroy(std::move(err));
}

// Node v20's createAsyncIterator(stream, options) (lib/internal/streams/readable.js).
AsyncGenerator<Buffer> createAsyncIterator(std::shared_ptr<Readable> stream,
                                           IteratorOptions options) {
  struct State {
    absl::AnyInvocable<void()> callback;  // Node's `callback` (nop when empty)
    bool finished = false;                // Node's error !== undefined
    Error error;                          // Node's error (empty: null)
  };
  auto st = std::make_shared<State>();
  const EventEmitter::ListenerId readableId = stream->on("readable", [st] {
    if (st->callback) std::exchange(st->callback, nullptr)();
  });
  auto cleanup = finished(stream, {.writable = false}, [st](Error err) {
    st->error = err ? aggregate(st->error, err) : Error();
    st->finished = true;
    if (st->callback) std::exchange(st->callback, nullptr)();
  });
  // Node's finally block.
  auto finally = [&stream, &st, &options, &cleanup, readableId] {
    const bool errorUndefined = !st->finished;
    if ((st->error || options.destroyOnReturn) &&
        (errorUndefined || stream->readableState()->autoDestroy)) {
      destroyer(*stream);
    } else {
      stream->off("readable", readableId);
      cleanup();
    }
  };
#if VOW_HAS_EXCEPTIONS
  try {
    while (true) {
      std::optional<Buffer> chunk = stream->destroyed() ? std::nullopt : stream->read();
      if (chunk) {
        co_yield std::move(*chunk);
      } else if (st->finished && st->error) {
        st->error.rethrow();
      } else if (st->finished) {
        break;
      } else {
        auto [wait, resolve, reject] = Promise<void>::withResolvers();
        st->callback = [resolve = resolve] { resolve(); };
        co_await wait;
      }
    }
  } catch (const GeneratorReturn&) {
    finally();
    throw;
  } catch (...) {
    st->error = aggregate(st->error, Error::current());
    st->finished = true;
    finally();
    st->error.rethrow();
  } finally();
#else
  // Without exceptions: the same steps, with the catch blocks' work done where the error
  // arises, and an early exit's (return()'s) finally run by the frame's destruction.
  struct OnReturn {
    decltype(finally)* run;
    ~OnReturn() {
      if (run != nullptr) (*run)();
    }
  } on_return{&finally};
  while (true) {
    std::optional<Buffer> chunk = stream->destroyed() ? std::nullopt : stream->read();
    if (chunk) {
      co_yield std::move(*chunk);
    } else if (st->finished && st->error) {
      st->finished = true;
      on_return.run = nullptr;
      finally();
      co_await ::vow::internal::Raise{st->error};
    } else if (st->finished) {
      break;
    } else {
      auto [wait, resolve, reject] = Promise<void>::withResolvers();
      st->callback = [resolve = resolve] { resolve(); };
      co_await wait;
    }
  }
  on_return.run = nullptr;
  finally();
#endif
}

}  // namespace

AsyncGenerator<Buffer> Readable::asyncIterator() { return iterator(IteratorOptions{}); }

AsyncGenerator<Buffer> Readable::iterator(IteratorOptions options) {
  return createAsyncIterator(std::shared_ptr<Readable>(shared_from_this(), this), options);
}

}  // namespace vow::stream
