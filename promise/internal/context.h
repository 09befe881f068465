// The continuation-preserved context: an opaque, reference-counted frame that the promise layer
// carries from where a job is queued to where it runs, as V8 carries its "continuation
// preserved embedder data" for Node's AsyncLocalStorage. The promise layer never looks inside
// a frame; the host (vow/loop/async_local_storage.h) defines what one holds. Users never
// include this header.
//
// Cost model: until something makes a frame current on this thread (AsyncLocalStorage::run or
// enterWith), t_context stays null and t_context_aware false. Queuing a job then costs one
// thread-local load and an untaken branch; running one costs nothing more (the job queue keeps
// its own copy of the switch next to its indices).
#pragma once

#include <cstdint>
#include <utility>

#include "absl/functional/any_invocable.h"

namespace vow::internal {

// A frame of the context. Immutable once made (a new context is a new frame), so a job can
// hold on to the one that was current when it was queued. Single-threaded like promises.
class ContextFrame {
 public:
  ContextFrame(const ContextFrame&) = delete;
  ContextFrame& operator=(const ContextFrame&) = delete;

  void addRef() noexcept { ++refs_; }
  void release() noexcept {
    if (--refs_ == 0) delete this;
  }

 protected:
  ContextFrame() noexcept = default;
  virtual ~ContextFrame() = default;

 private:
  std::uint32_t refs_ = 1;
};

// The frame current on this thread (one reference held), or null: the empty context.
extern constinit thread_local ContextFrame* t_context __attribute__((tls_model("initial-exec")));
// True once a frame was ever made current on this thread: from then on every job and every
// host callback runs in the frame captured for it, the empty one included.
extern constinit thread_local bool t_context_aware __attribute__((tls_model("initial-exec")));

inline ContextFrame* currentContext() noexcept { return t_context; }
inline bool contextAware() noexcept { return t_context_aware; }

// Turns the switch on for this thread (idempotent): the job queue starts restoring contexts.
void enableContext() noexcept;

// Makes `frame` (may be null) current, releasing the one that was: AsyncLocalStorage::enterWith.
// The change lasts until the innermost ContextScope around it ends.
inline void setContext(ContextFrame* frame) noexcept {
  if (frame != nullptr) frame->addRef();
  ContextFrame* old = std::exchange(t_context, frame);
  if (old != nullptr) old->release();
}

// An owning reference to a frame.
class ContextRef {
 public:
  ContextRef() noexcept = default;
  explicit ContextRef(ContextFrame* f) noexcept : f_(f) {
    if (f_ != nullptr) f_->addRef();
  }
  ContextRef(const ContextRef& o) noexcept : ContextRef(o.f_) {}
  ContextRef(ContextRef&& o) noexcept : f_(std::exchange(o.f_, nullptr)) {}
  ContextRef& operator=(ContextRef o) noexcept {
    std::swap(f_, o.f_);
    return *this;
  }
  ~ContextRef() {
    if (f_ != nullptr) f_->release();
  }
  ContextFrame* get() const noexcept { return f_; }
  explicit operator bool() const noexcept { return f_ != nullptr; }

  // The current frame.
  static ContextRef current() noexcept { return ContextRef(t_context); }

 private:
  ContextFrame* f_ = nullptr;
};

// Runs a stretch of code in `frame`: makes it current and, at the end (also on an exception),
// makes current again what was current before, dropping whatever enterWith set meanwhile.
// Node: the async context a callback scope enters and leaves.
class ContextScope {
 public:
  explicit ContextScope(ContextFrame* frame) noexcept : saved_(std::exchange(t_context, frame)) {
    if (frame != nullptr) frame->addRef();
  }
  ~ContextScope() {
    ContextFrame* inner = std::exchange(t_context, saved_);
    if (inner != nullptr) inner->release();
  }
  ContextScope(const ContextScope&) = delete;
  ContextScope& operator=(const ContextScope&) = delete;

 private:
  ContextFrame* saved_;  // the reference t_context held
};

// For hosts: if a frame is current, wraps `callback` so that it runs in that frame (Node: the
// async resource a callback's request or handle captured when it was made). Without a current
// frame the callback is left as it is and runs in whatever the host restores (the empty
// context, once contextAware()).
inline void bindToCurrentContext(absl::AnyInvocable<void()>& callback) {
  if (t_context == nullptr) [[likely]]
    return;
  callback = [ctx = ContextRef::current(), f = std::move(callback)]() mutable {
    ContextScope scope(ctx.get());
    f();
  };
}

}  // namespace vow::internal
