// clang-format off
// C++ twin of 69_stream_pipeline_files.js:
//
//   // Pins stream/promises pipeline over fs streams with a Transform and with an async generator
//   // transform: the bytes copied, the streams' 'close' events, and a missing source rejecting the
//   // pipeline with ENOENT while the destination is closed too.
//   // Both streams are closed before the pipeline settles, but which closes first is a race: the
//   // two close() calls go to the thread pool in the same tick and either thread may finish first
//   // (Node printed 'dst close' first in 1 run of 150 with two busy cores), so the order is not pinned.
//   const fs = require('fs');
//   const os = require('os');
//   const path = require('path');
//   const { Transform } = require('stream');
//   const { pipeline } = require('stream/promises');
//
//   const dir = path.join(os.tmpdir(), 'parity-tmp', '69_stream_pipeline_files');
//   fs.rmSync(dir, { recursive: true, force: true });
//   fs.mkdirSync(dir, { recursive: true });
//   const input = path.join(dir, 'in.txt');
//   let text = '';
//   for (let i = 0; i < 5000; i++) text += `row ${i} abcdefghijklmnopqrstuvwxyz\n`;
//   fs.writeFileSync(input, text);
//
//   async function main() {
//     let chunks = 0;
//     const upper = new Transform({
//       transform(chunk, encoding, callback) {
//         chunks += 1;
//         callback(null, chunk.toString().toUpperCase());
//       },
//     });
//     const src = fs.createReadStream(input, { highWaterMark: 16384 });
//     const dst = fs.createWriteStream(path.join(dir, 'out1.txt'));
//     const closed = [];
//     src.on('close', () => closed.push('src'));
//     dst.on('close', () => closed.push('dst'));
//     await pipeline(src, upper, dst);
//     console.log(`closed before the pipeline settled: ${closed.sort().join(' ')}`);
//     const out1 = fs.readFileSync(path.join(dir, 'out1.txt'), 'utf8');
//     console.log(`transform: ${chunks} chunks, ${out1.length} bytes, upper ${out1 === text.toUpperCase()}`);
//
//     let seen = 0;
//     await pipeline(
//       fs.createReadStream(input, { highWaterMark: 16384 }),
//       async function* (source) {
//         for await (const chunk of source) {
//           seen += chunk.length;
//           yield chunk.toString().replace(/row/g, 'ROW');
//         }
//       },
//       fs.createWriteStream(path.join(dir, 'out2.txt')));
//     const out2 = fs.readFileSync(path.join(dir, 'out2.txt'), 'utf8');
//     console.log(`generator: ${seen} bytes seen, ${out2.length} written, ok ${out2 === text.replace(/row/g, 'ROW')}`);
//
//     const out3 = fs.createWriteStream(path.join(dir, 'out3.txt'));
//     out3.on('close', () => console.log('out3 close'));
//     try {
//       await pipeline(fs.createReadStream(path.join(dir, 'missing.txt')), out3);
//     } catch (e) {
//       console.log(`rejected: ${e.code} ${e.syscall}`);
//     }
//     // The destination's open may still be on the thread pool when the pipeline rejects: wait for
//     // its 'close', or the file it creates may appear after rmSync listed the directory (ENOTEMPTY).
//     if (!out3.closed) await once(out3, 'close');
//     fs.rmSync(dir, { recursive: true, force: true });
//     console.log('cleaned up');
//   }
//   main();
// clang-format on
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "tests/parity/parity_support.h"
#include "vow/vow.h"

namespace fs = vow::fs;
namespace stream = vow::stream;
using parity::replaceAll;
using parity::tmpdir;

const std::string dir = tmpdir() + "/parity-tmp/69_stream_pipeline_files";
const std::string input = dir + "/in.txt";

std::string toUpperCase(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

vow::Promise<void> run(std::string text) {
  auto chunks = std::make_shared<int>(0);
  auto upper =
      stream::Transform::create({.transform = [chunks](stream::Transform&, vow::Buffer chunk,
                                                       stream::TransformCallback callback) {
        *chunks += 1;
        callback(nullptr, toUpperCase(chunk.toString()));
      }});
  auto src = fs::createReadStream(input, {.highWaterMark = 16384});
  auto dst = fs::createWriteStream(dir + "/out1.txt");
  auto closed = std::make_shared<std::vector<std::string>>();
  src->on("close", [closed] { closed->push_back("src"); });
  dst->on("close", [closed] { closed->push_back("dst"); });
  co_await stream::promises::pipeline(src, upper, dst);
  std::sort(closed->begin(), closed->end());
  std::printf("closed before the pipeline settled:");
  for (const std::string& name : *closed) std::printf(" %s", name.c_str());
  std::printf("\n");
  const std::string out1 = fs::readFileSync(dir + "/out1.txt", "utf8");
  std::printf("transform: %d chunks, %zu bytes, upper %s\n", *chunks, out1.size(),
              out1 == toUpperCase(text) ? "true" : "false");

  auto seen = std::make_shared<std::size_t>(0);
  auto gen = [seen](vow::AsyncGenerator<vow::Buffer> source) -> vow::AsyncGenerator<vow::Buffer> {
    auto it = vow::forAwait(source);
    while (auto chunk = co_await it.next()) {
      *seen += chunk->length();
      co_yield vow::Buffer::from(replaceAll(chunk->toString(), "row", "ROW"));
    }
    co_await it.close();
  };
  co_await stream::promises::pipeline(fs::createReadStream(input, {.highWaterMark = 16384}), gen,
                                      fs::createWriteStream(dir + "/out2.txt"));
  const std::string out2 = fs::readFileSync(dir + "/out2.txt", "utf8");
  std::printf("generator: %zu bytes seen, %zu written, ok %s\n", *seen, out2.size(),
              out2 == replaceAll(text, "row", "ROW") ? "true" : "false");

  auto out3 = fs::createWriteStream(dir + "/out3.txt");
  out3->on("close", [] { std::puts("out3 close"); });
  try {
    co_await stream::promises::pipeline(fs::createReadStream(dir + "/missing.txt"), out3);
  } catch (const vow::SystemError& e) {
    std::printf("rejected: %s %s\n", e.code().c_str(), e.syscall().c_str());
  }
  if (!out3->closed()) {
    auto [closed, resolve, reject] = vow::Promise<void>::withResolvers();
    out3->on("close", [resolve = resolve] { resolve(); });
    co_await closed;
  }
  fs::rmSync(dir, {.recursive = true, .force = true});
  std::puts("cleaned up");
}

int main() {
  fs::rmSync(dir, {.recursive = true, .force = true});
  fs::mkdirSync(dir, {.recursive = true});
  std::string text;
  for (int i = 0; i < 5000; ++i)
    text += "row " + std::to_string(i) + " abcdefghijklmnopqrstuvwxyz\n";
  fs::writeFileSync(input, text);
  auto done = run(text);
  vow::run();
}
