// C++ twin of 49_promisify_callbackify.js:
//
//   const util = require('util');
//   function addLater(a, b, cb) {
//     setTimeout(() => {
//       if (a < 0) cb(new Error('negative: ' + a));
//       else cb(null, a + b);
//     }, 5);
//   }
//   function syncCallback(x, cb) { cb(null, x * 10); }
//   const addP = util.promisify(addLater);
//   const syncP = util.promisify(syncCallback);
//   async function double(x) {
//     if (x < 0) throw new Error('cannot double ' + x);
//     return x * 2;
//   }
//   const doubleCb = util.callbackify(double);
//
//   async function main() {
//     console.log('promisified: ' + (await addP(2, 3)));
//     try {
//       await addP(-1, 3);
//     } catch (e) {
//       console.log('promisified error: ' + e.message);
//     }
//     console.log('sync callback promisified: ' + (await syncP(4)));
//     doubleCb(21, (err, v) => console.log('callbackified: err=' + err + ' value=' + v));
//     doubleCb(-1, (err) => console.log('callbackified error: ' + err.message));
//     Promise.resolve()
//       .then(() => console.log('tick 1'))
//       .then(() => console.log('tick 2'));
//     console.log('after callbackified calls (sync)');
//   }
//   main();
#include <cstdio>
#include <functional>
#include <string>

#include "vow/vow.h"

using vow::Error;
using vow::Promise;

void addLater(int a, int b, std::function<void(Error, int)> cb) {
  vow::setTimeout(
      [a, b, cb] {
        if (a < 0) {
          cb(vow::Exception("negative: " + std::to_string(a)), 0);
        } else {
          cb(nullptr, a + b);
        }
      },
      5);
}
void syncCallback(int x, std::function<void(Error, int)> cb) { cb(nullptr, x * 10); }

auto addP = vow::promisify(addLater);
auto syncP = vow::promisify(syncCallback);

Promise<int> doubleIt(int x) {
  if (x < 0) throw vow::Exception("cannot double " + std::to_string(x));
  co_return x * 2;
}
auto doubleCb = vow::callbackify(doubleIt);

// JS prints `err=null` for the absent error.
std::string show(const Error& err) { return err ? err.message() : "null"; }

Promise<void> mainAsync() {
  std::printf("promisified: %d\n", co_await addP(2, 3));
  try {
    co_await addP(-1, 3);
  } catch (const vow::Exception& e) {
    std::printf("promisified error: %s\n", e.message().c_str());
  }
  std::printf("sync callback promisified: %d\n", co_await syncP(4));
  doubleCb(21, [](Error err, int v) {
    std::printf("callbackified: err=%s value=%d\n", show(err).c_str(), v);
  });
  doubleCb(-1,
           [](Error err, int) { std::printf("callbackified error: %s\n", err.message().c_str()); });
  Promise<void>::resolve().then([] { std::puts("tick 1"); }).then([] { std::puts("tick 2"); });
  std::puts("after callbackified calls (sync)");
}

int main() {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  mainAsync();
  vow::run();
}
