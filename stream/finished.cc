#include "vow/stream/finished.h"

#include <utility>

#include "vow/loop/loop.h"

namespace vow::stream {
namespace {

using internal::ReadableState;
using internal::WritableState;

bool willEmitClose(const Stream& s) {
  const WritableState* w = s.writableState();
  const ReadableState* r = s.readableState();
  if (w != nullptr) return w->autoDestroy && w->emitClose && !w->closed;
  return r != nullptr && r->autoDestroy && r->emitClose && !r->closed;
}

// utils.js isWritableFinished / isReadableFinished (strict = false).
bool writableFinished(const Stream& s) {
  const WritableState* w = s.writableState();
  if (w == nullptr || w->errored) return false;
  return w->finished || (w->ended && w->length == 0);
}
bool readableFinished(const Stream& s) {
  const ReadableState* r = s.readableState();
  if (r == nullptr || r->errored) return false;
  return r->endEmitted || (r->ended && r->length == 0);
}
bool isReadableFinished(const Stream& s) { return readableFinished(s); }
bool isWritableFinished(const Stream& s) { return writableFinished(s); }
bool isClosed(const Stream& s) { return s.closed(); }
// utils.js isReadable / isWritable.
bool isReadable(const Stream& s) {  // (isReadableFinished with `strict` unset: endEmitted)
  if (s.readableState() == nullptr || s.destroyed()) return false;
  return s.readable() && !(s.readableState()->endEmitted && !s.readableState()->errored);
}
bool isWritable(const Stream& s) {
  if (s.writableState() == nullptr || s.destroyed()) return false;
  return s.writable() && !s.writableState()->ended;
}
Error erroredOf(const Stream& s) {
  if (s.writableState() != nullptr && s.writableState()->errored) return s.writableState()->errored;
  if (s.readableState() != nullptr && s.readableState()->errored) return s.readableState()->errored;
  return Error();
}

struct Eos {
  std::weak_ptr<Stream> stream;
  Callback callback;
  bool readable = false;
  bool writable = false;
  bool willEmitClose = false;
  bool writableFinished = false;
  bool readableFinished = false;
  bool closed = false;
  EventEmitter::ListenerId onEnd = 0, onFinish = 0, onError = 0, onClose = 0;
  ::vow::internal::AbortRegistration abort;

  void call(Error err) {
    if (!callback) return;
    Callback cb = std::move(callback);
    callback = nullptr;
    abort.remove();
    cleanup();
    cb(std::move(err));
  }
  void cleanup() {
    callback = nullptr;
    abort.remove();
    if (auto s = stream.lock()) {
      EventEmitter& e = *s;
      if (onEnd != 0) e.off("end", onEnd);
      if (onFinish != 0) e.off("finish", onFinish);
      if (onError != 0) e.off("error", onError);
      if (onClose != 0) e.off("close", onClose);
    }
    onEnd = onFinish = onError = onClose = 0;
  }
  void onfinish(Stream& s) {
    writableFinished = true;
    if (s.destroyed()) willEmitClose = false;
    if (willEmitClose && (!s.readable() || readable)) return;
    if (!readable || readableFinished) call(Error());
  }
  void onend(Stream& s) {
    readableFinished = true;
    if (s.destroyed()) willEmitClose = false;
    if (willEmitClose && (!s.writable() || writable)) return;
    if (!writable || writableFinished) call(Error());
  }
  void onclose(Stream& s) {
    closed = true;
    if (Error errored = erroredOf(s)) return call(std::move(errored));
    if (readable && !readableFinished && s.readableState() != nullptr) {
      if (!isReadableFinished(s)) return call(internal::errPrematureClose());
    }
    if (writable && !writableFinished) {
      if (!isWritableFinished(s)) return call(internal::errPrematureClose());
    }
    call(Error());
  }
  void onclosed(Stream& s) {
    closed = true;
    if (Error errored = erroredOf(s)) return call(std::move(errored));
    call(Error());
  }
};

}  // namespace

absl::AnyInvocable<void()> finished(const std::shared_ptr<Stream>& stream, FinishedOptions options,
                                    Callback callback) {
  auto eos = std::make_shared<Eos>();
  Stream& s = *stream;
  eos->stream = stream;
  eos->callback = std::move(callback);
  eos->readable = options.readable.value_or(s.hasReadableSide());
  eos->writable = options.writable.value_or(s.hasWritableSide());
  eos->willEmitClose = willEmitClose(s) && s.hasReadableSide() == eos->readable &&
                       s.hasWritableSide() == eos->writable;
  eos->writableFinished = writableFinished(s);
  eos->readableFinished = readableFinished(s);
  eos->closed = isClosed(s);
  EventEmitter& e = s;
  Stream* raw = stream.get();
  eos->onEnd = e.on("end", [eos, raw] { eos->onend(*raw); });
  eos->onFinish = e.on("finish", [eos, raw] { eos->onfinish(*raw); });
  if (options.error) eos->onError = e.on("error", [eos](const Error& err) { eos->call(err); });
  eos->onClose = e.on("close", [eos, raw] { eos->onclose(*raw); });

  const WritableState* w = s.writableState();
  const ReadableState* r = s.readableState();
  if (eos->closed) {
    nextTick([eos, stream] { eos->onclose(*stream); });
  } else if ((w != nullptr && w->errorEmitted) || (r != nullptr && r->errorEmitted)) {
    if (!eos->willEmitClose) nextTick([eos, stream] { eos->onclosed(*stream); });
  } else if (!eos->readable && (!eos->willEmitClose || isReadable(s)) &&
             (eos->writableFinished || !isWritable(s)) && (w == nullptr || w->pendingcb == 0)) {
    nextTick([eos, stream] { eos->onclosed(*stream); });
  } else if (!eos->writable && (!eos->willEmitClose || isWritable(s)) &&
             (eos->readableFinished || !isReadable(s))) {
    nextTick([eos, stream] { eos->onclosed(*stream); });
  }

  const AbortSignal& signal = options.signal.get();
  if (signal && !eos->closed) {
    if (signal.aborted()) {
      nextTick([eos, signal] { eos->call(::vow::internal::abortErrorOf(signal)); });
    } else {
      std::weak_ptr<Eos> weak = eos;
      const AbortSignal::ListenerId id =
          signal.addEventListener("abort",
                                  [weak](const AbortEvent& event) {
                                    if (auto x = weak.lock())
                                      x->call(::vow::internal::abortErrorOf(event.target));
                                  },
                                  {.once = true});
      eos->abort = ::vow::internal::AbortRegistration(signal, id);
    }
  }
  return [weak = std::weak_ptr<Eos>(eos)] {
    if (auto x = weak.lock()) x->cleanup();
  };
}

namespace promises {

Promise<void> finished(const std::shared_ptr<Stream>& stream, FinishedOptions options) {
  auto [promise, resolve, reject] = Promise<void>::withResolvers();
  stream::finished(stream, options, [resolve, reject](Error err) {
    if (err) {
      reject(std::move(err));
    } else {
      resolve();
    }
  });
  return promise;
}

}  // namespace promises

}  // namespace vow::stream
