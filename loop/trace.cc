// Tracing: one process-wide buffer behind a mutex (only touched while tracing is on), thread
// names kept apart from it (a pool thread is named once, possibly before a recording starts).
#include "vow/loop/trace.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "vow/loop/internal/hrtime.h"
#include "vow/loop/internal/trace.h"

namespace vow {
namespace internal {
namespace {

// What a traced point records: literals by pointer, no string built while the program runs
// (trace::Event's strings are made once, in stop()). A deque grows without moving what it
// holds, so a long recording never pauses the loop to copy millions of events.
struct RawEvent {
  const char* name;
  const char* cat;
  std::int64_t ts_ns;
  std::int64_t dur_ns;
  std::uint64_t id;
  int tid;
  char ph;
};

struct Buffer {
  std::mutex mu;
  std::deque<RawEvent> events;
  std::map<int, std::string> thread_names;
};

Buffer& buffer() {
  static Buffer* b = new Buffer();  // never destroyed: pool threads may record at exit
  return *b;
}

std::atomic<int> g_next_tid{1};
std::atomic<std::uint64_t> g_next_flow{1};

int currentTid() {
  thread_local int tid = g_next_tid.fetch_add(1, std::memory_order_relaxed);
  return tid;
}

}  // namespace

void traceRecord(const char* name, const char* cat, char ph, std::int64_t ts_ns,
                 std::int64_t dur_ns, std::uint64_t flow_id) {
  const int tid = currentTid();
  Buffer& b = buffer();
  std::lock_guard<std::mutex> lock(b.mu);
  if (!tracing()) return;  // stopped meanwhile
  b.events.push_back(RawEvent{name, cat, ts_ns, dur_ns, flow_id, tid, ph});
}

void traceNameThread(const char* prefix) {
  const int tid = currentTid();
  Buffer& b = buffer();
  std::lock_guard<std::mutex> lock(b.mu);
  if (b.thread_names.count(tid)) return;
  // Numbered per kind ("pool 1" .. "pool 4"), in the order the threads first recorded.
  const std::string kind = std::string(prefix) + " ";
  int n = 1;
  for (const auto& [other, name] : b.thread_names) n += name.rfind(kind, 0) == 0 ? 1 : 0;
  b.thread_names.emplace(tid, kind + std::to_string(n));
}

std::uint64_t traceFlowId() noexcept { return g_next_flow.fetch_add(1, std::memory_order_relaxed); }

// VOW_TRACE=FILE: record from the first loop on, write FILE at exit.
void traceFromEnvironment() {
  static const bool once = [] {
    const char* path = std::getenv("VOW_TRACE");
    if (path == nullptr || *path == 0) return false;
    static std::string file = path;
    trace::start();
    std::atexit([] {
      const std::string json = trace::toJson(trace::stop());
      if (std::FILE* f = std::fopen(file.c_str(), "w")) {
        std::fwrite(json.data(), 1, json.size(), f);
        std::fclose(f);
      } else {
        std::fprintf(stderr, "vow: VOW_TRACE: cannot write %s\n", file.c_str());
      }
    });
    return true;
  }();
  (void)once;
}

}  // namespace internal

namespace trace {

void start() {
  internal::Buffer& b = internal::buffer();
  std::lock_guard<std::mutex> lock(b.mu);
  b.events.clear();
  internal::g_tracing.store(true, std::memory_order_relaxed);
}

std::vector<Event> stop() {
  internal::Buffer& b = internal::buffer();
  std::lock_guard<std::mutex> lock(b.mu);
  internal::g_tracing.store(false, std::memory_order_relaxed);
  std::deque<internal::RawEvent> raw = std::move(b.events);
  b.events.clear();
  // Thread names of the threads that appear, first ('M' events).
  std::set<int> tids;
  for (const internal::RawEvent& e : raw) tids.insert(e.tid);
  std::vector<Event> out;
  out.reserve(tids.size() + raw.size());
  for (int tid : tids) {
    auto it = b.thread_names.find(tid);
    out.push_back(Event{it != b.thread_names.end() ? it->second : "thread " + std::to_string(tid),
                        "__metadata", 'M', 0, 0, tid, 0});
  }
  for (const internal::RawEvent& e : raw) {
    out.push_back(Event{e.name, e.cat, e.ph, e.ts_ns, e.dur_ns, e.tid, e.id});
  }
  return out;
}

bool enabled() noexcept { return internal::tracing(); }

namespace {

void appendEscaped(std::string& out, const std::string& s) {
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += c;
    }
  }
}

std::string micros(std::int64_t ns) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(ns) / 1000.0);
  return buf;
}

}  // namespace

std::string toJson(const std::vector<Event>& events) {
  std::string out = "{\"traceEvents\":[";
  bool first = true;
  for (const Event& e : events) {
    if (!first) out += ",\n";
    first = false;
    out += "{\"name\":\"";
    if (e.ph == 'M') {
      out += "thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":" + std::to_string(e.tid) +
             ",\"args\":{\"name\":\"";
      appendEscaped(out, e.name);
      out += "\"}}";
      continue;
    }
    appendEscaped(out, e.name);
    out += "\",\"cat\":\"";
    appendEscaped(out, e.cat);
    out += "\",\"ph\":\"";
    out += e.ph;
    out += "\",\"pid\":1,\"tid\":" + std::to_string(e.tid) + ",\"ts\":" + micros(e.ts_ns);
    if (e.ph == 'X') out += ",\"dur\":" + micros(e.dur_ns);
    if (e.ph == 's' || e.ph == 'f') {
      out += ",\"id\":" + std::to_string(e.id);
      if (e.ph == 'f') out += ",\"bp\":\"e\"";
    }
    if (e.ph == 'i') out += ",\"s\":\"t\"";
    out += "}";
  }
  out += "],\"displayTimeUnit\":\"ms\"}\n";
  return out;
}

namespace {

char letterFor(const Event& e) {
  const std::string& n = e.name;
  if (n == "setTimeout" || n == "setInterval") return 'T';
  if (n == "setImmediate") return 'I';
  if (n == "I/O") return 'O';
  if (n == "pool job") return 'P';
  if (n == "pool completion") return 'C';
  if (n == "checkpoint") return 'K';
  if (n == "post") return 'S';
  if (n == "pending") return 'N';
  if (n == "close callback") return 'X';
  return '?';
}

}  // namespace

std::string renderTimeline(const std::vector<Event>& events, int width) {
  width = std::max(width, 10);
  std::vector<const Event*> spans;
  std::map<int, std::string> names;
  std::int64_t t0 = INT64_MAX, t1 = INT64_MIN;
  for (const Event& e : events) {
    if (e.ph == 'M') names[e.tid] = e.name;
    if (e.ph != 'X' || e.cat == "phase") continue;
    spans.push_back(&e);
    t0 = std::min(t0, e.ts_ns);
    t1 = std::max(t1, e.ts_ns + e.dur_ns);
  }
  if (spans.empty()) return "(no events)\n";
  const double per_column = std::max<double>(1.0, static_cast<double>(t1 - t0) / width);
  // Longest first, so that a short span inside a long one (a completion inside its post)
  // stays visible.
  std::stable_sort(spans.begin(), spans.end(),
                   [](const Event* a, const Event* b) { return a->dur_ns > b->dur_ns; });
  auto columnOf = [&](std::int64_t t) {
    return std::min(width - 1, static_cast<int>((t - t0) / per_column));
  };
  // Back-to-back spans of one kind on one track (a pool thread taking its next job as soon as
  // the last one ends) would merge into one bar: such a span takes the other case of its
  // letter (P then p), so every span's start stays visible.
  std::map<const Event*, char> letters;
  std::set<char> used;     // the kinds drawn, for the legend
  bool any_lower = false;  // whether the legend explains lower case
  {
    std::vector<const Event*> by_start = spans;
    std::stable_sort(by_start.begin(), by_start.end(),
                     [](const Event* a, const Event* b) { return a->ts_ns < b->ts_ns; });
    std::map<std::pair<int, char>, std::pair<int, bool>> last;  // (tid, letter) -> (end, lower)
    for (const Event* e : by_start) {
      const char c = letterFor(*e);
      auto [it, first] = last.try_emplace({e->tid, c}, -2, true);
      const bool lower = !first && columnOf(e->ts_ns) <= it->second.first + 1 && !it->second.second;
      letters[e] = lower ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : c;
      used.insert(c);
      any_lower = any_lower || lower;
      it->second = {columnOf(e->ts_ns + e->dur_ns), lower};
    }
  }
  std::map<int, std::string> rows;
  // Per row, the columns where a span starts: a later span does not draw over them, so a short
  // span (a timer's callback) stays visible when the spans it caused (the completions it let
  // through) start in the same column.
  std::map<int, std::vector<bool>> starts;
  for (const Event* e : spans) {
    std::string& row = rows[e->tid];
    std::vector<bool>& started = starts[e->tid];
    if (row.empty()) {
      row.assign(width, '.');
      started.assign(width, false);
    }
    const int from = columnOf(e->ts_ns);
    const int to = columnOf(e->ts_ns + e->dur_ns);
    const char c = letters[e];
    for (int i = from; i <= to; ++i) {
      if (!started[i]) row[i] = c;
    }
    started[from] = true;
  }
  std::size_t label = 4;
  for (const auto& [tid, row] : rows) {
    auto it = names.find(tid);
    label = std::max(label, (it != names.end() ? it->second : "thread").size());
  }
  std::string out;
  char head[96];
  std::snprintf(head, sizeof head, "%-*s 0 ms%*s%.1f ms\n", static_cast<int>(label), "", width - 8,
                "", static_cast<double>(t1 - t0) / 1e6);
  out += head;
  for (const auto& [tid, row] : rows) {
    auto it = names.find(tid);
    std::string name = it != names.end() ? it->second : "thread " + std::to_string(tid);
    name.resize(label, ' ');
    out += name + " |" + row + "|\n";
  }
  static const std::pair<char, const char*> kLegend[] = {
      {'T', "timer"},      {'I', "immediate"},       {'O', "I/O"},
      {'P', "pool job"},   {'C', "pool completion"}, {'S', "post"},
      {'K', "checkpoint"}, {'N', "pending"},         {'X', "close"}};
  out += "legend:";
  for (const auto& [c, what] : kLegend) {
    if (used.count(c)) out += std::string(" ") + c + "=" + what;
  }
  if (any_lower) out += " (lower case: a span right after one of its kind)";
  out += "\n";
  return out;
}

}  // namespace trace
}  // namespace vow
