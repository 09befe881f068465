// C++ twin of 80_als_await.js: AsyncLocalStorage and coroutines. After a co_await the body
// goes on in the context of the co_await (an enterWith() before it carries over); the
// synchronous part of a coroutine runs in its caller's context, so an enterWith() there
// reaches the caller; a promise made inside run() and awaited outside; an AsyncGenerator
// consumed with forAwait.
#include <cstdio>
#include <memory>
#include <string>

#include "vow/loop/async_local_storage.h"
#include "vow/loop/loop.h"
#include "vow/loop/timers.h"
#include "vow/promise/async_generator.h"
#include "vow/promise/for_await.h"
#include "vow/promise/promise.h"

namespace {

vow::AsyncLocalStorage<std::string> als;

void log(const std::string& label) {
  std::shared_ptr<std::string> s = als.getStore();
  std::printf("%s %s\n", label.c_str(), s ? s->c_str() : "undefined");
}

vow::Promise<void> body() {
  log("body start");
  co_await vow::Promise<void>::resolve();
  log("after await 1");
  als.enterWith("E");
  co_await vow::Promise<void>([](auto resolve, auto) { vow::setTimeout(resolve, 5); });
  log("after await 2");
  co_await als.run("R", [] { return vow::Promise<void>::resolve(); });
  log("after await 3");
}

vow::AsyncGenerator<int> gen() {
  log("gen start");
  co_await vow::Promise<void>::resolve();
  log("gen after await");
  co_yield 1;
  log("gen after yield");
  co_yield 2;
}

vow::Promise<void> consume() {
  auto it = vow::forAwait(gen());
  while (auto v = co_await it.next()) log("loop body " + std::to_string(*v));
  co_await it.close();
  log("loop done");
}

vow::Promise<void> setsCaller() {
  als.enterWith("F");
  co_await vow::Promise<void>::resolve();
  log("setsCaller after await");
}

}  // namespace

int main() {
  als.run("A", [] { body(); });
  als.run("G", [] { consume(); });
  vow::Promise<int> made = als.run("P", []() -> vow::Promise<int> {
    co_await vow::Promise<void>::resolve();
    co_return 1;
  });
  [](vow::Promise<int> made) -> vow::Promise<void> {
    co_await made;
    log("awaited outside");
  }(made);
  als.exit([] {
    setsCaller();
    log("caller after setsCaller");
  });
  log("top");
  vow::run();
}
