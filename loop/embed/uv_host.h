// vow::embed::UvHost: runs a vow::Loop inside a libuv loop, on the libuv loop's thread, without
// a thread of its own. A recipe built only on vow's public embedding API (Loop::backendFd,
// backendTimeout, run(RunMode::kNoWait)); vow's tests and examples use it, and it is short
// enough to copy. Not part of //:vow (vow itself never depends on libuv).
//
//   uv_loop_t uv;  uv_loop_init(&uv);
//   vow::Loop loop;
//   vow::embed::UvHost host(&uv, loop);
//   ... libuv handles and vow code side by side ...
//   host.run();    // uv_run(UV_RUN_DEFAULT) until neither loop has work left
//
// Three libuv handles drive vow: a uv_poll_t on backendFd() (I/O, posts, pool completions), a
// uv_timer_t armed with backendTimeout() (vow's timers, immediates, and what host callbacks
// queued), re-armed by an unref'd uv_prepare_t before libuv blocks. The poll handle keeps the
// libuv loop alive while vow is alive, so uv_run ends when both are done, as a Node process.
#pragma once

#include <uv.h>

#include <exception>
#include <utility>

#include "vow/loop/loop.h"

namespace vow::embed {

class UvHost {
 public:
  // Starts driving `loop` from `uv` (both on this thread; both must outlive the host).
  UvHost(uv_loop_t* uv, Loop& loop) : uv_(uv), loop_(loop), h_(new Handles) {
    uv_poll_init(uv_, &h_->poll, loop_.backendFd());
    uv_timer_init(uv_, &h_->timer);
    uv_prepare_init(uv_, &h_->prepare);
    h_->poll.data = h_->timer.data = h_->prepare.data = this;
    uv_poll_start(&h_->poll, UV_READABLE, [](uv_poll_t* h, int, int) { self(h)->runVow(); });
    uv_prepare_start(&h_->prepare, [](uv_prepare_t* h) { self(h)->arm(); });
    uv_unref(reinterpret_cast<uv_handle_t*>(&h_->prepare));
    arm();
  }
  // Closes the handles; libuv frees them in its next iteration (uv_close's callbacks).
  ~UvHost() {
    for (uv_handle_t* h :
         {reinterpret_cast<uv_handle_t*>(&h_->poll), reinterpret_cast<uv_handle_t*>(&h_->timer),
          reinterpret_cast<uv_handle_t*>(&h_->prepare)}) {
      h->data = h_;
      uv_close(h, [](uv_handle_t* closed) {
        auto* handles = static_cast<Handles*>(closed->data);
        if (--handles->open == 0) delete handles;
      });
    }
  }
  UvHost(const UvHost&) = delete;
  UvHost& operator=(const UvHost&) = delete;

  // uv_run(UV_RUN_DEFAULT). An exception from a vow callback stops the libuv loop and leaves
  // run() (libuv is C: it cannot pass through it); calling run() again goes on where vow
  // stopped, as vow::Loop::run() does (Node's 'uncaughtException').
  void run() {
    arm();
    uv_run(uv_, UV_RUN_DEFAULT);
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  }

  // Re-reads vow's deadline and liveness. Needed only in a libuv callback that called into vow
  // (setTimeout, a promise) when nothing else keeps the libuv loop alive: libuv checks whether
  // it is alive right after its timers, before the prepare handle runs again.
  void arm() {
    int timeout = loop_.backendTimeout();
    if (timeout < 0) {
      uv_timer_stop(&h_->timer);
    } else {
      uv_timer_start(
          &h_->timer, [](uv_timer_t* h) { self(h)->runVow(); }, timeout, 0);
    }
    if (loop_.alive()) {
      uv_ref(reinterpret_cast<uv_handle_t*>(&h_->poll));
    } else {
      uv_unref(reinterpret_cast<uv_handle_t*>(&h_->poll));
    }
  }

 private:
  template <class Handle>
  static UvHost* self(Handle* h) {
    return static_cast<UvHost*>(h->data);
  }

  // libuv's poll or timers phase: one non-blocking vow iteration.
  void runVow() {
    try {
      loop_.run(RunMode::kNoWait);
    } catch (...) {
      // Re-armed by the next run(): a 0 ms timer now would run vow again before uv_run returns.
      error_ = std::current_exception();
      uv_stop(uv_);
      return;
    }
    arm();
  }

  // On the heap: libuv touches them until their close callbacks, after the host is gone.
  struct Handles {
    uv_poll_t poll;
    uv_timer_t timer;
    uv_prepare_t prepare;
    int open = 3;
  };

  uv_loop_t* uv_;
  Loop& loop_;
  Handles* h_;
  std::exception_ptr error_;
};

}  // namespace vow::embed
