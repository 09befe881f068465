// Example 15: reading a log file line by line with readline. bazel run //examples:readline_log
//
// The everyday way to go through a large text file without holding it in memory:
// readline.createInterface over a read stream, and `for await (const line of rl)`. Lines come
// without their line break ("\n" or "\r\n": crlfDelay Infinity makes a "\r\n" split over two
// chunks one break); the stream reads 64 KiB at a time on the thread pool while the loop body
// runs, and the interface closes itself at the end of the file. In C++, vow::forAwait(rl)
// starts the loop, `while (auto line = co_await it.next())` is its body, and `co_await
// it.close()` after it is what JS does when a loop is left early (here it runs out: a no-op).
//
// The Node program it ports (examples/readline_log.js):
//
//   const fs = require('fs');
//   const readline = require('readline');
//   const { enterScratchDir } = require('./support');
//
//   // A log of 5,000 lines: a level, a request id and some text; a few Windows line ends.
//   const levels = ['INFO', 'INFO', 'DEBUG', 'WARN', 'INFO', 'ERROR', 'INFO'];
//   let log = '';
//   for (let i = 1; i <= 5000; i++) {
//     const level = levels[(i * 3 + (i >> 3)) % levels.length];
//     const end = i % 13 === 0 ? '\r\n' : '\n';
//     const time = `2024-05-01T12:00:${String(i % 60).padStart(2, '0')}`;
//     log += `${time} ${level} req=${i} ${'x'.repeat(i % 40)}${end}`;
//   }
//   enterScratchDir('readline_log', { 'app.log': log });
//
//   async function summarize(file) {
//     const counts = {};
//     const firstErrors = [];
//     let lines = 0;
//     let longest = 0;
//     const input = fs.createReadStream(file);
//     const rl = readline.createInterface({ input, crlfDelay: Infinity });
//     for await (const line of rl) {
//       lines += 1;
//       longest = Math.max(longest, line.length);
//       const level = line.split(' ')[1];
//       counts[level] = (counts[level] || 0) + 1;
//       if (level === 'ERROR' && firstErrors.length < 3) firstErrors.push(line.split(' ')[2]);
//     }
//     return { lines, longest, counts, firstErrors };
//   }
//
//   summarize('app.log').then(({ lines, longest, counts, firstErrors }) => {
//     console.log(`${lines} lines, the longest ${longest} characters`);
//     for (const level of Object.keys(counts).sort()) console.log(`${level}: ${counts[level]}`);
//     console.log(`first errors: ${firstErrors.join(', ')}`);
//   });
//   console.log('reading app.log line by line');
#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "examples/support.h"
#include "vow/readline/readline.h"
#include "vow/vow.h"

struct Summary {
  int lines = 0;
  std::size_t longest = 0;
  std::map<std::string, int> counts;  // sorted by level, as Object.keys(counts).sort()
  std::vector<std::string> firstErrors;
};

// JS: line.split(' ')[n].
std::string field(const std::string& line, int n) {
  std::size_t start = 0;
  for (int i = 0; i < n; ++i) {
    start = line.find(' ', start);
    if (start == std::string::npos) return "";
    ++start;
  }
  return line.substr(start, line.find(' ', start) - start);
}

vow::Promise<Summary> summarize(std::string file) {
  Summary s;
  auto rl = vow::readline::createInterface(
      {.input = vow::fs::createReadStream(file), .crlfDelay = vow::readline::kInfinity});
  auto it = vow::forAwait(rl);
  while (std::optional<std::string> line = co_await it.next()) {
    s.lines += 1;
    s.longest = std::max(s.longest, line->size());
    const std::string level = field(*line, 1);
    s.counts[level] += 1;
    if (level == "ERROR" && s.firstErrors.size() < 3) s.firstErrors.push_back(field(*line, 2));
  }
  co_await it.close();
  co_return s;
}

int main() {
  // A log of 5,000 lines: a level, a request id, and some text; Windows line ends here and there.
  const char* levels[] = {"INFO", "INFO", "DEBUG", "WARN", "INFO", "ERROR", "INFO"};
  std::string log;
  char head[64];
  for (int i = 1; i <= 5000; ++i) {
    const char* level = levels[(i * 3 + (i >> 3)) % 7];
    std::snprintf(head, sizeof head, "2024-05-01T12:00:%02d %s req=%d ", i % 60, level, i);
    log +=
        head + std::string(static_cast<std::size_t>(i % 40), 'x') + (i % 13 == 0 ? "\r\n" : "\n");
  }
  examples::ScratchDir scratch("readline_log", {{"app.log", log}});

  summarize("app.log").then([](const Summary& s) {
    std::printf("%d lines, the longest %zu characters\n", s.lines, s.longest);
    for (const auto& [level, n] : s.counts) std::printf("%s: %d\n", level.c_str(), n);
    std::printf("first errors: %s\n", examples::join(s.firstErrors, ", ").c_str());
  });
  std::puts("reading app.log line by line");

  vow::run();
}
