// The porting idiom for JS's `await` inside catch and finally blocks (C++ forbids co_await in a
// handler block): capture the error as a vow::Error in the catch, co_await after the try
// statement, rethrow. The ticks are JS's; the expected sequences are what Node prints for the
// same programs.
#include <stdexcept>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "vow/promise/promise.h"
#include "vow/promise/testing/test_support.h"

namespace vow {
namespace {

using test::Log;
using ::testing::ElementsAre;

void tickChain(Log& log, int n) {
  auto p = Promise<void>::resolve();
  for (int i = 1; i <= n; ++i) p = p.then([&log, i] { log("t" + std::to_string(i)); });
}

Promise<void> step(Log& log, std::string what) {
  co_await Promise<void>::resolve();  // JS: await null
  log(what);
}

// JS:
//   async function f() {
//     try { await Promise.reject(new Error('x')); }
//     catch (e) { await step('handled ' + e.message); return 'fallback'; }
//     finally { await step('finally'); }
//   }
Promise<std::string> recovers(Log& log) {
  std::string result;
  Error failure;
  try {
    co_await Promise<void>::reject(std::runtime_error("x"));
  } catch (...) {
    failure = Error::current();
  }
  if (failure) {
    try {
      co_await step(log, "handled " + failure.message());
      result = "fallback";
      failure = {};
    } catch (...) {
      failure = Error::current();
    }
  }
  co_await step(log, "finally");
  if (failure) failure.rethrow();
  co_return result;
}

TEST(AwaitInCatch, HandlerThatAwaitsAndRecoversKeepsJsTicks) {
  Log log;
  tickChain(log, 6);
  recovers(log).then([&](const std::string& v) { log("result " + v); });
  runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("t1", "t2", "handled x", "t3", "t4", "finally", "t5", "t6",
                                     "result fallback"));
}

// JS: catch (e) { await step('reported'); throw e; } finally { await step('finally'); }
Promise<void> rethrows(Log& log, Error original) {
  Error failure;
  try {
    co_await Promise<void>::reject(original);
  } catch (...) {
    failure = Error::current();
  }
  if (failure) {
    try {
      co_await step(log, "reported");
      failure.rethrow();
    } catch (...) {
      failure = Error::current();
    }
  }
  co_await step(log, "finally");
  if (failure) failure.rethrow();
}

TEST(AwaitInCatch, RethrowAfterAwaitRejectsWithTheSameError) {
  Log log;
  Error original = std::runtime_error("fatal");
  tickChain(log, 7);
  rethrows(log, original).catch_([&](const Error& e) {
    log(e == original ? "same error " + e.message() : "another error");
  });
  runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("t1", "t2", "reported", "t3", "t4", "finally", "t5", "t6",
                                     "same error fatal", "t7"));
}

// JS: try { throw new Error('original'); } finally { await step('finally'); throw new
// Error('from finally'); }  and  try { return 'value'; } finally { await step('finally 2'); }
Promise<void> finallyThrows(Log& log) {
  Error failure;
  try {
    throw std::runtime_error("original");
  } catch (...) {
    failure = Error::current();
  }
  co_await step(log, "finally");
  throw std::runtime_error("from finally");
}
Promise<std::string> returnsThroughFinally(Log& log) {
  std::string result;
  Error failure;
  try {
    result = "value";
  } catch (...) {
    failure = Error::current();
  }
  co_await step(log, "finally 2");
  if (failure) failure.rethrow();
  co_return result;
}

TEST(AwaitInFinally, RunsOnEveryPathAndItsOwnErrorReplacesTheOriginal) {
  Log log;
  tickChain(log, 4);
  finallyThrows(log).catch_([&](const Error& e) { log("rejected " + e.message()); });
  returnsThroughFinally(log).then([&](const std::string& v) { log("returned " + v); });
  runMicrotasks();
  EXPECT_THAT(log.lines, ElementsAre("t1", "finally", "finally 2", "t2", "t3",
                                     "rejected from finally", "returned value", "t4"));
}

}  // namespace
}  // namespace vow
