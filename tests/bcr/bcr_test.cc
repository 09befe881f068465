// The BCR test module's test: vow through @vow//:vow and "vow/vow.h", as a dependent uses it.
// A promise chain, a timer, and a promise settled from another thread (vow::ThreadSafeResolvers)
// all run on the loop, in Node's order.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "vow/vow.h"

int main() {
  std::string log;
  vow::setTimeout([&log] { log += " timeout"; }, 1);
  vow::Promise<int>::resolve(20).then([](int x) { return x + 1; }).then([&log](int x) {
    log += " then:" + std::to_string(x * 2);
  });
  auto [promise, resolver] = vow::ThreadSafeResolvers<std::string>::make();
  promise.then([&log](const std::string& s) { log += " " + s; });
  std::thread worker([resolver = resolver] { resolver.resolve("from-a-thread"); });
  vow::nextTick([&log] { log += "tick"; });
  vow::run();
  worker.join();
  // The thread's settlement may come before or after the timer: check each part.
  bool ok = log.rfind("tick then:42", 0) == 0 && log.find(" timeout") != std::string::npos &&
            log.find(" from-a-thread") != std::string::npos;
  std::printf("bcr_test: %s (%s)\n", ok ? "ok" : "FAILED", log.c_str());
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
