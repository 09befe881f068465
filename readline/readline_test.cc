// readline.createInterface: Node's lines, events and tick order, and its async iterator.
#include "vow/readline/readline.h"

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "vow/buffer/buffer.h"
#include "vow/fs/fs.h"
#include "vow/loop/loop.h"
#include "vow/promise/promise.h"

namespace {

namespace fs = vow::fs;
namespace readline = vow::readline;
using vow::Error;
using Log = std::vector<std::string>;

// A readable the test drives by hand (its 'data' chunks are vow::Buffer, as a stream's): it
// records pause()/resume() into the log.
class FakeReadable : public vow::EventEmitter {
 public:
  explicit FakeReadable(Log* log) : log_(log) {}
  void pause() { log_->push_back("input.pause"); }
  void resume() { log_->push_back("input.resume"); }

 private:
  Log* log_;
};

// A fresh directory under $TEST_TMPDIR, removed afterwards.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TEST_TMPDIR");
    path_ = fs::mkdtempSync(std::string(base != nullptr && *base ? base : "/tmp") + "/vowrl-");
  }
  ~TempDir() { fs::rmSync(path_, {.recursive = true, .force = true}); }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Listens to every event of `rl` into `log`.
void record(readline::Interface& rl, Log& log) {
  rl.on("line", [&log](const std::string& l) { log.push_back("line " + l); });
  rl.on("pause", [&log] { log.push_back("pause"); });
  rl.on("resume", [&log] { log.push_back("resume"); });
  rl.on("close", [&log] { log.push_back("close"); });
  rl.on("error", [&log](const Error& e) { log.push_back("error " + e.message()); });
}

TEST(ReadlineInterface, SplitsOnLfCrLfAndLoneCr) {
  vow::Loop loop;
  Log log;
  auto input = std::make_shared<FakeReadable>(&log);
  auto rl = readline::createInterface({.input = input});
  record(*rl, log);
  input->emit("data", vow::Buffer::from(std::string("a\nb\r\nc\rd\n\ne")));
  input->emit("end");
  EXPECT_EQ(log, (Log{"input.resume", "line a", "line b", "line c", "line d", "line ", "line e",
                      "input.pause", "pause", "close"}));
  EXPECT_TRUE(rl->closed());
  EXPECT_EQ(input->listenerCount("data"), 0u);
  EXPECT_EQ(input->listenerCount("end"), 0u);
}

TEST(ReadlineInterface, AWriteFromALineListenerEmitsItsLinesInsideThatListenerAsNode) {
  // Node v20 prints ["line a","line cx","line y","line b","close"] for the same program: the
  // outer chunk's tail "c" is the line buffer the nested write continues.
  vow::Loop loop;
  Log log;
  auto input = std::make_shared<FakeReadable>(&log);
  auto rl = readline::createInterface({.input = input});
  bool once = true;
  rl->on("line", [&](const std::string& l) {
    log.push_back("line " + l);
    if (std::exchange(once, false)) rl->write("x\ny\n");
  });
  rl->on("close", [&log] { log.push_back("close"); });
  input->emit("data", vow::Buffer::from(std::string("a\nb\nc")));
  input->emit("end");
  EXPECT_EQ(log,
            (Log{"input.resume", "line a", "line cx", "line y", "line b", "input.pause", "close"}));
}

TEST(ReadlineInterface, AListenerMayTakeTheLineAndLaterLinesAreWhole) {
  vow::Loop loop;
  Log log;
  auto input = std::make_shared<FakeReadable>(&log);
  auto rl = readline::createInterface({.input = input});
  rl->on("line", [&](std::string& l) { log.push_back("took " + std::move(l)); });
  rl->on("line", [&](const std::string& l) { log.push_back("after [" + l + "]"); });
  input->emit("data", vow::Buffer::from(
                          std::string("first line\nsecond, a longer line than the first\nz\n")));
  EXPECT_EQ(log,
            (Log{"input.resume", "took first line", "after []",
                 "took second, a longer line than the first", "after []", "took z", "after []"}));
  rl->close();  // the input holds the interface until it ends or closes
}

TEST(ReadlineInterface, SplitsCrLfAsOneLineBreakAcrossChunks) {
  vow::Loop loop;
  Log log;
  auto input = std::make_shared<FakeReadable>(&log);
  auto rl = readline::createInterface({.input = input, .crlfDelay = readline::kInfinity});
  rl->on("line", [&log](const std::string& l) { log.push_back("[" + l + "]"); });
  input->emit("data", vow::Buffer::from(std::string("one\r")));
  input->emit("data", vow::Buffer::from(std::string("\ntwo\r")));
  input->emit("data", vow::Buffer::from(std::string("\r\nthree")));
  input->emit("data", vow::Buffer::from(std::string("\n")));
  EXPECT_EQ(log, (Log{"input.resume", "[one]", "[two]", "[]", "[three]"}));
  EXPECT_EQ(rl->crlfDelay(), readline::kInfinity);
  rl->close();  // the input holds the interface until it ends or closes
}

TEST(ReadlineInterface, CrlfDelayIsAtLeast100) {
  vow::Loop loop;
  Log log;
  auto rl =
      readline::createInterface({.input = std::make_shared<FakeReadable>(&log), .crlfDelay = 5});
  EXPECT_EQ(rl->crlfDelay(), 100);
  rl->close();  // the input holds the interface until it ends or closes
}

TEST(ReadlineInterface, LinesSpanChunksAndTheLastLineComesAtEnd) {
  vow::Loop loop;
  Log log;
  auto input = std::make_shared<FakeReadable>(&log);
  auto rl = readline::createInterface({.input = input});
  record(*rl, log);
  input->emit("data", vow::Buffer::from(std::string("hel")));
  input->emit("data", vow::Buffer::from(std::string("lo")));
  input->emit("data", vow::Buffer::from(std::string(" world\nno newline")));
  input->emit("end");
  EXPECT_EQ(log, (Log{"input.resume", "line hello world", "line no newline", "input.pause", "pause",
                      "close"}));
}

TEST(ReadlineInterface, CloseInsideALineListenerStillEmitsTheRestOfTheChunk) {
  vow::Loop loop;
  Log log;
  auto input = std::make_shared<FakeReadable>(&log);
  auto rl = readline::createInterface({.input = input});
  record(*rl, log);
  rl->on("line", [&](const std::string& l) {
    if (l == "b") rl->close();
  });
  input->emit("data", vow::Buffer::from(std::string("a\nb\nc\nd")));
  input->emit("data", vow::Buffer::from(std::string("never\n")));  // no longer listened to
  EXPECT_EQ(log,
            (Log{"input.resume", "line a", "line b", "input.pause", "pause", "close", "line c"}));
  // Node: the unfinished "d" stays; write() resumes and goes on from it.
  log.clear();
  rl->write("x\n");
  EXPECT_EQ(log, (Log{"input.resume", "resume", "line dx"}));
}

TEST(ReadlineInterface, CloseTwiceEmitsCloseOnce) {
  vow::Loop loop;
  Log log;
  auto rl = readline::createInterface({.input = std::make_shared<FakeReadable>(&log)});
  record(*rl, log);
  rl->close();
  rl->close();
  EXPECT_EQ(log, (Log{"input.resume", "input.pause", "pause", "close"}));
}

TEST(ReadlineInterface, PauseAndResumeReachTheInputAndEmitOnlyOnChange) {
  vow::Loop loop;
  Log log;
  auto rl = readline::createInterface({.input = std::make_shared<FakeReadable>(&log)});
  record(*rl, log);
  rl->resume();  // not paused: nothing
  rl->pause();
  rl->pause();
  rl->resume();
  EXPECT_EQ(log, (Log{"input.resume", "input.pause", "pause", "input.resume", "resume"}));
  EXPECT_FALSE(rl->paused());
  rl->close();  // the input holds the interface until it ends or closes
}

TEST(ReadlineInterface, InputErrorIsEmittedAndTheInterfaceStaysOpen) {
  vow::Loop loop;
  Log log;
  auto input = std::make_shared<FakeReadable>(&log);
  auto rl = readline::createInterface({.input = input});
  record(*rl, log);
  input->emit("error", Error(std::runtime_error("disk on fire")));
  EXPECT_EQ(log, (Log{"input.resume", "error disk on fire"}));
  EXPECT_FALSE(rl->closed());
  rl->close();  // the input holds the interface until it ends or closes
}

TEST(ReadlineInterface, InputErrorWithoutAListenerThrows) {
  vow::Loop loop;
  Log log;
  auto input = std::make_shared<FakeReadable>(&log);
  auto rl = readline::createInterface({.input = input});
  EXPECT_THROW(input->emit("error", Error(std::runtime_error("boom"))), std::runtime_error);
  rl->close();  // the input holds the interface until it ends or closes
}

TEST(ReadlineInterface, NoInputIsATypeError) {
  vow::Loop loop;
  try {
    (void)readline::createInterface({});
    FAIL() << "no throw";
  } catch (const vow::TypeError& e) {
    EXPECT_EQ(e.code(), "ERR_INVALID_ARG_VALUE");
  }
}

TEST(ReadlineInterface, InvalidUtf8BecomesReplacementCharacters) {
  vow::Loop loop;
  Log log;
  auto input = std::make_shared<FakeReadable>(&log);
  auto rl = readline::createInterface({.input = input});
  rl->on("line", [&log](const std::string& l) { log.push_back(l); });
  // "é" split over two chunks is one character; a lone continuation byte, an overlong "/"
  // (C0 AF) and a truncated 3-byte sequence each become U+FFFD per maximal subpart.
  input->emit("data", vow::Buffer::from(std::string("caf\xC3")));
  input->emit("data", vow::Buffer::from(std::string("\xA9\n\x80x\n\xC0\xAF\n\xE2\x82y\n")));
  input->emit("data", vow::Buffer::from(std::string("\xF0\x9F")));
  input->emit("data", vow::Buffer::from(std::string("\x98\x80!\n")));
  EXPECT_EQ(log, (Log{"input.resume", "caf\xC3\xA9", "\xEF\xBF\xBDx", "\xEF\xBF\xBD\xEF\xBF\xBD",
                      "\xEF\xBF\xBDy", "\xF0\x9F\x98\x80!"}));
  rl->close();  // the input holds the interface until it ends or closes
}

TEST(ReadlineInterface, AnIncompleteCharacterAtTheEndIsDropped) {
  vow::Loop loop;
  Log log;
  auto input = std::make_shared<FakeReadable>(&log);
  auto rl = readline::createInterface({.input = input});
  rl->on("line", [&log](const std::string& l) { log.push_back("[" + l + "]"); });
  input->emit("data", vow::Buffer::from(std::string("ab\xE2\x82")));
  input->emit("end");
  // Node's onend does not flush the decoder.
  EXPECT_EQ(log, (Log{"input.resume", "[ab]", "input.pause"}));
}

TEST(ReadlineInterface, AbortedSignalClosesOnTheNextTick) {
  vow::Loop loop;
  Log log;
  vow::AbortController c;
  c.abort();
  auto rl = readline::createInterface(
      {.input = std::make_shared<FakeReadable>(&log), .signal = c.signal()});
  record(*rl, log);
  log.push_back("sync");
  loop.run();
  EXPECT_EQ(log, (Log{"input.resume", "sync", "input.pause", "pause", "close"}));
}

TEST(ReadlineInterface, AbortClosesTheInterface) {
  vow::Loop loop;
  Log log;
  vow::AbortController c;
  auto rl = readline::createInterface(
      {.input = std::make_shared<FakeReadable>(&log), .signal = c.signal()});
  record(*rl, log);
  c.abort();
  EXPECT_EQ(log, (Log{"input.resume", "input.pause", "pause", "close"}));
}

TEST(ReadlineFile, LinesOfAFileThenClose) {
  vow::Loop loop;
  TempDir dir;
  fs::writeFileSync(dir / "f", "first\r\nsecond\n\nthird");
  Log log;
  {
    auto rl =
        readline::createInterface({.input = fs::createReadStream(dir / "f", {.highWaterMark = 4}),
                                   .crlfDelay = readline::kInfinity});
    record(*rl, log);
  }  // the input's listeners keep the interface alive, as in Node
  loop.run();
  EXPECT_EQ(log, (Log{"line first", "line second", "line ", "line third", "pause", "close"}));
}

TEST(ReadlineFile, MissingFileEmitsErrorAndNoClose) {
  vow::Loop loop;
  TempDir dir;
  Log log;
  auto rl = readline::createInterface({.input = fs::createReadStream(dir / "missing")});
  record(*rl, log);
  loop.run();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].rfind("error ENOENT: no such file or directory, open", 0), 0u) << log[0];
  EXPECT_FALSE(rl->closed());
}

vow::Promise<void> collect(std::shared_ptr<readline::Interface> rl, Log* out) {
  auto it = rl->asyncIterator();
  while (std::optional<std::string> line = co_await it.next()) out->push_back(*line);
  out->push_back("done");
}

TEST(ReadlineAsyncIterator, YieldsEveryLineOfAFile) {
  vow::Loop loop;
  TempDir dir;
  std::string text;
  Log expected;
  for (int i = 0; i < 5000; ++i) {
    text += "line " + std::to_string(i) + (i % 3 ? "\n" : "\r\n");
    expected.push_back("line " + std::to_string(i));
  }
  expected.push_back("done");
  fs::writeFileSync(dir / "f", text);
  Log got;
  auto rl =
      readline::createInterface({.input = fs::createReadStream(dir / "f", {.highWaterMark = 1000}),
                                 .crlfDelay = readline::kInfinity});
  collect(rl, &got).catch_([&](const Error& e) { got.push_back("rejected " + e.message()); });
  loop.run();
  EXPECT_EQ(got, expected);
}

TEST(ReadlineAsyncIterator, SameIteratorEachCallAndQueuedLinesSurviveClose) {
  vow::Loop loop;
  Log log;
  auto input = std::make_shared<FakeReadable>(&log);
  auto rl = readline::createInterface({.input = input});
  auto it = rl->asyncIterator();
  EXPECT_EQ(rl->listenerCount("line"), 1u);
  (void)rl->asyncIterator();
  EXPECT_EQ(rl->listenerCount("line"), 1u);  // one queue, as Node caches it
  input->emit("data", vow::Buffer::from(std::string("a\nb\n")));
  rl->close();
  EXPECT_EQ(rl->listenerCount("line"), 0u);  // 'close' stopped the listening
  Log got;
  collect(rl, &got);
  loop.run();
  EXPECT_EQ(got, (Log{"a", "b", "done"}));
}

TEST(ReadlineAsyncIterator, NextWaitsForALineAndResolvesOneTickLater) {
  vow::Loop loop;
  Log log;
  auto input = std::make_shared<FakeReadable>(&log);
  auto rl = readline::createInterface({.input = input});
  auto it = rl->asyncIterator();
  it.next().then([&](std::optional<std::string> l) { log.push_back("next " + l.value_or("-")); });
  vow::queueMicrotask([&] { log.push_back("microtask 1"); });
  loop.run();
  input->emit("data", vow::Buffer::from(std::string("x\n")));
  vow::queueMicrotask([&] { log.push_back("microtask 2"); });
  loop.run();
  EXPECT_EQ(log, (Log{"input.resume", "microtask 1", "next x", "microtask 2"}));
  rl->close();  // the input holds the interface until it ends or closes
}

TEST(ReadlineAsyncIterator, ErrorRejectsTheNextNextOnceThenDone) {
  vow::Loop loop;
  Log log;
  auto input = std::make_shared<FakeReadable>(&log);
  auto rl = readline::createInterface({.input = input});
  auto it = rl->asyncIterator();
  input->emit("data", vow::Buffer::from(std::string("a\n")));
  input->emit("error", Error(std::runtime_error("bad sector")));
  auto show = [&](vow::Promise<std::optional<std::string>> p) {
    p.then([&](std::optional<std::string> l) { log.push_back(l ? "line " + *l : "done"); },
           [&](const Error& e) { log.push_back("rejected " + e.message()); });
  };
  show(it.next());
  show(it.next());
  show(it.next());
  loop.run();
  EXPECT_EQ(log, (Log{"input.resume", "line a", "rejected bad sector", "done"}));
  EXPECT_EQ(rl->listenerCount("error"), 0u);
  rl->close();  // the input holds the interface until it ends or closes
}

TEST(ReadlineAsyncIterator, ReturnStopsListeningButDoesNotClose) {
  vow::Loop loop;
  Log log;
  auto input = std::make_shared<FakeReadable>(&log);
  auto rl = readline::createInterface({.input = input});
  auto it = rl->asyncIterator();
  auto pending = it.next();
  it.return_().then([&](std::optional<std::string> l) { log.push_back(l ? "value" : "done"); });
  pending.then([&](std::optional<std::string> l) { log.push_back(l ? "value" : "pending done"); });
  input->emit("data", vow::Buffer::from(std::string("after\n")));
  loop.run();
  EXPECT_EQ(log, (Log{"input.resume", "done", "pending done"}));
  EXPECT_FALSE(rl->closed());
  EXPECT_EQ(rl->listenerCount("line"), 0u);
  rl->close();  // the input holds the interface until it ends or closes
}

TEST(ReadlineAsyncIterator, MoreThan1024QueuedLinesPauseUntilDrained) {
  vow::Loop loop;
  Log log;
  auto input = std::make_shared<FakeReadable>(&log);
  auto rl = readline::createInterface({.input = input});
  rl->on("pause", [&] { log.push_back("pause"); });
  rl->on("resume", [&] { log.push_back("resume"); });
  auto it = rl->asyncIterator();
  std::string chunk;
  for (int i = 0; i < 1030; ++i) chunk += "l\n";
  input->emit("data", vow::Buffer::from(chunk));
  EXPECT_EQ(log, (Log{"input.resume", "input.pause", "pause"}));
  log.clear();
  int n = 0;
  for (int i = 0; i < 1030; ++i) it.next().then([&](std::optional<std::string>) { ++n; });
  EXPECT_EQ(log, (Log{"input.resume", "resume"}));
  loop.run();
  EXPECT_EQ(n, 1030);
  rl->close();  // the input holds the interface until it ends or closes
}

}  // namespace

namespace {

TEST(ReadlineLifetime, InterfaceAndStreamAreFreedAfterTheEnd) {
  vow::Loop loop;
  TempDir dir;
  fs::writeFileSync(dir / "f", "a\nb\n");
  std::weak_ptr<readline::Interface> weak_rl;
  std::weak_ptr<fs::ReadStream> weak_input;
  int lines = 0;
  {
    auto input = fs::createReadStream(dir / "f");
    weak_input = input;
    auto rl = readline::createInterface({.input = input});
    weak_rl = rl;
    rl->on("line", [&lines](const std::string&) { ++lines; });
  }
  EXPECT_FALSE(weak_rl.expired());  // the flowing input holds it, as in Node
  loop.run();
  EXPECT_EQ(lines, 2);
  EXPECT_TRUE(weak_rl.expired());
  EXPECT_TRUE(weak_input.expired());
}

TEST(ReadlineLifetime, AnInputErrorDoesNotLeakTheInterface) {
  vow::Loop loop;
  TempDir dir;
  std::weak_ptr<readline::Interface> weak_rl;
  Log log;
  {
    auto rl = readline::createInterface({.input = fs::createReadStream(dir / "missing")});
    weak_rl = rl;
    rl->on("error", [&log](const Error& e) { log.push_back(e.code()); });
  }
  loop.run();
  EXPECT_EQ(log, (Log{"ENOENT"}));
  EXPECT_TRUE(weak_rl.expired());
}

TEST(ReadlineLifetime, AWaitingNextEndsWhenTheInterfaceGoes) {
  vow::Loop loop;
  Log log;
  auto input = std::make_shared<FakeReadable>(&log);
  auto rl = readline::createInterface({.input = input});
  auto it = rl->asyncIterator();
  it.next().then([&](std::optional<std::string> l) { log.push_back(l ? "line" : "done"); });
  input->removeAllListeners();  // nothing can reach the interface any more
  rl.reset();
  loop.run();
  EXPECT_EQ(log, (Log{"input.resume", "done"}));
}

TEST(ReadlineAsyncIterator, AUserListenerAddedByAPauseListenerGetsTheRestOfTheChunk) {
  vow::Loop loop;
  Log log;
  auto input = std::make_shared<FakeReadable>(&log);
  auto rl = readline::createInterface({.input = input});
  auto it = rl->asyncIterator();
  int seen = 0;
  std::string first_seen;
  rl->on("pause", [&] {
    rl->on("line", [&](const std::string& l) {
      if (seen++ == 0) first_seen = l;
    });
  });
  std::string chunk;
  for (int i = 0; i < 1030; ++i) chunk += std::to_string(i) + "\n";
  input->emit("data", vow::Buffer::from(chunk));
  // The 1025th line pauses; the listener then sees lines 1025..1029.
  EXPECT_EQ(seen, 5);
  EXPECT_EQ(first_seen, "1025");
  rl->close();  // the input holds the interface until it ends or closes
}

TEST(ReadlineAsyncIterator, TheIteratorAndALineListenerBothGetEveryLineInOrder) {
  vow::Loop loop;
  Log log;
  auto input = std::make_shared<FakeReadable>(&log);
  auto rl = readline::createInterface({.input = input});
  Log got;
  rl->on("line", [&](const std::string& l) { got.push_back("listener " + l); });
  auto it = rl->asyncIterator();
  auto drain = [&]() -> vow::Promise<void> {
    while (auto l = co_await it.next()) got.push_back("iterator " + *l);
  };
  drain();
  input->emit("data", vow::Buffer::from(std::string("a\nb\n")));
  input->emit("end");
  loop.run();
  EXPECT_EQ(got, (Log{"listener a", "listener b", "iterator a", "iterator b"}));
}

}  // namespace

namespace {

TEST(ReadlineAsyncIterator, AWaitingNextTakesTheFirstLineAndTheRestQueue) {
  vow::Loop loop;
  Log log;
  auto input = std::make_shared<FakeReadable>(&log);
  auto rl = readline::createInterface({.input = input});
  auto it = rl->asyncIterator();
  Log got;
  auto take = [&] {
    it.next().then([&](std::optional<std::string> l) { got.push_back(l.value_or("<done>")); });
  };
  take();  // waits
  input->emit("data", vow::Buffer::from(std::string("first\nsecond\nthird\nfour")));
  input->emit("data", vow::Buffer::from(std::string("th\nsolo\n")));
  input->emit("data", vow::Buffer::from(std::string("only line\n")));
  input->emit("end");
  for (int i = 0; i < 6; ++i) take();
  loop.run();
  EXPECT_EQ(got, (Log{"first", "second", "third", "fourth", "solo", "only line", "<done>"}));
}

}  // namespace
