// Example 13: vow inside a libuv program. bazel run //examples:embed_in_libuv
//
// The program is libuv's: its uv_run owns the thread. vow::embed::UvHost (loop/embed/uv_host.h)
// runs vow's loop inside it, with no thread of its own: a uv_poll_t on loop.backendFd(), a
// uv_timer_t armed with loop.backendTimeout(), and loop.run(vow::RunMode::kNoWait) from both
// (libuv's own embedding API: uv_backend_fd, uv_backend_timeout, uv_run(UV_RUN_NOWAIT)).
//
// Three rounds of ping-pong between the two loops: a libuv timer writes "ping N" to a pipe; a
// vow coroutine awaits the pipe (an IoWatcher), then a vow timer, then the thread pool, and
// writes "pong" to a second pipe, which libuv watches (uv_poll_t) and answers with the next
// timer. Each step is caused by the one before it, so the output is always the same, and vow's
// nextTick/promise/timer order inside each step is Node's.
//
// No Node twin: Node is itself a libuv program with its JavaScript loop embedded this way, so
// there is no Node program to port; the output is checked against embed_in_libuv.expected.
#include <unistd.h>
#include <uv.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "vow/loop/embed/uv_host.h"
#include "vow/vow.h"

namespace {

void writeAll(int fd, const std::string& s) {
  if (::write(fd, s.data(), s.size()) != static_cast<ssize_t>(s.size())) std::abort();
}

std::string readSome(int fd) {
  char buf[64];
  ssize_t n = ::read(fd, buf, sizeof(buf));
  if (n <= 0) std::abort();
  return std::string(buf, static_cast<std::size_t>(n));
}

// The next message on `fd`, from a vow I/O watcher (the poll phase of vow's loop).
vow::Promise<std::string> nextMessage(vow::IoWatcher& watcher, int fd) {
  auto [promise, resolve, reject] = vow::Promise<std::string>::withResolvers();
  watcher = vow::Loop::current().watch(fd, vow::kReadable,
                                       [fd, &watcher, resolve = resolve](std::uint32_t) {
                                         resolve(readSome(fd));
                                         watcher.close();
                                       });
  return promise;
}

// vow's side: an async function, as it would be written without libuv around it.
vow::Promise<void> vowWorker(int ping_fd, int pong_fd) {
  vow::IoWatcher watcher;
  for (int round = 1; round <= 3; ++round) {
    std::string ping = co_await nextMessage(watcher, ping_fd);
    std::printf("vow:  received \"%s\"\n", ping.c_str());
    vow::nextTick([] { std::puts("vow:  a nextTick, when that callback returns"); });
    co_await vow::timers::promises::setTimeout(5);
    std::puts("vow:  5 ms later, on a vow timer");
    int squared = co_await vow::queueWork([round] { return round * round; });
    std::printf("vow:  the pool squared %d: %d\n", round, squared);
    writeAll(pong_fd, "pong " + std::to_string(squared));
  }
  std::puts("vow:  done");
}

// libuv's side, in C style.
struct UvSide {
  uv_timer_t timer;
  uv_poll_t poll;
  int ping_fd;
  int pong_fd;
  int round = 1;
};

void sendPing(uv_timer_t* timer) {
  auto* side = static_cast<UvSide*>(timer->data);
  std::string ping = "ping " + std::to_string(side->round);
  std::printf("uv:   timer %d sends \"%s\"\n", side->round, ping.c_str());
  writeAll(side->ping_fd, ping);
}

void onPong(uv_poll_t* poll, int, int) {
  auto* side = static_cast<UvSide*>(poll->data);
  std::printf("uv:   received \"%s\"\n", readSome(side->pong_fd).c_str());
  if (++side->round <= 3) {
    uv_timer_start(&side->timer, sendPing, 10, 0);
  } else {
    uv_close(reinterpret_cast<uv_handle_t*>(poll), nullptr);
  }
}

}  // namespace

int main() {
  int ping[2], pong[2];
  if (::pipe(ping) != 0 || ::pipe(pong) != 0) return EXIT_FAILURE;

  uv_loop_t* uv = uv_default_loop();
  UvSide side;
  side.ping_fd = ping[1];
  side.pong_fd = pong[0];
  uv_timer_init(uv, &side.timer);
  uv_poll_init(uv, &side.poll, pong[0]);
  side.timer.data = side.poll.data = &side;
  uv_timer_start(&side.timer, sendPing, 10, 0);
  uv_poll_start(&side.poll, UV_READABLE, onPong);
  {
    vow::Loop& loop = vow::Loop::current();
    vow::embed::UvHost host(uv, loop);
    vowWorker(ping[0], pong[1]).catch_([](const vow::Error& e) {
      std::printf("vow:  failed: %s\n", e.message().c_str());
    });
    host.run();  // uv_run(UV_RUN_DEFAULT): returns when neither loop has work left
    std::puts("main: both loops are done");
  }
  uv_close(reinterpret_cast<uv_handle_t*>(&side.timer), nullptr);
  uv_run(uv, UV_RUN_DEFAULT);  // the close callbacks (the host's handles too)
  uv_loop_close(uv);
  for (int fd : {ping[0], ping[1], pong[0], pong[1]}) ::close(fd);
  return EXIT_SUCCESS;
}
