// Async stack traces: which coroutines and then sites were waiting on a promise when it was
// rejected, as V8 shows `at async middle (file.js:5:3)` under an error's message.
//
//   vow::setAsyncStackTraces(true);            // or run with VOW_ASYNC_STACK_TRACES=1
//   ...
//   catch (...) { std::puts(vow::stackOf(vow::Error::current()).c_str()); }
//   // Error: boom
//   //     at inner (app.cc:12)
//   //     at async middle (app.cc:17)
//   //     at async outer (app.cc:22)
//
// Off by default: C++ has no garbage collector to pay for it later, so the bookkeeping is only
// done when asked for. While on, each co_await records its site (file:line), each
// then/catch_/finally its call site, and each rejection captures, for the exception it carries,
// the chain from the code that failed up through whoever waits on it: awaiting coroutines, then
// derived promises, adopting promises and combinators (vow::all's `Promise.all (index 1)`). The
// loop prints the chain under the message when it reports an unhandled rejection as a warning
// (`--unhandled-rejections=warn`), as Node prints `reason.stack`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vow/promise/error.h"

namespace vow {

// Turns async stack traces on or off for the process (every thread). Turn it on at startup,
// before promises exist: a coroutine suspended before that has no recorded site, and a
// rejection before it has no chain. The environment variable VOW_ASYNC_STACK_TRACES=1 turns it
// on before main() runs. Node's `--async-stack-traces` is on by default; vow's is not.
void setAsyncStackTraces(bool on);
bool asyncStackTraces() noexcept;

// How many frames a capture keeps (default 10, JS's Error.stackTraceLimit).
void setAsyncStackTraceLimit(int frames);

// One line of a chain.
struct AsyncStackFrame {
  // The coroutine's name as the compiler spells it without return type and parameters
  // ("inner", "ns::Server::handle", "main()::<lambda()>"), or "Promise.then", "Promise.catch",
  // "Promise.finally", "Promise.all", "Promise.any", "Promise.allSettled".
  std::string function;
  std::string file;        // "" when unknown
  std::uint32_t line = 0;  // 0 when unknown
  // A waiter ("at async middle"), rather than the code that failed or called it.
  bool async = false;
  // The input's position in a combinator ("at async Promise.all (index 1)").
  std::optional<std::uint32_t> index;

  // "at async middle (app.cc:17)", "at inner (app.cc)", "at async Promise.all (index 1)".
  std::string toString() const;
  friend bool operator==(const AsyncStackFrame&, const AsyncStackFrame&) = default;
};

// A chain of frames, innermost first.
struct AsyncStack {
  std::vector<AsyncStackFrame> frames;

  bool empty() const noexcept { return frames.empty(); }
  // One line per frame, each "    at ...", joined by '\n' (no trailing newline): the lines
  // under the message in a JS error's `stack`.
  std::string toString() const;
};

// The chain captured when `error` first rejected a promise; empty when the switch was off then
// (or the capture was evicted: the last 4096 captured errors are kept, and each keeps its
// exception object alive until evicted).
AsyncStack asyncStackOf(const Error& error);

// JS's `err.stack`: "Name: message", then asyncStackOf(error)'s lines under it.
std::string stackOf(const Error& error);

// The chain of the code running now (called from a coroutine body or a handler): the running
// coroutine, its callers that started it synchronously, then whoever awaits the outermost one.
// Empty when the switch is off or nothing of vow's is running.
AsyncStack currentAsyncStack();

}  // namespace vow
