#include "vow/stream/pipeline.h"

#include <deque>
#include <utility>

#include "vow/loop/loop.h"
#include "vow/promise/for_await.h"
#include "vow/promise/internal/exceptions.h"
#include "vow/stream/finished.h"
#include "vow/stream/readable.h"
#include "vow/stream/writable.h"

namespace vow::stream {
namespace internal {
namespace {

bool isReadableEnded(const Stream& s) {  // utils.js isReadableFinished(src) (strict unset)
  const ReadableState* r = s.readableState();
  if (r == nullptr || r->errored) return false;
  return r->endEmitted;
}

// The state of one pipeline call (pipelineImpl's closure).
struct Pipeline : std::enable_shared_from_this<Pipeline> {
  Callback callback;
  Error error;
  int finishCount = 0;
  std::deque<absl::AnyInvocable<void(const Error&)>> destroys;
  std::vector<absl::AnyInvocable<void()>> lastStreamCleanup;
  AbortController ac;  // Node's inner controller (the signal given to generator stages)
  // The generator functions: a coroutine lambda's captures live in the lambda object, which
  // must outlive the generator it made, so the pipeline keeps them until it is done.
  std::deque<GeneratorFunction> functions;
  ::vow::internal::AbortRegistration outer;

  void finish(Error err) {
    --finishCount;
    finishImpl(std::move(err), finishCount == 0);
  }

  void finishImpl(Error err, bool final) {
    if (err && (!error || error.code() == "ERR_STREAM_PREMATURE_CLOSE")) error = err;
    if (!error && !final) return;
    while (!destroys.empty()) {
      auto destroy = std::move(destroys.front());
      destroys.pop_front();
      destroy(error);
    }
    outer.remove();
    if (!ac.signal().aborted()) ac.abort();
    if (final) {
      if (!error) {
        for (auto& f : lastStreamCleanup) f();
      }
      lastStreamCleanup.clear();
      if (callback) {
        nextTick([cb = std::move(callback), e = error]() mutable { cb(e); });
        callback = nullptr;
      }
    }
  }
};

// Node's destroyer(stream, reading, writing): destroys the stream with the pipeline's error
// unless it already finished or closed.
absl::AnyInvocable<void(const Error&)> destroyer(const std::shared_ptr<Stream>& stream,
                                                 bool reading, bool writing,
                                                 absl::AnyInvocable<void()>* cleanupOut) {
  auto done = std::make_shared<bool>(false);
  EventEmitter& e = *stream;
  e.on("close", [done] { *done = true; });
  auto cleanup = finished(stream, {.readable = reading, .writable = writing},
                          [done](Error err) { *done = !err; });
  if (cleanupOut != nullptr) *cleanupOut = std::move(cleanup);
  return [stream, done](const Error& err) {
    if (*done) return;
    *done = true;
    if (stream->destroyed()) return;
    stream->destroy(err ? err : errStreamDestroyed("pipe"));
  };
}

// Node's pipe(src, dst, finish, {end}).
absl::AnyInvocable<void()> pipe(const std::shared_ptr<Readable>& src,
                                const std::shared_ptr<Writable>& dst,
                                const std::shared_ptr<Pipeline>& p, bool end) {
  auto ended = std::make_shared<bool>(false);
  EventEmitter& d = *dst;
  d.on("close", [p, ended] {
    if (!*ended) p->finish(errPrematureClose());
  });
  src->pipe(dst, {.end = false});
  if (end) {
    auto endFn = [ended, dst] {
      *ended = true;
      dst->end();
    };
    if (isReadableEnded(*src)) {
      nextTick(std::move(endFn));
    } else {
      src->EventEmitter::once("end", std::move(endFn));
    }
  } else {
    p->finish(Error());
  }
  finished(src, {.readable = true, .writable = false}, [p, src](Error err) {
    const ReadableState* r = src->readableState();
    if (err && err.code() == "ERR_STREAM_PREMATURE_CLOSE" && r != nullptr && r->ended &&
        !r->errored && !r->errorEmitted) {
      src->EventEmitter::once("end", [p] { p->finish(Error()); });
      src->EventEmitter::once("error", [p](const Error& e) { p->finish(e); });
    } else {
      p->finish(std::move(err));
    }
  });
  return finished(dst, {.readable = false, .writable = true},
                  [p](Error err) { p->finish(std::move(err)); });
}

// Node's pumpToNode(iterable, writable, finish, {end}): writes what the iterable yields,
// awaiting 'drain' when write() returns false, then end() and 'finish'.
Promise<void> pumpToNode(AsyncGenerator<Buffer> iterable, std::shared_ptr<Writable> writable,
                         std::shared_ptr<Pipeline> p, bool end) {
  struct Pump {
    Error error;
    absl::AnyInvocable<void()> onresolve;
    void resume(Error err) {
      if (err) error = std::move(err);
      if (onresolve) std::exchange(onresolve, nullptr)();
    }
  };
  auto st = std::make_shared<Pump>();
  auto wait = [st]() -> Promise<void> {
    auto [promise, resolve, reject] = Promise<void>::withResolvers();
    if (st->error) {
      reject(st->error);
    } else {
      st->onresolve = [st, resolve = resolve, reject = reject] {
        if (st->error) {
          reject(st->error);
        } else {
          resolve();
        }
      };
    }
    return promise;
  };
  EventEmitter& w = *writable;
  const EventEmitter::ListenerId drainId = w.on("drain", [st] { st->resume(Error()); });
  auto cleanup =
      finished(writable, {.readable = false}, [st](Error err) { st->resume(std::move(err)); });
  Error failed;
#if VOW_HAS_EXCEPTIONS
  try {
    if (writable->writableNeedDrain()) {
      auto drained = wait();
      co_await drained;
    }
    auto it = forAwait(iterable);
    Error inLoop;
    try {
      while (auto chunk = co_await it.next()) {
        if (!writable->write(std::move(*chunk))) {
          auto drained = wait();
          co_await drained;
        }
      }
    } catch (...) {
      inLoop = Error::current();
    }
    co_await it.close();
    if (inLoop) inLoop.rethrow();
    if (end) {
      writable->end();
      auto finishedWriting = wait();
      co_await finishedWriting;
    }
    p->finish(Error());
  } catch (...) {
    failed = Error::current();
  }
#else
  // Without exceptions: the same awaits through settle, each error kept where the catch blocks
  // above would catch it; `break` leaves for the shared ending.
  do {
    if (writable->writableNeedDrain()) {
      auto drained = wait();
      if (!(co_await settle(drained)).ok()) {
        failed = AnyPromise(drained).reason();
        break;
      }
    }
    // forAwait(iterable), spelled out: next() until done, return() when left early.
    Error inLoop;
    bool done = false;
    while (true) {
      Promise<std::optional<Buffer>> next = iterable.next();
      auto chunk = co_await settle(next);
      if (!chunk.ok()) {
        inLoop = AnyPromise(next).reason();
        done = true;  // JS: a next() that throws leaves the iterator alone
        break;
      }
      if (!*chunk) {
        done = true;
        break;
      }
      if (!writable->write(std::move(**chunk))) {
        auto drained = wait();
        if (!(co_await settle(drained)).ok()) {
          inLoop = AnyPromise(drained).reason();
          break;
        }
      }
    }
    if (!done) {
      Promise<std::optional<Buffer>> closed = iterable.return_();
      if (!(co_await settle(closed)).ok()) {
        failed = AnyPromise(closed).reason();
        break;
      }
    }
    if (inLoop) {
      failed = inLoop;
      break;
    }
    if (end) {
      writable->end();
      auto finishedWriting = wait();
      if (!(co_await settle(finishedWriting)).ok()) {
        failed = AnyPromise(finishedWriting).reason();
        break;
      }
    }
    p->finish(Error());
  } while (false);
#endif
  if (failed) p->finish(st->error && !(st->error == failed) ? st->error : failed);
  cleanup();
  w.off("drain", drainId);
}

}  // namespace

std::shared_ptr<Stream> pipelineImpl(std::vector<Stage> stages, Callback callback,
                                     const PipelineOptions& options) {
  if (stages.size() < 2) {
    VOW_THROW(TypeError("The \"streams\" argument must be specified", "ERR_MISSING_ARGS"));
  }
  auto p = std::make_shared<Pipeline>();
  p->callback = std::move(callback);
  const AbortSignal& outerSignal = options.signal.get();
  auto abort = [weak = std::weak_ptr<Pipeline>(p), outerSignal] {
    if (auto q = weak.lock()) q->finishImpl(::vow::internal::abortErrorOf(outerSignal), false);
  };
  if (outerSignal && !outerSignal.aborted()) {
    const AbortSignal::ListenerId id =
        outerSignal.addEventListener("abort", [abort]() mutable { abort(); }, {.once = true});
    p->outer = ::vow::internal::AbortRegistration(outerSignal, id);
  }

  std::shared_ptr<Stream> ret;                        // the previous stage, a stream
  std::optional<AsyncGenerator<Buffer>> retIterable;  // or an async iterable
  for (std::size_t i = 0; i < stages.size(); ++i) {
    Stage& stage = stages[i];
    const bool reading = i < stages.size() - 1;
    const bool writing = i > 0;
    const bool end = reading || options.end;
    const bool isLastStream = i == stages.size() - 1;

    if (stage.stream) {
      const std::shared_ptr<Stream>& stream = stage.stream;
      const bool streamReadable = stream->readable();
      if (end) {
        absl::AnyInvocable<void()> cleanup;
        p->destroys.push_back(destroyer(stream, reading, writing, &cleanup));
        if (streamReadable && isLastStream) p->lastStreamCleanup.push_back(std::move(cleanup));
      }
      EventEmitter& e = *stream;
      const EventEmitter::ListenerId onError = e.on("error", [p](const Error& err) {
        if (err && err.name() != "AbortError" && err.code() != "ERR_STREAM_PREMATURE_CLOSE") {
          p->finish(err);
        }
      });
      if (streamReadable && isLastStream) {
        p->lastStreamCleanup.push_back([weak = std::weak_ptr<Stream>(stream), onError] {
          if (auto s = weak.lock()) s->EventEmitter::off("error", onError);
        });
      }
    }

    if (i == 0) {
      if (stage.stream) {
        ret = stage.stream;
      } else if (stage.iterable) {
        retIterable = std::move(stage.iterable);
      } else {
        VOW_THROW(TypeError("The pipeline's source must be a stream or an async iterable",
                            "ERR_INVALID_ARG_TYPE"));
      }
      continue;
    }
    if (stage.function) {
      if (!reading) {
        VOW_THROW(TypeError("vow: the pipeline's destination must be a Writable stream",
                            "ERR_INVALID_ARG_TYPE"));
      }
      AsyncGenerator<Buffer> source = [&] {
        if (retIterable) return *std::exchange(retIterable, std::nullopt);
        auto readable = std::dynamic_pointer_cast<Readable>(ret);
        if (!readable) {
          VOW_THROW(
              TypeError("The \"val\" argument must be a Readable stream", "ERR_INVALID_ARG_TYPE"));
        }
        return readable->asyncIterator();
      }();
      p->functions.push_back(std::move(stage.function));
      retIterable = p->functions.back()(std::move(source), p->ac.signal());
      ret = nullptr;
      continue;
    }
    if (!stage.stream) {
      VOW_THROW(TypeError("vow: an async iterable can only be the pipeline's source",
                          "ERR_INVALID_ARG_TYPE"));
    }
    const std::shared_ptr<Stream>& stream = stage.stream;
    auto dst = std::dynamic_pointer_cast<Writable>(stream);
    if (!dst) {
      VOW_THROW(TypeError("The \"streams\" argument must be a Writable stream after the first",
                          "ERR_INVALID_ARG_TYPE"));
    }
    if (retIterable) {
      p->finishCount += 1;
      pumpToNode(*std::exchange(retIterable, std::nullopt), dst, p, end);
    } else {
      auto src = std::dynamic_pointer_cast<Readable>(ret);
      if (!src) {
        VOW_THROW(
            TypeError("The \"val\" argument must be a Readable stream", "ERR_INVALID_ARG_TYPE"));
      }
      p->finishCount += 2;
      auto cleanup = pipe(src, dst, p, end);
      if (stream->readable() && isLastStream) p->lastStreamCleanup.push_back(std::move(cleanup));
    }
    ret = stream;
  }

  if (outerSignal && outerSignal.aborted()) nextTick(std::move(abort));
  return ret;
}

}  // namespace internal
}  // namespace vow::stream
