// C++ twin of 25_any.js:
//
// // Pins Promise.any: first fulfillment wins even if rejections come first; if all reject it
// // rejects with an AggregateError whose errors array is in input order; any([]) rejects at once.
// function later(ms, v, fail) {
//   return new Promise((resolve, reject) => setTimeout(() => (fail ? reject(new Error(v)) :
//   resolve(v)), ms));
// }
// // Timers are created in increasing-delay order (robust under load); the array order differs.
// const e1 = later(10, 'e1', true);
// const e2 = later(20, 'e2', true);
// const second = later(30, 'second in array', true);
// const first = later(40, 'first in array', true);
// const winner = later(60, 'winner');
// Promise.any([e1, winner, e2])
//   .then((v) => console.log('any 1: ' + v));
// Promise.any([first, second, Promise.reject(new Error('third in array'))])
//   .catch((err) => {
//     console.log('any 2 is AggregateError: ' + (err instanceof AggregateError));
//     console.log('any 2 message: ' + err.message);
//     console.log('any 2 errors: ' + JSON.stringify(err.errors.map((e) => e.message)));
//   });
// Promise.any([])
//   .catch((err) => console.log('any([]) message: ' + err.message + ', errors length ' +
//   err.errors.length));
#include <cstdio>
#include <string>
#include <vector>

#include "vow/loop/loop.h"
#include "vow/promise/combinators.h"
#include "vow/promise/promise.h"

using vow::Promise;

Promise<std::string> later(int ms, std::string v, bool fail = false) {
  return Promise<std::string>([&](auto resolve, auto reject) {
    vow::setTimeout([=] { fail ? reject(vow::Exception(v)) : resolve(v); }, ms);
  });
}

int main() {
  // Timers are created in increasing-delay order (robust under load); the array order differs.
  const auto e1 = later(10, "e1", true);
  const auto e2 = later(20, "e2", true);
  const auto second = later(30, "second in array", true);
  const auto first = later(40, "first in array", true);
  const auto winner = later(60, "winner");
  vow::any({e1, winner, e2}).then([](const std::string& v) {
    std::printf("any 1: %s\n", v.c_str());
  });
  // catch_ returns what the chain carries (here a string) where JS's catch returns undefined.
  vow::any({first, second, Promise<std::string>::reject(vow::Exception("third in array"))})
      .catch_([](const vow::Error& err) {
        const auto* agg = err.as<vow::AggregateError>();
        std::printf("any 2 is AggregateError: %s\n", agg != nullptr ? "true" : "false");
        std::printf("any 2 message: %s\n", err.message().c_str());
        std::string messages;
        for (const vow::Error& e : agg->errors()) {
          messages += (messages.empty() ? "\"" : ",\"") + e.message() + "\"";
        }
        std::printf("any 2 errors: [%s]\n", messages.c_str());
        return std::string();
      });
  vow::any(std::vector<Promise<std::string>>{}).catch_([](const vow::AggregateError& err) {
    std::printf("any([]) message: %s, errors length %zu\n", err.message().c_str(),
                err.errors().size());
    return std::string();
  });
  vow::run();
}
