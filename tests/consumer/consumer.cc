// Built in a separate workspace against @vow//:vow: includes and links like a user.
#include <cstdlib>
#include <iostream>

#include "vow/vow.h"

int main() {
  int got = 0;
  vow::Promise<int>::resolve(20).then([](int x) { return x + 1; }).then([&got](int x) {
    got = x * 2;
  });
  if (got != 0) {
    std::cerr << "consumer: a handler ran synchronously\n";
    return EXIT_FAILURE;
  }
  vow::run();
  if (got != 42) {
    std::cerr << "consumer: expected 42, got " << got << "\n";
    return EXIT_FAILURE;
  }
  std::cout << "consumer: ok (" << got << ")\n";
  return EXIT_SUCCESS;
}
