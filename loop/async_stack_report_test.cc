// The loop's unhandled-rejection warning with async stack traces on (Node prints `reason.stack`
// there), and unchanged with them off.
#include <stdexcept>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "vow/loop/loop.h"
#include "vow/promise/async_stack.h"
#include "vow/promise/promise.h"

namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

vow::Promise<int> inner() {
  co_await vow::Promise<void>::resolve();
  throw std::runtime_error("boom");
}
vow::Promise<int> middle() { co_return co_await inner(); }
vow::Promise<int> outer() { co_return co_await middle(); }

// The first warning's text as stderr shows it, with no 'warning' listener.
std::string firstWarningOnStderr() {
  vow::Loop loop;
  loop.process().setUnhandledRejections(vow::UnhandledRejections::kWarn);
  (void)outer();
  ::testing::internal::CaptureStderr();
  loop.run();
  return ::testing::internal::GetCapturedStderr();
}

TEST(AsyncStackTraceReport, TheUnhandledRejectionWarningShowsTheChainUnderTheMessage) {
  vow::setAsyncStackTraces(true);
  std::string err = firstWarningOnStderr();
  vow::setAsyncStackTraces(false);
  // Node: (node:PID) UnhandledPromiseRejectionWarning: Error: boom
  //           at inner (file.js:2:9)
  //           at async middle (file.js:5:3) ...
  EXPECT_THAT(err, MatchesRegex("\\(vow:[0-9]+\\) UnhandledPromiseRejectionWarning: Error: boom\n"
                                "    at inner \\([^)]*async_stack_report_test.cc:[0-9]+\\)\n"
                                "    at async middle \\([^)]*:[0-9]+\\)\n"
                                "    at async outer \\([^)]*:[0-9]+\\)\n"
                                "\\(vow:[0-9]+\\) UnhandledPromiseRejectionWarning: Unhandled "
                                "promise rejection\\..*\n"));
}

TEST(AsyncStackTraceReport, TheWarningIsUnchangedWhenOff) {
  std::string err = firstWarningOnStderr();
  EXPECT_THAT(err, MatchesRegex("\\(vow:[0-9]+\\) UnhandledPromiseRejectionWarning: Error: boom\n"
                                "\\(vow:[0-9]+\\) UnhandledPromiseRejectionWarning: Unhandled "
                                "promise rejection\\..*\n"));
  EXPECT_THAT(err, ::testing::Not(HasSubstr(" at ")));
}

TEST(AsyncStackTraceReport, ThrowModeLeavesRunWithTheErrorWhoseStackIsKept) {
  vow::setAsyncStackTraces(true);
  vow::Loop loop;
  (void)outer();
  std::string stack;
  try {
    loop.run();
  } catch (...) {
    stack = vow::stackOf(vow::Error::current());
  }
  vow::setAsyncStackTraces(false);
  EXPECT_THAT(stack,
              MatchesRegex("Error: boom\n    at inner \\(.*\\)\n    at async middle \\(.*\\)\n"
                           "    at async outer \\(.*\\)"));
}

}  // namespace
