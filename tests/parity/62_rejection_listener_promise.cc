// C++ twin of 62_rejection_listener_promise.js: the vow::AnyPromise an 'unhandledRejection'
// listener receives takes then/catch_/finally, with handlers that take nothing or the reason;
// attaching one handles it, and 'rejectionHandled' follows as in Node.
#include <cstdio>
#include <string>

#include "vow/loop/loop.h"
#include "vow/loop/timers.h"
#include "vow/promise/promise.h"

int main() {
  int n = 0;
  vow::process().on("unhandledRejection", [&n](const vow::Error& reason, const vow::AnyPromise& p) {
    n++;
    std::printf("unhandledRejection %d %s\n", n, reason.message().c_str());
    if (n == 1) {
      p.catch_([](const vow::Error& e) {
         std::printf("catch %s\n", e.message().c_str());
         return std::string("recovered");
       }).then([](const std::optional<std::string>& v) { std::printf("then %s\n", v->c_str()); });
      p.finally([] { std::puts("finally"); });
      vow::Promise<void>::resolve()
          .then([] { std::puts("m1"); })
          .then([] { std::puts("m2"); })
          .then([] { std::puts("m3"); });
      vow::nextTick([] { std::puts("tick in listener"); });
    } else if (n == 2) {
      p.then([] { std::puts("never"); },
             [](const vow::Error& e) { std::printf("onRejected %s\n", e.message().c_str()); });
    } else if (n == 3) {
      p.catch_([] {}).finally([] { std::puts("finally after catch"); });
    }
  });
  vow::process().on("rejectionHandled",
                    [&n](const vow::AnyPromise&) { std::printf("rejectionHandled %d\n", n); });
  (void)vow::Promise<void>::reject(vow::Exception("first"));
  vow::setTimeout(
      [] {
        std::puts("timeout");
        (void)vow::Promise<void>::reject(vow::Exception("second"));
      },
      0);
  vow::setTimeout([] { std::puts("second timeout"); }, 0);
  vow::run();
}
