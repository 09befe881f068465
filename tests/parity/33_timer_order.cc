// clang-format off
// C++ twin of 33_timer_order.js:
//
// // Pins timer ordering: timers fire by delay, equal delays fire in insertion order, and a delay of
// // 0 (or none) is treated as 1ms, so setTimeout(f,1) registered before setTimeout(g,0) fires first.
// setTimeout(() => console.log('delay 1'), 1);
// setTimeout(() => console.log('delay 0'), 0);
// setTimeout(() => console.log('no delay argument'));
// setTimeout(() => console.log('delay 2'), 2);
// setTimeout(() => console.log('delay 100'), 100);
// setTimeout(() => console.log('delay 20 (first)'), 20);
// setTimeout(() => console.log('delay 60'), 60);
// setTimeout(() => console.log('delay 20 (second)'), 20);
// setTimeout(() => console.log('delay 20 (third)'), 20);
// console.log('sync');
// clang-format on
#include <cstdio>

#include "vow/loop/loop.h"

int main() {
  vow::setTimeout([] { std::puts("delay 1"); }, 1);
  vow::setTimeout([] { std::puts("delay 0"); }, 0);
  vow::setTimeout([] { std::puts("no delay argument"); });
  vow::setTimeout([] { std::puts("delay 2"); }, 2);
  vow::setTimeout([] { std::puts("delay 100"); }, 100);
  vow::setTimeout([] { std::puts("delay 20 (first)"); }, 20);
  vow::setTimeout([] { std::puts("delay 60"); }, 60);
  vow::setTimeout([] { std::puts("delay 20 (second)"); }, 20);
  vow::setTimeout([] { std::puts("delay 20 (third)"); }, 20);
  std::puts("sync");
  vow::run();
}
