// clang-format off
// C++ twin of 48_events_once.js:
//
// // Pins events.once: it returns a promise that resolves with the array of emitted arguments after
// // the emit's synchronous work finishes, removes its listener, and rejects if 'error' is emitted first.
// const { once, EventEmitter } = require('events');
// const e = new EventEmitter();
//
// async function main() {
//   setTimeout(() => {
//     console.log('emitting ready');
//     const r = e.emit('ready', 'a', 2);
//     console.log('emit returned ' + r + ' (await not resumed yet)');
//   }, 10);
//   const args = await once(e, 'ready');
//   console.log('once resolved with ' + JSON.stringify(args));
//   console.log('ready listeners left ' + e.listenerCount('ready'));
//   setTimeout(() => e.emit('error', new Error('emitter failed')), 10);
//   try {
//     await once(e, 'ready');
//     console.log('not reached');
//   } catch (err) {
//     console.log('once rejected: ' + err.message);
//   }
//   console.log('listeners left: ready=' + e.listenerCount('ready') + ' error=' + e.listenerCount('error'));
// }
// main().then(() => console.log('main done'));
// console.log('sync');
// clang-format on
#include <cstdio>
#include <string>
#include <tuple>

#include "vow/loop/loop.h"
#include "vow/promise/promise.h"

vow::EventEmitter e;

vow::Promise<void> main_() {
  vow::setTimeout(
      [] {
        std::puts("emitting ready");
        const bool r = e.emit("ready", "a", 2);
        std::printf("emit returned %s (await not resumed yet)\n", r ? "true" : "false");
      },
      10);
  const auto args = co_await vow::once<std::string, int>(e, "ready");
  std::printf("once resolved with [\"%s\",%d]\n", std::get<0>(args).c_str(), std::get<1>(args));
  std::printf("ready listeners left %zu\n", e.listenerCount("ready"));
  vow::setTimeout([] { e.emit("error", vow::Exception("emitter failed")); }, 10);
  try {
    co_await vow::once<std::string, int>(e, "ready");
    std::puts("not reached");
  } catch (const std::exception& err) {
    std::printf("once rejected: %s\n", err.what());
  }
  std::printf("listeners left: ready=%zu error=%zu\n", e.listenerCount("ready"),
              e.listenerCount("error"));
}

int main() {
  main_().then([] { std::puts("main done"); });
  std::puts("sync");
  vow::run();
}
