// Stream chunks are vow::Buffer, as a Node byte stream's are Buffers (issue 17): a Buffer passed
// through push, 'data', read, write, _write, _transform, pipe, pipeline and the async iterator
// is the same storage (shared, not copied); text is converted once into a Buffer of its bytes.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "vow/buffer/buffer.h"
#include "vow/loop/loop.h"
#include "vow/loop/timers.h"
#include "vow/promise/async_generator.h"
#include "vow/promise/error.h"
#include "vow/promise/for_await.h"
#include "vow/promise/promise.h"
#include "vow/stream/pipeline.h"
#include "vow/stream/readable.h"
#include "vow/stream/transform.h"
#include "vow/stream/writable.h"

namespace {

using vow::Buffer;
using vow::Error;
using vow::stream::Callback;
using vow::stream::PassThrough;
using vow::stream::Readable;
using vow::stream::Transform;
using vow::stream::TransformCallback;
using vow::stream::Writable;

// A Readable whose _read does nothing: the test pushes by hand.
std::shared_ptr<Readable> manual() {
  return Readable::create({.read = [](Readable&, std::size_t) {}});
}

// A Readable of the given Buffers, one pushed per _read from an immediate (so each is read on
// its own, not joined with the next by a paused-mode read()).
std::shared_ptr<Readable> lazy(std::vector<Buffer> chunks) {
  auto left = std::make_shared<std::vector<Buffer>>(std::move(chunks));
  auto next = std::make_shared<std::size_t>(0);
  return Readable::create({.read = [left, next](Readable& self, std::size_t) {
    vow::setImmediate([&self, keep = self.shared_from_this(), left, next] {
      if (*next < left->size()) {
        self.push((*left)[(*next)++]);
      } else {
        self.push(std::nullopt);
      }
    });
  }});
}

// A Writable that keeps every chunk _write got (the Buffers themselves).
std::shared_ptr<Writable> keeper(std::vector<Buffer>& got) {
  return Writable::create({.write = [&got](Writable&, Buffer chunk, Callback cb) {
    got.push_back(std::move(chunk));
    cb(Error());
  }});
}

// --- Readable ---------------------------------------------------------------------------------

// Node: const b = Buffer.from('abc'); r.push(b); r.on('data', (c) => c === b) is true.
TEST(ReadablePush, BufferIsSharedNotCopied) {
  vow::Loop loop;
  const Buffer pushed = Buffer::from("abc");
  std::vector<Buffer> seen;
  auto r = manual();
  r->on("data", [&](const Buffer& chunk) { seen.push_back(chunk); });
  r->push(pushed);
  r->push(std::nullopt);
  loop.run();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].data(), pushed.data());
  EXPECT_EQ(seen[0].length(), 3u);
  // This test's Buffer and the listener's copy: nothing else holds it once the stream ended.
  EXPECT_EQ(pushed.use_count(), 2);
}

// Node: r.push('héllo') emits Buffer.from('héllo') (utf8); push of a std::string and of a
// std::string_view likewise; each push copies its text once.
TEST(ReadablePush, StringConvertsToABufferOfTheSameBytes) {
  vow::Loop loop;
  std::vector<Buffer> seen;
  auto r = manual();
  r->on("data", [&](const Buffer& chunk) { seen.push_back(chunk); });
  const std::string text = "h\xC3\xA9llo";
  r->push(text);
  r->push(std::string_view("sv"));
  r->push("lit");
  r->push(std::nullopt);
  loop.run();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], Buffer::from({'h', 0xC3, 0xA9, 'l', 'l', 'o'}));
  EXPECT_NE(seen[0].data(), text.data());
  EXPECT_EQ(seen[0].toString(), text);
  EXPECT_EQ(seen[1], std::string_view("sv"));
  EXPECT_EQ(seen[2], std::string_view("lit"));
}

// Node: unshift(buf) puts that Buffer back in front; read() gives it out again.
TEST(ReadableUnshift, BufferIsSharedNotCopied) {
  vow::Loop loop;
  auto r = manual();
  r->push("tail");
  const Buffer front = Buffer::from("head");
  r->unshift(front);
  std::optional<Buffer> first = r->read(4);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->data(), front.data());
  EXPECT_EQ(r->read(4).value(), std::string_view("tail"));
  r->destroy();
  loop.run();
}

// Node's fromList: read(n) of part of the first chunk is buf.slice (shared memory), and what
// stays buffered is the rest of that same memory.
TEST(ReadableRead, ReadNWithinAChunkIsASubarrayOfIt) {
  vow::Loop loop;
  auto r = manual();
  Buffer pushed = Buffer::from("abcdef");
  r->push(pushed);
  std::optional<Buffer> two = r->read(2);
  ASSERT_TRUE(two.has_value());
  EXPECT_EQ(*two, std::string_view("ab"));
  EXPECT_EQ(two->data(), pushed.data());
  std::optional<Buffer> rest = r->read(4);
  ASSERT_TRUE(rest.has_value());
  EXPECT_EQ(*rest, std::string_view("cdef"));
  EXPECT_EQ(rest->data(), pushed.data() + 2);
  // Writing through the pushed Buffer is seen by the chunks read from it: one memory.
  pushed[0] = 'A';
  EXPECT_EQ(*two, std::string_view("Ab"));
  r->destroy();
  loop.run();
}

// Node's fromList: read(n) spanning chunks copies their bytes into a new Buffer; a read of the
// whole first chunk returns it; read() in paused mode joins everything buffered.
TEST(ReadableRead, ReadNAcrossChunksConcatenatesIntoANewBuffer) {
  vow::Loop loop;
  auto r = manual();
  const Buffer ab = Buffer::from("ab");
  const Buffer cd = Buffer::from("cd");
  const Buffer ef = Buffer::from("ef");
  const Buffer gh = Buffer::from("gh");
  r->push(ab);
  r->push(cd);
  r->push(ef);
  r->push(gh);
  std::optional<Buffer> three = r->read(3);
  ASSERT_TRUE(three.has_value());
  EXPECT_EQ(*three, std::string_view("abc"));
  EXPECT_NE(three->data(), ab.data());
  EXPECT_NE(three->data(), cd.data());
  EXPECT_EQ(three->use_count(), 1);
  // What was left of "cd" is one byte: read(1) is a view of cd's memory.
  std::optional<Buffer> d = r->read(1);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->data(), cd.data() + 1);
  // Exactly the next chunk: that Buffer itself.
  std::optional<Buffer> e = r->read(2);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->data(), ef.data());
  r->push("ij");
  std::optional<Buffer> all = r->read();
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(*all, std::string_view("ghij"));
  r->destroy();
  loop.run();
}

// Node: for await (const chunk of r) yields the Buffers pushed.
TEST(ReadableAsyncIterator, YieldsThePushedBuffers) {
  vow::Loop loop;
  auto r = manual();
  const Buffer pushed = Buffer::from("xyz");
  r->push(pushed);
  r->push(std::nullopt);
  std::vector<Buffer> seen;
  auto consume = [&]() -> vow::Promise<void> {
    auto it = vow::forAwait(r);
    while (auto chunk = co_await it.next()) seen.push_back(*chunk);
    co_await it.close();
  };
  auto done = consume();
  loop.run();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].data(), pushed.data());
}

#if VOW_HAS_EXCEPTIONS
// 'data' is declared to take a vow::Buffer: a listener taking anything else (a `const
// std::string&` one from before chunks were Buffers) is refused by on(), once() and
// prependListener() with a TypeError naming both signatures, and is not added.
TEST(ReadableOn, AListenerOfAnotherTypeForDataIsRefusedWhenAdded) {
  vow::Loop loop;
  auto r = manual();
  std::string message;
  try {
    r->on("data", [](const std::string&) {});
  } catch (const vow::TypeError& e) {
    message = e.code() + ": " + e.what();
  }
  EXPECT_EQ(message,
            "ERR_INVALID_ARG_TYPE: EventEmitter: event 'data' has listeners taking (vow::Buffer), "
            "but got (std::string)");
  EXPECT_THROW(r->once("data", [](std::string) {}), vow::TypeError);
  EXPECT_THROW(r->prependListener("data", [](std::string_view) {}), vow::TypeError);
  EXPECT_EQ(r->listenerCount("data"), 0u);
  // By value, const reference or reference: all are the Buffer signature.
  r->on("data", [](Buffer) {});
  r->on("data", [](Buffer&) {});
  r->on("data", [](const Buffer&) {});
  EXPECT_EQ(r->listenerCount("data"), 3u);
  r->destroy();
  loop.run();
}
#endif

// --- Writable and Transform -------------------------------------------------------------------

// Node: w.write(buf): _write(chunk) gets buf itself (decodeStrings leaves Buffers alone).
TEST(WritableWrite, BufferReachesWriteWithoutACopy) {
  vow::Loop loop;
  std::vector<Buffer> got;
  auto w = keeper(got);
  const Buffer a = Buffer::from("first");
  const Buffer b = Buffer::from("last");
  w->write(a);
  w->end(b);
  loop.run();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].data(), a.data());
  EXPECT_EQ(got[1].data(), b.data());
}

// Node: w.write('abc') converts to Buffer.from('abc') before _write; end('z') too.
TEST(WritableWrite, StringConvertsToABufferOfTheSameBytes) {
  vow::Loop loop;
  std::vector<Buffer> got;
  auto w = keeper(got);
  const std::string text = "caf\xC3\xA9";
  w->write(text);
  w->write(std::string_view("sv"));
  w->write("lit");
  w->end("z");
  loop.run();
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0], std::string_view(text));
  EXPECT_EQ(got[0].length(), 5u);
  EXPECT_EQ(got[1], std::string_view("sv"));
  EXPECT_EQ(got[2], std::string_view("lit"));
  EXPECT_EQ(got[3], std::string_view("z"));
}

// Node: chunks buffered behind a slow _write reach _writev as the Buffers written.
TEST(WritableWritev, BufferedChunksAreTheBuffersWritten) {
  vow::Loop loop;
  std::vector<Buffer> got;
  Callback first_done;
  auto w = Writable::create({.write =
                                 [&](Writable&, Buffer chunk, Callback cb) {
                                   got.push_back(std::move(chunk));
                                   first_done = std::move(cb);
                                 },
                             .writev =
                                 [&](Writable&, std::vector<Buffer> chunks, Callback cb) {
                                   for (auto& c : chunks) got.push_back(std::move(c));
                                   cb(Error());
                                 }});
  const Buffer a = Buffer::from("a"), b = Buffer::from("b"), c = Buffer::from("c");
  w->write(a);
  w->write(b);
  w->write(c);
  Callback done = std::move(first_done);
  done(Error());
  w->end();
  loop.run();
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].data(), a.data());
  EXPECT_EQ(got[1].data(), b.data());
  EXPECT_EQ(got[2].data(), c.data());
}

// Node: a Buffer written to a PassThrough is the Buffer its 'data' gives out.
TEST(TransformWrite, BufferThroughAPassThroughIsNotCopied) {
  vow::Loop loop;
  auto p = PassThrough::create();
  std::vector<Buffer> seen;
  p->on("data", [&](const Buffer& chunk) { seen.push_back(chunk); });
  const Buffer written = Buffer::from("through");
  p->end(written);
  loop.run();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].data(), written.data());
}

// Node: transform(chunk, enc, cb) gets the Buffer written; cb(null, chunk) pushes it on, and a
// piped Writable's _write gets that same Buffer.
TEST(TransformWrite, BufferReachesTransformAndTheNextWriteWithoutACopy) {
  vow::Loop loop;
  std::vector<const char*> transformed;
  auto t = Transform::create({.transform = [&](Transform&, Buffer chunk, TransformCallback cb) {
    transformed.push_back(chunk.data());
    for (std::uint8_t& c : chunk) c = static_cast<std::uint8_t>(c - 32);  // in place
    cb(nullptr, std::move(chunk));
  }});
  std::vector<Buffer> got;
  t->pipe(keeper(got));
  const Buffer written = Buffer::from("abc");
  t->end(written);
  loop.run();
  ASSERT_EQ(transformed.size(), 1u);
  EXPECT_EQ(transformed[0], written.data());
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].data(), written.data());
  EXPECT_EQ(got[0], std::string_view("ABC"));
}

// The transform callback takes a Buffer, text of each kind, or nothing; text is pushed as a
// Buffer of its bytes (Node's callback(null, 'text')).
TEST(TransformCallback, TakesABufferTextOrNothing) {
  vow::Loop loop;
  int n = 0;
  auto t = Transform::create({.transform = [&](Transform&, Buffer chunk, TransformCallback cb) {
    switch (n++) {
      case 0:
        cb(nullptr, std::string("std::string"));
        break;
      case 1:
        cb(nullptr, "literal");
        break;
      case 2:
        cb(nullptr, std::string_view("view"));
        break;
      case 3:
        cb(Error(), std::nullopt);
        break;
      case 4:
        cb(Error());
        break;
      default:
        cb(nullptr, std::move(chunk));
        break;
    }
  }});
  std::vector<std::string> seen;
  t->on("data", [&](const Buffer& chunk) { seen.push_back(chunk.toString()); });
  for (int i = 0; i < 6; ++i) t->write("x" + std::to_string(i));
  t->end();
  loop.run();
  EXPECT_EQ(seen, (std::vector<std::string>{"std::string", "literal", "view", "x5"}));
}

// --- pipe and pipeline ------------------------------------------------------------------------

// Node: r.pipe(w): w's _write gets the chunk r emitted, the same Buffer.
TEST(ReadablePipe, TheSameBufferReachesTheDestination) {
  vow::Loop loop;
  auto r = manual();
  std::vector<Buffer> got;
  r->pipe(keeper(got));
  const Buffer pushed = Buffer::from("piped");
  r->push(pushed);
  r->push(std::nullopt);
  loop.run();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].data(), pushed.data());
}

// Node: pipeline(r, passThrough, async function* (s) { for await (const c of s) yield c; }, w):
// the destination's _write gets the Buffer the source pushed, through every stage.
TEST(StreamPipeline, TheSameBufferGoesFromSourceToDestination) {
  vow::Loop loop;
  const Buffer a = Buffer::from("one"), b = Buffer::from("two");
  auto r = lazy({a, b});
  auto pass = [](vow::AsyncGenerator<Buffer> source) -> vow::AsyncGenerator<Buffer> {
    auto it = vow::forAwait(source);
    while (auto chunk = co_await it.next()) co_yield std::move(*chunk);
    co_await it.close();
  };
  std::vector<Buffer> got;
  Error result(vow::Exception("not called"));
  vow::stream::pipeline(r, PassThrough::create(), pass, keeper(got),
                        [&](Error err) { result = err; });
  loop.run();
  EXPECT_FALSE(result) << result.message();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].data(), a.data());
  EXPECT_EQ(got[1].data(), b.data());
}

}  // namespace
