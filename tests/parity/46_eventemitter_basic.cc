// clang-format off
// C++ twin of 46_eventemitter_basic.js:
//
// // Pins EventEmitter basics: listeners run synchronously in registration order, once removes itself
// // before running, off removes one registration, emit returns whether any listener existed, and
// // listeners removed or added during an emit do not change that emit's snapshot.
// const EventEmitter = require('events');
// const e = new EventEmitter();
// function a(x) { console.log('a got ' + x); }
// function b(x) { console.log('b got ' + x); }
// e.on('ev', a);
// e.once('ev', (x) => console.log('once got ' + x + ' (listeners now ' + e.listenerCount('ev') + ')'));
// e.on('ev', b);
// console.log('emit 1 returned ' + e.emit('ev', 1));
// console.log('emit 2 returned ' + e.emit('ev', 2));
// e.off('ev', a);
// console.log('emit 3 returned ' + e.emit('ev', 3));
// e.off('ev', b);
// console.log('emit 4 returned ' + e.emit('ev', 4) + ', listenerCount ' + e.listenerCount('ev'));
// console.log('emit on unknown event returned ' + e.emit('nothing'));
// e.on('pair', (x, y) => console.log('pair got ' + x + ' and ' + y));
// e.emit('pair', 1, 'two');
//
// function second() { console.log('second runs'); }
// e.on('x', () => {
//   console.log('first: removes second, adds third');
//   e.off('x', second);
//   e.on('x', () => console.log('third runs'));
// });
// e.on('x', second);
// console.log('-- emit x #1');
// e.emit('x');
// console.log('-- emit x #2');
// e.emit('x');
// e.on('dup', b);
// e.on('dup', b);
// console.log('same listener twice -> count ' + e.listenerCount('dup'));
// e.emit('dup', 'twice');
// e.off('dup', b);
// console.log('after one off -> count ' + e.listenerCount('dup'));
// console.log('end (all of the above was synchronous)');
//
// C++ note: `b` is given 1, 2, 3 on 'ev' and 'twice' on 'dup'; an event has one signature, so the
// port's `b` takes a std::string and 'ev' is emitted with the numbers as text.
// clang-format on
#include <cstdio>
#include <string>

#include "vow/loop/event_emitter.h"

static const char* boolText(bool v) { return v ? "true" : "false"; }

vow::EventEmitter e;
void a(const std::string& x) { std::printf("a got %s\n", x.c_str()); }
void b(const std::string& x) { std::printf("b got %s\n", x.c_str()); }
void second() { std::puts("second runs"); }

int main() {
  e.on("ev", a);
  e.once("ev", [](const std::string& x) {
    std::printf("once got %s (listeners now %zu)\n", x.c_str(), e.listenerCount("ev"));
  });
  e.on("ev", b);
  std::printf("emit 1 returned %s\n", boolText(e.emit("ev", "1")));
  std::printf("emit 2 returned %s\n", boolText(e.emit("ev", "2")));
  e.off("ev", a);
  std::printf("emit 3 returned %s\n", boolText(e.emit("ev", "3")));
  e.off("ev", b);
  std::printf("emit 4 returned %s, listenerCount %zu\n", boolText(e.emit("ev", "4")),
              e.listenerCount("ev"));
  std::printf("emit on unknown event returned %s\n", boolText(e.emit("nothing")));
  e.on("pair",
       [](int x, const std::string& y) { std::printf("pair got %d and %s\n", x, y.c_str()); });
  e.emit("pair", 1, "two");

  e.on("x", [] {
    std::puts("first: removes second, adds third");
    e.off("x", second);
    e.on("x", [] { std::puts("third runs"); });
  });
  e.on("x", second);
  std::puts("-- emit x #1");
  e.emit("x");
  std::puts("-- emit x #2");
  e.emit("x");
  e.on("dup", b);
  e.on("dup", b);
  std::printf("same listener twice -> count %zu\n", e.listenerCount("dup"));
  e.emit("dup", "twice");
  e.off("dup", b);
  std::printf("after one off -> count %zu\n", e.listenerCount("dup"));
  std::puts("end (all of the above was synchronous)");
}
