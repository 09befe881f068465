// Helpers for vow's own tests (testonly): a line recorder and a live-instance counter.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace vow::test {

// Records lines in the order they happen; ordering tests compare the whole sequence:
//   Log log;  ...  log("then");  ...  EXPECT_THAT(log.lines, ElementsAre("sync", "then"));
struct Log {
  std::vector<std::string> lines;
  void operator()(std::string s) { lines.push_back(std::move(s)); }
};

// Counts its live instances (copies and moves too), to prove that handlers, captures and
// coroutine frames are released: capture one, and `Counted::live` drops back when they are.
struct Counted {
  static inline int live = 0;
  Counted() { ++live; }
  Counted(const Counted&) { ++live; }
  Counted(Counted&&) noexcept { ++live; }
  Counted& operator=(const Counted&) = default;
  Counted& operator=(Counted&&) noexcept = default;
  ~Counted() { --live; }
};

}  // namespace vow::test
