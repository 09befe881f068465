// pipeline_1gib: copy $BENCH_DATA/pipeline_1g (1 GiB, bench/compare prepares it) to
// $BENCH_DATA/pipeline_1g.out through a Transform that uppercases ASCII letters byte by byte,
// with vow::stream::promises::pipeline and the default highWaterMarks, as bench/node/
// pipeline_1gib.js does in Node; bench/ref/blocking_pipeline.c is the blocking read/write loop.
// The first run checks the output byte for byte (outside the timing).
//
//   pipeline_bench [--benchmark_filter=^pipeline_1gib(_generator)?$]
//
// pipeline_1gib_generator: the same copy with an async generator transform instead of a
// Transform stream (no Node twin in the table; printed for information).
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bench/cpu_time.h"
#include "vow/vow.h"

namespace {

constexpr std::size_t kSize = std::size_t{1} << 30;

void fail(const std::string& what) {
  std::fprintf(stderr, "benchmark failed: %s\n", what.c_str());
  std::abort();
}

std::string dataDir() {
  const char* d = std::getenv("BENCH_DATA");
  if (!d) fail("set BENCH_DATA to the directory bench/compare prepared");
  return d;
}

void upper(char* p, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char c = static_cast<unsigned char>(p[i]);
    if (c >= 'a' && c <= 'z') p[i] = static_cast<char>(c - 32);
  }
}

// The output is the input uppercased, byte for byte.
void verify(const std::string& in, const std::string& out) {
  const int a = ::open(in.c_str(), O_RDONLY | O_CLOEXEC);
  const int b = ::open(out.c_str(), O_RDONLY | O_CLOEXEC);
  if (a < 0 || b < 0) fail("verify: open");
  std::vector<char> x(1 << 20), y(1 << 20);
  std::size_t total = 0;
  for (;;) {
    const ssize_t n = ::read(a, x.data(), x.size());
    ssize_t m = 0;
    while (m < n) {
      const ssize_t k = ::read(b, y.data() + m, static_cast<std::size_t>(n - m));
      if (k <= 0) break;
      m += k;
    }
    if (n < 0 || n != m) fail("verify: sizes differ");
    if (n == 0) break;
    upper(x.data(), static_cast<std::size_t>(n));
    if (std::memcmp(x.data(), y.data(), static_cast<std::size_t>(n)) != 0) {
      fail("verify: bytes differ");
    }
    total += static_cast<std::size_t>(n);
  }
  char extra;
  if (::read(b, &extra, 1) != 0) fail("verify: output longer");
  ::close(a);
  ::close(b);
  if (total != kSize) fail("verify: short copy");
}

void run(benchmark::State& state, bool generator) {
  const std::string in = dataDir() + "/pipeline_1g";
  const std::string out = in + ".out";
  vow_bench::CpuCounter cpu;
  bool checked = false;
  for (auto _ : state) {
    cpu.start();
    bool ok = false;
    vow::Error failed;
    vow::Promise<void> done = [&] {
      if (generator) {
        auto gen = [](vow::AsyncGenerator<vow::Buffer> source) -> vow::AsyncGenerator<vow::Buffer> {
          auto it = vow::forAwait(source);
          while (auto chunk = co_await it.next()) {
            upper(chunk->data(), chunk->size());
            co_yield std::move(*chunk);
          }
          co_await it.close();
        };
        return vow::stream::promises::pipeline(vow::fs::createReadStream(in), gen,
                                               vow::fs::createWriteStream(out));
      }
      auto t = vow::stream::Transform::create(
          {.transform = [](vow::stream::Transform&, vow::Buffer chunk,
                           vow::stream::TransformCallback cb) {
            upper(chunk.data(), chunk.size());
            cb(vow::Error(), std::move(chunk));
          }});
      return vow::stream::promises::pipeline(vow::fs::createReadStream(in), t,
                                             vow::fs::createWriteStream(out));
    }();
    done.then([&] { ok = true; }, [&](const vow::Error& e) { failed = e; });
    vow::run();
    cpu.stop();
    if (failed) fail("pipeline_1gib: " + failed.message());
    if (!ok) fail("pipeline_1gib: did not finish");
    if (!checked) {
      state.PauseTiming();
      verify(in, out);
      checked = true;
      state.ResumeTiming();
    }
  }
  cpu.report(state);
}

void pipeline_1gib(benchmark::State& state) { run(state, false); }
void pipeline_1gib_generator(benchmark::State& state) { run(state, true); }

}  // namespace

BENCHMARK(pipeline_1gib)->Unit(benchmark::kMillisecond);
BENCHMARK(pipeline_1gib_generator)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
