// C++ twin of 64_await_in_catch_finally.js. C++ forbids co_await inside a catch block (and has
// no finally), so the port follows one idiom, at the same ticks as JS:
//
//   vow::Error failure;                               // try {
//   try { ...co_await... } catch (...) { failure = vow::Error::current(); }
//   if (failure) {                                    // } catch (e) {
//     try { ...co_await..., failure.rethrow() to rethrow, or recover:
//           failure = {} } catch (...) { failure = vow::Error::current(); }
//   }                                                 // } finally {
//   ...co_await...                                    //   (a throw here replaces the error)
//   if (failure) failure.rethrow();                   // }
//   co_return result;
//
// The handler block's body moves below the try statement, where co_await is allowed; nothing is
// awaited in between, so each await happens at the tick JS's does. rethrow() throws the same
// exception object, as JS's `throw e` throws the same error.
#include <cstdio>
#include <string>

#include "vow/promise/promise.h"

using vow::Promise;

namespace {

void log(const std::string& s) { std::puts(s.c_str()); }

Promise<void> report(vow::Error e) {
  co_await Promise<void>::resolve();  // await null
  log("reported " + e.message());
}
Promise<void> cleanup(std::string name) {
  co_await Promise<void>::resolve();
  log("cleanup " + name);
}
vow::Error fatal;

Promise<std::string> recovers() {
  std::string result;
  vow::Error failure;
  try {
    co_await Promise<void>::reject(vow::Exception("load failed"));
    log("never");
  } catch (...) {
    failure = vow::Error::current();
  }
  if (failure) {  // catch (e)
    try {
      co_await report(failure);
      log("after report");
      result = "fallback";
      failure = {};
    } catch (...) {
      failure = vow::Error::current();
    }
  }
  co_await cleanup("A");  // finally
  if (failure) failure.rethrow();
  co_return result;
}

Promise<void> rethrows() {
  vow::Error failure;
  try {
    fatal = vow::Exception("fatal");
    co_await Promise<void>::reject(fatal);
  } catch (...) {
    failure = vow::Error::current();
  }
  if (failure) {  // catch (e)
    try {
      co_await report(failure);
      failure.rethrow();  // throw e
    } catch (...) {
      failure = vow::Error::current();
    }
  }
  co_await cleanup("B");  // finally
  if (failure) failure.rethrow();
}

Promise<std::string> returnsThroughFinally() {
  std::string result;
  vow::Error failure;
  try {
    result = co_await Promise<std::string>::resolve("value");  // return await ...
  } catch (...) {
    failure = vow::Error::current();
  }
  co_await cleanup("C");  // finally
  if (failure) failure.rethrow();
  co_return result;
}

Promise<void> finallyThrows() {
  vow::Error failure;
  try {
    throw vow::Exception("original");
  } catch (...) {
    failure = vow::Error::current();
  }
  co_await cleanup("D");                 // finally
  throw vow::Exception("from finally");  // replaces `failure`, as in JS
}

}  // namespace

int main() {
  Promise<void>::resolve()
      .then([] { log("t1"); })
      .then([] { log("t2"); })
      .then([] { log("t3"); })
      .then([] { log("t4"); })
      .then([] { log("t5"); })
      .then([] { log("t6"); })
      .then([] { log("t7"); });
  recovers().then([](const std::string& v) { log("recovers: " + v); });
  rethrows().catch_([](const vow::Error& e) {
    log("rethrows: " + e.message() + ", the same error: " + (e == fatal ? "true" : "false"));
  });
  returnsThroughFinally().then([](const std::string& v) { log("returnsThroughFinally: " + v); });
  finallyThrows().catch_([](const vow::Error& e) { log("finallyThrows: " + e.message()); });
  log("sync");
  vow::runMicrotasks();
}
