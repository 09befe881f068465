// Helpers for vow's own tests (testonly): a line recorder and a live-instance counter.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace vow::test {

// Records lines in the order they happen; ordering tests compare the whole sequence:
//   Log log;  ...  log("then");  ...  EXPECT_THAT(log.lines, ElementsAre("sync", "then"));
// It also reads as the vector of lines it holds: log.push_back("x"), EXPECT_EQ(log, (Log{"x"})).
struct Log {
  using value_type = std::string;
  using const_iterator = std::vector<std::string>::const_iterator;
  using iterator = const_iterator;

  Log() = default;
  Log(std::initializer_list<std::string> l) : lines(l) {}
  Log(const_iterator first, const_iterator last) : lines(first, last) {}

  std::vector<std::string> lines;
  void operator()(std::string s) { lines.push_back(std::move(s)); }
  void push_back(std::string s) { lines.push_back(std::move(s)); }
  bool empty() const noexcept { return lines.empty(); }
  std::size_t size() const noexcept { return lines.size(); }
  const std::string& back() const { return lines.back(); }
  const std::string& operator[](std::size_t i) const { return lines[i]; }
  auto begin() const noexcept { return lines.begin(); }
  auto end() const noexcept { return lines.end(); }
  void clear() noexcept { lines.clear(); }
  friend bool operator==(const Log& a, const Log& b) { return a.lines == b.lines; }
  // What a failed EXPECT_EQ prints: { "a", "b" }.
  friend std::ostream& operator<<(std::ostream& out, const Log& log) {
    out << "{";
    for (std::size_t i = 0; i < log.lines.size(); ++i) {
      out << (i ? ", \"" : " \"") << log.lines[i] << "\"";
    }
    return out << " }";
  }
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
