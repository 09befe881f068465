// The C++ port of examples/hello.js: bazel run //examples:hello
#include <iostream>

#include "vow/vow.h"

int main() {
  vow::Promise<int>::resolve(1).then([](int x) { return x + 1; }).then([](int x) {
    std::cout << "hello from vow: " << x << "\n";
  });
  std::cout << "scheduled\n";
  vow::run();
  return 0;
}
