// C++ twin of 63_promisify_custom.js: `fn[util.promisify.custom] = form` is
// vow::withPromisifyCustom(fn, form) (or a member promisifyCustom() on a class of one's own);
// vow::promisify(fn) then gives the form itself. JS compares the functions' identity; C++ shows
// the same fact as the type promisify returns (a copy of the custom form, not a wrapper).
#include <cstdio>
#include <functional>
#include <type_traits>

#include "vow/loop/loop.h"
#include "vow/loop/timers.h"
#include "vow/promise/promise.h"
#include "vow/promise/promisify.h"

using vow::Promise;

int main() {
  const auto legacySum = vow::withPromisifyCustom(
      [](int a, int b, std::function<void(vow::Error, int)> cb) {
        vow::setImmediate([a, b, cb] { cb(nullptr, a + b); });
      },
      [](int a, int b) {
        std::printf("custom form called with %d %d\n", a, b);
        return Promise<int>::resolve(a + b);
      });
  auto sum = vow::promisify(legacySum);
  std::printf("promisify gave the custom form: %s\n",
              std::is_same_v<decltype(sum), std::decay_t<decltype(legacySum.promisifyCustom())>>
                  ? "true"
                  : "false");
  legacySum(1, 2, [](vow::Error err, int v) {
    std::printf("callback form: %s %d\n", err ? err.message().c_str() : "null", v);
  });
  sum(2, 3).then([](int v) { std::printf("custom form: %d\n", v); });
  Promise<void>::resolve().then([] { std::puts("tick 1"); }).then([] { std::puts("tick 2"); });
  auto timesTen =
      vow::promisify([](int a, std::function<void(vow::Error, int)> cb) { cb(nullptr, a * 10); });
  std::printf(
      "promisify of promisified is itself: %s\n",
      std::is_same_v<decltype(vow::promisify(timesTen)), decltype(timesTen)> ? "true" : "false");
  timesTen(4).then([](int v) { std::printf("plain promisify: %d\n", v); });
  std::puts("sync");
  vow::run();
}
