// Example 7: the forEach trap and its fix. bazel run //examples:foreach_trap
//
// std::ranges::for_each, like JS's forEach, calls the callback and throws away what it returns.
// When the callback is a coroutine, what it returns is the promise of its work, so nothing
// waits for that work: the "all saved!" line prints before a single save has finished. Two
// fixes: a range-for with co_await inside (one at a time, in list order), or turning the list
// into promises and awaiting vow::all (all at once, done when the slowest is).
//
// The Node program it ports (examples/foreach_trap.js):
//
//   const { setTimeout: delay } = require('timers/promises');
//
//   async function save(id) {
//     await delay(id * 50);
//     console.log(`  saved ${id}`);
//   }
//
//   const ids = [3, 1, 2];
//
//   async function trap() {
//     console.log('the trap: forEach with an async callback');
//     ids.forEach(async (id) => {
//       await save(id);
//     });
//     console.log('  "all saved!" (no: forEach did not wait for a single save)');
//   }
//
//   async function fixOneAtATime() {
//     console.log('fix 1: for...of awaits each save before the next');
//     for (const id of ids) {
//       await save(id);
//     }
//     console.log('  all saved, in the order of the list');
//   }
//
//   async function fixAllAtOnce() {
//     console.log('fix 2: map to promises, then await Promise.all');
//     await Promise.all(ids.map((id) => save(id)));
//     console.log('  all saved, fastest first');
//   }
//
//   async function main() {
//     await trap();
//     await delay(300);
//     await fixOneAtATime();
//     await fixAllAtOnce();
//   }
//
//   main();
#include <algorithm>
#include <cstdio>
#include <ranges>
#include <utility>
#include <vector>

#include "vow/vow.h"

// JS: const { setTimeout: delay } = require('timers/promises');
template <class... V>
auto delay(double ms, V&&... value) {
  return vow::timers::promises::setTimeout(ms, std::forward<V>(value)...);
}

// Pretend this saves a record; record `id` takes id * 50 ms.
vow::Promise<void> save(int id) {
  co_await delay(id * 50);
  std::printf("  saved %d\n", id);
}

const std::vector<int> ids = {3, 1, 2};

vow::Promise<void> trap() {
  std::puts("the trap: forEach with an async callback");
  std::ranges::for_each(ids, [](int id) -> vow::Promise<void> {
    co_await save(id);
  });  // each call's promise is dropped here: the saves go on, unawaited
  std::puts("  \"all saved!\" (no: forEach did not wait for a single save)");
  co_return;
}

vow::Promise<void> fixOneAtATime() {
  std::puts("fix 1: for...of awaits each save before the next");
  for (int id : ids) {
    co_await save(id);
  }
  std::puts("  all saved, in the order of the list");
}

vow::Promise<void> fixAllAtOnce() {
  std::puts("fix 2: map to promises, then await Promise.all");
  co_await vow::all(ids | std::views::transform(save));  // JS: ids.map(save)
  std::puts("  all saved, fastest first");
}

vow::Promise<void> mainAsync() {
  co_await trap();
  co_await delay(300);  // the trap's saves finish in the background meanwhile
  co_await fixOneAtATime();
  co_await fixAllAtOnce();
}

int main() {
  mainAsync();
  vow::run();
}
