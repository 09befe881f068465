// C++ twin of 60_catch_other_type.js: catch_ handlers that settle another type than the
// chain's widen its type (the rule above Promise<T>::catch_), at the same ticks:
//   .catch(() => null)               -> Promise<std::optional<int>>   (return std::nullopt)
//   .catch(e => e)                   -> Promise<std::variant<int, vow::Error>>
//   .catch(e => console.log(...))    -> Promise<std::optional<int>>   (returns nothing)
//   .catch(() => false)              -> Promise<std::variant<int, bool>>
//   .catch(() => 0.5)                -> Promise<double>
//   .catch(() => Promise.resolve('late')) -> Promise<std::variant<int, std::string>>
//   .catch(e => e.message) after a then -> Promise<std::variant<int, std::string>>
// JS has two nothings (null, undefined), C++ one (std::nullopt): the twin prints the word the
// JS program prints.
#include <cstdio>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>

#include "vow/promise/promise.h"

using vow::Promise;

namespace {

Promise<int> fail(const char* message) { return Promise<int>::reject(vow::Exception(message)); }

// JSON.stringify of the values these chains carry; `nothing` for std::nullopt.
std::string js(int v) { return std::to_string(v); }
std::string js(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}
std::string js(bool v) { return v ? "true" : "false"; }
std::string js(const std::string& v) { return "\"" + v + "\""; }
std::string js(const vow::Error& e) { return "Error: " + e.message(); }
template <class... A>
std::string js(const std::variant<A...>& v) {
  return std::visit([](const auto& x) { return js(x); }, v);
}
template <class X>
std::string js(const std::optional<X>& v, const char* nothing = "null") {
  return v ? js(*v) : nothing;
}

template <class V>
auto show(const char* label, const char* nothing = "null") {
  return [label, nothing](const V& v) {
    if constexpr (std::is_same_v<V, std::optional<int>>) {
      std::printf("%s %s\n", label, js(v, nothing).c_str());
    } else {
      std::printf("%s %s\n", label, js(v).c_str());
    }
  };
}

}  // namespace

int main() {
  Promise<void>::resolve()
      .then([] { std::puts("tick 1"); })
      .then([] { std::puts("tick 2"); })
      .then([] { std::puts("tick 3"); })
      .then([] { std::puts("tick 4"); })
      .then([] { std::puts("tick 5"); });

  fail("a").catch_([] { return std::nullopt; }).then(show<std::optional<int>>("null:"));
  Promise<int>::resolve(7)
      .catch_([] { return std::nullopt; })
      .then(show<std::optional<int>>("fulfilled passes:"));
  fail("b")
      .catch_([](const vow::Error& e) { return e; })
      .then(show<std::variant<int, vow::Error>>("error as value:"));
  Promise<int>::reject(vow::Exception("c"))
      .then([](int v) { return v * 2; })
      .catch_([](const vow::Error& e) { std::printf("logged %s\n", e.message().c_str()); })
      .then(show<std::optional<int>>("after logging:", "undefined"));
  fail("d").catch_([] { return false; }).then(show<std::variant<int, bool>>("false:"));
  fail("e").catch_([] { return 0.5; }).then(show<double>("half:"));
  fail("f")
      .catch_([] { return Promise<std::string>::resolve("late"); })
      .then(show<std::variant<int, std::string>>("adopted:"));
  fail("g")
      .catch_([](const vow::Error& e) { return e; })
      .catch_([] { return std::string("never"); })
      .then(show<std::variant<int, vow::Error, std::string>>("caught once:"));
  Promise<int>::resolve(3)
      .then([](int v) {
        if (v == 3) throw vow::Exception("three");
        return v;
      })
      .catch_([](const vow::Error& e) { return e.message(); })
      .then(show<std::variant<int, std::string>>("message:"));
  std::puts("sync");
  vow::runMicrotasks();
}
