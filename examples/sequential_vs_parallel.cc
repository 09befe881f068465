// Example 6: sequential vs parallel. bazel run //examples:sequential_vs_parallel
//
// Three independent jobs awaited one after another take the SUM of their times; started
// together and awaited with vow::all they take the LONGEST one's. (The classic story has three
// 1 s requests: 3 s vs 1 s. Here they take 300 ms each.) A co_await suspends only the coroutine
// it is in: nothing runs in parallel unless it was started before the co_await.
//
// The Node program it ports (examples/sequential_vs_parallel.js):
//
//   const { setTimeout: delay } = require('timers/promises');
//
//   const REQUEST_MS = 300;
//
//   function fetchUser(name) {
//     return delay(REQUEST_MS, `user ${name}`);
//   }
//
//   function aboutMs(start) {
//     return Math.round((performance.now() - start) / REQUEST_MS) * REQUEST_MS;
//   }
//
//   async function sequential() {
//     const start = performance.now();
//     const a = await fetchUser('ada');
//     const b = await fetchUser('bob');
//     const c = await fetchUser('cyd');
//     console.log(`sequential: ${a}, ${b}, ${c} in about ${aboutMs(start)} ms`);
//   }
//
//   async function parallel() {
//     const start = performance.now();
//     const [a, b, c] = await Promise.all([fetchUser('ada'), fetchUser('bob'), fetchUser('cyd')]);
//     console.log(`parallel:   ${a}, ${b}, ${c} in about ${aboutMs(start)} ms`);
//   }
//
//   async function main() {
//     await sequential();
//     await parallel();
//   }
//
//   main();
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

#include "vow/vow.h"

// JS: const { setTimeout: delay } = require('timers/promises');
template <class... V>
auto delay(double ms, V&&... value) {
  return vow::timers::promises::setTimeout(ms, std::forward<V>(value)...);
}

using Clock = std::chrono::steady_clock;

constexpr long kRequestMs = 300;

// Pretend this is a request that takes 300 ms.
vow::Promise<std::string> fetchUser(const std::string& name) {
  return delay(kRequestMs, "user " + name);
}

// Elapsed time rounded to whole request times, so the output is the same on a busy machine.
long aboutMs(Clock::time_point start) {
  double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  return std::lround(ms / kRequestMs) * kRequestMs;
}

vow::Promise<void> sequential() {
  auto start = Clock::now();
  std::string a = co_await fetchUser("ada");  // the next request starts only when this is done
  std::string b = co_await fetchUser("bob");
  std::string c = co_await fetchUser("cyd");
  std::printf("sequential: %s, %s, %s in about %ld ms\n", a.c_str(), b.c_str(), c.c_str(),
              aboutMs(start));
}

vow::Promise<void> parallel() {
  auto start = Clock::now();
  // All three requests start now; vow::all waits for all of them.
  auto [a, b, c] = co_await vow::all(fetchUser("ada"), fetchUser("bob"), fetchUser("cyd"));
  std::printf("parallel:   %s, %s, %s in about %ld ms\n", a.c_str(), b.c_str(), c.c_str(),
              aboutMs(start));
}

vow::Promise<void> mainAsync() {
  co_await sequential();
  co_await parallel();
}

int main() {
  mainAsync();
  vow::run();
}
