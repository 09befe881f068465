// readline_100mb (issue 16): every line of a 100 MB text file ($BENCH_DATA/lines_100mb, which
// bench/compare writes), read with readline over fs::createReadStream, side by side with
// bench/node/readline_100mb.js. Two forms, as a porter writes them:
//   readline_100mb         for await (const line of rl) { n++; bytes += line.length; }
//   readline_100mb_events  rl.on('line', (line) => { n++; bytes += line.length; })
// Counters: lines (bench/compare turns it into lines per second of wall time), line_bytes.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "bench/cpu_time.h"
#include "vow/readline/readline.h"
#include "vow/vow.h"

namespace {

void fail(const std::string& what) {
  std::fprintf(stderr, "benchmark failed: %s\n", what.c_str());
  std::abort();
}

std::string linesFile() {
  const char* d = std::getenv("BENCH_DATA");
  if (!d) fail("set BENCH_DATA to the directory bench/compare prepared");
  return std::string(d) + "/lines_100mb";
}

struct Count {
  std::size_t lines = 0;
  std::size_t bytes = 0;
};

// JS: for await (const line of rl) { n++; bytes += line.length; }
vow::Promise<void> countLines(std::string file, Count* count) {
  auto rl = vow::readline::createInterface(
      {.input = vow::fs::createReadStream(file), .crlfDelay = vow::readline::kInfinity});
  auto it = vow::forAwait(rl);
  while (std::optional<std::string> line = co_await it.next()) {
    ++count->lines;
    count->bytes += line->size();
  }
  co_await it.close();
}

void report(benchmark::State& state, const vow_bench::CpuCounter& cpu, std::size_t lines,
            std::size_t bytes) {
  cpu.report(state);
  state.counters["lines"] = static_cast<double>(lines);
  // The sum of the lines' lengths in UTF-8 bytes (Node's twin reports its UTF-16 length).
  state.counters["line_bytes"] = static_cast<double>(bytes);
}

void readline_100mb(benchmark::State& state) {
  const std::string file = linesFile();
  vow_bench::CpuCounter cpu;
  Count count;
  for (auto _ : state) {
    cpu.start();
    count = Count();
    countLines(file, &count).catch_([](const vow::Error& e) { fail(e.message()); });
    vow::run();
    cpu.stop();
    if (count.lines == 0) fail("readline_100mb: no lines");
  }
  report(state, cpu, count.lines, count.bytes);
}

void readline_100mb_events(benchmark::State& state) {
  const std::string file = linesFile();
  vow_bench::CpuCounter cpu;
  Count count;
  for (auto _ : state) {
    cpu.start();
    count = Count();
    auto rl = vow::readline::createInterface(
        {.input = vow::fs::createReadStream(file), .crlfDelay = vow::readline::kInfinity});
    rl->on("line", [&count](const std::string& line) {
      ++count.lines;
      count.bytes += line.size();
    });
    vow::run();
    cpu.stop();
    if (count.lines == 0) fail("readline_100mb_events: no lines");
  }
  report(state, cpu, count.lines, count.bytes);
}

}  // namespace

BENCHMARK(readline_100mb)->Unit(benchmark::kMillisecond);
BENCHMARK(readline_100mb_events)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
