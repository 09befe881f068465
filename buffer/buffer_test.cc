// vow::Buffer against Node v20: every expected value below is what node printed for the same
// call (the JS is in each test's comment).
#include "vow/buffer/buffer.h"

#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "vow/promise/error.h"

namespace {

using vow::Buffer;

std::string inspect(const Buffer& b) {
  std::ostringstream os;
  os << b;
  return os.str();
}

std::string hex(const Buffer& b) { return b.toString("hex"); }

TEST(BufferAlloc, ZeroFillsAndFills) {
  Buffer b = Buffer::alloc(4);
  EXPECT_EQ(hex(b), "00000000");
  EXPECT_EQ(hex(Buffer::alloc(3, 0xab)), "ababab");
  EXPECT_EQ(Buffer::alloc(0).length(), 0u);
}

TEST(BufferAllocUnsafe, HasTheLengthAndIsWritable) {
  Buffer b = Buffer::allocUnsafe(5);
  ASSERT_EQ(b.length(), 5u);
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<std::uint8_t>('a' + i);
  EXPECT_EQ(b.toString(), "abcde");
}

// The storage of a small buffer freed by its last owner is kept for the next one of its size
// class, whichever thread frees or allocates (readFile's buffers are made on pool threads and
// freed on the loop thread). Without sanitizers only: with them every block is malloc's.
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
TEST(BufferAllocUnsafe, ReusesTheStorageOfAFreedSmallBuffer) {
  const void* first = nullptr;
  {
    vow::Buffer a = vow::Buffer::allocUnsafe(4096);
    first = a.data();
    vow::Buffer shared = a;  // not freed while a copy lives
  }
  vow::Buffer b = vow::Buffer::allocUnsafe(4100);  // the same 256-byte class as 4096 + header
  EXPECT_EQ(static_cast<const void*>(b.data()), first);

  const void* made_elsewhere = nullptr;
  vow::Buffer from_thread;
  std::thread([&] {
    from_thread = vow::Buffer::allocUnsafe(10000);
    made_elsewhere = from_thread.data();
  }).join();
  from_thread = vow::Buffer();  // freed on this thread
  vow::Buffer c = vow::Buffer::allocUnsafe(10000);
  EXPECT_EQ(static_cast<const void*>(c.data()), made_elsewhere);

  // Larger than 64 KiB: not cached (and the bytes are still usable).
  vow::Buffer big = vow::Buffer::allocUnsafe(1 << 20);
  big[(1 << 20) - 1] = 7;
  EXPECT_EQ(big[(1 << 20) - 1], 7);
}
#endif

TEST(BufferCopy, SharesTheBytesAsAJsReference) {
  Buffer a = Buffer::from("hello");
  Buffer b = a;  // const b = a
  EXPECT_EQ(a.use_count(), 2);
  EXPECT_EQ(a.data(), b.data());
  b[0] = 'j';
  EXPECT_EQ(a.toString(), "jello");
  Buffer c = std::move(b);
  EXPECT_EQ(a.use_count(), 2);
  EXPECT_EQ(b.length(), 0u);  // NOLINT(bugprone-use-after-move): moved-from is empty
  {
    Buffer d = c;
    EXPECT_EQ(a.use_count(), 3);
  }
  EXPECT_EQ(a.use_count(), 2);
}

TEST(BufferFrom, CopiesTheString) {
  std::string s = "abc";
  Buffer b = Buffer::from(s);
  s[0] = 'x';
  EXPECT_EQ(b.toString(), "abc");
  EXPECT_EQ(Buffer::from({1, 2, 250}).toString("base64"), "AQL6");  // Buffer.from([1,2,250])
  Buffer copy = Buffer::from(b);
  EXPECT_NE(copy.data(), b.data());
  EXPECT_EQ(copy, b);
}

TEST(BufferFrom, HexStopsAtTheFirstBadPair) {
  // Buffer.from('68656c6c6fz', 'hex') ... Buffer.from('zz68', 'hex')
  EXPECT_EQ(inspect(Buffer::from("68656c6c6fz", "hex")), "<Buffer 68 65 6c 6c 6f>");
  EXPECT_EQ(inspect(Buffer::from("6", "hex")), "<Buffer >");
  EXPECT_EQ(inspect(Buffer::from("686", "hex")), "<Buffer 68>");
  EXPECT_EQ(inspect(Buffer::from("zz68", "hex")), "<Buffer >");
  EXPECT_EQ(inspect(Buffer::from("6A6b", "HEX")), "<Buffer 6a 6b>");
}

TEST(BufferFrom, Base64AsNodesDecoder) {
  // for (const s of [...]) console.log(JSON.stringify(s), Buffer.from(s,'base64').toString('hex'))
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"ab", "69"},
      {"abc", "69b7"},
      {"ab!c", "69b7"},
      {"a=bc", ""},
      {"ab=c", "69"},
      {"ab==", "69"},
      {"abc=d", "69b7"},
      {"YW Jj\nZA", "61626364"},
      {"=abc", ""},
      {"YWJjZA==YWJj", "61626364"},
      {"YWJj====", "616263"},
      {"YW", "61"},
      {"Y", ""},
      {"YWJ", "6162"},
      {"_-8", "ffef"},
      {"+/8", "fbff"},
      {"aGVsbG8=", "68656c6c6f"},
      {"aGVsbG8", "68656c6c6f"},
      {"aGVsbG8=abc", "68656c6c6f"},
      {"a-_b", "6befdb"},
  };
  for (const auto& [in, want] : cases) {
    EXPECT_EQ(Buffer::from(in, "base64").toString("hex"), want) << in;
    EXPECT_EQ(Buffer::from(in, "base64url").toString("hex"), want) << in;
  }
}

TEST(BufferFrom, Latin1AndAsciiTakeTheLowByteOfEachUtf16Unit) {
  // Buffer.from('héllo €', 'latin1'), Buffer.from('héllo😀', 'ascii'), Buffer.from('😀', 'latin1')
  EXPECT_EQ(inspect(Buffer::from("h\u00e9llo \u20ac", "latin1")), "<Buffer 68 e9 6c 6c 6f 20 ac>");
  EXPECT_EQ(inspect(Buffer::from("h\u00e9llo\U0001F600", "ascii")),
            "<Buffer 68 e9 6c 6c 6f 3d 00>");
  EXPECT_EQ(inspect(Buffer::from("\U0001F600", "binary")), "<Buffer 3d 00>");
}

TEST(BufferFrom, Utf16le) {
  // Buffer.from('a€😀', 'utf16le')
  EXPECT_EQ(inspect(Buffer::from("a\u20ac\U0001F600", "utf16le")),
            "<Buffer 61 00 ac 20 3d d8 00 de>");
}

TEST(BufferToString, Utf8ReplacesInvalidSequencesAsNode) {
  // Buffer.from([0xff,0x61,0xe2,0x82,0x61,0xf0,0x9f,0x98,0x80,0xc0,0xaf,0xed,0xa0,0x80,0xf4,
  //              0x90,0x80,0x80,0xe2,0x82]); Buffer.from(b.toString()).toString('hex')
  Buffer b = Buffer::from({0xff, 0x61, 0xe2, 0x82, 0x61, 0xf0, 0x9f, 0x98, 0x80, 0xc0,
                           0xaf, 0xed, 0xa0, 0x80, 0xf4, 0x90, 0x80, 0x80, 0xe2, 0x82});
  EXPECT_EQ(Buffer::from(b.toString()).toString("hex"),
            "efbfbd61efbfbd61f09f9880efbfbdefbfbdefbfbdefbfbdefbfbdefbfbdefbfbdefbfbdefbfbdefbfbd");
  EXPECT_EQ(Buffer::from("h\u00e9llo \uFFFD\U0001F600").toString("utf-8"),
            "h\u00e9llo \uFFFD\U0001F600");  // valid text comes back as it is
}

TEST(BufferToString, OtherEncodings) {
  Buffer abc = Buffer::from("abc");
  // .toString('UTF-8'), 'HEX', 'Latin1', 'binary', 'ascii'
  EXPECT_EQ(abc.toString("UTF-8"), "abc");
  EXPECT_EQ(abc.toString("HEX"), "616263");
  EXPECT_EQ(abc.toString("Latin1"), "abc");
  EXPECT_EQ(abc.toString("binary"), "abc");
  EXPECT_EQ(abc.toString("ascii"), "abc");
  // Buffer.from('abc').toString('ucs2') is '扡' (0x6261; the odd 'c' is dropped)
  EXPECT_EQ(abc.toString("ucs2"), "\u6261");
  // Buffer.from([0xe9,0x41,0x80,0xff]).toString('ascii') -> char codes [105, 65, 0, 127]
  EXPECT_EQ(Buffer::from({0xe9, 0x41, 0x80, 0xff}).toString("ascii"), std::string("iA\0\x7f", 4));
  // Buffer.from([0xe9, 0x80]).toString('latin1') -> 'é' and U+0080
  EXPECT_EQ(Buffer::from({0xe9, 0x80}).toString("latin1"), "\u00e9\u0080");
  // Buffer.from([1,2,250]).toString('base64'), 'base64url'; lengths 1 and 2 pad differently
  EXPECT_EQ(Buffer::from({1, 2, 250}).toString("base64url"), "AQL6");
  EXPECT_EQ(Buffer::from("a").toString("base64"), "YQ==");
  EXPECT_EQ(Buffer::from("ab").toString("base64"), "YWI=");
  EXPECT_EQ(Buffer::from({0xfb, 0xff}).toString("base64url"), "-_8");
  // Buffer.from('a€😀').toString('ucs2') and a lone surrogate (Node prints it as U+FFFD)
  EXPECT_EQ(Buffer::from("a\u20ac\U0001F600", "utf16le").toString("utf16le"), "a\u20ac\U0001F600");
  EXPECT_EQ(Buffer::from({0x61, 0x00, 0x00, 0xd8, 0x62}).toString("utf16le"), "a\uFFFD");
}

TEST(BufferToString, ClampsStartAndEndAsNode) {
  Buffer b = Buffer::from("hello");
  // .toString('utf8',1,3), (-1,100), (3,1)
  EXPECT_EQ(b.toString("utf8", 1, 3), "el");
  EXPECT_EQ(b.toString("utf8", -1, 100), "hello");
  EXPECT_EQ(b.toString("utf8", 3, 1), "");
}

TEST(BufferToString, UnknownEncodingThrowsNodesError) {
  // Buffer.from('abc').toString('bogus'): TypeError ERR_UNKNOWN_ENCODING Unknown encoding: bogus
  for (const char* name : {"bogus", ""}) {
    try {
      (void)Buffer::from("abc").toString(name);
      ADD_FAILURE() << "no throw for " << name;
    } catch (const vow::TypeError& e) {
      EXPECT_EQ(e.code(), "ERR_UNKNOWN_ENCODING");
      EXPECT_EQ(e.message(), std::string("Unknown encoding: ") + name);
    }
  }
  EXPECT_THROW((void)Buffer::from("abc", "bogus"), vow::TypeError);
  EXPECT_TRUE(Buffer::isEncoding("UCS-2"));
  EXPECT_FALSE(Buffer::isEncoding("utf32"));
}

TEST(BufferSubarray, SharesMemoryAndClampsAsNode) {
  Buffer b = Buffer::from("hello");
  Buffer mid = b.subarray(1, -1);  // 'ell'
  EXPECT_EQ(mid.toString(), "ell");
  EXPECT_EQ(mid.data(), b.data() + 1);
  mid[0] = 'a';
  EXPECT_EQ(b.toString(), "hallo");
  EXPECT_EQ(b.subarray(3, 1).length(), 0u);
  EXPECT_EQ(b.subarray(-100, 100).toString(), "hallo");
  EXPECT_EQ(b.subarray(-2).toString(), "lo");
  // Buffer.from('€').subarray(-2) -> <Buffer 82 ac>
  EXPECT_EQ(inspect(Buffer::from("\u20ac").subarray(-2)), "<Buffer 82 ac>");
  EXPECT_EQ(b.slice(1, 2).toString(), "a");
  Buffer empty;
  EXPECT_EQ(empty.subarray(1, 2).length(), 0u);
}

TEST(BufferConcat, JoinsCutsAndPads) {
  // Buffer.concat([Buffer.from('a'), Buffer.from('bc')]), Buffer.concat([])
  EXPECT_EQ(inspect(Buffer::concat({Buffer::from("a"), Buffer::from("bc")})), "<Buffer 61 62 63>");
  EXPECT_EQ(inspect(Buffer::concat({})), "<Buffer >");
  std::vector<Buffer> list = {Buffer::from("ab"), Buffer::from("cd")};
  EXPECT_EQ(Buffer::concat(list, 3).toString(), "abc");
  EXPECT_EQ(hex(Buffer::concat(list, 6)), "616263640000");
}

TEST(BufferCompare, OrdersBytesThenLengths) {
  // Buffer.compare(a, b), b.compare(a), Buffer.from('ab').compare(Buffer.from('a')), equals
  EXPECT_EQ(Buffer::compare(Buffer::from("a"), Buffer::from("b")), -1);
  EXPECT_EQ(Buffer::from("b").compare(Buffer::from("a")), 1);
  EXPECT_EQ(Buffer::from("ab").compare(Buffer::from("a")), 1);
  EXPECT_TRUE(Buffer::from("a").equals(Buffer::from("a")));
  EXPECT_EQ(Buffer::from({0x80}).compare(Buffer::from({0x7f})), 1);  // unsigned
  EXPECT_EQ(Buffer().compare(Buffer::alloc(0)), 0);
}

TEST(BufferInspect, PrintsAsConsoleLog) {
  // console.log(Buffer.alloc(0), Buffer.alloc(50, 1)); Buffer.alloc(51, 1); Buffer.alloc(60, 'ab')
  EXPECT_EQ(inspect(Buffer()), "<Buffer >");
  std::string fifty = "<Buffer";
  for (int i = 0; i < 50; ++i) fifty += " 01";
  EXPECT_EQ(inspect(Buffer::alloc(50, 1)), fifty + ">");
  EXPECT_EQ(inspect(Buffer::alloc(51, 1)), fifty + " ... 1 more byte>");
  EXPECT_EQ(inspect(Buffer::alloc(60, 1)), fifty + " ... 10 more bytes>");
  EXPECT_EQ(inspect(Buffer::from("hello")), "<Buffer 68 65 6c 6c 6f>");
}

TEST(BufferView, ConvertsToStringViewAndIterates) {
  Buffer b = Buffer::from("hi!");
  std::string_view v = b;
  EXPECT_EQ(v, "hi!");
  EXPECT_EQ(std::string(b.begin(), b.end()), "hi!");
  EXPECT_TRUE(b == "hi!");
  int sum = 0;
  for (std::uint8_t byte : b) sum += byte;
  EXPECT_EQ(sum, 'h' + 'i' + '!');
  EXPECT_EQ(b[0], 104);  // buf[0] is a number
}

}  // namespace
