// C++ twin of 82_als_fs_events.js: AsyncLocalStorage, fs and EventEmitter. A callback fs call
// calls back in the context of the call (Node's FSReqCallback is its async resource); an
// awaited fs::promises call goes on in the context of the co_await; EventEmitter listeners
// run in the context of emit(), not of on().
#include <cstdio>
#include <memory>
#include <string>

#include "tests/parity/parity_support.h"
#include "vow/vow.h"

namespace {

namespace fs = vow::fs;
using vow::Error;

vow::AsyncLocalStorage<std::string> als;

void log(const std::string& label) {
  std::shared_ptr<std::string> s = als.getStore();
  std::printf("%s %s\n", label.c_str(), s ? s->c_str() : "undefined");
}

const std::string dir = parity::tmpdir() + "/parity-tmp/82_als_fs_events";
const std::string file = dir + "/a.txt";

vow::Promise<void> promises() {
  std::string data = co_await fs::promises::readFile(file, "utf8");
  log("fs.promises.readFile " + data);
  als.enterWith("Q");
  try {
    co_await fs::promises::readFile(dir + "/missing");
  } catch (const vow::SystemError& err) {
    log("fs.promises rejection " + err.code());
  }
  co_await fs::promises::rm(dir, {.recursive = true, .force = true});
  log("removed");
}

}  // namespace

int main() {
  fs::rmSync(dir, {.recursive = true, .force = true});
  fs::mkdirSync(dir, {.recursive = true});

  vow::EventEmitter emitter;
  als.run("ON",
          [&] { emitter.on("data", [](const std::string& what) { log("listener " + what); }); });

  als.run("W", [&] {
    fs::writeFile(file, "hello", [&](Error err) {
      log(std::string("writeFile callback err=") + (err ? "error" : "null"));
      emitter.emit("data", std::string("from writeFile callback"));
      als.run("R", [] {
        fs::readFile(file, "utf8", [](Error, std::string data) {
          log("readFile callback " + data);
          fs::stat(dir + "/missing", [](Error err, fs::Stats) {
            log("stat callback " + err.code());
            als.run("P", [] { promises(); });
          });
        });
      });
    });
  });
  emitter.emit("data", std::string("from main"));
  als.run("E", [&] { emitter.emit("data", std::string("inside run E")); });
  vow::run();
}
