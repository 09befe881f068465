// What the examples share: a scratch directory for those that read files, and JS's join.
// The C++ twin of examples/support.js.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "vow/fs/sync.h"

namespace examples {

// Node's os.tmpdir(): $TMPDIR without a trailing slash, else /tmp.
inline std::string tmpdir() {
  const char* env = std::getenv("TMPDIR");
  std::string dir = env != nullptr && *env != '\0' ? env : "/tmp";
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir;
}

// Makes <tmp>/vow-examples/<name>/ afresh, writes `files` (name -> contents) into it and makes
// it the working directory, so the example names its files by relative paths and prints the
// same lines wherever <tmp> is. The directory is removed again when this object goes out of
// scope (Node: process.on('exit')).
class ScratchDir {
 public:
  ScratchDir(const std::string& name, const std::map<std::string, std::string>& files)
      : dir_(tmpdir() + "/vow-examples/" + name) {
    vow::fs::rmSync(dir_, {.recursive = true, .force = true});
    vow::fs::mkdirSync(dir_, {.recursive = true});
    for (const auto& [file, contents] : files) {
      vow::fs::writeFileSync(dir_ + "/" + file, contents);
    }
    if (chdir(dir_.c_str()) != 0) std::abort();
  }
  ~ScratchDir() {
    if (chdir(tmpdir().c_str()) != 0) return;
    vow::fs::rmSync(dir_, {.recursive = true, .force = true});
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return dir_; }

 private:
  std::string dir_;
};

// JS's array.join(separator).
inline std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string joined;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) joined += separator;
    joined += parts[i];
  }
  return joined;
}

}  // namespace examples
