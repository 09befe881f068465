#include "vow/stream/stream.h"

#include <utility>

#include "vow/loop/loop.h"
#include "vow/promise/internal/exceptions.h"
#include "vow/stream/readable.h"
#include "vow/stream/writable.h"

namespace vow::stream {
namespace internal {

Error errStreamDestroyed(const char* what) {
  return Exception(std::string("Cannot call ") + what + " after a stream was destroyed",
                   "ERR_STREAM_DESTROYED");
}
Error errPrematureClose() { return Exception("Premature close", "ERR_STREAM_PREMATURE_CLOSE"); }
Error errMultipleCallback() {
  return Exception("Callback called multiple times", "ERR_MULTIPLE_CALLBACK");
}

}  // namespace internal

Stream::~Stream() = default;

bool Stream::destroyed() const noexcept {
  return (ws_ != nullptr && ws_->destroyed) || (rs_ != nullptr && rs_->destroyed);
}

bool Stream::closed() const noexcept {
  return (ws_ != nullptr && ws_->closed) || (rs_ != nullptr && rs_->closed);
}

Error Stream::errored() const {
  if (rs_ != nullptr && rs_->errored) return rs_->errored;
  if (ws_ != nullptr) return ws_->errored;
  return Error();
}

bool Stream::readable() const noexcept {
  return rs_ != nullptr && !rs_->destroyed && !rs_->errorEmitted && !rs_->endEmitted;
}

bool Stream::writable() const noexcept {
  return ws_ != nullptr && !ws_->destroyed && !ws_->errored && !ws_->ending && !ws_->ended;
}

void Stream::init(const AbortSignal& signal) {
  // Node's constructors: addAbortSignal(signal, stream) first (an aborted signal destroys the
  // stream at once, while it still counts as constructed), then the construct step.
  if (signal) {
    if (signal.aborted()) {
      destroy(::vow::internal::abortErrorOf(signal));
    } else {
      std::weak_ptr<Stream> weak = weak_from_this();
      const AbortSignal::ListenerId id =
          signal.addEventListener("abort",
                                  [weak](const AbortEvent& event) {
                                    if (auto s = weak.lock())
                                      s->destroy(::vow::internal::abortErrorOf(event.target));
                                  },
                                  {.once = true});
      abort_ = ::vow::internal::AbortRegistration(signal, id);
    }
  }
  // destroy.js construct(): not constructed until _construct calls back; constructNT on the
  // next tick. Not Node's: a stream destroyed already does not start its construct step (an
  // fs stream then never opens its file).
  if (has_construct_ && !destroyed()) {
    if (rs_ != nullptr) rs_->constructed = false;
    if (ws_ != nullptr) ws_->constructed = false;
    nextTick([self = shared_from_this()] { self->constructNT(); });
  }
}

void Stream::constructNT() {
  VOW_TRY {
    _construct([self = shared_from_this()](Error err) mutable {
      nextTick([self, err = std::move(err)]() mutable { self->onConstruct(std::move(err)); });
    });
  }
  VOW_CATCH_ALL {
    nextTick([self = shared_from_this(), err = Error::current()]() mutable {
      self->onConstruct(std::move(err));
    });
  }
}

void Stream::onConstruct(Error err) {
  if (construct_called_) {
    errorOrDestroy(err ? err : internal::errMultipleCallback());
    return;
  }
  construct_called_ = true;
  if (rs_ != nullptr) rs_->constructed = true;
  if (ws_ != nullptr) ws_->constructed = true;
  if (destroyed()) {
    // Node: emit(kDestroy, err): the destroy() calls that waited.
    auto waiting = std::move(destroy_waiting_);
    destroy_waiting_.clear();
    for (auto& [error, callback] : waiting) {
      destroyNow(error ? error : err, std::move(callback));
    }
  } else if (err) {
    errorOrDestroy(std::move(err), true);
  } else {
    if (rs_ != nullptr) readableConstructed();
    if (ws_ != nullptr) writableConstructed();
  }
}

void Stream::_construct(Callback callback) { callback(Error()); }

void Stream::_destroy(Error error, Callback callback) { callback(std::move(error)); }

Stream& Stream::destroy(Error error, Callback callback) {
  auto self = shared_from_this();
  if (destroyed()) {
    if (callback) callback(Error());
    return *this;
  }
  // Writable.prototype.destroy: the buffered writes' and end()'s callbacks get the error on the
  // next tick.
  if (ws_ != nullptr && (!ws_->buffered.empty() || !ws_->onFinished.empty())) {
    nextTick([self] {
      if (auto* w = dynamic_cast<Writable*>(self.get())) w->errorBuffer();
    });
  }
  // checkError
  if (error) {
    if (ws_ != nullptr && !ws_->errored) ws_->errored = error;
    if (rs_ != nullptr && !rs_->errored) rs_->errored = error;
  }
  if (ws_ != nullptr) ws_->destroyed = true;
  if (rs_ != nullptr) rs_->destroyed = true;
  abort_.remove();
  const bool constructed = ws_ != nullptr ? ws_->constructed : rs_->constructed;
  if (!constructed) {
    destroy_waiting_.emplace_back(std::move(error), std::move(callback));
  } else {
    destroyNow(std::move(error), std::move(callback));
  }
  return *this;
}

void Stream::destroyNow(Error error, Callback callback) {
  auto called = std::make_shared<bool>(false);
  auto onDestroy = [self = shared_from_this(), called,
                    callback = std::move(callback)](Error err) mutable {
    if (*called) return;
    *called = true;
    if (err) {
      if (self->ws_ != nullptr && !self->ws_->errored) self->ws_->errored = err;
      if (self->rs_ != nullptr && !self->rs_->errored) self->rs_->errored = err;
    }
    if (self->ws_ != nullptr) self->ws_->closed = true;
    if (self->rs_ != nullptr) self->rs_->closed = true;
    if (callback) std::exchange(callback, nullptr)(err);
    if (err) {
      nextTick([self, err] {
        self->emitErrorNT(err);
        self->emitCloseNT();
      });
    } else {
      nextTick([self] { self->emitCloseNT(); });
    }
  };
  auto shared = std::make_shared<decltype(onDestroy)>(std::move(onDestroy));
  VOW_TRY {
    _destroy(std::move(error), [shared](Error err) { (*shared)(std::move(err)); });
  }
  VOW_CATCH_ALL { (*shared)(Error::current()); }
}

void Stream::emitErrorNT(const Error& error) {
  if ((ws_ != nullptr && ws_->errorEmitted) || (rs_ != nullptr && rs_->errorEmitted)) return;
  if (ws_ != nullptr) ws_->errorEmitted = true;
  if (rs_ != nullptr) rs_->errorEmitted = true;
  emit("error", error);
}

void Stream::emitCloseNT() {
  if (ws_ != nullptr) ws_->closeEmitted = true;
  if (rs_ != nullptr) rs_->closeEmitted = true;
  if ((ws_ != nullptr && ws_->emitClose) || (rs_ != nullptr && rs_->emitClose)) {
    emit("close");
  }
  // The pipes from this stream stop keeping it alive (they keep a weak reference).
  if (rs_ != nullptr) {
    for (auto& link : rs_->pipes) link->sourceClosed();
  }
}

void Stream::errorOrDestroy(Error error, bool sync) {
  if (destroyed()) return;
  if ((rs_ != nullptr && rs_->autoDestroy) || (ws_ != nullptr && ws_->autoDestroy)) {
    destroy(std::move(error));
  } else if (error) {
    if (ws_ != nullptr && !ws_->errored) ws_->errored = error;
    if (rs_ != nullptr && !rs_->errored) rs_->errored = error;
    if (sync) {
      nextTick([self = shared_from_this(), error] { self->emitErrorNT(error); });
    } else {
      emitErrorNT(error);
    }
  }
}

}  // namespace vow::stream
