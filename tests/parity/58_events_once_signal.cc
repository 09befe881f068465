// clang-format off
// C++ twin of 58_events_once_signal.js:
//
// // Pins events.once(emitter, name, {signal}): an aborted signal rejects it at once (an async
// // function throwing) and adds no listener; aborting while it waits removes its listeners from the
// // emitter at once and rejects with an AbortError (cause = the reason), which the caller sees a
// // microtask turn after a promise that an 'abort' listener rejects (the async function's promise
// // follows the inner one); an emission
// // first resolves it and removes its 'abort' listener, so a later abort changes nothing; so does
// // an 'error' emission, which rejects it with the error.
// const { once, EventEmitter } = require('events');
// const e = new EventEmitter();
//
// function counts() {
//   return 'ready=' + e.listenerCount('ready') + ' error=' + e.listenerCount('error');
// }
//
// async function main() {
//   const pre = once(e, 'ready', { signal: AbortSignal.abort() });
//   pre.catch((err) => console.log('aborted before: ' + err.name + ' ' + err.code + ' cause: ' + err.cause.name));
//   queueMicrotask(() => console.log('microtask queued after'));
//   console.log('aborted before: listeners ' + counts());
//   await pre.catch(() => {});
//
//   const during = new AbortController();
//   const p = once(e, 'ready', { signal: during.signal });
//   console.log('waiting: listeners ' + counts());
//   setTimeout(() => {
//     const plain = new Promise((resolve, reject) => {
//       during.signal.addEventListener('abort', () => reject(during.signal.reason));
//     });
//     plain.catch(() => console.log('plain promise rejected by a listener'));
//     Promise.resolve()
//       .then(() => console.log('micro 1'))
//       .then(() => console.log('micro 2'))
//       .then(() => console.log('micro 3'))
//       .then(() => console.log('micro 4'));
//     during.abort(new Error('gave up'));
//     console.log('aborted: listeners ' + counts());
//     console.log('emit after abort returned ' + e.emit('ready', 'late', 0));
//   }, 5);
//   try {
//     await p;
//   } catch (err) {
//     console.log('aborted while waiting: ' + err.name + ' "' + err.message + '" cause: ' + err.cause.message);
//   }
//
//   const after = new AbortController();
//   setTimeout(() => {
//     e.emit('ready', 'x', 1);
//     after.abort();
//     console.log('emitted then aborted: listeners ' + counts());
//   }, 5);
//   const args = await once(e, 'ready', { signal: after.signal });
//   console.log('resolved with ' + JSON.stringify(args) + ' signal aborted=' + after.signal.aborted);
//
//   const failed = new AbortController();
//   setTimeout(() => {
//     e.emit('error', new Error('emitter failed'));
//     failed.abort();
//   }, 5);
//   try {
//     await once(e, 'ready', { signal: failed.signal });
//   } catch (err) {
//     console.log('error first: ' + err.name + ' "' + err.message + '" listeners ' + counts());
//   }
// }
// main().then(() => console.log('main done'));
// console.log('end of script');
// clang-format on
#include <cstdio>
#include <string>
#include <tuple>

#include "vow/loop/abort_controller.h"
#include "vow/loop/event_emitter.h"
#include "vow/loop/loop.h"
#include "vow/promise/error.h"
#include "vow/promise/promise.h"

namespace {

using Args = std::tuple<std::string, int>;

vow::EventEmitter e;

std::string counts() {
  return "ready=" + std::to_string(e.listenerCount("ready")) +
         " error=" + std::to_string(e.listenerCount("error"));
}

vow::Promise<void> main_() {
  const auto pre = vow::once<std::string, int>(e, "ready", {.signal = vow::AbortSignal::abort()});
  pre.then([](const Args&) {},
           [](const vow::Error& err) {
             std::printf("aborted before: %s %s cause: %s\n", err.name().c_str(),
                         err.code().c_str(), err.as<vow::AbortError>()->cause().name().c_str());
           });
  vow::queueMicrotask([] { std::puts("microtask queued after"); });
  std::printf("aborted before: listeners %s\n", counts().c_str());
  co_await pre.then([](const Args&) {}, [](const vow::Error&) {});

  vow::AbortController during;
  const auto p = vow::once<std::string, int>(e, "ready", {.signal = during.signal()});
  std::printf("waiting: listeners %s\n", counts().c_str());
  vow::setTimeout(
      [&] {
        const vow::Promise<void> plain([&](auto, auto reject) {
          during.signal().addEventListener("abort",
                                           [&during, reject] { reject(during.signal().reason()); });
        });
        plain.catch_([] { std::puts("plain promise rejected by a listener"); });
        vow::Promise<void>::resolve()
            .then([] { std::puts("micro 1"); })
            .then([] { std::puts("micro 2"); })
            .then([] { std::puts("micro 3"); })
            .then([] { std::puts("micro 4"); });
        during.abort(vow::Exception("gave up"));
        std::printf("aborted: listeners %s\n", counts().c_str());
        std::printf("emit after abort returned %s\n",
                    e.emit("ready", "late", 0) ? "true" : "false");
      },
      5);
  try {
    co_await p;
  } catch (...) {
    const vow::Error err = vow::Error::current();
    std::printf("aborted while waiting: %s \"%s\" cause: %s\n", err.name().c_str(),
                err.message().c_str(), err.as<vow::AbortError>()->cause().message().c_str());
  }

  vow::AbortController after;
  vow::setTimeout(
      [&] {
        e.emit("ready", "x", 1);
        after.abort();
        std::printf("emitted then aborted: listeners %s\n", counts().c_str());
      },
      5);
  // Options named, not braced in the co_await: GCC 12 destroys such a temporary twice.
  const vow::OnceOptions afterOptions{.signal = after.signal()};
  const auto args = co_await vow::once<std::string, int>(e, "ready", afterOptions);
  std::printf("resolved with [\"%s\",%d] signal aborted=%s\n", std::get<0>(args).c_str(),
              std::get<1>(args), after.signal().aborted() ? "true" : "false");

  vow::AbortController failed;
  vow::setTimeout(
      [&] {
        e.emit("error", vow::Exception("emitter failed"));
        failed.abort();
      },
      5);
  const vow::OnceOptions failedOptions{.signal = failed.signal()};
  try {
    co_await vow::once<std::string, int>(e, "ready", failedOptions);
  } catch (...) {
    const vow::Error err = vow::Error::current();
    std::printf("error first: %s \"%s\" listeners %s\n", err.name().c_str(), err.message().c_str(),
                counts().c_str());
  }
}

}  // namespace

int main() {
  main_().then([] { std::puts("main done"); });
  std::puts("end of script");
  vow::run();
}
