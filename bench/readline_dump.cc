// readline_dump FILE HIGH_WATER_MARK: prints every line readline gives for FILE (read with
// fs::createReadStream in chunks of HIGH_WATER_MARK bytes, crlfDelay Infinity), each followed
// by "\n". bench/readline_check compares its output with bench/node/readline_dump.js's, byte
// for byte: the same lines as Node.
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "vow/readline/readline.h"
#include "vow/vow.h"

vow::Promise<void> dump(std::string file, std::size_t hwm) {
  auto rl = vow::readline::createInterface(
      {.input = vow::fs::createReadStream(file, {.highWaterMark = hwm}),
       .crlfDelay = vow::readline::kInfinity});
  std::string out;
  auto it = vow::forAwait(rl);
  while (std::optional<std::string> line = co_await it.next()) {
    out += *line;
    out += '\n';
    if (out.size() > (1 << 20)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  }
  co_await it.close();
  std::fwrite(out.data(), 1, out.size(), stdout);
}

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: readline_dump FILE HIGH_WATER_MARK\n");
    return 2;
  }
  int status = 0;
  dump(argv[1], std::strtoull(argv[2], nullptr, 10)).catch_([&status](const vow::Error& e) {
    std::fprintf(stderr, "readline_dump: %s\n", e.message().c_str());
    status = 1;
  });
  vow::run();
  return status;
}
