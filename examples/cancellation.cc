// Example: cancellation with AbortController. bazel run //examples:cancellation
//
// Give up on slow work after a timeout (AbortSignal::timeout), and cancel a whole batch with
// one vow::AbortController. Every vow function that takes `{.signal = s}` stops when the signal
// aborts and rejects with a vow::AbortError whose cause() says why; the timer, file or stream
// it held is released. In a coroutine, a rejection is an exception at the co_await, so a
// deadline is one try/catch around the awaited call.
//
// The Node program it ports (examples/cancellation.js):
// clang-format off
//
//   // Cancellation: give up on slow work after a timeout, and cancel a whole batch with one
//   // AbortController. Whatever takes `{ signal }` stops when the signal aborts and rejects with an
//   // AbortError whose `cause` says why (a TimeoutError from AbortSignal.timeout, or the reason given
//   // to controller.abort()); the timer, file or stream it held is released.
//   const fs = require('fs');
//   const fsp = require('fs/promises');
//   const { setTimeout: sleep } = require('timers/promises');
//   const { enterScratchDir } = require('./support');
//
//   enterScratchDir('cancellation', { 'big.bin': 'x'.repeat(64 * 1024 * 50), 'small.txt': 'hello, world' });
//
//   // A slow reader: a stream of 64 KiB chunks that waits 20 ms after each one (a slow peer), so
//   // the 50 chunks of big.bin take at least a second.
//   function slowRead(path, signal) {
//     return new Promise((resolve, reject) => {
//       let bytes = 0;
//       const stream = fs.createReadStream(path, { signal });
//       stream.on('data', (chunk) => {
//         bytes += chunk.length;
//         stream.pause();
//         setTimeout(() => stream.resume(), 20);
//       });
//       stream.on('end', () => resolve(bytes));
//       stream.on('error', reject);
//     });
//   }
//
//   // A download stand-in: `ms` milliseconds of waiting, then its name.
//   async function download(name, ms, signal) {
//     await sleep(ms, undefined, { signal });
//     return `${name} downloaded`;
//   }
//
//   const why = (err) => `${err.name}, cause ${err.cause.name}: ${err.cause.message}`;
//
//   async function main() {
//     console.log('-- 1. a deadline');
//     try {
//       await slowRead('big.bin', AbortSignal.timeout(100));
//       console.log('slow read finished (not expected)');
//     } catch (err) {
//       console.log(`slow read given up: ${why(err)}`);
//     }
//     const text = await fsp.readFile('small.txt', { encoding: 'utf8', signal: AbortSignal.timeout(5000) });
//     console.log(`quick read within its deadline: ${text}`);
//
//     console.log('-- 2. one controller for a batch');
//     const controller = new AbortController();
//     const { signal } = controller;
//     const batch = [
//       download('a', 10, signal),
//       download('b', 40, signal),
//       download('c', 5000, signal),
//       slowRead('big.bin', signal),
//     ];
//     await batch[1];
//     console.log('b is in: cancelling the rest');
//     controller.abort(new Error('no longer needed'));
//     const results = await Promise.allSettled(batch);
//     results.forEach((r, i) => {
//       console.log(`  job ${i}: ${r.status === 'fulfilled' ? r.value : why(r.reason)}`);
//     });
//     controller.abort(new Error('again'));
//     console.log(`aborting again changes nothing: ${signal.reason.message}`);
//   }
//
//   main();
//   process.on('exit', () => console.log('exit: nothing was left running'));
// clang-format on
#include <cstdio>
#include <string>
#include <tuple>
#include <utility>

#include "examples/support.h"
#include "vow/vow.h"

namespace fsp = vow::fs::promises;

// A slow reader: a stream of 64 KiB chunks that waits 20 ms after each one (a slow peer), so
// the 50 chunks of big.bin take at least a second.
vow::Promise<std::size_t> slowRead(std::string path, vow::AbortSignal signal) {
  return vow::Promise<std::size_t>([&](auto resolve, auto reject) {
    auto bytes = std::make_shared<std::size_t>(0);
    auto stream = vow::fs::createReadStream(path, {.signal = signal});
    std::weak_ptr<vow::fs::ReadStream> weak = stream;
    stream->on("data", [bytes, weak](const vow::Buffer& chunk) {
      *bytes += chunk.length();
      // The stream is alive while it emits; the timer keeps it alive while it is paused (a
      // stream holds itself only while it has I/O in flight).
      auto s = weak.lock();
      s->pause();
      vow::setTimeout([s] { s->resume(); }, 20);
    });
    stream->on("end", [bytes, resolve] { resolve(*bytes); });
    stream->on("error", [reject](const vow::Error& err) { reject(err); });
  });
}

// A download stand-in: `ms` milliseconds of waiting, then its name.
vow::Promise<std::string> download(std::string name, double ms, vow::AbortSignal signal) {
  co_await vow::timers::promises::setTimeout(ms, {.signal = signal});
  co_return name + " downloaded";
}

std::string why(const vow::AbortError& err) {
  return std::string(err.name()) + ", cause " + err.cause().name() + ": " + err.cause().message();
}

template <class T>
void show(int i, const vow::Settled<T>& r) {
  std::string text;
  if (r.isFulfilled()) {
    if constexpr (std::is_same_v<T, std::string>) {
      text = r.value();
    } else {
      text = std::to_string(r.value());
    }
  } else {
    vow::Error reason = r.reason();
    text = why(*reason.as<vow::AbortError>());
  }
  std::printf("  job %d: %s\n", i, text.c_str());
}

vow::Promise<void> mainAsync() {
  std::puts("-- 1. a deadline");
  try {
    co_await slowRead("big.bin", vow::AbortSignal::timeout(100));
    std::puts("slow read finished (not expected)");
  } catch (const vow::AbortError& err) {
    std::printf("slow read given up: %s\n", why(err).c_str());
  }
  std::string text = co_await fsp::readFile(
      "small.txt", {.encoding = "utf8", .signal = vow::AbortSignal::timeout(5000)});
  std::printf("quick read within its deadline: %s\n", text.c_str());

  std::puts("-- 2. one controller for a batch");
  vow::AbortController controller;
  const vow::AbortSignal& signal = controller.signal();
  auto a = download("a", 10, signal);
  auto b = download("b", 40, signal);
  auto c = download("c", 5000, signal);
  auto d = slowRead("big.bin", signal);
  co_await b;
  std::puts("b is in: cancelling the rest");
  controller.abort(vow::Exception("no longer needed"));
  auto results = co_await vow::allSettled(a, b, c, d);
  std::apply(
      [](const auto&... r) {
        int i = 0;
        (show(i++, r), ...);
      },
      results);
  controller.abort(vow::Exception("again"));
  std::printf("aborting again changes nothing: %s\n", signal.reason().message().c_str());
}

int main() {
  examples::ScratchDir scratch("cancellation", {{"big.bin", std::string(64 * 1024 * 50, 'x')},
                                                {"small.txt", "hello, world"}});
  mainAsync();
  vow::run();
  std::puts("exit: nothing was left running");
}
