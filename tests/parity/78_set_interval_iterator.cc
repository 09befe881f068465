// C++ twin of 78_set_interval_iterator.js: timers/promises setInterval as an async generator.
//
//   for await (const v of setInterval(5, 'tick')) {
//     log(v + ' ' + ++n);
//     if (n === 3) break;
//   }
//
// Without a value it yields std::monostate (JS's undefined). break + close() clears the
// interval, so vow::run() returns, as Node's process exits.
#include <cstdio>
#include <optional>
#include <string>
#include <variant>

#include "vow/loop/abort_controller.h"
#include "vow/loop/loop.h"
#include "vow/loop/timers.h"
#include "vow/promise/error.h"
#include "vow/promise/for_await.h"
#include "vow/promise/promise.h"

namespace {

void log(const std::string& s) { std::puts(s.c_str()); }

vow::Promise<void> main_() {
  using vow::timers::promises::setInterval;
  int n = 0;
  {
    auto it = vow::forAwait(setInterval(5, std::string("tick")));
    while (auto v = co_await it.next()) {
      log(*v + " " + std::to_string(++n));
      if (n == 3) break;
    }
    co_await it.close();
  }
  log("loop done");

  vow::AbortController ac;
  int m = 0;
  try {
    auto it = vow::forAwait(setInterval(5, {.signal = ac.signal()}));
    while (auto v = co_await it.next()) {
      log("value undefined");
      if (++m == 2) ac.abort(vow::Exception("stop"));
    }
    co_await it.close();
  } catch (const vow::AbortError& e) {
    log(std::string(e.name()) + " " + e.code() + " cause=" + e.cause().message() +
        " ticks=" + std::to_string(m));
  }

  vow::AbortController waiting;
  vow::setTimeout([&waiting] { waiting.abort(vow::Exception("while waiting")); }, 5);
  try {
    auto it = vow::forAwait(setInterval(1000, std::string("never"), {.signal = waiting.signal()}));
    while (auto v = co_await it.next()) log(*v);
    co_await it.close();
  } catch (const vow::AbortError& e) {
    log(std::string(e.name()) + " cause=" + e.cause().message());
  }

  auto gen = setInterval(1000);
  log("made, not started");
  std::optional<std::monostate> r = co_await gen.return_();
  log(r ? "return {\"done\":false}" : "return {\"done\":true}");

  try {
    auto pre = setInterval(5, std::string("x"), {.signal = vow::AbortSignal::abort()});
    co_await pre.next();
  } catch (const vow::AbortError& e) {
    log(std::string("pre-aborted: ") + e.name());
  }
}

}  // namespace

int main() {
  main_();
  vow::run();
}
