// Example 10: a stream reading a large file. bazel run //examples:stream_large_file
//
// Read a large file in chunks instead of all at once, so the memory used stays at one chunk
// whatever the file's size. Each chunk arrives in a "data" event (64 KiB: the default
// highWaterMark of fs streams), "end" says there is no more, "close" that the file is closed.
// The stream is a vow::EventEmitter: the callbacks are listeners of named events, and each
// chunk read is one thread-pool job, so the loop stays free between chunks.
//
// The Node program it ports (examples/stream_large_file.js):
//
//   const fs = require('fs');
//   const { enterScratchDir } = require('./support');
//
//   let big = '';
//   for (let i = 1; i <= 100000; i++) big += `line ${String(i).padStart(6, '0')}\n`;
//   enterScratchDir('stream_large_file', { 'big.txt': big });
//
//   let chunks = 0;
//   let bytes = 0;
//   let lines = 0;
//   let largest = 0;
//
//   const stream = fs.createReadStream('big.txt');
//   stream.on('data', (chunk) => {
//     chunks += 1;
//     bytes += chunk.length;
//     largest = Math.max(largest, chunk.length);
//     for (const byte of chunk) if (byte === 0x0a) lines += 1;
//     console.log(`data: chunk ${chunks}, ${chunk.length} bytes`);
//   });
//   stream.on('end', () => {
//     console.log(`end: ${bytes} bytes, ${lines} lines, in ${chunks} chunks`);
//     console.log(`at most ${largest} bytes of the file were in memory at once`);
//   });
//   stream.on('close', () => console.log('close: the file is closed'));
//   console.log('reading big.txt as a stream');
#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <string>

#include "examples/support.h"
#include "vow/vow.h"

int main() {
  // 100,000 numbered lines of 12 bytes each: 1,200,000 bytes.
  std::string big;
  char line[16];
  for (int i = 1; i <= 100000; ++i) {
    std::snprintf(line, sizeof line, "line %06d\n", i);
    big += line;
  }
  examples::ScratchDir scratch("stream_large_file", {{"big.txt", big}});

  std::size_t chunks = 0;
  std::size_t bytes = 0;
  std::size_t lines = 0;
  std::size_t largest = 0;

  // Listeners run on this thread, inside vow::run(), so they may use these locals by reference.
  auto stream = vow::fs::createReadStream("big.txt");
  stream->on("data", [&](const vow::Buffer& chunk) {  // a Buffer, as in Node
    chunks += 1;
    bytes += chunk.length();
    largest = std::max(largest, chunk.length());
    lines += std::ranges::count(chunk, '\n');  // a line may span two chunks
    std::printf("data: chunk %zu, %zu bytes\n", chunks, chunk.length());
  });
  stream->on("end", [&]() {
    std::printf("end: %zu bytes, %zu lines, in %zu chunks\n", bytes, lines, chunks);
    std::printf("at most %zu bytes of the file were in memory at once\n", largest);
  });
  stream->on("close", []() { std::puts("close: the file is closed"); });
  std::puts("reading big.txt as a stream");

  vow::run();
}
