// A pipe for the loop's I/O tests, closed when the test ends: fd[0] (or p[0]) reads, fd[1]
// writes. Tests only.
#pragma once

#include <unistd.h>

#include <cstdlib>

namespace vow::test {

struct Pipe {
  int fd[2] = {-1, -1};
  Pipe() {
    if (::pipe(fd) != 0) std::abort();
  }
  ~Pipe() {
    ::close(fd[0]);
    ::close(fd[1]);
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  int operator[](int i) const { return fd[i]; }
  // One byte in, one byte out (aborts if the pipe refuses).
  void write() const {
    if (::write(fd[1], "x", 1) != 1) std::abort();
  }
  void read() const {
    char c;
    if (::read(fd[0], &c, 1) != 1) std::abort();
  }
};

}  // namespace vow::test
