// The UTF-8 check and replacement Buffer's utf8 decoding and readline share.
#include "vow/buffer/internal/utf8.h"

#include <cstdint>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace {

TEST(Utf8, ValidatesAndReplacesAsNodeDecodes) {
  EXPECT_TRUE(vow::internal::isValidUtf8("plain ascii that is long enough for words"));
  EXPECT_TRUE(vow::internal::isValidUtf8("\xE6\x97\xA5\xE6\x9C\xAC"));
  EXPECT_FALSE(vow::internal::isValidUtf8("\xED\xA0\x80"));      // a surrogate
  EXPECT_FALSE(vow::internal::isValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  std::string out;
  vow::internal::appendUtf8Replacing("\xED\xA0\x80", out);
  EXPECT_EQ(out, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

// Pieces that make every kind of sequence, valid or not.
const std::vector<std::string>& utf8Pieces() {
  static const std::vector<std::string> pieces = {"a",
                                                  "bcd",
                                                  "\n",
                                                  "\xC3\xA9",
                                                  "\xE6\x97\xA5",
                                                  "\xF0\x9F\x98\x80",
                                                  "\x80",
                                                  "\xBF",
                                                  "\xC0\xAF",
                                                  "\xC1\xBF",
                                                  "\xE0\x80\x80",
                                                  "\xE0\xA0\x80",
                                                  "\xED\x9F\xBF",
                                                  "\xED\xA0\x80",
                                                  "\xF0\x8F\xBF\xBF",
                                                  "\xF0\x90\x80\x80",
                                                  "\xF4\x8F\xBF\xBF",
                                                  "\xF4\x90\x80\x80",
                                                  "\xF5",
                                                  "\xFF",
                                                  "\xE2\x82",
                                                  "\xF0\x9F\x98",
                                                  "\xC3"};
  return pieces;
}

TEST(Utf8, TheFastCheckAgreesWithTheScalarOneOnRandomText) {
  // The pieces land on every offset of a 16- and a 32-byte block.
  const std::vector<std::string>& pieces = utf8Pieces();
  std::uint32_t seed = 12345;
  auto rnd = [&seed] {
    seed = seed * 1664525u + 1013904223u;
    return seed >> 8;
  };
  int valid = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const int n = static_cast<int>(rnd() % 24);
    for (int i = 0; i < n; ++i) {
      // Mostly valid pieces, so that valid strings are common too.
      const std::size_t k = rnd() % 4 != 0 ? rnd() % 6 : rnd() % pieces.size();
      text += pieces[k];
    }
    const bool expected = vow::internal::isValidUtf8ScalarForTesting(text);
    valid += expected;
    ASSERT_EQ(vow::internal::isValidUtf8(text), expected) << ::testing::PrintToString(text);
    for (const auto& [name, check] : vow::internal::vectorUtf8ChecksForTesting()) {
      ASSERT_EQ(check(text), expected) << name << ": " << ::testing::PrintToString(text);
    }
  }
  EXPECT_GT(valid, 2000);
  EXPECT_LT(valid, 18000);
}

TEST(Utf8, TheFastCheckAgreesWithTheScalarOneAroundLongAsciiRuns) {
  // The vector checks skip ASCII blocks (16 or 32 bytes) at once: each piece, alone or twice, at
  // every offset of a few such blocks, with ASCII runs long enough to be skipped before and after
  // it.
  int valid = 0, invalid = 0;
  for (const std::string& piece : utf8Pieces()) {
    for (std::size_t before = 0; before < 140; ++before) {
      for (std::size_t after : {0, 1, 15, 63, 64, 65, 130}) {
        for (int copies = 1; copies <= 2; ++copies) {
          std::string text(before, 'x');
          for (int c = 0; c < copies; ++c) text += piece + std::string(after, 'y');
          const bool expected = vow::internal::isValidUtf8ScalarForTesting(text);
          (expected ? valid : invalid) += 1;
          ASSERT_EQ(vow::internal::isValidUtf8(text), expected)
              << ::testing::PrintToString(piece) << " after " << before << " bytes, then " << after;
          for (const auto& [name, check] : vow::internal::vectorUtf8ChecksForTesting()) {
            ASSERT_EQ(check(text), expected) << name << ": " << ::testing::PrintToString(piece)
                                             << " after " << before << " bytes, then " << after;
          }
        }
      }
    }
  }
  EXPECT_GT(valid, 1000);
  EXPECT_GT(invalid, 1000);
}

TEST(Utf8, EveryVectorCheckTheCpuCanRunIsCompared) {
#if defined(__x86_64__)
  std::vector<std::string> names;
  for (const auto& check : vow::internal::vectorUtf8ChecksForTesting()) names.push_back(check.name);
  std::vector<std::string> expected;
  if (__builtin_cpu_supports("avx2")) expected.push_back("avx2");
  if (__builtin_cpu_supports("ssse3")) expected.push_back("ssse3");
  EXPECT_EQ(names, expected);
#else
  EXPECT_TRUE(vow::internal::vectorUtf8ChecksForTesting().empty());
#endif
}

}  // namespace
