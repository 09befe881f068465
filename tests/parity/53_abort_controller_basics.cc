// clang-format off
// C++ twin of 53_abort_controller_basics.js:
//
// // Pins AbortController and AbortSignal basics: abort() sets aborted and reason, then calls the
// // 'abort' listeners synchronously, before it returns, in the order they were added (onabort keeps
// // the place it was first set at, a once listener runs once, a removed one not at all); the
// // default reason is a DOMException AbortError (code 20); any value can be the reason; a second
// // abort() changes nothing; throwIfAborted() throws the reason itself; AbortSignal.abort() makes
// // a signal aborted already, and listeners added to an aborted signal never run.
// const ac = new AbortController();
// const signal = ac.signal;
// console.log('aborted=' + signal.aborted + ' reason=' + signal.reason);
// signal.throwIfAborted();
// console.log('throwIfAborted did not throw');
// signal.addEventListener('abort', (event) => {
//   console.log('listener 1: type=' + event.type + ' target is signal=' + (event.target === signal) +
//               ' aborted=' + signal.aborted + ' reason=' + signal.reason.name);
// });
// signal.onabort = () => console.log('onabort (first handler)');
// signal.addEventListener('abort', () => console.log('once listener'), { once: true });
// const removed = () => console.log('removed listener (not printed)');
// signal.addEventListener('abort', removed);
// signal.removeEventListener('abort', removed);
// signal.onabort = () => console.log('onabort (second handler, in the first one\'s place)');
// signal.addEventListener('abort', () => console.log('listener 4'));
// process.nextTick(() => console.log('nextTick'));
// queueMicrotask(() => console.log('microtask'));
// console.log('calling abort()');
// ac.abort();
// console.log('abort() returned');
// const reason = signal.reason;
// console.log('reason: ' + reason.name + ' "' + reason.message + '" code=' + reason.code +
//             ' instanceof DOMException=' + (reason instanceof DOMException));
// ac.abort(new Error('second'));
// console.log('after a second abort: reason unchanged=' + (signal.reason === reason));
// try {
//   signal.throwIfAborted();
// } catch (err) {
//   console.log('throwIfAborted threw the reason itself: ' + (err === reason));
// }
// signal.addEventListener('abort', () => console.log('added after abort (not printed)'));
//
// const custom = new AbortController();
// custom.signal.onabort = () => {
//   const r = custom.signal.reason;
//   console.log('custom reason: ' + r.name + ' "' + r.message + '"');
// };
// custom.abort(new TypeError('bad input'));
//
// const text = new AbortController();
// text.abort('why');
// console.log('string reason: ' + text.signal.reason + ' (' + typeof text.signal.reason + ')');
// try {
//   text.signal.throwIfAborted();
// } catch (err) {
//   console.log('throwIfAborted threw: ' + err);
// }
//
// const pre = AbortSignal.abort();
// pre.addEventListener('abort', () => console.log('AbortSignal.abort() listener (not printed)'));
// console.log('AbortSignal.abort(): aborted=' + pre.aborted + ' ' + pre.reason.name + ' "' +
//             pre.reason.message + '" code=' + pre.reason.code);
// const given = AbortSignal.abort(new RangeError('given'));
// console.log('AbortSignal.abort(reason): ' + given.reason.name + ' "' + given.reason.message + '"');
// console.log('end of script');
// clang-format on
#include <cstdio>
#include <string>

#include "vow/loop/abort_controller.h"
#include "vow/loop/loop.h"
#include "vow/promise/error.h"

namespace {

const char* boolText(bool b) { return b ? "true" : "false"; }

}  // namespace

int main() {
  vow::AbortController ac;
  const vow::AbortSignal& signal = ac.signal();
  std::printf("aborted=%s reason=%s\n", boolText(signal.aborted()),
              signal.reason() ? signal.reason().message().c_str() : "undefined");
  signal.throwIfAborted();
  std::puts("throwIfAborted did not throw");
  signal.addEventListener("abort", [&](const vow::AbortEvent& event) {
    std::printf("listener 1: type=%s target is signal=%s aborted=%s reason=%s\n",
                std::string(event.type()).c_str(), boolText(event.target == signal),
                boolText(signal.aborted()), signal.reason().name().c_str());
  });
  signal.onabort([] { std::puts("onabort (first handler)"); });
  signal.addEventListener("abort", [] { std::puts("once listener"); }, {.once = true});
  const auto removed =
      signal.addEventListener("abort", [] { std::puts("removed listener (not printed)"); });
  signal.removeEventListener("abort", removed);
  signal.onabort([] { std::puts("onabort (second handler, in the first one's place)"); });
  signal.addEventListener("abort", [] { std::puts("listener 4"); });
  vow::nextTick([] { std::puts("nextTick"); });
  vow::queueMicrotask([] { std::puts("microtask"); });
  std::puts("calling abort()");
  ac.abort();
  std::puts("abort() returned");
  const vow::Error reason = signal.reason();
  std::printf("reason: %s \"%s\" code=%s instanceof DOMException=%s\n", reason.name().c_str(),
              reason.message().c_str(), reason.code().c_str(),
              boolText(reason.as<vow::DOMException>() != nullptr));
  ac.abort(vow::Exception("second"));
  std::printf("after a second abort: reason unchanged=%s\n", boolText(signal.reason() == reason));
  try {
    signal.throwIfAborted();
  } catch (...) {
    std::printf("throwIfAborted threw the reason itself: %s\n",
                boolText(vow::Error::current() == reason));
  }
  signal.addEventListener("abort", [] { std::puts("added after abort (not printed)"); });

  vow::AbortController custom;
  custom.signal().onabort([&] {
    const vow::Error& r = custom.signal().reason();
    std::printf("custom reason: %s \"%s\"\n", r.name().c_str(), r.message().c_str());
  });
  custom.abort(vow::TypeError("bad input"));

  vow::AbortController text;
  text.abort(std::string("why"));
  const auto* why = text.signal().reason().as<std::string>();
  std::printf("string reason: %s (%s)\n", why != nullptr ? why->c_str() : "?",
              why != nullptr ? "string" : "?");
  try {
    text.signal().throwIfAborted();
  } catch (const std::string& err) {
    std::printf("throwIfAborted threw: %s\n", err.c_str());
  }

  const vow::AbortSignal pre = vow::AbortSignal::abort();
  pre.addEventListener("abort", [] { std::puts("AbortSignal.abort() listener (not printed)"); });
  std::printf("AbortSignal.abort(): aborted=%s %s \"%s\" code=%s\n", boolText(pre.aborted()),
              pre.reason().name().c_str(), pre.reason().message().c_str(),
              pre.reason().code().c_str());
  const vow::AbortSignal given = vow::AbortSignal::abort(vow::RangeError("given"));
  std::printf("AbortSignal.abort(reason): %s \"%s\"\n", given.reason().name().c_str(),
              given.reason().message().c_str());
  std::puts("end of script");
  vow::run();
}
