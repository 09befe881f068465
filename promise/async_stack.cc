#include "vow/promise/async_stack.h"

#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <string_view>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "vow/promise/internal/async_stack.h"
#include "vow/promise/internal/state.h"

namespace vow {
namespace internal {

namespace {

bool envEnabled() {
  const char* v = std::getenv("VOW_ASYNC_STACK_TRACES");
  return v != nullptr && v[0] != '\0' && std::string_view(v) != "0";
}

std::atomic<int> g_limit{10};

// The captured chains, by exception object. Each entry keeps its exception alive (so its
// address cannot be reused by another exception while the entry exists); the oldest entries
// are dropped past kMaxKept. One table for the process: an Error may be read on another thread
// than the one that rejected with it.
constexpr std::size_t kMaxKept = 4096;

struct Entry {
  Error keep;  // keeps the object, so its address stays its key
  std::vector<RawAsyncFrame> frames;
};

struct Table {
  std::mutex mu;
  absl::flat_hash_map<const void*, Entry> entries;
  std::deque<const void*> order;  // oldest first
};

Table& table() {
  static auto* t = new Table();  // never destroyed: rejections may happen during exit
  return *t;
}

// The carried exception object's address: the same for every copy of an Error, as long as the
// object lives. With exceptions, libstdc++'s and libc++'s exception_ptr are one pointer to the
// object; without, Error shares the object through a shared_ptr.
const void* keyOf(const Error& error) noexcept {
#if VOW_HAS_EXCEPTIONS
  static_assert(sizeof(std::exception_ptr) == sizeof(void*));
  const void* key;
  std::memcpy(&key, static_cast<const void*>(&error.exception()), sizeof(key));
  return key;
#else
  return error.as<std::exception>();
#endif
}

struct Running {
  StateBase* state;
  std::source_location made;  // a coroutine's creation, or nothing
};
// Bumped by every setAsyncStackTraces: a thread's running stack from before may have pushes
// without pops (or the reverse), and is dropped the next time that thread looks at it.
std::atomic<std::uint64_t> g_generation{0};

std::vector<Running>& running() {
  thread_local std::vector<Running> stack;
  thread_local std::uint64_t generation = 0;
  const std::uint64_t now = g_generation.load(std::memory_order_relaxed);
  if (generation != now) {
    stack.clear();
    generation = now;
  }
  return stack;
}

struct ThenSite {
  std::source_location site;
  RawAsyncFrame::Kind kind;
};
// Promises belong to one thread, so their sites do too.
absl::flat_hash_map<const StateBase*, ThenSite>& thenSites() {
  thread_local absl::flat_hash_map<const StateBase*, ThenSite> sites;
  return sites;
}

// The oldest reaction of `s` with a waiter (JS follows the first awaiter too).
Reaction* firstAwaiter(const StateBase* s) {
  Reaction* oldest = nullptr;
  for (Reaction* r = s->newestReaction(); r != nullptr; r = r->next_reaction_) {
    if (r->waiter() != nullptr) oldest = r;
  }
  return oldest;
}

// The running code (innermost first, as sync frames), then the awaiters of the outermost one.
// `top`: only when the innermost running code is this state (or null: whatever runs now).
std::vector<RawAsyncFrame> collect(StateBase* top) {
  std::vector<RawAsyncFrame> frames;
  const std::size_t limit = static_cast<std::size_t>(g_limit.load(std::memory_order_relaxed));
  StateBase* from = top;
  auto& run = running();
  if (!run.empty() && (top == nullptr || run.back().state == top)) {
    for (std::size_t i = run.size(); i-- > 0 && frames.size() < limit;) {
      RawAsyncFrame f;
      if (run[i].state->describeAsyncFrame(f)) {
        // A coroutine that has not suspended yet is named by its creation.
        if (f.kind == RawAsyncFrame::kCoroutine && !f.has_site) f.function = run[i].made;
        f.async = false;
        frames.push_back(f);
      }
    }
    from = run.front().state;
  }
  if (from == nullptr) return frames;
  // Silent hops (an adoption, a race) add no frame; bound them too, in case of a cycle.
  for (std::size_t steps = 0; frames.size() < limit && steps < 64 + 4 * limit; ++steps) {
    Reaction* r = firstAwaiter(from);
    if (r == nullptr) break;
    RawAsyncFrame f;
    StateBase* next = r->waiter();
    if (r->describeAsyncFrame(f)) {
      f.async = true;
      frames.push_back(f);
    } else if (next != nullptr && next->describeAsyncFrame(f) &&
               f.kind != RawAsyncFrame::kCoroutine) {
      // An adoption: a then's handler returned this promise, so that then waits on it. (A
      // coroutine that returned it has ended: no frame, as in V8.)
      f.async = true;
      frames.push_back(f);
    }
    if (next == nullptr || next == from) break;
    from = next;
  }
  return frames;
}

// "ns::middle" from "vow::Promise<int> ns::middle(T) [with T = int]" (a coroutine's creation)
// or from "void ns::middle(middle<int>(int)::_Z...Frame*)" (GCC's name for a co_await inside
// it): the pretty name without its template arguments list, parameters and return type.
std::string shortName(std::string_view pretty) {
  if (auto w = pretty.find(" [with "); w != std::string_view::npos) pretty = pretty.substr(0, w);
  // The parameter list: the first top-level '(' whose ')' is not followed by "::" (which
  // would make it a scope: "main()::<lambda()>") and that is not operator()'s name.
  std::size_t end = pretty.size();
  int angle = 0;
  for (std::size_t i = 0; i < pretty.size(); ++i) {
    char c = pretty[i];
    if (c == '<') ++angle;
    if (c == '>' && angle > 0) --angle;
    if (c != '(' || angle != 0) continue;
    if (pretty.substr(0, i).ends_with("operator") && pretty.substr(i).starts_with("()")) {
      ++i;
      continue;
    }
    int depth = 0;
    std::size_t j = i;
    for (; j < pretty.size(); ++j) {
      if (pretty[j] == '(') ++depth;
      if (pretty[j] == ')' && --depth == 0) break;
    }
    if (pretty.substr(j + 1).starts_with("::")) {
      i = j;
      continue;
    }
    end = i;
    break;
  }
  std::string_view name = pretty.substr(0, end);
  // The return type: everything up to the last top-level space.
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c == '<' || c == '(') ++depth;
    if ((c == '>' || c == ')') && depth > 0) --depth;
    if (c == ' ' && depth == 0) start = i + 1;
  }
  std::string out(name.substr(start));
  // A lambda coroutine's co_await site names its call operator: "main()::<lambda()>" as its
  // creation does.
  if (out.ends_with(">::operator()") && out.find("<lambda") != std::string::npos) {
    out.erase(out.size() - sizeof("::operator()") + 1);
  }
  // GCC spells an unnamed namespace "{anonymous}::": noise in a stack line.
  for (std::size_t at; (at = out.find("{anonymous}::")) != std::string::npos;) {
    out.erase(at, sizeof("{anonymous}::") - 1);
  }
  return out;
}

AsyncStackFrame render(const RawAsyncFrame& f) {
  AsyncStackFrame out;
  out.async = f.async;
  switch (f.kind) {
    case RawAsyncFrame::kCoroutine:
    case RawAsyncFrame::kGenerator:
      out.function = f.function.line() != 0 ? shortName(f.function.function_name()) : "<unknown>";
      out.file = f.function.file_name();
      break;
    case RawAsyncFrame::kThen:
      out.function = "Promise.then";
      break;
    case RawAsyncFrame::kCatch:
      out.function = "Promise.catch";
      break;
    case RawAsyncFrame::kFinally:
      out.function = "Promise.finally";
      break;
    case RawAsyncFrame::kAll:
      out.function = "Promise.all";
      out.index = f.index;
      break;
    case RawAsyncFrame::kAny:
      out.function = "Promise.any";
      out.index = f.index;
      break;
    case RawAsyncFrame::kAllSettled:
      out.function = "Promise.allSettled";
      out.index = f.index;
      break;
  }
  if (f.has_site) {
    out.file = f.site.file_name();
    out.line = f.site.line();
  }
  return out;
}

AsyncStack renderAll(const std::vector<RawAsyncFrame>& raw) {
  AsyncStack stack;
  stack.frames.reserve(raw.size());
  for (const RawAsyncFrame& f : raw) stack.frames.push_back(render(f));
  return stack;
}

}  // namespace

std::atomic<bool> g_async_stack_traces{envEnabled()};

void captureAsyncStack(StateBase* rejected, const Error& error) {
  if (!error) return;
  const void* key = keyOf(error);
  if (key == nullptr) return;
  Table& t = table();
  {
    std::lock_guard<std::mutex> lock(t.mu);
    if (t.entries.contains(key)) return;  // the first capture stays, as a JS error's stack
  }
  std::vector<RawAsyncFrame> frames = collect(rejected);
  std::lock_guard<std::mutex> lock(t.mu);
  auto [it, inserted] = t.entries.try_emplace(key, Entry{error, std::move(frames)});
  if (!inserted) return;
  t.order.push_back(key);
  if (t.order.size() > kMaxKept) {
    t.entries.erase(t.order.front());
    t.order.pop_front();
  }
}

void pushRunning(StateBase* s, std::source_location made) { running().push_back({s, made}); }

void popRunning(StateBase* s) noexcept {
  auto& run = running();
  if (!run.empty() && run.back().state == s) run.pop_back();
}

std::atomic<bool> g_then_sites_kept{false};

void keepThenSite(const StateBase* then, std::source_location site, RawAsyncFrame::Kind kind) {
  g_then_sites_kept.store(true, std::memory_order_relaxed);
  thenSites()[then] = ThenSite{site, kind};
}

void forgetThenSite(const StateBase* then) noexcept { thenSites().erase(then); }

bool findThenSite(const StateBase* then, RawAsyncFrame& f) noexcept {
  auto& sites = thenSites();
  auto it = sites.find(then);
  if (it == sites.end()) return false;
  f.kind = it->second.kind;
  f.site = it->second.site;
  f.has_site = it->second.site.line() != 0;
  return true;
}

}  // namespace internal

void setAsyncStackTraces(bool on) {
  internal::g_async_stack_traces.store(on, std::memory_order_relaxed);
  // Code that ran while the switch changed may have pushed without popping (or the reverse):
  // every thread's running stack is dropped.
  internal::g_generation.fetch_add(1, std::memory_order_relaxed);
}

bool asyncStackTraces() noexcept { return internal::asyncStackTracesOn(); }

void setAsyncStackTraceLimit(int frames) {
  internal::g_limit.store(frames < 0 ? 0 : frames, std::memory_order_relaxed);
}

std::string AsyncStackFrame::toString() const {
  std::string s = async ? "at async " : "at ";
  s += function;
  if (index) {
    s += " (index " + std::to_string(*index) + ")";
  } else if (!file.empty()) {
    s += " (" + file;
    if (line != 0) s += ":" + std::to_string(line);
    s += ")";
  }
  return s;
}

std::string AsyncStack::toString() const {
  std::string s;
  for (const AsyncStackFrame& f : frames) {
    if (!s.empty()) s += '\n';
    s += "    " + f.toString();
  }
  return s;
}

AsyncStack asyncStackOf(const Error& error) {
  if (!error) return {};
  internal::Table& t = internal::table();
  std::vector<internal::RawAsyncFrame> raw;
  {
    std::lock_guard<std::mutex> lock(t.mu);
    auto it = t.entries.find(internal::keyOf(error));
    if (it == t.entries.end()) return {};
    raw = it->second.frames;
  }
  return internal::renderAll(raw);
}

std::string stackOf(const Error& error) {
  std::string s = error ? error.name() + ": " + error.message() : "undefined";
  std::string frames = asyncStackOf(error).toString();
  if (!frames.empty()) s += "\n" + frames;
  return s;
}

AsyncStack currentAsyncStack() {
  if (!internal::asyncStackTracesOn()) return {};
  return internal::renderAll(internal::collect(nullptr));
}

}  // namespace vow
