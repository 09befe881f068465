// Async stack traces (vow/promise/async_stack.h): the chain of awaiting coroutines, then sites
// and combinators captured when a promise is rejected, compared where it can be with the shape
// Node v20 (V8's --async-stack-traces) prints for the same program.
#include "vow/promise/async_stack.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "vow/promise/combinators.h"
#include "vow/promise/promise.h"

namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;
using ::testing::Optional;
using vow::Promise;

// The lines the coroutines below wait at, recorded as they run.
int g_harness_line = 0;  // failureOf's catch_, left out of shape()
int g_inner_await = 0, g_middle_await = 0, g_outer_await = 0, g_then_line = 0;

Promise<int> inner() {
  g_inner_await = __LINE__ + 1;
  co_await Promise<void>::resolve();
  throw std::runtime_error("boom");
}
Promise<int> middle() {
  g_middle_await = __LINE__ + 1;
  int v = co_await inner();
  co_return v;
}
Promise<int> outer() {
  g_outer_await = __LINE__ + 1;
  int v = co_await middle();
  co_return v;
}

// Runs `p` to its end and returns its rejection reason (empty if it fulfilled).
template <class T>
vow::Error failureOf(Promise<T> p) {
  vow::Error failure;
  g_harness_line = __LINE__ + 1;
  auto done = p.catch_([&failure](const vow::Error& e) { failure = e; });
  vow::runMicrotasks();
  return failure;
}

// "at inner", "at async middle": a frame's shape without its location.
std::vector<std::string> shape(const vow::AsyncStack& stack) {
  std::vector<std::string> out;
  for (const vow::AsyncStackFrame& f : stack.frames) {
    if (f.line == static_cast<std::uint32_t>(g_harness_line)) continue;
    std::string s = f.async ? "at async " : "at ";
    s += f.function;
    if (f.index) s += " (index " + std::to_string(*f.index) + ")";
    out.push_back(s);
  }
  return out;
}

class AsyncStackTrace : public ::testing::Test {
 protected:
  void SetUp() override { vow::setAsyncStackTraces(true); }
  void TearDown() override { vow::setAsyncStackTraces(false); }
};

TEST_F(AsyncStackTrace, ShowsEveryAwaitingCoroutine) {
  vow::Error e = failureOf(outer());
  ASSERT_TRUE(e);
  vow::AsyncStack stack = vow::asyncStackOf(e);
  EXPECT_THAT(shape(stack), ElementsAre("at inner", "at async middle", "at async outer"));
  ASSERT_EQ(stack.frames.size(), 4u);  // and failureOf's catch_
  // Each frame is where that coroutine waits (for the one that failed: its last co_await).
  EXPECT_EQ(stack.frames[0].line, static_cast<std::uint32_t>(g_inner_await));
  EXPECT_EQ(stack.frames[1].line, static_cast<std::uint32_t>(g_middle_await));
  EXPECT_EQ(stack.frames[2].line, static_cast<std::uint32_t>(g_outer_await));
  for (const auto& f : stack.frames)
    EXPECT_THAT(f.file, ::testing::HasSubstr("async_stack_test.cc"));
  // JS's err.stack.
  EXPECT_EQ(vow::stackOf(e), "Error: boom\n    at inner (" + stack.frames[0].file + ":" +
                                 std::to_string(g_inner_await) + ")\n    at async middle (" +
                                 stack.frames[1].file + ":" + std::to_string(g_middle_await) +
                                 ")\n    at async outer (" + stack.frames[2].file + ":" +
                                 std::to_string(g_outer_await) + ")\n    at async Promise.catch (" +
                                 stack.frames[3].file + ":" + std::to_string(g_harness_line) + ")");
}

TEST_F(AsyncStackTrace, NothingIsRecordedWhenOff) {
  vow::setAsyncStackTraces(false);
  vow::Error e = failureOf(outer());
  ASSERT_TRUE(e);
  EXPECT_TRUE(vow::asyncStackOf(e).empty());
  EXPECT_EQ(vow::stackOf(e), "Error: boom");
  EXPECT_TRUE(vow::currentAsyncStack().empty());
}

TEST_F(AsyncStackTrace, TheFirstCaptureStaysWhenTheErrorIsRethrownUpTheChain) {
  // middle and outer reject with the same exception when they rethrow it; the chain is the one
  // taken where it first failed, like a JS error's stack.
  vow::Error e = failureOf(outer());
  EXPECT_EQ(vow::asyncStackOf(e).frames.front().function, "inner");
}

Promise<int> viaThen() {
  g_then_line = __LINE__ + 1;
  auto derived = inner().then([](int v) { return v + 1; });
  int v = co_await derived;
  co_return v;
}

TEST_F(AsyncStackTrace, FollowsThenDerivedPromises) {
  vow::AsyncStack stack = vow::asyncStackOf(failureOf(viaThen()));
  // V8 passes through the then silently (at inner, at async viaThen); vow shows its site.
  EXPECT_THAT(shape(stack), ElementsAre("at inner", "at async Promise.then", "at async viaThen"));
  ASSERT_EQ(stack.frames.size(), 4u);
  EXPECT_EQ(stack.frames[1].line, static_cast<std::uint32_t>(g_then_line));
}

TEST_F(AsyncStackTrace, NamesCatchAndFinallySites) {
  auto p = inner().finally([] {}).catch_([](const vow::TypeError&) { return 0; });
  vow::AsyncStack stack = vow::asyncStackOf(failureOf(p));
  EXPECT_THAT(shape(stack),
              ElementsAre("at inner", "at async Promise.finally", "at async Promise.catch"));
}

Promise<void> thenThrows() {
  co_await Promise<int>::resolve(1).then([](int) -> int { throw std::runtime_error("inthen"); });
}

TEST_F(AsyncStackTrace, AThrowingHandlerIsTheTopFrame) {
  // V8: at <the handler> (file.js:21:73), at async thenThrows.
  EXPECT_THAT(shape(vow::asyncStackOf(failureOf(thenThrows()))),
              ElementsAre("at Promise.then", "at async thenThrows"));
}

Promise<int> allOf() {
  auto [a, b] = co_await vow::all(Promise<int>::resolve(1), inner());
  co_return a + b;
}
Promise<int> allOfVector() {
  std::vector<Promise<int>> ps;
  ps.push_back(Promise<int>::resolve(1));
  ps.push_back(Promise<int>::resolve(2));
  ps.push_back(inner());
  auto values = co_await vow::all(ps);
  co_return values[0];
}
Promise<int> raceOf() { co_return co_await vow::race(inner()); }

TEST_F(AsyncStackTrace, ShowsTheIndexOfAPromiseAllInput) {
  // V8: at inner, at async Promise.all (index 1), at async all1.
  EXPECT_THAT(shape(vow::asyncStackOf(failureOf(allOf()))),
              ElementsAre("at inner", "at async Promise.all (index 1)", "at async allOf"));
  vow::AsyncStack stack = vow::asyncStackOf(failureOf(allOfVector()));
  EXPECT_THAT(shape(stack),
              ElementsAre("at inner", "at async Promise.all (index 2)", "at async allOfVector"));
  EXPECT_THAT(stack.frames[1].index, Optional(2u));
  EXPECT_EQ(stack.frames[1].toString(), "at async Promise.all (index 2)");
}

TEST_F(AsyncStackTrace, PassesThroughARaceSilently) {
  // V8 shows no frame for Promise.race: at inner, at async race1.
  EXPECT_THAT(shape(vow::asyncStackOf(failureOf(raceOf()))),
              ElementsAre("at inner", "at async raceOf"));
}

bool g_throw = true;
Promise<int> syncThrow() {
  if (g_throw) throw std::runtime_error("sync");
  co_return 0;  // a coroutine (without a co_ keyword it would throw out of the call itself)
}
Promise<int> callsSyncThrow() {
  int v = co_await syncThrow();
  co_return v;
}

TEST_F(AsyncStackTrace, AThrowBeforeTheFirstAwaitShowsTheSynchronousCallers) {
  // V8: at syncInner, at m2 (both synchronous: m2 called it and has not awaited yet).
  vow::AsyncStack stack = vow::asyncStackOf(failureOf(callsSyncThrow()));
  EXPECT_THAT(shape(stack), ElementsAre("at syncThrow", "at callsSyncThrow"));
  EXPECT_EQ(stack.frames[0].line, 0u);  // no co_await passed yet: file only
  EXPECT_EQ(stack.frames[0].toString().find("at syncThrow ("), 0u);
}

// inner() that fails a few ticks later, once the adoption below is in place.
Promise<int> innerLater() {
  for (int i = 0; i < 3; ++i) co_await Promise<void>::resolve();
  throw std::runtime_error("later");
}
Promise<int> adopts() {
  auto derived = Promise<int>::resolve(0).then([](int) { return innerLater(); });
  co_return co_await derived;
}

TEST_F(AsyncStackTrace, FollowsAnAdoptedPromise) {
  // The then's handler returns inner()'s promise: the derived promise adopts it (no frame for
  // the adoption itself), and adopts() waits on the derived one.
  EXPECT_THAT(shape(vow::asyncStackOf(failureOf(adopts()))),
              ElementsAre("at innerLater", "at async Promise.then", "at async adopts"));
}

TEST_F(AsyncStackTrace, ARejectFunctionCapturesWhoWaits) {
  auto [p, resolve, reject] = Promise<int>::withResolvers();
  auto waiter = [](Promise<int> p) -> Promise<int> { co_return co_await p; };
  auto w = waiter(p);
  vow::runMicrotasks();
  reject(std::runtime_error("later"));
  vow::Error e = failureOf(w);
  EXPECT_THAT(shape(vow::asyncStackOf(e)), ElementsAre(::testing::StartsWith("at async ")));
  EXPECT_THAT(vow::asyncStackOf(e).frames[0].function, ::testing::HasSubstr("lambda"));
}

vow::AsyncStack g_seen;
Promise<int> innerLooks() {
  co_await Promise<void>::resolve();
  g_seen = vow::currentAsyncStack();
  co_return 1;
}
Promise<int> middleLooks() { co_return co_await innerLooks(); }
Promise<int> outerLooks() { co_return co_await middleLooks(); }

TEST_F(AsyncStackTrace, CurrentAsyncStackIsTheRunningChain) {
  g_seen = {};
  (void)failureOf(outerLooks());
  EXPECT_THAT(shape(g_seen),
              ElementsAre("at innerLooks", "at async middleLooks", "at async outerLooks"));
  EXPECT_TRUE(vow::currentAsyncStack().empty());  // nothing of vow's runs here
}

Promise<int> recurse(int n) {
  if (n == 0) {
    co_await Promise<void>::resolve();
    throw std::runtime_error("deep");
  }
  co_return co_await recurse(n - 1);
}

TEST_F(AsyncStackTrace, KeepsTenFramesByDefaultAndTheLimitCanChange) {
  EXPECT_EQ(vow::asyncStackOf(failureOf(recurse(50))).frames.size(), 10u);
  vow::setAsyncStackTraceLimit(3);
  EXPECT_EQ(vow::asyncStackOf(failureOf(recurse(50))).frames.size(), 3u);
  vow::setAsyncStackTraceLimit(10);
}

TEST(AsyncStackTraceNames, AreTheFunctionWithoutReturnTypeAndParameters) {
  vow::setAsyncStackTraces(true);
  struct Widget {
    Promise<int> method(int) {
      co_await Promise<void>::resolve();
      throw std::runtime_error("m");
    }
  };
  Widget w;
  EXPECT_THAT(shape(vow::asyncStackOf(failureOf(w.method(1)))),
              ElementsAre(::testing::EndsWith("Widget::method")));
  vow::setAsyncStackTraces(false);
}

// The same program in JavaScript: each case prints its error's stack. Node's shape (names and
// "async" marks, without locations or Node's own module frames) must equal vow's (without the
// then/catch_/finally frames V8 does not show).
constexpr const char* kTwin = R"js(
async function inner() { await null; throw new Error('boom'); }
async function middle() { return await inner(); }
async function outer() { return await middle(); }
async function viaThen() { return await inner().then(v => v + 1); }
async function thenThrows() { await Promise.resolve(1).then(() => { throw new Error('inthen'); }); }
async function allOf() { const [a, b] = await Promise.all([Promise.resolve(1), inner()]); return a + b; }
async function raceOf() { return await Promise.race([inner()]); }
async function syncThrow() { throw new Error('sync'); }
async function callsSyncThrow() { return await syncThrow(); }
const cases = { outer, viaThen, thenThrows, allOf, raceOf, callsSyncThrow };
async function main() {
  for (const [name, f] of Object.entries(cases)) {
    try { await f(); } catch (e) {
      const frames = e.stack.split('\n').slice(1).map(l => l.trim())
        .map(l => l.replace(/ \((?!index).*\)$/, '').replace(/^at (async )?\/.*$/, 'at $1<anonymous>'))
        .filter(l => !/^at (async )?main$/.test(l) && !l.includes('node:internal'));
      console.log(name + ': ' + frames.join(' | '));
    }
  }
}
main();
)js";

std::string vowShape(const std::string& name, vow::Error e) {
  std::vector<std::string> kept;
  for (const std::string& f : shape(vow::asyncStackOf(e))) {
    if (f == "at Promise.then") {
      kept.push_back("at <anonymous>");  // a handler: V8 names the anonymous function's location
    } else if (f.starts_with("at async Promise.then") || f.starts_with("at async Promise.catch") ||
               f.starts_with("at async Promise.finally")) {
      continue;
    } else {
      kept.push_back(f);
    }
  }
  std::string line = name + ": ";
  for (std::size_t i = 0; i < kept.size(); ++i) line += (i ? " | " : "") + kept[i];
  return line;
}

TEST_F(AsyncStackTrace, HasTheShapeNodePrintsForTheSameProgram) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  std::string path = std::string(tmp ? tmp : "/tmp") + "/async_stack_twin.js";
  std::ofstream(path) << kTwin;
  FILE* node = popen(("node " + path + " 2>&1").c_str(), "r");
  std::string out;
  if (node != nullptr) {
    char buf[4096];
    while (std::fgets(buf, sizeof buf, node) != nullptr) out += buf;
  }
  if (node == nullptr || pclose(node) != 0 || out.empty()) {
    GTEST_SKIP() << "node is not installed (or failed): " << out;
  }
  std::string ours =
      vowShape("outer", failureOf(outer())) + "\n" + vowShape("viaThen", failureOf(viaThen())) +
      "\n" + vowShape("thenThrows", failureOf(thenThrows())) + "\n" +
      vowShape("allOf", failureOf(allOf())) + "\n" + vowShape("raceOf", failureOf(raceOf())) +
      "\n" + vowShape("callsSyncThrow", failureOf(callsSyncThrow())) + "\n";
  EXPECT_EQ(ours, out);
}

}  // namespace
