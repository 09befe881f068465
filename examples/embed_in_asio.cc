// Example 14: vow inside a standalone Asio program, with results from Asio's own thread pool.
// bazel run //examples:embed_in_asio
//
// The program is Asio's: io.run() owns the thread. vow::embed::AsioHost (loop/embed/asio_host.h)
// runs vow's loop inside it, with no thread of its own: an Asio wait on loop.backendFd(), a
// steady_timer set to loop.backendTimeout(), and loop.run(vow::RunMode::kNoWait) from both.
//
// The CPU work runs on an asio::thread_pool, threads vow does not own. Each job settles a vow
// promise through vow::ThreadSafeResolvers: the resolver may be called (or dropped) on any
// thread; it posts the settlement to vow's loop, whose fd wakes Asio. An Asio timer handler on
// the loop thread settles a plain vow promise and calls host.schedule(), as code that calls into
// vow from an Asio handler must. Every step awaits the one before, so the output is always the
// same.
//
// No Node twin: Node has no foreign event loop to embed into and no foreign thread pool (its
// nearest, a worker thread's message, is another program); the output is checked against
// embed_in_asio.expected.
#include <asio.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "vow/loop/embed/asio_host.h"
#include "vow/vow.h"

namespace {

long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

// fib(n) on the foreign pool: a promise of this loop, settled from a pool thread.
vow::Promise<long> fibOnPool(asio::thread_pool& pool, int n) {
  auto [promise, resolver] = vow::ThreadSafeResolvers<long>::make();
  asio::post(pool, [resolver = resolver, n] {
    if (n < 0) {
      resolver.reject(std::invalid_argument("fib of a negative number"));
    } else {
      resolver.resolve(fib(n));
    }
  });
  return promise;
}

// A pool job that forgets to settle: dropping the last resolver rejects the promise.
vow::Promise<long> forgetfulJob(asio::thread_pool& pool) {
  auto [promise, resolver] = vow::ThreadSafeResolvers<long>::make();
  asio::post(pool, [resolver = resolver] {});
  return promise;
}

// An Asio timer, awaited from vow. Its handler runs on this thread, in Asio's loop: it calls
// into vow (resolve), so it tells the host to look at vow again.
vow::Promise<void> asioTimer(asio::io_context& io, vow::embed::AsioHost& host, int ms) {
  auto [promise, resolve, reject] = vow::Promise<void>::withResolvers();
  auto timer = std::make_shared<asio::steady_timer>(io, std::chrono::milliseconds(ms));
  timer->async_wait([timer, &host, resolve = resolve](const asio::error_code&) {
    std::puts("asio: timer handler resolves a vow promise");
    resolve();
    host.schedule();
  });
  return promise;
}

vow::Promise<void> vowMain(asio::io_context& io, asio::thread_pool& pool,
                           vow::embed::AsioHost& host) {
  long f = co_await fibOnPool(pool, 25);
  std::printf("vow:  fib(25) = %ld, computed on an asio::thread_pool thread\n", f);
  co_await vow::timers::promises::setTimeout(5);
  std::puts("vow:  5 ms later, on a vow timer");
  co_await asioTimer(io, host, 5);
  std::puts("vow:  resumed after the Asio timer");
  try {
    co_await fibOnPool(pool, -1);
  } catch (const std::invalid_argument& e) {
    std::printf("vow:  the pool rejected: %s\n", e.what());
  }
  try {
    co_await forgetfulJob(pool);
  } catch (const vow::Exception& e) {
    std::printf("vow:  %s: %s\n", e.code().c_str(), e.message().c_str());
  }
  std::puts("vow:  done");
}

}  // namespace

int main() {
  asio::io_context io;
  asio::thread_pool pool(2);
  vow::Loop& loop = vow::Loop::current();
  {
    vow::embed::AsioHost host(io, loop);
    vowMain(io, pool, host).catch_([](const vow::Error& e) {
      std::printf("vow:  failed: %s\n", e.message().c_str());
    });
    host.schedule();  // vowMain gave vow work after the host was made
    io.run();         // returns when neither Asio nor vow has work left
    std::puts("main: both loops are done");
  }
  pool.join();
  return EXIT_SUCCESS;
}
