// Example 9: the thread pool. bazel run //examples:thread_pool_waves
//
// vow runs blocking calls (every fs operation) and CPU-heavy work (your own jobs through
// vow::queueWork) on a pool of VOW_THREADPOOL_SIZE threads, 4 by default, as Node runs fs,
// dns.lookup, crypto and zlib on libuv's pool of UV_THREADPOOL_SIZE. A blocking call holds its
// thread until the kernel answers, so 4 run at once and the others wait in the pool's queue.
// The blocking call here: opening a named pipe (a FIFO) for reading, which waits until a writer
// opens the other end. Each job opens its own pipe. Every 100 ms the loop thread knocks on the
// pipes (opens them for writing, without waiting): a job waiting in open() goes through; a job
// still in the queue is not there to answer. 8 jobs go through in two waves, on any number of
// cores. Try VOW_THREADPOOL_SIZE=8 (one wave) or VOW_THREADPOOL_SIZE=2 (four waves).
// `--timeline` also draws the waves (vow/loop/trace.h): one row per pool thread, each busy in
// open() from the moment it takes a job until the loop's knock lets it through.
//
// The Node program it ports (examples/thread_pool_waves.js):
//
//   // Must happen before the pool's first use: libuv reads it once, when the pool starts.
//   process.env.UV_THREADPOOL_SIZE ??= '4';
//   const poolSize = process.env.UV_THREADPOOL_SIZE;
//   const fs = require('fs');
//   const { execFileSync } = require('child_process');
//   const { enterScratchDir } = require('./support');
//
//   const JOBS = 8;
//   enterScratchDir('thread_pool_waves', {});
//   const pipeOf = (job) => `pipe${job}`;
//   for (let job = 1; job <= JOBS; job++) {
//     execFileSync('mkfifo', [pipeOf(job)]);  // Node has no mkfifo of its own
//   }
//
//   let done = 0;
//   for (let job = 1; job <= JOBS; job++) {
//     // On a pool thread: blocks in open() until a writer comes.
//     fs.open(pipeOf(job), 'r', (err, fd) => {
//       if (err) throw err;
//       fs.closeSync(fd);
//       if (++done === JOBS) console.log('a job waits in the queue until a pool thread is free');
//     });
//   }
//   console.log(`${JOBS} blocking jobs queued on a pool of ${poolSize} threads`);
//
//   // The writer. O_NONBLOCK: with no reader waiting, open fails (ENXIO) instead of waiting.
//   const { O_WRONLY, O_NONBLOCK } = fs.constants;
//   let waves = 0;
//   let through = 0;
//   const knocked = new Set();
//   const writer = setInterval(() => {
//     const wave = [];
//     // Newest job first: a job let through frees its thread for the next job in the queue, which
//     // must not be counted in this wave.
//     for (let job = JOBS; job >= 1; job--) {
//       if (knocked.has(job)) continue;
//       try {
//         fs.closeSync(fs.openSync(pipeOf(job), O_WRONLY | O_NONBLOCK));
//         knocked.add(job);
//         wave.unshift(job);
//       } catch (err) {
//         if (err.code !== 'ENXIO') throw err;  // ENXIO: job not in open() yet
//       }
//     }
//     if (wave.length > 0) {
//       console.log(`wave ${++waves}: jobs ${wave.join(' ')} went through together`);
//     }
//     through += wave.length;
//     if (through === JOBS) clearInterval(writer);
//   }, 100);
#include <fcntl.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <set>
#include <string>
#include <vector>

#include "examples/support.h"
#include "vow/vow.h"

namespace fs = vow::fs;

constexpr int kJobs = 8;

std::string pipeOf(int job) { return "pipe" + std::to_string(job); }

int main(int argc, char** argv) {
  const bool timeline = argc > 1 && std::string(argv[1]) == "--timeline";
  if (timeline) vow::trace::start();
  // 4 threads unless VOW_THREADPOOL_SIZE is set already. Must happen before the pool's first
  // use: the pool reads it once, when it starts (Node: UV_THREADPOOL_SIZE, read by libuv).
  setenv("VOW_THREADPOOL_SIZE", "4", /*overwrite=*/0);
  examples::ScratchDir scratch("thread_pool_waves", {});
  for (int job = 1; job <= kJobs; ++job) {
    if (mkfifo(pipeOf(job).c_str(), 0666) != 0) std::abort();  // Node: execFileSync('mkfifo')
  }

  int done = 0;
  for (int job = 1; job <= kJobs; ++job) {
    // On a pool thread: blocks in open() until a writer comes.
    fs::open(pipeOf(job), "r", [&done](vow::Error err, int fd) {
      if (err) std::rethrow_exception(err.exception());
      fs::closeSync(fd);
      if (++done == kJobs) std::puts("a job waits in the queue until a pool thread is free");
    });
  }
  std::printf("%d blocking jobs queued on a pool of %zu threads\n", kJobs, vow::threadPoolSize());

  // The writer. O_NONBLOCK: with no reader waiting, open fails (ENXIO) instead of waiting.
  int waves = 0;
  int through = 0;
  std::set<int> knocked;
  vow::Timeout writer;
  writer = vow::setInterval(
      [&] {
        std::vector<int> wave;
        // Newest job first: a job let through frees its thread for the next job in the queue,
        // which must not be counted in this wave.
        for (int job = kJobs; job >= 1; --job) {
          if (knocked.contains(job)) continue;
          try {
            fs::closeSync(fs::openSync(pipeOf(job), O_WRONLY | O_NONBLOCK));
            knocked.insert(job);
            wave.insert(wave.begin(), job);
          } catch (const vow::SystemError& e) {
            if (e.code() != "ENXIO") throw;  // ENXIO: job not in open() yet
          }
        }
        if (!wave.empty()) {
          std::printf("wave %d: jobs", ++waves);
          for (int job : wave) std::printf(" %d", job);
          std::printf(" went through together\n");
        }
        through += static_cast<int>(wave.size());
        if (through == kJobs) vow::clearInterval(writer);
      },
      100);
  vow::run();
  if (timeline) std::fputs(vow::trace::renderTimeline(vow::trace::stop()).c_str(), stdout);
}
