// What the fs parity twins share with their Node programs' conventions (see README.md here):
// Node's os.tmpdir(), and replacing the tmp dir with "<tmp>" in printed messages.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <string>

namespace parity {

// Node's os.tmpdir() on Linux: $TMPDIR without trailing slashes, else /tmp.
inline std::string tmpdir() {
  const char* t = std::getenv("TMPDIR");
  std::string d = (t != nullptr && *t != 0) ? t : "/tmp";
  while (d.size() > 1 && d.back() == '/') d.pop_back();
  return d;
}

// JS: s.split(from).join(to).
inline std::string replaceAll(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t i = 0; (i = s.find(from, i)) != std::string::npos; i += to.size()) {
    s.replace(i, from.size(), to);
  }
  return s;
}

}  // namespace parity
