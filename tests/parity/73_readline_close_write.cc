// clang-format off
// C++ twin of 73_readline_close_write.js:
//
//   // readline over a hand-made input (an EventEmitter with pause() and resume(), which is all a
//   // readline input needs): close() inside a 'line' listener pauses the input and emits 'pause'
//   // then 'close', yet the rest of the chunk's lines are still emitted; the unfinished line stays,
//   // and rl.write() resumes and completes it. An AbortSignal closes an interface; one already
//   // aborted closes it on the next tick.
//   const EventEmitter = require('events');
//   const readline = require('readline');
//
//   function makeInput(name) {
//     const input = new EventEmitter();
//     input.pause = () => console.log(name + ': input.pause()');
//     input.resume = () => console.log(name + ': input.resume()');
//     return input;
//   }
//   function watch(rl, name) {
//     rl.on('line', (line) => console.log(name + ': line ' + JSON.stringify(line)));
//     rl.on('pause', () => console.log(name + ': pause'));
//     rl.on('resume', () => console.log(name + ': resume'));
//     rl.on('close', () => console.log(name + ': close'));
//   }
//
//   const input = makeInput('rl');
//   const rl = readline.createInterface({ input });
//   watch(rl, 'rl');
//   rl.on('line', (line) => {
//     if (line === 'stop') rl.close();
//   });
//   input.emit('data', 'one\nstop\nafter stop\nunfinished');
//   input.emit('data', 'ignored: no longer listened to\n');
//   console.log('closed: ' + rl.closed + ', data listeners: ' + input.listenerCount('data'));
//   rl.write(' line\n');
//
//   const controller = new AbortController();
//   const rl2 = readline.createInterface({ input: makeInput('rl2'), signal: controller.signal });
//   watch(rl2, 'rl2');
//   controller.abort();
//
//   const rl3 = readline.createInterface({ input: makeInput('rl3'), signal: AbortSignal.abort() });
//   watch(rl3, 'rl3');
//   process.nextTick(() => console.log('a nextTick queued after rl3 was made'));
//   console.log('sync end');
// clang-format on
#include <cstdio>
#include <memory>
#include <string>

#include "vow/readline/readline.h"
#include "vow/vow.h"

namespace readline = vow::readline;

// An EventEmitter with pause() and resume(): all a readline input needs.
class Input : public vow::EventEmitter {
 public:
  explicit Input(std::string name) : name_(std::move(name)) {}
  void pause() { std::printf("%s: input.pause()\n", name_.c_str()); }
  void resume() { std::printf("%s: input.resume()\n", name_.c_str()); }

 private:
  std::string name_;
};

void watch(readline::Interface& rl, const std::string& name) {
  rl.on("line", [name](const std::string& line) {
    std::printf("%s: line \"%s\"\n", name.c_str(), line.c_str());
  });
  rl.on("pause", [name] { std::printf("%s: pause\n", name.c_str()); });
  rl.on("resume", [name] { std::printf("%s: resume\n", name.c_str()); });
  rl.on("close", [name] { std::printf("%s: close\n", name.c_str()); });
}

int main() {
  auto input = std::make_shared<Input>("rl");
  auto rl = readline::createInterface({.input = input});
  watch(*rl, "rl");
  readline::Interface* raw = rl.get();
  rl->on("line", [raw](const std::string& line) {
    if (line == "stop") raw->close();
  });
  input->emit("data", vow::Buffer::from(std::string("one\nstop\nafter stop\nunfinished")));
  input->emit("data", vow::Buffer::from(std::string("ignored: no longer listened to\n")));
  std::printf("closed: %s, data listeners: %zu\n", rl->closed() ? "true" : "false",
              input->listenerCount("data"));
  rl->write(" line\n");

  vow::AbortController controller;
  auto rl2 = readline::createInterface(
      {.input = std::make_shared<Input>("rl2"), .signal = controller.signal()});
  watch(*rl2, "rl2");
  controller.abort();

  auto rl3 = readline::createInterface(
      {.input = std::make_shared<Input>("rl3"), .signal = vow::AbortSignal::abort()});
  watch(*rl3, "rl3");
  vow::nextTick([] { std::puts("a nextTick queued after rl3 was made"); });
  std::puts("sync end");
  vow::run();
}
