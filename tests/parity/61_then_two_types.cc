// C++ twin of 61_then_two_types.js: then(onFulfilled, onRejected) whose handlers settle
// different types gives a promise of both, widened by catch_'s rule (onFulfilled's type first):
//   (v) => v * 2,             () => null        -> Promise<std::optional<int>>
//   (v) => String(v),         (e) => e          -> Promise<std::variant<std::string, vow::Error>>
//   () => {},                 (e) => e.message  -> Promise<std::optional<std::string>>
//   (v) => v,                 () => a promise of a string -> Promise<std::variant<int,
//   std::string>> (v) => a promise of a string, () => 0       -> Promise<std::variant<std::string,
//   int>> (v) => v > 3,             () => 0           -> Promise<std::variant<bool, int>>
// JS has two nothings (null, undefined), C++ one (std::nullopt): the twin prints the word the
// JS program prints.
#include <cstdio>
#include <optional>
#include <string>
#include <variant>

#include "vow/promise/promise.h"

using vow::Promise;

namespace {

// JSON.stringify of the values these chains carry.
std::string js(int v) { return std::to_string(v); }
std::string js(bool v) { return v ? "true" : "false"; }
std::string js(const std::string& v) { return "\"" + v + "\""; }
std::string js(const vow::Error& e) { return "Error: " + e.message(); }
template <class... A>
std::string js(const std::variant<A...>& v) {
  return std::visit([](const auto& x) { return js(x); }, v);
}

template <class V>
auto show(const char* label) {
  return [label](const V& v) { std::printf("%s %s\n", label, js(v).c_str()); };
}
// For a std::optional: `nothing` is what JS prints for its null or undefined.
template <class X>
auto show(const char* label, const char* nothing) {
  return [label, nothing](const std::optional<X>& v) {
    std::printf("%s %s\n", label, v ? js(*v).c_str() : nothing);
  };
}

}  // namespace

int main() {
  const auto ok = Promise<int>::resolve(4);
  const auto bad = Promise<int>::reject(vow::Exception("bad"));

  Promise<void>::resolve()
      .then([] { std::puts("tick 1"); })
      .then([] { std::puts("tick 2"); })
      .then([] { std::puts("tick 3"); })
      .then([] { std::puts("tick 4"); });

  auto twice = [](int v) { return v * 2; };
  auto null = [] { return std::nullopt; };
  ok.then(twice, null).then(show<int>("ok number|null:", "null"));
  bad.then(twice, null).then(show<int>("bad number|null:", "null"));
  auto string = [](int v) { return std::to_string(v); };
  auto error = [](const vow::Error& e) { return e; };
  ok.then(string, error).then(show<std::variant<std::string, vow::Error>>("ok string|Error:"));
  bad.then(string, error).then(show<std::variant<std::string, vow::Error>>("bad string|Error:"));
  auto nothing = [] {};
  auto message = [](const vow::Error& e) { return e.message(); };
  ok.then(nothing, message).then(show<std::string>("ok undefined|string:", "undefined"));
  bad.then(nothing, message).then(show<std::string>("bad undefined|string:", "undefined"));
  bad.then([](int v) { return v; }, [] { return Promise<std::string>::resolve("fallback"); })
      .then(show<std::variant<int, std::string>>("bad adopts string:"));
  ok.then([](int v) { return Promise<std::string>::resolve("v" + std::to_string(v)); },
          [] { return 0; })
      .then(show<std::variant<std::string, int>>("ok adopts string:"));
  ok.then([](int v) { return v > 3; }, [] { return 0; })
      .then(show<std::variant<bool, int>>("ok boolean|number:"));
  std::puts("sync");
  vow::runMicrotasks();
}
