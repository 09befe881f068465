// Stream error paths that need no exceptions: a pipeline whose generator stage fails by
// awaiting a rejection (an error status) calls back once with it and destroys every stream.
// Built and run both with exceptions (//...) and without them
// (bazel test --config=noexcept //:noexcept_tests).
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "vow/loop/loop.h"
#include "vow/promise/async_generator.h"
#include "vow/promise/for_await.h"
#include "vow/promise/promise.h"
#include "vow/promise/testing/test_support.h"
#include "vow/stream/pipeline.h"
#include "vow/stream/readable.h"
#include "vow/stream/writable.h"

namespace {

using vow::Error;
using vow::stream::Callback;
using vow::stream::Readable;
using vow::stream::Writable;
using vow::test::Log;

std::shared_ptr<Readable> counting(int& n) {
  return Readable::create({.read = [&n](Readable& self, std::size_t) {
    ++n;
    if (n < 10) {
      self.push("c" + std::to_string(n));
    } else {
      self.push(std::nullopt);
    }
  }});
}

TEST(StreamNoExceptions, AFailingGeneratorStageCallsBackOnceWithItsStatus) {
  vow::Loop loop;
  Log log;
  int n = 0;
  auto r = counting(n);
  auto stage = [&log](vow::AsyncGenerator<vow::Buffer> source) -> vow::AsyncGenerator<vow::Buffer> {
    auto it = vow::forAwait(source);
    int seen = 0;
    while (auto chunk = co_await it.next()) {
      log("stage " + std::to_string(++seen));
      if (seen == 2) co_await vow::Promise<void>::reject(absl::DataLossError("bad chunk"));
      co_yield std::move(*chunk);
    }
    co_await it.close();
  };
  auto w = Writable::create({.write = [&](Writable&, vow::Buffer c, Callback cb) {
    log("w " + c.toString());
    cb(Error());
  }});
  int calls = 0;
  Error failure;
  vow::stream::pipeline(r, stage, w, [&](Error err) {
    ++calls;
    failure = err;
  });
  loop.run();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(failure.status(), absl::DataLossError("bad chunk"));
  EXPECT_TRUE(r->destroyed());
  EXPECT_TRUE(w->destroyed());
  EXPECT_EQ(log, (Log{"stage 1", "w c1", "stage 2"}));
}

TEST(StreamNoExceptions, APipelineThatSucceedsCallsBackWithoutError) {
  vow::Loop loop;
  int n = 0;
  auto r = counting(n);
  std::string written;
  auto stage = [](vow::AsyncGenerator<vow::Buffer> source) -> vow::AsyncGenerator<vow::Buffer> {
    auto it = vow::forAwait(source);
    while (auto chunk = co_await it.next())
      co_yield vow::Buffer::from("[" + chunk->toString() + "]");
    co_await it.close();
  };
  auto w = Writable::create({.write = [&](Writable&, vow::Buffer c, Callback cb) {
    written += c;
    cb(Error());
  }});
  int calls = 0;
  Error failure(absl::UnknownError("not called"));
  vow::stream::pipeline(r, stage, w, [&](Error err) {
    ++calls;
    failure = err;
  });
  loop.run();
  EXPECT_EQ(calls, 1);
  EXPECT_FALSE(failure) << failure.message();
  // Chunks as the readable buffered them, each through the stage.
  EXPECT_EQ(written.substr(0, 4), "[c1]");
  std::string plain;
  for (char c : written) {
    if (c != '[' && c != ']') plain += c;
  }
  EXPECT_EQ(plain, "c1c2c3c4c5c6c7c8c9");
  EXPECT_EQ(written.back(), ']');
}

}  // namespace
