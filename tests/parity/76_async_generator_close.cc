// C++ twin of 76_async_generator_close.js: leaving a for-await early closes the generator (its
// `finally` runs, and may await, before the code after the loop); return(), throw(), next() on
// a finished generator; a body that throws rejects next(); requests queued while it runs.
//
//   async function* resource(name) {
//     log(name + ': open');
//     try {
//       for (let i = 1; ; i++) yield i;
//     } finally {
//       log(name + ': cleanup starts');
//       await null;
//       log(name + ': closed');
//     }
//   }
//   ...
//   for await (const x of resource('r1')) {
//     log('r1 got ' + x);
//     if (x === 2) break;
//   }
//   log('after break');
//
// JS's `finally { await ... }` is written as the catch-everything-then-rethrow idiom: a
// return() unwinds the body with a vow::GeneratorReturn, which the catch (...) keeps and the
// rethrow ends the generator with.
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>

#include "vow/promise/async_generator.h"
#include "vow/promise/for_await.h"
#include "vow/promise/microtask.h"
#include "vow/promise/promise.h"

using vow::AsyncGenerator;
using vow::Promise;

namespace {

void log(const std::string& s) { std::puts(s.c_str()); }

void ticks(int n) {
  Promise<void> p = Promise<void>::resolve();
  for (int i = 1; i <= n; i++) p = p.then([i] { log("tick " + std::to_string(i)); });
}

// JSON.stringify of an iterator result.
std::string json(const std::optional<int>& r) {
  return r ? "{\"value\":" + std::to_string(*r) + ",\"done\":false}" : "{\"done\":true}";
}

AsyncGenerator<int> resource(std::string name) {
  log(name + ": open");
  vow::Error exit;  // how the try block ended, for the rethrow after the `finally` part
  try {
    for (int i = 1;; i++) co_yield i;
  } catch (...) {
    exit = vow::Error::current();
  }
  log(name + ": cleanup starts");
  co_await Promise<void>::resolve();
  log(name + ": closed");
  if (exit) exit.rethrow();
}

AsyncGenerator<std::string> failing() {
  co_yield "a";
  throw std::runtime_error("generator failed");
}

Promise<void> main_() {
  {
    auto it = vow::forAwait(resource("r1"));
    while (auto x = co_await it.next()) {
      log("r1 got " + std::to_string(*x));
      if (*x == 2) break;
    }
    co_await it.close();
  }
  log("after break");

  auto g = resource("r2");
  log("next: " + json(co_await g.next()));
  log("return: " + json(co_await g.return_()));
  log("next after return: " + json(co_await g.next()));

  auto h = resource("r3");
  std::string message;
  try {
    co_await h.throw_(std::runtime_error("thrown before start"));
  } catch (const std::exception& e) {
    message = e.what();
  }
  log("throw before start: " + message);
  log("next after throw: " + json(co_await h.next()));

  try {
    auto it = vow::forAwait(failing());
    while (auto x = co_await it.next()) log("failing got " + *x);
    co_await it.close();
  } catch (const std::exception& e) {
    message = e.what();
  }
  log("caught: " + message);

  auto k = resource("r4");
  Promise<std::optional<int>> queued[] = {k.next(), k.next(), k.return_(), k.next()};
  for (const auto& p : queued) log("queued: " + json(co_await p));
}

}  // namespace

int main() {
  main_().then([] { log("main done"); });
  ticks(30);
  vow::runMicrotasks();
}
