// vow::embed::AsioHost: runs a vow::Loop inside a standalone Asio io_context, on the thread that
// runs the io_context, without a thread of its own. A recipe built only on vow's public
// embedding API (Loop::backendFd, backendTimeout, run(RunMode::kNoWait)); vow's tests and
// examples use it, and it is short enough to copy. Not part of //:vow (vow never depends on
// Asio).
//
//   asio::io_context io;
//   vow::Loop loop;
//   vow::embed::AsioHost host(io, loop);
//   ... Asio handlers and vow code side by side ...
//   io.run();     // returns when neither has work left
//
// Two Asio operations drive vow: a wait for backendFd() to be readable (I/O, posts, pool
// completions) and a steady_timer set to backendTimeout() (vow's timers, immediates). Each is
// outstanding only while vow needs it, so io.run() returns when both are done. Asio has no hook
// before it blocks: an Asio handler that calls into vow outside vow's own callbacks (resolving a
// vow promise, vow::setTimeout) calls host.schedule() afterwards. An exception from a vow
// callback leaves io.run(); calling io.run() again goes on where vow stopped, as
// vow::Loop::run() does (Node's 'uncaughtException').
#pragma once

#include <poll.h>
#include <unistd.h>

#include <asio.hpp>
#include <chrono>
#include <cstdint>

#include "vow/loop/loop.h"

namespace vow::embed {

class AsioHost {
 public:
  // Starts driving `loop` from `io` (both must outlive the host; run `io` on the loop's thread).
  AsioHost(asio::io_context& io, Loop& loop)
      : loop_(loop), fd_(io, ::dup(loop.backendFd())), timer_(io) {
    schedule();
  }
  ~AsioHost() {
    // Cancelled operations complete with operation_aborted, and their handlers test the error
    // code before touching the host: they are no-ops if `io` runs after the host is gone.
    closed_ = true;
    asio::error_code ignored;
    timer_.cancel(ignored);
    fd_.close(ignored);
  }
  AsioHost(const AsioHost&) = delete;
  AsioHost& operator=(const AsioHost&) = delete;

  // Thread: the io_context's. Re-reads vow's deadline and liveness, re-arming the timer and the
  // fd wait. Call it after host code called into vow outside vow's callbacks.
  void schedule() {
    if (closed_) return;
    int timeout = loop_.backendTimeout();
    // Asio waits for fds edge-triggered: if vow's epoll fd is still readable (a level-triggered
    // watcher left data unread), no new edge will come, so run vow again at once.
    pollfd pfd{loop_.backendFd(), POLLIN, 0};
    if (timeout != 0 && ::poll(&pfd, 1, 0) > 0) timeout = 0;
    std::uint64_t generation = ++generation_;
    timer_.cancel();
    if (timeout >= 0) {
      timer_.expires_after(std::chrono::milliseconds(timeout));
      timer_.async_wait([this, generation](const asio::error_code& ec) {
        if (!ec && generation == generation_) runVow();
      });
    }
    if (waiting_fd_ && !loop_.alive()) {
      // An outstanding wait is work to Asio: without it, io.run() can return.
      waiting_fd_ = false;
      fd_.cancel();
    } else if (!waiting_fd_ && loop_.alive()) {
      waiting_fd_ = true;
      fd_.async_wait(asio::posix::stream_descriptor::wait_read, [this](const asio::error_code& ec) {
        if (ec) return;  // cancelled (the host may be gone: no `this`)
        waiting_fd_ = false;
        runVow();
      });
    }
  }

 private:
  // One non-blocking vow iteration, then re-arm, also when a vow callback threw (the exception
  // goes on out of io.run()).
  void runVow() {
    try {
      loop_.run(RunMode::kNoWait);
    } catch (...) {
      schedule();
      throw;
    }
    schedule();
  }

  Loop& loop_;
  asio::posix::stream_descriptor fd_;  // a dup of backendFd(), closed with the host
  asio::steady_timer timer_;
  std::uint64_t generation_ = 0;
  bool waiting_fd_ = false;
  bool closed_ = false;
};

}  // namespace vow::embed
