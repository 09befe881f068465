// C++ twin of 77_events_on.js: events.on with options.close, an 'error' emission, break and
// abort.
//
//   const it = on(e, 'data', { close: ['end'] });
//   e.emit('data', 1, 'a');
//   e.emit('data', 2, 'b');
//   for await (const [n, s] of it) { log('got ' + n + s); ... }
//
// vow::on<int, std::string>(e, "data") yields std::tuple<int, std::string> (Node: an array of
// the arguments); `for await` is vow::forAwait's while loop and close().
#include <cstdio>
#include <stdexcept>
#include <string>
#include <tuple>

#include "vow/loop/abort_controller.h"
#include "vow/loop/event_emitter.h"
#include "vow/loop/event_iterator.h"
#include "vow/loop/loop.h"
#include "vow/promise/error.h"
#include "vow/promise/for_await.h"
#include "vow/promise/promise.h"

namespace {

void log(const std::string& s) { std::puts(s.c_str()); }

void ticks(int n) {
  vow::Promise<void> p = vow::Promise<void>::resolve();
  for (int i = 1; i <= n; i++) p = p.then([i] { log("tick " + std::to_string(i)); });
}

template <class... Names>
std::string counts(const vow::EventEmitter& e, Names... names) {
  std::string out;
  ((out += (out.empty() ? "" : " ") + std::to_string(e.listenerCount(names))), ...);
  return out;
}

vow::EventEmitter e;

vow::Promise<void> main_(vow::EventIterator<std::tuple<int, std::string>> first) {
  {
    auto it = vow::forAwait(first);
    while (auto event = co_await it.next()) {
      auto& [n, s] = *event;
      log("got " + std::to_string(n) + s);
      if (n == 2) {
        vow::setTimeout(
            [] {
              e.emit("data", 3, std::string("c"));
              e.emit("end");
              log("emitted end");
            },
            1);
      }
    }
    co_await it.close();
  }
  log("loop done; listeners: " + counts(e, "data", "error", "end"));

  vow::EventEmitter e2;
  vow::setTimeout(
      [&e2] {
        e2.emit("x", 1);
        e2.emit("error", vow::Error(std::runtime_error("bad")));
      },
      1);
  try {
    auto it = vow::forAwait(vow::on<int>(e2, "x"));
    while (auto event = co_await it.next()) log("x " + std::to_string(std::get<0>(*event)));
    co_await it.close();
  } catch (const std::exception& err) {
    log(std::string("caught ") + err.what() + "; listeners: " + counts(e2, "x", "error"));
  }

  vow::EventEmitter e3;
  vow::setTimeout(
      [&e3] {
        e3.emit("y", std::string("first"));
        e3.emit("y", std::string("second"));
      },
      1);
  {
    auto it = vow::forAwait(vow::on<std::string>(e3, "y"));
    while (auto event = co_await it.next()) {
      log("y " + std::get<0>(*event));
      break;
    }
    co_await it.close();
  }
  log("after break; listeners: " + counts(e3, "y", "error"));

  vow::AbortController ac;
  vow::EventEmitter e4;
  vow::setTimeout([&ac] { ac.abort(); }, 1);
  try {
    auto it = vow::forAwait(vow::on<int>(e4, "z", {.signal = ac.signal()}));
    while (auto event = co_await it.next()) log("z " + std::to_string(std::get<0>(*event)));
    co_await it.close();
  } catch (...) {
    vow::Error err = vow::Error::current();
    log(err.name() + " " + err.code() + "; listeners: " + counts(e4, "z", "error"));
  }
  try {
    vow::on<int>(e4, "z", {.signal = ac.signal()});
  } catch (...) {
    vow::Error err = vow::Error::current();
    log("already aborted: " + err.name() + " " + err.message());
  }
}

}  // namespace

int main() {
  auto it = vow::on<int, std::string>(e, "data", {.close = {"end"}});
  e.emit("data", 1, std::string("a"));
  e.emit("data", 2, std::string("b"));
  log("listeners: " + counts(e, "data", "error", "end"));
  main_(it);
  ticks(6);
  vow::run();
}
