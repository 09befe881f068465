// clang-format off
// C++ twin of 55_abort_signal_any.js:
//
// // Pins AbortSignal.any(signals): with an input already aborted the result is aborted at once,
// // with that input's reason, and never dispatches; otherwise it aborts with the reason of the first
// // input to abort, and later aborts of the others change nothing. any() of an any() signal is
// // flattened: it depends on the inner signal's sources directly, so when a source aborts, its own
// // listeners run first, then its dependants abort one after the other in the order they were made
// // (each running its listeners), before abort() returns. A timeout signal can be an input.
// const a = new AbortController();
// const b = new AbortController();
// const c = new AbortController();
//
// const pre = AbortSignal.any([a.signal, AbortSignal.abort(new Error('already'))]);
// pre.onabort = () => console.log('pre aborted (not printed)');
// console.log('with an aborted input: aborted=' + pre.aborted + ' reason=' + pre.reason.message);
//
// const ab = AbortSignal.any([a.signal, b.signal]);
// const x = AbortSignal.any([ab]);  // flattened: depends on a and b
// const ac = AbortSignal.any([a.signal, c.signal]);
// const nested = AbortSignal.any([x, c.signal]);  // depends on a, b and c
// a.signal.addEventListener('abort', () => {
//   console.log('a listener: ab.aborted=' + ab.aborted + ' x.aborted=' + x.aborted);
//   process.nextTick(() => console.log('tick from a listener'));
// });
// ab.addEventListener('abort', () => console.log('ab aborted: x.aborted=' + x.aborted));
// x.addEventListener('abort', () => console.log('x aborted: nested.aborted=' + nested.aborted));
// ac.addEventListener('abort', () => console.log('ac aborted'));
// nested.addEventListener('abort', () => console.log('nested aborted'));
// a.signal.addEventListener('abort', () => console.log('second a listener'));
//
// console.log('a.abort()');
// a.abort(new Error('A'));
// console.log('a.abort() returned');
// console.log('reasons are a\'s: ' + [ab, x, ac, nested].map((s) => s.reason === a.signal.reason).join(' '));
// b.abort(new Error('B'));
// c.abort(new Error('C'));
// console.log('after b and c abort: ab=' + ab.reason.message + ' nested=' + nested.reason.message);
//
// const d = new AbortController();
// const e = new AbortController();
// const de = AbortSignal.any([d.signal, e.signal]);
// de.onabort = () => console.log('de aborted: ' + de.reason.message);
// e.abort(new Error('E first'));
// d.abort(new Error('D second'));
// console.log('de reason=' + de.reason.message + ' d.aborted=' + d.signal.aborted);
//
// const never = new AbortController();
// const ten = AbortSignal.timeout(10);
// const timed = AbortSignal.any([never.signal, ten]);
// timed.addEventListener('abort', () => {
//   console.log('timed aborted: ' + timed.reason.name + ' reason is ten\'s=' + (timed.reason === ten.reason) +
//               ' never.aborted=' + never.signal.aborted);
// });
// setTimeout(() => console.log('timer 20'), 20);  // a timeout signal keeps nothing alive
// console.log('end of script');
// clang-format on
#include <cstdio>
#include <string>

#include "vow/loop/abort_controller.h"
#include "vow/loop/loop.h"
#include "vow/promise/error.h"

namespace {

const char* boolText(bool b) { return b ? "true" : "false"; }

}  // namespace

int main() {
  using vow::AbortSignal;
  vow::AbortController a;
  vow::AbortController b;
  vow::AbortController c;

  const AbortSignal pre =
      AbortSignal::any({a.signal(), AbortSignal::abort(vow::Exception("already"))});
  pre.onabort([] { std::puts("pre aborted (not printed)"); });
  std::printf("with an aborted input: aborted=%s reason=%s\n", boolText(pre.aborted()),
              pre.reason().message().c_str());

  const AbortSignal ab = AbortSignal::any({a.signal(), b.signal()});
  const AbortSignal x = AbortSignal::any({ab});  // flattened: depends on a and b
  const AbortSignal ac = AbortSignal::any({a.signal(), c.signal()});
  const AbortSignal nested = AbortSignal::any({x, c.signal()});  // depends on a, b and c
  a.signal().addEventListener("abort", [&] {
    std::printf("a listener: ab.aborted=%s x.aborted=%s\n", boolText(ab.aborted()),
                boolText(x.aborted()));
    vow::nextTick([] { std::puts("tick from a listener"); });
  });
  ab.addEventListener("abort",
                      [&] { std::printf("ab aborted: x.aborted=%s\n", boolText(x.aborted())); });
  x.addEventListener(
      "abort", [&] { std::printf("x aborted: nested.aborted=%s\n", boolText(nested.aborted())); });
  ac.addEventListener("abort", [] { std::puts("ac aborted"); });
  nested.addEventListener("abort", [] { std::puts("nested aborted"); });
  a.signal().addEventListener("abort", [] { std::puts("second a listener"); });

  std::puts("a.abort()");
  a.abort(vow::Exception("A"));
  std::puts("a.abort() returned");
  std::string same;
  for (const AbortSignal* s : {&ab, &x, &ac, &nested}) {
    if (!same.empty()) same += " ";
    same += boolText(s->reason() == a.signal().reason());
  }
  std::printf("reasons are a's: %s\n", same.c_str());
  b.abort(vow::Exception("B"));
  c.abort(vow::Exception("C"));
  std::printf("after b and c abort: ab=%s nested=%s\n", ab.reason().message().c_str(),
              nested.reason().message().c_str());

  vow::AbortController d;
  vow::AbortController e;
  const AbortSignal de = AbortSignal::any({d.signal(), e.signal()});
  de.onabort([&] { std::printf("de aborted: %s\n", de.reason().message().c_str()); });
  e.abort(vow::Exception("E first"));
  d.abort(vow::Exception("D second"));
  std::printf("de reason=%s d.aborted=%s\n", de.reason().message().c_str(),
              boolText(d.signal().aborted()));

  vow::AbortController never;
  const AbortSignal ten = AbortSignal::timeout(10);
  const AbortSignal timed = AbortSignal::any({never.signal(), ten});
  timed.addEventListener("abort", [&] {
    std::printf("timed aborted: %s reason is ten's=%s never.aborted=%s\n",
                timed.reason().name().c_str(), boolText(timed.reason() == ten.reason()),
                boolText(never.signal().aborted()));
  });
  vow::setTimeout([] { std::puts("timer 20"); }, 20);  // a timeout signal keeps nothing alive
  std::puts("end of script");
  vow::run();
}
