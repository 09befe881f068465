// C++ twin of 22_allsettled.js:
//
// // Pins Promise.allSettled: it never rejects, waits for every input, and yields objects of shape
// // {status:'fulfilled', value} or {status:'rejected', reason} in input order.
// function later(ms, v, fail) {
//   return new Promise((resolve, reject) => setTimeout(() => (fail ? reject(new Error(v)) :
//   resolve(v)), ms));
// }
// Promise.allSettled([later(20, 'x'), later(10, 'bad', true), 7, Promise.reject(new Error('now'))])
//   .then((results) => {
//     console.log('count ' + results.length);
//     results.forEach((r, i) => {
//       if (r.status === 'fulfilled') console.log(i + ' ' + r.status + ' value=' + r.value);
//       else console.log(i + ' ' + r.status + ' reason=' + r.reason.message);
//     });
//   });
// Promise.allSettled([]).then((results) => console.log('empty -> length ' + results.length));
#include <cstdio>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "vow/loop/loop.h"
#include "vow/promise/combinators.h"
#include "vow/promise/promise.h"

using vow::Promise;
using vow::Settled;

std::string str(int v) { return std::to_string(v); }
std::string str(const std::string& v) { return v; }

Promise<std::string> later(int ms, std::string v, bool fail = false) {
  return Promise<std::string>([&](auto resolve, auto reject) {
    vow::setTimeout([=] { fail ? reject(vow::Exception(v)) : resolve(v); }, ms);
  });
}

// results.forEach((r, i) => ...) over the tuple the variadic allSettled gives.
template <class Tuple, class F>
void forEach(const Tuple& t, F f) {
  std::apply(
      [&](const auto&... r) {
        int i = 0;
        (f(r, i++), ...);
      },
      t);
}

int main() {
  vow::allSettled(later(20, "x"), later(10, "bad", true), 7,
                  Promise<std::string>::reject(vow::Exception("now")))
      .then([](const auto& results) {
        std::printf("count %zu\n", std::tuple_size_v<std::decay_t<decltype(results)>>);
        forEach(results, [](const auto& r, int i) {
          if (r.status() == "fulfilled") {
            std::printf("%d %s value=%s\n", i, r.status().name().data(), str(r.value()).c_str());
          } else {
            std::printf("%d %s reason=%s\n", i, r.status().name().data(),
                        r.reason().message().c_str());
          }
        });
      });
  vow::allSettled(std::vector<Promise<int>>{}).then([](const std::vector<Settled<int>>& results) {
    std::printf("empty -> length %zu\n", results.size());
  });
  vow::run();
}
