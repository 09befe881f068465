// The JavaScript spellings vow reproduces in Node's messages.
#include "vow/loop/internal/js_value.h"

#include <limits>
#include <string>

#include "gtest/gtest.h"

namespace {

using vow::internal::inspectString;
using vow::internal::jsNumberToString;

// Expected values: String(v) printed by node v20 for each v.
TEST(JsNumberToString, SpellsNumbersAsJavaScriptsString) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  const std::pair<double, const char*> cases[] = {
      {0, "0"},
      {-0.0, "0"},
      {1, "1"},
      {-1, "-1"},
      {1.5, "1.5"},
      {0.1, "0.1"},
      {1e21, "1e+21"},
      {1e20, "100000000000000000000"},
      {123456789012345680000.0, "123456789012345680000"},
      {2147483648.0, "2147483648"},
      {2147483647.5, "2147483647.5"},
      {1e-6, "0.000001"},
      {1e-7, "1e-7"},
      {1.5e-7, "1.5e-7"},
      {5e-324, "5e-324"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {std::numeric_limits<double>::quiet_NaN(), "NaN"},
      {kInf, "Infinity"},
      {-kInf, "-Infinity"},
      {0.000001234, "0.000001234"},
      {100, "100"},
      {1e300, "1e+300"},
      {4.35, "4.35"},
      {0.1 + 0.2, "0.30000000000000004"},
  };
  for (const auto& [value, text] : cases) EXPECT_EQ(jsNumberToString(value), text) << text;
}

TEST(InspectString, QuotesAsUtilInspect) {
  EXPECT_EQ(inspectString("text"), "'text'");
  EXPECT_EQ(inspectString("it's"), "\"it's\"");
  EXPECT_EQ(inspectString("'\""), "`'\"`");
  EXPECT_EQ(inspectString("a\nb"), "'a\\nb'");
}

}  // namespace
