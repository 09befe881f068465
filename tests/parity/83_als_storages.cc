// C++ twin of 83_als_storages.js: several storages and the class's helpers. Each storage has
// its own store in one context; run() puts back only its own storage's store when it ends
// (another storage's enterWith() inside it outlives it) and exit() puts back nothing (its own
// enterWith() outlives it); disable(); AsyncLocalStorage::bind and snapshot.
#include <cstdio>
#include <memory>
#include <string>

#include "vow/loop/async_local_storage.h"
#include "vow/loop/loop.h"
#include "vow/loop/timers.h"

namespace {

using Storage = vow::AsyncLocalStorage<std::string>;
Storage a;
Storage b;

std::string show(const std::shared_ptr<std::string>& s) { return s ? *s : "undefined"; }

void log(const std::string& label) {
  std::printf("%s %s %s\n", label.c_str(), show(a.getStore()).c_str(), show(b.getStore()).c_str());
}

}  // namespace

int main() {
  a.run("A", [] {
    b.run("B", [] {
      vow::setImmediate([] { log("immediate in both"); });
      b.exit([] { vow::setImmediate([] { log("immediate in b.exit"); }); });
    });
    b.enterWith("B2");
    log("after b.enterWith");
  });
  log("after run A");
  a.run("A1", [] {
    a.enterWith("A2");
    log("a.enterWith inside a.run");
  });
  log("after a.run");
  a.exit([] {
    a.enterWith("X");
    log("a.enterWith inside a.exit");
  });
  log("after a.exit");
  a.disable();
  log("after a.disable");
  a.run("A3", [] { log("a.run after disable"); });
  b.exit([] {
    log("b.exit");
    a.run("A4", [] { log("a.run in b.exit"); });
  });
  auto snapshot = a.run("S", [] { return b.run("T", [] { return Storage::snapshot(); }); });
  auto bound = a.run("BA", [] {
    return Storage::bind([](int x) {
      log("bound " + std::to_string(x));
      return x * 2;
    });
  });
  snapshot([] { log("in snapshot"); });
  std::printf("bound returned %d\n", bound(21));
  a.run("R", [&] {
    vow::setTimeout([snapshot]() mutable { snapshot([] { log("snapshot in timeout"); }); }, 20);
  });
  vow::run();
}
