// For vow's own tests: a fresh directory under $TEST_TMPDIR (or /tmp), removed afterwards.
#pragma once

#include <cstdlib>
#include <stdexcept>
#include <string>

#include "vow/fs/sync.h"
#include "vow/promise/internal/exceptions.h"

namespace vow::fs::internal {

class TestDir {
 public:
  TestDir() {
    const char* base = std::getenv("TEST_TMPDIR");
    path_ = mkdtempSync(std::string(base != nullptr && *base ? base : "/tmp") + "/vowfs-");
  }
  ~TestDir() { rmSync(path_, {.recursive = true, .force = true}); }
  TestDir(const TestDir&) = delete;
  TestDir& operator=(const TestDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// The SystemError a test expects an Error to carry (a test fails with the message otherwise).
inline const SystemError& systemErrorOf(const Error& e) {
  const auto* s = e.as<SystemError>();
  if (s == nullptr) VOW_THROW(std::runtime_error("not a SystemError: " + e.message()));
  return *s;
}

}  // namespace vow::fs::internal
