// Example 11: a blocking vs a non-blocking server.
// bazel run //examples:blocking_vs_nonblocking_server
//
// Both servers answer every HTTP request with a file they read for it, from a slow disk where
// every read takes kReadMs (simulated: a timer for the promise read, a sleep for the sync one).
// The non-blocking server reads with fs::promises and co_await: while one request waits for
// its read, the loop accepts and starts the others, so N concurrent requests take about one
// read's time. The blocking server reads with readFileSync: the whole thread stops in each
// read (the loop, the other connections, even the client in this same program), so the
// requests are served one after another, in about N reads' time. One thread serves many
// connections only if nothing on it blocks.
//
// The server and client (examples/mini_http.h) are built on the loop's I/O watchers: every
// socket is non-blocking, and epoll tells the loop which one is ready.
//
// The Node program it ports (examples/blocking_vs_nonblocking_server.js):
//
//   const http = require('http');
//   const fs = require('fs');
//   const { setTimeout: delay } = require('timers/promises');
//   const { enterScratchDir } = require('./support');
//
//   const READ_MS = 500;
//   const REQUESTS = 4;
//
//   enterScratchDir('blocking_vs_nonblocking_server', { 'page.txt': 'hello from page.txt' });
//
//   async function slowRead(path) {
//     await delay(READ_MS);
//     return fs.promises.readFile(path, 'utf8');
//   }
//
//   function slowReadSync(path) {
//     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, READ_MS);
//     return fs.readFileSync(path, 'utf8');
//   }
//
//   function get(url) {
//     return new Promise((resolve, reject) => {
//       const request = http.get(url, { agent: false }, (response) => {
//         let body = '';
//         response.on('data', (chunk) => (body += chunk));
//         response.on('end', () => resolve(body));
//       });
//       request.setTimeout(5000, () => request.destroy(new Error('request timed out')));
//       request.on('error', reject);
//     });
//   }
//
//   async function measure(name, handler) {
//     const server = http.createServer(handler);
//     await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
//     const url = `http://127.0.0.1:${server.address().port}/page.txt`;
//     const start = performance.now();
//     const requests = [];
//     for (let i = 0; i < REQUESTS; i++) requests.push(get(url));
//     const bodies = await Promise.all(requests);
//     const reads = Math.round((performance.now() - start) / READ_MS);
//     server.close();
//     const times = `${reads} read time${reads === 1 ? '' : 's'}`;
//     const same = bodies.every((body) => body === bodies[0]);
//     const answers = same ? `each answered "${bodies[0]}"` : 'with different answers';
//     console.log(`${name}: ${REQUESTS} requests took about ${times}, ${answers}`);
//   }
//
//   async function main() {
//     console.log(`${REQUESTS} concurrent requests; a read of the file takes ${READ_MS} ms`);
//     await measure('non-blocking server (fs.promises)', async (req, res) => {
//       res.end(await slowRead('.' + req.url));
//     });
//     await measure('blocking server (readFileSync)', (req, res) => {
//       res.end(slowReadSync('.' + req.url));
//     });
//   }
//
//   main();
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "examples/mini_http.h"
#include "examples/support.h"
#include "vow/vow.h"

// JS: const { setTimeout: delay } = require('timers/promises');
template <class... V>
auto delay(double ms, V&&... value) {
  return vow::timers::promises::setTimeout(ms, std::forward<V>(value)...);
}

namespace http = examples::http;
using Clock = std::chrono::steady_clock;

constexpr int kReadMs = 500;
constexpr int kRequests = 4;

vow::Promise<std::string> slowRead(std::string path) {
  co_await delay(kReadMs);  // the slow disk: the loop goes on meanwhile
  co_return co_await vow::fs::promises::readFile(path, "utf8");
}

std::string slowReadSync(const std::string& path) {
  std::this_thread::sleep_for(std::chrono::milliseconds(kReadMs));  // the thread stops
  return vow::fs::readFileSync(path, "utf8");
}

// Starts a server with `handler` on 127.0.0.1, sends it kRequests requests at once and reports
// how many read times they took in all. (http::get fails a request that takes over 5 s.)
vow::Promise<void> measure(std::string name, http::Server::Handler handler) {
  http::Server server(handler);
  server.listen(0, "127.0.0.1");
  std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/page.txt";
  auto start = Clock::now();
  std::vector<vow::Promise<std::string>> requests;
  for (int i = 0; i < kRequests; ++i) requests.push_back(http::get(url));
  std::vector<std::string> bodies = co_await vow::all(requests);
  double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  long reads = std::lround(ms / kReadMs);
  server.close();
  std::string times = std::to_string(reads) + " read time" + (reads == 1 ? "" : "s");
  bool same = std::ranges::all_of(bodies, [&](const std::string& b) { return b == bodies[0]; });
  std::string answers = same ? "each answered \"" + bodies[0] + "\"" : "with different answers";
  std::printf("%s: %d requests took about %s, %s\n", name.c_str(), kRequests, times.c_str(),
              answers.c_str());
}

vow::Promise<void> mainAsync() {
  std::printf("%d concurrent requests; a read of the file takes %d ms\n", kRequests, kReadMs);
  co_await measure("non-blocking server (fs.promises)",
                   [](http::Request req, http::Response res) -> vow::Promise<void> {
                     res.end(co_await slowRead("." + req.url));
                   });
  co_await measure("blocking server (readFileSync)", [](http::Request req, http::Response res) {
    res.end(slowReadSync("." + req.url));
  });
}

// `--timeline`: also prints what the loop thread did when (vow/loop/trace.h), one column per
// ~1/72 of the run: the blocking server's reads are long I/O callbacks (O) in a row, the
// non-blocking server's are short timer callbacks (T) with the loop idle between them.
int main(int argc, char** argv) {
  const bool timeline = argc > 1 && std::string(argv[1]) == "--timeline";
  examples::ScratchDir scratch("blocking_vs_nonblocking_server",
                               {{"page.txt", "hello from page.txt"}});
  if (timeline) vow::trace::start();
  mainAsync();
  vow::run();
  if (timeline) std::fputs(vow::trace::renderTimeline(vow::trace::stop()).c_str(), stdout);
}
