// C++ twin of 79_als_promises.js: AsyncLocalStorage and promise handlers. A handler runs in the
// context current when it was attached (then / catch_ / finally), not where its promise was
// made or settled; nested run() and exit() last for their call; enterWith() in a handler ends
// with the handler; adoption; the unhandledRejection listener.
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

#include "vow/loop/async_local_storage.h"
#include "vow/loop/loop.h"
#include "vow/loop/process.h"
#include "vow/promise/error.h"
#include "vow/promise/promise.h"

namespace {

vow::AsyncLocalStorage<std::string> als;

void log(const std::string& label) {
  std::shared_ptr<std::string> s = als.getStore();
  std::printf("%s %s\n", label.c_str(), s ? s->c_str() : "undefined");
}

}  // namespace

int main() {
  vow::process().on("unhandledRejection", [](const vow::Error& err, const vow::AnyPromise&) {
    log("unhandledRejection " + err.message());
  });

  vow::Promise<int> made = vow::Promise<int>::resolve(0);
  auto [later, resolve_later, reject_later] = vow::Promise<void>::withResolvers();
  als.run("A", [&] {
    made = vow::Promise<int>::resolve(1);
    made.then([](int) { log("then inside"); });
    later.then([] { log("later.then inside"); });
    als.run("B", [] { log("nested"); });
    log("after nested");
    als.exit([] { log("exit"); });
    vow::Promise<void>::reject(std::runtime_error("inside")).catch_([] { log("catch inside"); });
    vow::Promise<void>::resolve().finally([] { log("finally inside"); });
    (void)vow::Promise<void>::reject(std::runtime_error("unhandled in A"));
  });
  made.then([](int) { log("then outside"); });
  als.run("R", [&] { resolve_later(); });
  log("top");
  vow::Promise<void>::resolve()
      .then([] {
        als.enterWith("X");
        log("enterWith in handler");
        return als.run("Y", [] { return vow::Promise<int>::resolve(2); });
      })
      .then([](int) { log("after adoption"); });
  vow::Promise<void>::resolve().then([] { log("next handler"); });
  als.run("C", [] {
    vow::Promise<void>::resolve()
        .then([] { throw std::runtime_error("thrown"); })
        .catch_([](const vow::Error& e) {
          log("caught " + e.message());
          return als.run("D",
                         [] { return vow::Promise<void>::reject(std::runtime_error("again")); });
        })
        .catch_([](const vow::Error& e) { log("caught " + e.message()); });
  });
  vow::run();
}
