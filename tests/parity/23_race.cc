// C++ twin of 23_race.js:
//
// // Pins Promise.race: it settles like the first input to settle (fulfilled or rejected), and when
// // several are already settled, array order decides; later settlements are ignored.
// function later(ms, v, fail) {
//   return new Promise((resolve, reject) => setTimeout(() => {
//     console.log('timer ' + ms + ' fires');
//     if (fail) reject(new Error(v)); else resolve(v);
//   }, ms));
// }
// // Timers are created in increasing-delay order (robust under load); the array order differs.
// const t5 = later(5, 'timer');
// const fast = later(20, 'fast');
// const fastFailure = later(40, 'fast failure', true);
// const slow = later(60, 'slow');
// const slowOk = later(80, 'slow ok');
// Promise.race([slow, fast])
//   .then((v) => console.log('race 1 winner: ' + v));
// Promise.race([slowOk, fastFailure])
//   .then((v) => console.log('never ' + v), (e) => console.log('race 2 rejected: ' + e.message));
// Promise.race([t5, 'plain', Promise.resolve('resolved')])
//   .then((v) => console.log('race 3 winner: ' + v));
// Promise.race([Promise.reject(new Error('first in array')), Promise.resolve('second in array')])
//   .then((v) => console.log('never ' + v), (e) => console.log('race 4 rejected: ' + e.message));
#include <cstdio>
#include <string>

#include "vow/loop/loop.h"
#include "vow/promise/combinators.h"
#include "vow/promise/promise.h"

using vow::Promise;

Promise<std::string> later(int ms, std::string v, bool fail = false) {
  return Promise<std::string>([&](auto resolve, auto reject) {
    vow::setTimeout(
        [=] {
          std::printf("timer %d fires\n", ms);
          if (fail)
            reject(vow::Exception(v));
          else
            resolve(v);
        },
        ms);
  });
}

int main() {
  // Timers are created in increasing-delay order (robust under load); the array order differs.
  const auto t5 = later(5, "timer");
  const auto fast = later(20, "fast");
  const auto fastFailure = later(40, "fast failure", true);
  const auto slow = later(60, "slow");
  const auto slowOk = later(80, "slow ok");
  vow::race({slow, fast}).then([](const std::string& v) {
    std::printf("race 1 winner: %s\n", v.c_str());
  });
  vow::race({slowOk, fastFailure})
      .then([](const std::string& v) { std::printf("never %s\n", v.c_str()); },
            [](const vow::Error& e) { std::printf("race 2 rejected: %s\n", e.message().c_str()); });
  vow::race(t5, "plain", Promise<std::string>::resolve("resolved")).then([](const std::string& v) {
    std::printf("race 3 winner: %s\n", v.c_str());
  });
  vow::race({Promise<std::string>::reject(vow::Exception("first in array")),
             Promise<std::string>::resolve("second in array")})
      .then([](const std::string& v) { std::printf("never %s\n", v.c_str()); },
            [](const vow::Error& e) { std::printf("race 4 rejected: %s\n", e.message().c_str()); });
  vow::run();
}
