// Example 18: async stack traces. bazel run //examples:async_stack
//
// A failure three coroutines deep. C++ unwinds a coroutine's stack at every co_await, so a
// debugger (or a backtrace) at the throw shows only the last resume point: the microtask that
// resumed readConfig. With vow::setAsyncStackTraces(true) (or VOW_ASYNC_STACK_TRACES=1), vow
// records where each coroutine waits, and a rejection captures the chain of coroutines waiting
// on it, as V8 does for async functions (on by default in Node). vow::stackOf(err) prints it
// like err.stack, with file:line; this example leaves the locations out so that both programs
// print the same lines:
//
//   Error: config missing: app.json
//       at readConfig (examples/async_stack.cc:48)
//       at async loadSettings (examples/async_stack.cc:52)
//       ...
//
// The Node program it ports (examples/async_stack.js):
//
//   async function readConfig(path) {
//     await null; // the file would be read here
//     throw new Error(`config missing: ${path}`);
//   }
//
//   async function loadSettings() {
//     return await readConfig('app.json');
//   }
//
//   async function startServer() {
//     const settings = await loadSettings();
//     return settings;
//   }
//
//   async function program() {
//     try {
//       await startServer();
//     } catch (err) {
//       // err.stack without the (file:line:column) of each frame, which differ between the twins.
//       console.log(err.stack.split('\n').map((line) => line.replace(/ \(.*\)$/, '')).join('\n'));
//     }
//   }
//
//   program();
#include <cstdio>
#include <string>

#include "vow/vow.h"

vow::Promise<std::string> readConfig(std::string path) {
  co_await vow::Promise<void>::resolve();  // the file would be read here
  throw vow::Exception("config missing: " + path);
}

vow::Promise<std::string> loadSettings() { co_return co_await readConfig("app.json"); }

vow::Promise<std::string> startServer() {
  std::string settings = co_await loadSettings();
  co_return settings;
}

vow::Promise<void> program() {
  try {
    co_await startServer();
  } catch (...) {
    vow::Error err = vow::Error::current();
    // vow::stackOf(err) without the (file:line) of each frame, which differ between the twins.
    std::string out = err.name() + ": " + err.message();
    for (const vow::AsyncStackFrame& frame : vow::asyncStackOf(err).frames) {
      out += "\n    at " + std::string(frame.async ? "async " : "") + frame.function;
    }
    std::puts(out.c_str());
  }
}

int main() {
  vow::setAsyncStackTraces(true);  // Node: on by default (--async-stack-traces)
  program();
  vow::run();
}
