// C++ twin of 30_seq_vs_parallel.js:
//
//   function task(name, ms) {
//     return new Promise((resolve) => setTimeout(() => {
//       console.log('  ' + name + ' done');
//       resolve(name);
//     }, ms));
//   }
//   async function sequential() {
//     const r = [];
//     r.push(await task('seq-30', 30));
//     r.push(await task('seq-20', 20));
//     r.push(await task('seq-10', 10));
//     return r;
//   }
//   // Parallel timers are started in increasing-delay order so the trace is robust under CPU load.
//   async function parallel() {
//     const p10 = task('par-10', 10);
//     const p20 = task('par-20', 20);
//     const p30 = task('par-30', 30);
//     return [await p30, await p20, await p10];
//   }
//   async function main() {
//     console.log('sequential start');
//     console.log('sequential result ' + JSON.stringify(await sequential()));
//     console.log('parallel start');
//     console.log('parallel result ' + JSON.stringify(await parallel()));
//     console.log('Promise.all start');
//     const t10 = task('all-10', 10);
//     const t20 = task('all-20', 20);
//     const t30 = task('all-30', 30);
//     const all = await Promise.all([t30, t20, t10]);
//     console.log('Promise.all result ' + JSON.stringify(all));
//   }
//   main();
#include <cstdio>
#include <string>
#include <vector>

#include "vow/vow.h"

using vow::Promise;

Promise<std::string> task(std::string name, int ms) {
  return Promise<std::string>([&](auto resolve, auto) {
    vow::setTimeout(
        [name, resolve] {
          std::printf("  %s done\n", name.c_str());
          resolve(name);
        },
        ms);
  });
}

// JSON.stringify of an array of strings.
std::string json(const std::vector<std::string>& v) {
  std::string out = "[";
  for (const std::string& s : v) out += (out.size() > 1 ? ",\"" : "\"") + s + "\"";
  return out + "]";
}

Promise<std::vector<std::string>> sequential() {
  std::vector<std::string> r;
  r.push_back(co_await task("seq-30", 30));
  r.push_back(co_await task("seq-20", 20));
  r.push_back(co_await task("seq-10", 10));
  co_return r;
}

// Parallel timers are started in increasing-delay order so the trace is robust under CPU load.
Promise<std::vector<std::string>> parallel() {
  auto p10 = task("par-10", 10);
  auto p20 = task("par-20", 20);
  auto p30 = task("par-30", 30);
  std::vector<std::string> r;
  r.push_back(co_await p30);
  r.push_back(co_await p20);
  r.push_back(co_await p10);
  co_return r;
}

Promise<void> mainAsync() {
  std::puts("sequential start");
  std::printf("sequential result %s\n", json(co_await sequential()).c_str());
  std::puts("parallel start");
  std::printf("parallel result %s\n", json(co_await parallel()).c_str());
  std::puts("Promise.all start");
  auto t10 = task("all-10", 10);
  auto t20 = task("all-20", 20);
  auto t30 = task("all-30", 30);
  std::vector<Promise<std::string>> tasks{t30, t20, t10};
  std::vector<std::string> all = co_await vow::all(tasks);
  std::printf("Promise.all result %s\n", json(all).c_str());
}

// (GCC 12 cannot compile a braced list inside a co_await expression, "array used as
// initializer": the list given to all() is named first.)

int main() {
  (void)mainAsync();
  vow::run();
}
