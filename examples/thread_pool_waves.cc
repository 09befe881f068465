// Example 9: the thread pool. bazel run //examples:thread_pool_waves
//
// vow runs blocking and CPU-heavy work (every fs operation, and your own jobs through
// vow::queueWork) on a pool of VOW_THREADPOOL_SIZE threads, 4 by default, as Node runs fs,
// crypto and zlib on libuv's pool of UV_THREADPOOL_SIZE. Queue 8 equal CPU-bound jobs and they
// finish in two waves: 4 run at once, and the other 4 wait for a free thread. The job runs on a
// pool thread; its promise settles back on the loop thread, where the `then` runs.
// Try VOW_THREADPOOL_SIZE=8 (one wave) or VOW_THREADPOOL_SIZE=2 (four waves).
//
// The Node program it ports (examples/thread_pool_waves.js). Node has no queueWork for
// JavaScript; its classic CPU-bound pool job is crypto.pbkdf2:
//
//   process.env.UV_THREADPOOL_SIZE ??= '4';
//   const poolSize = process.env.UV_THREADPOOL_SIZE;
//   const crypto = require('crypto');
//
//   const JOBS = 8;
//   const start = performance.now();
//   const finished = [];  // {job, ms}, in the order the jobs finish
//
//   for (let job = 1; job <= JOBS; job++) {
//     crypto.pbkdf2('secret', 'salt', 50000, 64, 'sha512', () => {
//       finished.push({ job, ms: performance.now() - start });
//       if (finished.length === JOBS) report();
//     });
//   }
//   console.log(`${JOBS} equal CPU-bound jobs queued on a pool of ${poolSize} threads`);
//
//   function report() {
//     const waves = [];
//     let previous = -Infinity;
//     for (const { job, ms } of finished) {
//       if (ms - previous > finished[0].ms / 2) waves.push([]);
//       waves[waves.length - 1].push(job);
//       previous = ms;
//     }
//     waves.forEach((jobs, i) => {
//       jobs.sort((a, b) => a - b);
//       console.log(`wave ${i + 1}: jobs ${jobs.join(' ')} finished together`);
//     });
//     console.log('a job waits in the queue until a pool thread is free');
//   }
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <limits>
#include <string_view>
#include <vector>

#include "vow/vow.h"

using Clock = std::chrono::steady_clock;

// CPU-bound work: stretching a password hash (FNV-1a, `rounds` times over the password).
std::uint64_t stretch(std::string_view password, int rounds) {
  std::uint64_t hash = 14695981039346656037u;
  for (int i = 0; i < rounds; ++i) {
    for (char c : password) {
      hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211u;
    }
  }
  return hash;
}

struct Finished {
  int job;
  double ms;
};

constexpr int kJobs = 8;
const Clock::time_point start = Clock::now();
std::vector<Finished> finished;  // in the order the jobs finish

// Jobs that run together finish together. Times vary from machine to machine, so print waves,
// not times: a new wave starts where the gap to the previous finish is more than half of the
// time the first job took.
void report() {
  std::vector<std::vector<int>> waves;
  double previous = -std::numeric_limits<double>::infinity();
  for (const auto& [job, ms] : finished) {
    if (ms - previous > finished[0].ms / 2) waves.emplace_back();
    waves.back().push_back(job);
    previous = ms;
  }
  for (std::size_t i = 0; i < waves.size(); ++i) {
    std::ranges::sort(waves[i]);
    std::printf("wave %zu: jobs", i + 1);
    for (int job : waves[i]) std::printf(" %d", job);
    std::printf(" finished together\n");
  }
  std::puts("a job waits in the queue until a pool thread is free");
}

int main() {
  // 4 threads unless VOW_THREADPOOL_SIZE is set already. Must happen before the pool's first
  // use: the pool reads it once, when it starts (Node: UV_THREADPOOL_SIZE, read by libuv).
  setenv("VOW_THREADPOOL_SIZE", "4", /*overwrite=*/0);

  for (int job = 1; job <= kJobs; ++job) {
    // The lambda runs on a pool thread; the `then` runs on this (the loop's) thread.
    vow::queueWork([] { return stretch("secret", 10'000'000); }).then([job](std::uint64_t) {
      double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      finished.push_back({job, ms});
      if (std::ssize(finished) == kJobs) report();
    });
  }
  std::printf("%d equal CPU-bound jobs queued on a pool of %zu threads\n", kJobs,
              vow::threadPoolSize());
  vow::run();
}
