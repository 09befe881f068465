// The build foundation itself: the C++ standard, abseil and googletest as vow uses them.
#include <concepts>
#include <coroutine>
#include <string>
#include <version>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

static_assert(__cplusplus >= 202002L, "vow is built as C++20: see .bazelrc");
static_assert(__cpp_impl_coroutine >= 201902L, "coroutines are needed for co_await");

template <std::integral T>
constexpr T Twice(T x) {
  return x * 2;
}

absl::StatusOr<int> Parse(const std::string& s) {
  if (s.empty()) return absl::InvalidArgumentError("empty");
  return static_cast<int>(s.size());
}

TEST(BuildSanityTest, Cxx20Concepts) { EXPECT_EQ(Twice(21), 42); }

TEST(BuildSanityTest, AbseilStatusOr) {
  EXPECT_EQ(*Parse("abc"), 3);
  absl::StatusOr<int> bad = Parse("");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(absl::StrCat(bad.status().message(), "!"), ::testing::HasSubstr("empty!"));
}

}  // namespace
