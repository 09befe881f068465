// C++ twin of 20_all_order.js:
//
// // Pins Promise.all: results come back in input order regardless of completion order, plain
// // (non-promise) values are passed through, and an empty array resolves to [].
// function delay(ms, v) {
//   return new Promise((resolve) => setTimeout(() => { console.log('done ' + v + ' after ' + ms +
//   'ms'); resolve(v); }, ms));
// }
// // Timers are created in increasing-delay order (robust under load); the array order differs.
// const four = delay(5, 4);
// const fast = delay(20, 'fast');
// const mid = delay(40, 'mid');
// const slow = delay(60, 'slow');
// Promise.all([slow, fast, mid])
//   .then((vals) => console.log('all: ' + JSON.stringify(vals)));
// Promise.all([1, Promise.resolve(2), 'three', four])
//   .then((vals) => console.log('mixed: ' + JSON.stringify(vals)));
// Promise.all([])
//   .then((vals) => console.log('empty: ' + JSON.stringify(vals) + ' length ' + vals.length));
// console.log('sync');
#include <cstdio>
#include <string>
#include <tuple>
#include <vector>

#include "vow/loop/loop.h"
#include "vow/promise/combinators.h"
#include "vow/promise/promise.h"

using vow::Promise;

std::string str(int v) { return std::to_string(v); }
std::string str(const std::string& v) { return v; }
std::string json(int v) { return std::to_string(v); }
std::string json(const std::string& v) { return '"' + v + '"'; }
template <class T>
std::string json(const std::vector<T>& vals) {
  std::string out = "[";
  for (const auto& v : vals) out += (out.size() > 1 ? "," : "") + json(v);
  return out + "]";
}

template <class T>
Promise<T> delay(int ms, T v) {
  return Promise<T>([&](auto resolve, auto) {
    vow::setTimeout(
        [=] {
          std::printf("done %s after %dms\n", str(v).c_str(), ms);
          resolve(v);
        },
        ms);
  });
}

int main() {
  // Timers are created in increasing-delay order (robust under load); the array order differs.
  const auto four = delay(5, 4);
  const auto fast = delay(20, std::string("fast"));
  const auto mid = delay(40, std::string("mid"));
  const auto slow = delay(60, std::string("slow"));
  vow::all({slow, fast, mid}).then([](const std::vector<std::string>& vals) {
    std::printf("all: %s\n", json(vals).c_str());
  });
  vow::all(1, Promise<int>::resolve(2), "three", four)
      .then([](const std::tuple<int, int, std::string, int>& vals) {
        const auto& [a, b, c, d] = vals;
        std::printf("mixed: [%s,%s,%s,%s]\n", json(a).c_str(), json(b).c_str(), json(c).c_str(),
                    json(d).c_str());
      });
  vow::all(std::vector<Promise<int>>{}).then([](const std::vector<int>& vals) {
    std::printf("empty: %s length %zu\n", json(vals).c_str(), vals.size());
  });
  std::puts("sync");
  vow::run();
}
