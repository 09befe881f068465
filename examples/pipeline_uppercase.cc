// Example: copy a file through an uppercasing transform with pipeline.
// bazel run //examples:pipeline_uppercase
//
// stream/promises pipeline(source, ...transforms, destination) connects streams with
// backpressure (a full destination pauses the source until it drains), ends the destination
// when the source ends, and when anything fails destroys every stream and rejects once. The
// transform can be a Transform stream or an async generator function (vow::AsyncGenerator,
// consumed with vow::forAwait). Only one chunk (64 KiB) of the file is in memory at a time.
//
// The Node program it ports (examples/pipeline_uppercase.js):
//
//   const fs = require('fs');
//   const { Transform } = require('stream');
//   const { pipeline } = require('stream/promises');
//   const { enterScratchDir } = require('./support');
//
//   let text = '';
//   for (let i = 1; i <= 20000; i++) {
//     text += `line ${i}: the quick brown fox jumps over the lazy dog\n`;
//   }
//   enterScratchDir('pipeline_uppercase', { 'in.txt': text });
//
//   async function main() {
//     // 1. A Transform stream between a file read stream and a file write stream.
//     let chunks = 0;
//     const upper = new Transform({
//       transform(chunk, encoding, callback) {
//         chunks += 1;
//         callback(null, chunk.toString().toUpperCase());
//       },
//     });
//     await pipeline(fs.createReadStream('in.txt'), upper, fs.createWriteStream('out.txt'));
//     const out = fs.readFileSync('out.txt', 'utf8');
//     console.log(`transform: copied ${out.length} bytes in ${chunks} chunks`);
//     console.log(`first line: ${out.slice(0, out.indexOf('\n'))}`);
//     console.log(`same as text.toUpperCase(): ${out === text.toUpperCase()}`);
//
//     // 2. The same copy with an async generator function as the transform.
//     await pipeline(
//       fs.createReadStream('in.txt'),
//       async function* (source) {
//         for await (const chunk of source) yield chunk.toString().toUpperCase();
//       },
//       fs.createWriteStream('out2.txt'));
//     console.log(`generator: same output: ${fs.readFileSync('out2.txt', 'utf8') === out}`);
//
//     // 3. An error anywhere destroys every stream and rejects the pipeline once.
//     const output = fs.createWriteStream('out3.txt');
//     output.on('close', () => console.log('the output stream was closed too'));
//     try {
//       await pipeline(fs.createReadStream('missing.txt'), new Transform({
//         transform(chunk, encoding, callback) { callback(null, chunk); },
//       }), output);
//     } catch (err) {
//       console.log(`pipeline failed: ${err.code}`);
//     }
//   }
//
//   main();
#include <cctype>
#include <cstdio>
#include <memory>
#include <string>

#include "examples/support.h"
#include "vow/vow.h"

namespace stream = vow::stream;

std::string toUpperCase(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// async function* (source) { for await (const chunk of source) yield chunk...toUpperCase(); }
// The chunks are vow::Buffer; the text made from one is yielded as a new Buffer.
vow::AsyncGenerator<vow::Buffer> upperGenerator(vow::AsyncGenerator<vow::Buffer> source) {
  auto it = vow::forAwait(source);
  while (auto chunk = co_await it.next())
    co_yield vow::Buffer::from(toUpperCase(chunk->toString()));
  co_await it.close();
}

vow::Promise<void> run(const std::string& text) {
  // 1. A Transform stream between a file read stream and a file write stream.
  auto chunks = std::make_shared<int>(0);
  auto upper =
      stream::Transform::create({.transform = [chunks](stream::Transform&, vow::Buffer chunk,
                                                       stream::TransformCallback callback) {
        *chunks += 1;
        callback(nullptr, toUpperCase(chunk.toString()));  // text: pushed as a new Buffer
      }});
  co_await stream::promises::pipeline(vow::fs::createReadStream("in.txt"), upper,
                                      vow::fs::createWriteStream("out.txt"));
  const std::string out = vow::fs::readFileSync("out.txt", "utf8");
  std::printf("transform: copied %zu bytes in %d chunks\n", out.size(), *chunks);
  std::printf("first line: %s\n", out.substr(0, out.find('\n')).c_str());
  std::printf("same as text.toUpperCase(): %s\n", out == toUpperCase(text) ? "true" : "false");

  // 2. The same copy with an async generator function as the transform.
  co_await stream::promises::pipeline(vow::fs::createReadStream("in.txt"), upperGenerator,
                                      vow::fs::createWriteStream("out2.txt"));
  std::printf("generator: same output: %s\n",
              vow::fs::readFileSync("out2.txt", "utf8") == out ? "true" : "false");

  // 3. An error anywhere destroys every stream and rejects the pipeline once.
  auto output = vow::fs::createWriteStream("out3.txt");
  output->on("close", [] { std::puts("the output stream was closed too"); });
  auto passThrough = stream::Transform::create(
      {.transform = [](stream::Transform&, vow::Buffer chunk, stream::TransformCallback callback) {
        callback(nullptr, std::move(chunk));  // the same Buffer goes on
      }});
  try {
    co_await stream::promises::pipeline(vow::fs::createReadStream("missing.txt"), passThrough,
                                        output);
  } catch (const vow::SystemError& err) {
    std::printf("pipeline failed: %s\n", err.code().c_str());
  }
}

int main() {
  std::string text;
  for (int i = 1; i <= 20000; ++i) {
    text += "line " + std::to_string(i) + ": the quick brown fox jumps over the lazy dog\n";
  }
  examples::ScratchDir scratch("pipeline_uppercase", {{"in.txt", text}});
  auto done = run(text);
  vow::run();
}
