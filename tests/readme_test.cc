// The README's "A taste" program, through the one include a user writes (`vow/vow.h`, target
// //:vow): the order it promises (nextTick first) and the first line it reads.
#include <cstdio>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "vow/vow.h"

namespace {

vow::Promise<std::string> firstLine(std::string path) {
  std::string text = co_await vow::fs::promises::readFile(path, "utf8");
  co_return text.substr(0, text.find('\n'));
}

std::string tempFile(const std::string& contents) {
  const char* dir = std::getenv("TEST_TMPDIR");
  std::string path = std::string(dir != nullptr ? dir : "/tmp") + "/readme_taste.txt";
  vow::fs::writeFileSync(path, contents);
  return path;
}

// The README promises "tick" first; the read and the 10 ms timer race on a busy machine.
TEST(Readme, TasteProgramPrintsTickFirstThenTheLineAndTheTimer) {
  vow::Loop loop;
  std::vector<std::string> out;
  firstLine(tempFile("first line\nsecond line\n"))
      .then([&](const std::string& line) { out.push_back(line); })
      .catch_([&](const vow::SystemError& e) { out.push_back(e.what()); });
  vow::setTimeout([&] { out.push_back("timer"); }, 10);
  vow::nextTick([&] { out.push_back("tick"); });
  vow::run();
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0], "tick");
  EXPECT_THAT(out, ::testing::UnorderedElementsAre("tick", "first line", "timer"));
}

TEST(Readme, TasteProgramReportsAMissingFileAsNode) {
  vow::Loop loop;
  std::vector<std::string> out;
  firstLine("/nonexistent/vow-readme")
      .then([&](const std::string& line) { out.push_back(line); })
      .catch_([&](const vow::SystemError& e) { out.push_back(e.what()); });
  vow::run();
  EXPECT_EQ(out, (std::vector<std::string>{
                     "ENOENT: no such file or directory, open '/nonexistent/vow-readme'"}));
}

}  // namespace
