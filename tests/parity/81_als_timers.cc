// C++ twin of 81_als_timers.js: AsyncLocalStorage and the loop's queues. nextTick,
// queueMicrotask, setTimeout, setImmediate and timers::promises run in the context of their
// call; an enterWith() in one callback does not reach the next; an interval keeps what an
// enterWith() in its callback set (Node's Timeout is one async resource for every repetition);
// an enterWith() in the main program reaches what it starts afterwards, not what it started
// before.
#include <cstdio>
#include <memory>
#include <string>

#include "vow/loop/async_local_storage.h"
#include "vow/loop/loop.h"
#include "vow/loop/timers.h"
#include "vow/promise/microtask.h"
#include "vow/promise/promise.h"

namespace {

vow::AsyncLocalStorage<std::string> als;

void log(const std::string& label) {
  std::shared_ptr<std::string> s = als.getStore();
  std::printf("%s %s\n", label.c_str(), s ? s->c_str() : "undefined");
}

}  // namespace

int main() {
  namespace timers_promises = vow::timers::promises;
  vow::setTimeout([] { log("timeout made before enterWith"); }, 600);
  als.run("A", [] {
    vow::nextTick([] {
      log("tick");
      als.enterWith("T1");
    });
    vow::nextTick([] { log("tick 2"); });
    vow::queueMicrotask([] { log("microtask"); });
    vow::setImmediate([] {
      log("immediate");
      als.enterWith("I1");
      vow::setImmediate([] { log("immediate from immediate"); });
    });
    vow::setImmediate([] {
      // Timers made here, once the loop runs: their order does not depend on startup time.
      log("immediate 2");
      vow::setTimeout(
          [] {
            log("timeout");
            als.enterWith("T2");
          },
          300);
      auto n = std::make_shared<int>(0);
      auto interval = std::make_shared<vow::Timeout>();
      *interval = vow::setInterval(
          [n, interval] {
            log("interval " + std::to_string(*n));
            if (*n == 0) als.enterWith("IV");
            if (++*n == 3) vow::clearInterval(*interval);
          },
          40);
      als.run("B", [] { vow::setTimeout([] { log("timeout B"); }, 300); });
      timers_promises::setTimeout(300).then([] { log("promises setTimeout"); });
    });
    timers_promises::setImmediate().then([] { log("promises setImmediate"); });
  });
  als.enterWith("M");
  vow::setTimeout([] { log("timeout made after enterWith"); }, 600);
  vow::nextTick([] { log("tick made after enterWith"); });
  log("main");
  vow::run();
}
