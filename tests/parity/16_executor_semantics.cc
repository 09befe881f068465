// C++ twin of 16_executor_semantics.js:
//
//   console.log('before constructor');
//   const p1 = new Promise((resolve, reject) => {
//     console.log('executor runs synchronously');
//     resolve(1);
//     console.log('code after resolve still runs');
//     resolve(2);
//     reject(new Error('ignored rejection'));
//   });
//   console.log('after constructor');
//   p1.then((v) => console.log('p1 fulfilled with ' + v));
//
//   const p2 = new Promise(() => { throw new Error('thrown in executor'); });
//   p2.catch((e) => console.log('p2 rejected with ' + e.message));
//
//   const p3 = new Promise((resolve) => {
//     resolve('ok');
//     throw new Error('thrown after resolve');
//   });
//   p3.then((v) => console.log('p3 fulfilled with ' + v),
//           (e) => console.log('p3 rejected ' + e.message));
//
//   const p4 = new Promise((resolve, reject) => {
//     reject(new Error('first rejection'));
//     reject(new Error('second rejection'));
//     resolve('ignored value');
//   });
//   p4.catch((e) => console.log('p4 rejected with ' + e.message));
#include <cstdio>
#include <string>

#include "vow/promise/promise.h"

using vow::Error;
using vow::Promise;

int main() {
  std::puts("before constructor");
  Promise<int> p1([](auto resolve, auto reject) {
    std::puts("executor runs synchronously");
    resolve(1);
    std::puts("code after resolve still runs");
    resolve(2);
    reject(vow::Exception("ignored rejection"));
  });
  std::puts("after constructor");
  p1.then([](int v) { std::printf("p1 fulfilled with %d\n", v); });

  Promise<void> p2([](auto, auto) { throw vow::Exception("thrown in executor"); });
  p2.catch_([](const Error& e) { std::printf("p2 rejected with %s\n", e.message().c_str()); });

  Promise<std::string> p3([](auto resolve, auto) {
    resolve("ok");
    throw vow::Exception("thrown after resolve");
  });
  p3.then([](const std::string& v) { std::printf("p3 fulfilled with %s\n", v.c_str()); },
          [](const Error& e) { std::printf("p3 rejected %s\n", e.message().c_str()); });

  Promise<std::string> p4([](auto resolve, auto reject) {
    reject(vow::Exception("first rejection"));
    reject(vow::Exception("second rejection"));
    resolve("ignored value");
  });
  p4.catch_([](const Error& e) {
    std::printf("p4 rejected with %s\n", e.message().c_str());
    return std::string();
  });
  vow::runMicrotasks();
}
