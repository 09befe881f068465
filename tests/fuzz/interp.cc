// The vow interpreter: runs fuzz programs (README.md describes the language) on vow's promises,
// loop and timers and prints their traces, line for line what interp.js prints on Node.
//
// Usage: vow_interp FILE   (FILE holds programs, each after a "=== name" line).
//
// Each program gets a fresh vow::Loop (a fresh process, as far as the loop is concerned): its top
// level runs, then Loop::run() runs the checkpoint and the loop to its end.
//
// Values are kept as their printed form (std::string), the only thing a program observes of
// them. Promises of the kinds a program can make:
//   'v' vow::Promise<std::string>                        (most)
//   'a' vow::Promise<std::vector<std::string>>           (all)
//   's' vow::Promise<std::vector<vow::Settled<std::string>>>  (allSettled; finally keeps kinds)
//   'o' vow::Promise<std::tuple<std::string>>            (once: the emission's arguments)
//   'r' vow::Promise<std::optional<std::string>>          (an async generator's next/return/throw)
//   'e' vow::Promise<std::optional<std::tuple<std::string>>>  (an events.on iterator's)
#include <chrono>
#include <cstdio>
#include <exception>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

#include "vow/loop/abort_controller.h"
#include "vow/loop/async_local_storage.h"
#include "vow/loop/event_emitter.h"
#include "vow/loop/event_iterator.h"
#include "vow/loop/loop.h"
#include "vow/loop/timers.h"
#include "vow/promise/async_generator.h"
#include "vow/promise/combinators.h"
#include "vow/promise/error.h"
#include "vow/promise/for_await.h"
#include "vow/promise/microtask.h"
#include "vow/promise/promise.h"

namespace {

// ---- S-expressions ----------------------------------------------------------------------------
struct Node {
  enum Kind { kList, kInt, kStr, kSym } kind = kList;
  long long num = 0;
  std::string text;
  std::vector<Node> kids;
};

class Reader {
 public:
  explicit Reader(const std::string& t) : t_(t) {}
  std::vector<Node> all() {
    std::vector<Node> out;
    for (;;) {
      skip();
      if (i_ >= t_.size()) break;
      out.push_back(item());
    }
    return out;
  }

 private:
  void skip() {
    while (i_ < t_.size()) {
      char c = t_[i_];
      if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
        ++i_;
      } else if (c == ';') {
        while (i_ < t_.size() && t_[i_] != '\n') ++i_;
      } else {
        break;
      }
    }
  }
  Node item() {
    skip();
    if (i_ >= t_.size()) throw std::runtime_error("unexpected end");
    Node n;
    char c = t_[i_];
    if (c == '(') {
      ++i_;
      n.kind = Node::kList;
      for (;;) {
        skip();
        if (i_ >= t_.size()) throw std::runtime_error("unbalanced (");
        if (t_[i_] == ')') {
          ++i_;
          return n;
        }
        n.kids.push_back(item());
      }
    }
    if (c == '"') {
      std::size_t j = t_.find('"', i_ + 1);
      if (j == std::string::npos) throw std::runtime_error("unterminated string");
      n.kind = Node::kStr;
      n.text = t_.substr(i_ + 1, j - i_ - 1);
      i_ = j + 1;
      return n;
    }
    std::size_t j = i_;
    while (j < t_.size() && std::string(" \n\t\r()\";").find(t_[j]) == std::string::npos) ++j;
    if (j == i_) throw std::runtime_error(std::string("unexpected ") + c);
    n.text = t_.substr(i_, j - i_);
    i_ = j;
    bool digits = !n.text.empty();
    for (std::size_t k = 0; k < n.text.size(); ++k) {
      if (!(isdigit(static_cast<unsigned char>(n.text[k])) || (k == 0 && n.text[k] == '-'))) {
        digits = false;
      }
    }
    if (digits && n.text != "-") {
      n.kind = Node::kInt;
      n.num = std::stoll(n.text);
    } else {
      n.kind = Node::kSym;
    }
    return n;
  }

  const std::string& t_;
  std::size_t i_ = 0;
};

// ---- values and reasons, printed as interp.js prints them -------------------------------------
using Str = std::string;
using PV = vow::Promise<Str>;
using PA = vow::Promise<std::vector<Str>>;
using PS = vow::Promise<std::vector<vow::Settled<Str>>>;
using PO = vow::Promise<std::tuple<Str>>;
using PR = vow::Promise<std::optional<Str>>;
using PE = vow::Promise<std::optional<std::tuple<Str>>>;
using Gen = vow::AsyncGenerator<Str>;
using OnIter = vow::EventIterator<std::tuple<Str>>;

std::string fmtReason(const vow::Error& e) {
  if (const auto* agg = e.as<vow::AggregateError>()) {
    std::string s = "Agg[";
    for (std::size_t i = 0; i < agg->errors().size(); ++i) {
      if (i) s += ",";
      s += fmtReason(agg->errors()[i]);
    }
    return s + "]";
  }
  if (e.name() == "TypeError") return "TypeError";
  // The default reasons of abort() and AbortSignal.timeout(), and what an operation given a
  // {signal} rejects with (its cause: the signal's reason).
  if (const auto* a = e.as<vow::AbortError>()) {
    return "AbortError(" + e.message() + " cause=" + (a->cause() ? fmtReason(a->cause()) : "none") +
           ")";
  }
  if (e.as<vow::DOMException>() != nullptr) return "DOM(" + e.name() + ":" + e.message() + ")";
  if (e.name() == "Error") return "E(" + e.message() + ")";
  return "NonError(" + e.name() + ":" + e.message() + ")";
}
// What the 'uncaughtException' handler prints: the reason, or for an unhandled rejection whose
// reason is not an error (wrapped in Node's ERR_UNHANDLED_REJECTION) its name and code.
std::string fmtCaught(const vow::Error& e) {
  if (e.code() == "ERR_UNHANDLED_REJECTION") return e.name() + " " + e.code();
  return fmtReason(e);
}
std::string fmt(const Str& v) { return v; }
std::string fmt(const std::vector<Str>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + v[i];
  return s + "]";
}
std::string fmt(const std::tuple<Str>& v) { return "[" + std::get<0>(v) + "]"; }
// Iterator results: {value:V} / {done} (a done result's value is always undefined here).
std::string fmt(const std::optional<Str>& v) { return v ? "{value:" + *v + "}" : "{done}"; }
std::string fmt(const std::optional<std::tuple<Str>>& v) {
  return v ? "{value:" + fmt(*v) + "}" : "{done}";
}
std::string fmt(const std::vector<vow::Settled<Str>>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) s += ",";
    s += v[i].isFulfilled() ? "{f:" + v[i].value() + "}" : "{r:" + fmtReason(v[i].reason()) + "}";
  }
  return s + "]";
}
Str val(const Node& n) {
  if (n.kind == Node::kInt) return std::to_string(n.num);
  if (n.kind == Node::kStr) return "\"" + n.text + "\"";
  return "u";
}
std::string label(const Node& n) { return n.text; }

// ---- the interpreter --------------------------------------------------------------------------
std::vector<std::string>* g_out = nullptr;
void log(std::string s) { g_out->push_back(std::move(s)); }

// (als "c" S...), (store L), (enter "c"): one AsyncLocalStorage for every program.
vow::AsyncLocalStorage<std::string> g_als;

struct Slot {
  std::variant<PV, PA, PS, PO, PR, PE> p;
};
struct Resolvers {
  vow::ResolveFn<Str> resolve;
  vow::RejectFn reject;
};

bool returnsPromise(const Node& h) {
  const std::string& a = h.kids.at(2).kids.at(0).text;
  return a == "retp" || a == "retself";
}

class Program {
 public:
  std::map<long long, Slot> table;
  std::map<long long, Resolvers> resolvers;
  const Node* on_unhandled = nullptr;
  std::map<std::string, std::variant<vow::Timeout, vow::Immediate>>
      macros;  // by label  // (onunhandled STMT...): run after each report
  double max_delay = 0;
  // Cancellation: controllers and signals by id (a controller's signal has its id), the abort
  // listeners by label (for off-abort), and the program's one emitter (for once and emit).
  std::map<long long, vow::AbortController> controllers;
  std::map<long long, vow::AbortSignal> signals;
  std::map<std::string, std::pair<vow::AbortSignal, vow::AbortSignal::ListenerId>> listeners;
  // A shared_ptr: events.on iterators (given one) may outlive it, as the for-await coroutines
  // still waiting on them do while the program is torn down.
  std::shared_ptr<vow::EventEmitter> emitter = std::make_shared<vow::EventEmitter>();
  // Async generators and events.on iterators, by id.
  std::map<long long, std::variant<Gen, OnIter>> gens;

  // After the loop ran out: frees what the program made while the program still exists, and runs
  // (with the trace discarded by the caller) the microtasks that this queues. Freeing a pending
  // promise's resolvers releases the coroutines waiting on it; a for-await coroutine released
  // this way calls its iterator's return() (vow::ForAwait's destructor), which queues the
  // generator's unwinding as a microtask. The microtask queue is the thread's, not the loop's:
  // left there, it would run in the next program's loop, on a destroyed Program.
  void teardown() {
    for (int round = 0; round < 100; ++round) {
      auto r = std::move(resolvers);
      auto t = std::move(table);
      auto g = std::move(gens);
      auto e = std::exchange(emitter, std::make_shared<vow::EventEmitter>());
      resolvers.clear();
      table.clear();
      gens.clear();
      r.clear();
      t.clear();
      g.clear();
      e.reset();
      for (int i = 0; i < 1000; ++i) {
        try {
          vow::runMicrotasks();
          break;
        } catch (...) {  // a job that throws (a raise): the rest stay queued
        }
      }
      if (resolvers.empty() && table.empty() && gens.empty() && vow::pendingMicrotasks() == 0) {
        break;
      }
    }
  }

  void runBody(const std::vector<Node>& stmts, std::size_t from) {
    for (std::size_t i = from; i < stmts.size(); ++i) exec(stmts[i]);
  }

  std::string idOf(const vow::AnyPromise& p) const {
    for (const auto& [id, slot] : table) {
      bool same = std::visit([&](const auto& q) { return vow::AnyPromise(q) == p; }, slot.p);
      if (same) return "p" + std::to_string(id);
    }
    return "?";
  }

 private:
  const PV* getV(long long id) const {
    auto it = table.find(id);
    if (it == table.end()) return nullptr;
    return std::get_if<PV>(&it->second.p);
  }
  // The signal named by the `i`th item of s (absent or unknown: no signal).
  vow::AbortSignal sig(const Node& s, std::size_t i) const {
    if (s.kids.size() <= i) return {};
    auto it = signals.find(s.kids[i].num);
    return it == signals.end() ? vow::AbortSignal() : it->second;
  }
  // A reason: (abort C "m") aborts with new Error(m), (abort C) with the default.
  static vow::Error reasonOf(const Node& s) {
    return s.kids.size() > 2 ? vow::Error(vow::Exception(s.kids[2].text)) : vow::Error();
  }
  double delay(long long d) {
    max_delay = std::max(max_delay, static_cast<double>(d));
    return max_delay;
  }
  // (on-abort ...) and (onabort ...)'s listener: logs its label and the reason, runs the body.
  auto abortListener(const Node* n) {
    return [this, n](const vow::AbortEvent& e) {
      log(label(n->kids.at(2)) + " " + fmtReason(e.target.reason()));
      runBody(n->kids, 3);
    };
  }

  template <class P>
  void define(long long id, P p) {
    table.emplace(id, Slot{std::move(p)});
  }

  // A handler: (h LABEL ACTION STMT...). Logs, runs its statements, then acts.
  void enter(const Node& h, const std::string& arg, bool is_finally) {
    log(is_finally ? label(h.kids.at(1)) : label(h.kids.at(1)) + " " + arg);
    runBody(h.kids, 3);
  }
  Str handlerValue(const Node& h, const std::string& arg) {
    enter(h, arg, false);
    const Node& act = h.kids.at(2);
    const std::string& a = act.kids.at(0).text;
    if (a == "throw") throw vow::Exception(act.kids.at(1).text);
    return val(act.kids.at(1));
  }
  PV handlerPromise(const Node& h, const std::string& arg, long long self) {
    enter(h, arg, false);
    const Node& act = h.kids.at(2);
    const std::string& a = act.kids.at(0).text;
    if (a == "retself") return std::get<PV>(table.at(self).p);
    const PV* p = getV(act.kids.at(1).num);
    return p ? *p : PV::resolve("u");
  }

  template <class T>
  auto valueHandler(const Node* h, long long self) {
    return [this, h, self](const T& v) { return handlerValue(*h, fmt(v)); };
  }

  template <bool kFP, bool kRP, class T>
  PV then2(const vow::Promise<T>& src, const Node* f, const Node* r, long long self) {
    auto F = [this, f, self](const T& v) {
      if constexpr (kFP) {
        return handlerPromise(*f, fmt(v), self);
      } else if (f == nullptr) {
        return fmt(v);  // catch_ on an 'a'/'s' promise: pass the value through
      } else {
        return handlerValue(*f, fmt(v));
      }
    };
    auto R = [this, r, self](const vow::Error& e) {
      if constexpr (kRP) {
        return handlerPromise(*r, "!" + fmtReason(e), self);
      } else {
        return handlerValue(*r, "!" + fmtReason(e));
      }
    };
    return src.then(F, R);
  }

  template <class T>
  PV doThen(const std::string& op, const vow::Promise<T>& src, const Node& s, long long self) {
    if (op == "then") {
      const Node* f = &s.kids.at(3);
      if (returnsPromise(*f)) {
        return src.then([this, f, self](const T& v) { return handlerPromise(*f, fmt(v), self); });
      }
      return src.then([this, f](const T& v) { return handlerValue(*f, fmt(v)); });
    }
    if (op == "then2") {
      const Node* f = &s.kids.at(3);
      const Node* r = &s.kids.at(4);
      bool fp = returnsPromise(*f), rp = returnsPromise(*r);
      if (fp && rp) return then2<true, true>(src, f, r, self);
      if (fp) return then2<true, false>(src, f, r, self);
      if (rp) return then2<false, true>(src, f, r, self);
      return then2<false, false>(src, f, r, self);
    }
    // catch
    const Node* r = &s.kids.at(3);
    if constexpr (std::is_same_v<T, Str>) {
      if (returnsPromise(*r)) {
        return src.catch_([this, r, self](const vow::Error& e) {
          return handlerPromise(*r, "!" + fmtReason(e), self);
        });
      }
      return src.catch_(
          [this, r](const vow::Error& e) { return handlerValue(*r, "!" + fmtReason(e)); });
    } else {
      // JS's catch is then(undefined, r); an identity fulfilment handler costs the same tick.
      if (returnsPromise(*r)) return then2<false, true>(src, nullptr, r, self);
      return then2<false, false>(src, nullptr, r, self);
    }
  }

  template <class T>
  vow::Promise<T> doFinally(const vow::Promise<T>& src, const Node* f, long long self) {
    const Node& act = f->kids.at(2);
    const std::string& a = act.kids.at(0).text;
    if (a == "retself") {
      return src.finally([this, f, self]() {
        enter(*f, "", true);
        return std::get<vow::Promise<T>>(table.at(self).p);
      });
    }
    if (a == "retp") {
      return src.finally([this, f]() {
        enter(*f, "", true);
        const PV* p = getV(f->kids.at(2).kids.at(1).num);
        return p ? *p : PV::resolve("u");
      });
    }
    return src.finally([this, f]() {
      enter(*f, "", true);
      const Node& act = f->kids.at(2);
      if (act.kids.at(0).text == "throw") throw vow::Exception(act.kids.at(1).text);
    });
  }

  // (async N (h LABEL ACTION STMT...)): JS's async function, as a coroutine.
  PV asyncFn(const Node* h, long long self) {
    const std::string name = label(h->kids.at(1));
    log(name);
    for (std::size_t i = 3; i < h->kids.size(); ++i) {
      const Node& b = h->kids[i];
      const std::string& op = b.kids.at(0).text;
      if (op == "await" || op == "awaitc") {
        const PV* q = getV(b.kids.at(1).num);
        PV awaited = q ? *q : PV::resolve("u");
        bool rethrow = op == "await";
        try {
          Str v = co_await awaited;
          log(name + " " + v);
        } catch (...) {
          log(name + " !" + fmtReason(vow::Error::current()));
          if (rethrow) throw;
        }
      } else {
        exec(b);
      }
    }
    const Node& act = h->kids.at(2);
    const std::string& a = act.kids.at(0).text;
    if (a == "throw") throw vow::Exception(act.kids.at(1).text);
    if (a == "ret") co_return val(act.kids.at(1));
    const PV* q = getV(a == "retself" ? self : act.kids.at(1).num);
    if (q == nullptr) co_return PV::resolve("u");
    PV r = *q;
    co_return r;
  }

  // (await M) / (awaitc M) in an async body: logs `NAME value` or `NAME !reason`; await rethrows.
  // (A coroutine of its own would cost ticks: callers inline it, see awaitTarget.)
  PV awaitTarget(const Node& b) const {
    const PV* q = getV(b.kids.at(1).num);
    return q ? *q : PV::resolve("u");
  }

  // (gen G (h LABEL ACTION ITEM...)): an async generator's body; interp.js's genBody, step for
  // step. A coroutine cannot yield from a nested call, so guards are frames of an explicit stack,
  // and the abrupt completion being carried (a throw, or vow::GeneratorReturn: a return()
  // resumption or the (return) item) is a vow::Error that each guard's cleanup keeps, then
  // rethrows (the README's `finally { await ... }` idiom).
  Gen genBody(const Node* h) {
    const std::string name = label(h->kids.at(1));
    log(name);
    struct Frame {
      const std::vector<Node>* list;
      std::size_t i;
      const Node* guard;
      bool cleanup;
      vow::Error exit;
    };
    std::vector<Frame> stack;
    stack.push_back(Frame{&h->kids, 3, nullptr, false, vow::Error()});
    vow::Error c;  // the abrupt completion being carried
    for (;;) {
      if (c) {
        std::optional<Frame> f;
        while (!stack.empty()) {
          Frame top = std::move(stack.back());
          stack.pop_back();
          if (top.guard != nullptr && !top.cleanup) {
            f = std::move(top);
            break;
          }
        }
        if (!f) c.rethrow();
        log(label(f->guard->kids.at(1)));
        stack.push_back(Frame{&f->guard->kids.at(3).kids, 0, f->guard, true, std::move(c)});
        c = vow::Error();
        continue;
      }
      if (stack.back().i >= stack.back().list->size()) {
        Frame f = std::move(stack.back());
        stack.pop_back();
        if (stack.empty()) break;
        if (!f.cleanup) {
          log(label(f.guard->kids.at(1)));
          stack.push_back(Frame{&f.guard->kids.at(3).kids, 0, f.guard, true, vow::Error()});
        } else if (f.exit) {
          c = std::move(f.exit);
        }
        continue;
      }
      const Node& b = (*stack.back().list)[stack.back().i++];
      const std::string& op = b.kids.at(0).text;
      try {
        if (op == "yield") {
          Str v = val(b.kids.at(1));
          co_yield v;
        } else if (op == "yieldp") {
          PV p = awaitTarget(b);
          co_yield p;
        } else if (op == "await" || op == "awaitc") {
          PV awaited = awaitTarget(b);
          bool rethrow = op == "await";
          try {
            Str v = co_await awaited;
            log(name + " " + v);
          } catch (...) {
            log(name + " !" + fmtReason(vow::Error::current()));
            if (rethrow) throw;
          }
        } else if (op == "throw") {
          throw vow::Exception(b.kids.at(1).text);
        } else if (op == "return") {
          throw vow::GeneratorReturn{};
        } else if (op == "guard") {
          stack.push_back(Frame{&b.kids.at(2).kids, 0, &b, false, vow::Error()});
        } else {
          exec(b);
        }
      } catch (...) {
        c = vow::Error::current();
      }
    }
    const Node& act = h->kids.at(2);
    if (act.kids.at(0).text == "throw") throw vow::Exception(act.kids.at(1).text);
  }

  // (forawait N G K (h LABEL EXIT ITEM...)) and (interval ...): interp.js's forAwaitBody. JS
  // closes the iterator when the loop is left early, also by a throw (then awaiting return() and
  // ignoring how it ends): the catch, close, rethrow of for_await.h.
  template <class I>
  PV forAwaitFn(const Node* h, long long k, I iterable) {
    const std::string name = label(h->kids.at(1));
    auto it = vow::forAwait(std::move(iterable));
    vow::Error failed;
    try {
      long long i = 0;
      while (auto x = co_await it.next()) {
        log(name + " " + fmt(*x));
        for (std::size_t j = 3; j < h->kids.size(); ++j) {
          const Node& b = h->kids[j];
          const std::string& op = b.kids.at(0).text;
          if (op == "await" || op == "awaitc") {
            PV awaited = awaitTarget(b);
            bool rethrow = op == "await";
            try {
              Str v = co_await awaited;
              log(name + " " + v);
            } catch (...) {
              log(name + " !" + fmtReason(vow::Error::current()));
              if (rethrow) throw;
            }
          } else {
            exec(b);
          }
        }
        if (++i == k) {
          const Node& act = h->kids.at(2);
          if (act.kids.at(0).text == "throw") throw vow::Exception(act.kids.at(1).text);
          break;
        }
      }
    } catch (...) {
      failed = vow::Error::current();
    }
    if (failed) {
      try {
        co_await it.close();
      } catch (...) {
      }
      failed.rethrow();
    }
    co_await it.close();
    log(name + " done");
    co_return Str("u");
  }

  template <class T>
  void defineRequest(long long id, vow::Promise<T> p, const Node& s, std::size_t label_at) {
    define(id, p);
    if (s.kids.size() <= label_at) return;
    std::string l = label(s.kids[label_at]);
    (void)p.then([l](const T& v) { log(l + " " + fmt(v)); },
                 [l](const vow::Error& e) { log(l + " !" + fmtReason(e)); });
  }

  void exec(const Node& s) {
    if (s.kind != Node::kList || s.kids.empty()) throw std::runtime_error("bad statement");
    const std::string& op = s.kids[0].text;
    long long id = s.kids.size() > 1 ? s.kids[1].num : 0;
    if (op == "log") {
      log(label(s.kids.at(1)));
    } else if (op == "als") {
      const Node* n = &s;
      g_als.run(n->kids.at(1).text, [this, n] { runBody(n->kids, 2); });
    } else if (op == "store") {
      std::shared_ptr<std::string> store = g_als.getStore();
      log(label(s.kids.at(1)) + " " + (store ? *store : "u"));
    } else if (op == "enter") {
      g_als.enterWith(s.kids.at(1).text);
    } else if (op == "pending") {
      auto [promise, resolve, reject] = PV::withResolvers();
      table.emplace(id, Slot{promise});
      resolvers.emplace(id, Resolvers{resolve, reject});
    } else if (op == "resolvedp") {
      const PV* m = getV(s.kids.at(2).num);
      if (m != nullptr) define(id, PV::resolve(*m));
    } else if (op == "exec") {
      const Node* h = &s.kids.at(2);
      PV p([&](auto resolve, auto reject) {
        resolvers.emplace(id, Resolvers{resolve, reject});
        log(label(h->kids.at(1)));
        runBody(h->kids, 3);
        const Node& act = h->kids.at(2);
        const std::string& a = act.kids.at(0).text;
        if (a == "ret") {
          resolve(val(act.kids.at(1)));
        } else if (a == "retp") {
          const PV* q = getV(act.kids.at(1).num);
          resolve(q ? *q : PV::resolve("u"));
        } else if (a == "throw") {
          throw vow::Exception(act.kids.at(1).text);
        }
      });
      define(id, std::move(p));
    } else if (op == "busy") {
      auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(s.kids.at(1).num);
      while (std::chrono::steady_clock::now() < end) {
      }
    } else if (op == "onunhandled") {
      on_unhandled = &s;
    } else if (op == "raise") {  // (raise "m"): an uncaught exception if in a callback
      throw vow::Exception(s.kids.at(1).text);
    } else if (op == "resolved") {
      define(id, PV::resolve(val(s.kids.at(2))));
    } else if (op == "rejected") {
      define(id, PV::reject(vow::Exception(s.kids.at(2).text)));
    } else if (op == "adopt") {
      const PV* m = getV(s.kids.at(2).num);
      if (m == nullptr) return;
      PV mp = *m;
      define(id, PV([mp](auto resolve, auto) { resolve(mp); }));
    } else if (op == "then" || op == "then2" || op == "catch" || op == "finally") {
      auto it = table.find(s.kids.at(2).num);
      if (it == table.end()) return;
      const Node* h = &s.kids.at(3);
      std::visit(
          [&](const auto& src) {
            if (op == "finally") {
              auto p = doFinally(src, h, id);
              define(id, std::move(p));
            } else {
              define(id, doThen(op, src, s, id));
            }
          },
          it->second.p);
    } else if (op == "async") {
      define(id, asyncFn(&s.kids.at(2), id));
    } else if (op == "all" || op == "allSettled" || op == "race" || op == "any") {
      std::vector<PV> list;
      for (const Node& m : s.kids.at(2).kids) {
        if (const PV* p = getV(m.num)) list.push_back(*p);
      }
      if (op == "all")
        define(id, vow::all(list));
      else if (op == "allSettled")
        define(id, vow::allSettled(list));
      else if (op == "race")
        define(id, vow::race(list));
      else
        define(id, vow::any(list));
    } else if (op == "resolve" || op == "resolvep" || op == "reject") {
      auto it = resolvers.find(id);
      if (it == resolvers.end()) return;
      Resolvers& r = it->second;
      if (op == "resolve") {
        r.resolve(val(s.kids.at(2)));
      } else if (op == "reject") {
        r.reject(vow::Error(vow::Exception(s.kids.at(2).text)));
      } else {
        const PV* m = getV(s.kids.at(2).num);
        if (m != nullptr) r.resolve(PV(*m));
      }
    } else if (op == "tick") {
      const Node* n = &s;
      vow::nextTick([this, n] {
        log(label(n->kids.at(1)));
        runBody(n->kids, 2);
      });
    } else if (op == "micro") {
      const Node* n = &s;
      vow::queueMicrotask([this, n] {
        log(label(n->kids.at(1)));
        runBody(n->kids, 2);
      });
    } else if (op == "imm") {
      const Node* n = &s;
      macros.insert_or_assign(label(n->kids.at(1)), vow::setImmediate([this, n] {
                                log(label(n->kids.at(1)));
                                runBody(n->kids, 2);
                              }));
    } else if (op == "clear") {
      auto it = macros.find(label(s.kids.at(1)));
      if (it == macros.end()) return;
      if (auto* t = std::get_if<vow::Timeout>(&it->second)) {
        vow::clearTimeout(*t);
      } else {
        vow::clearImmediate(std::get<vow::Immediate>(it->second));
      }
    } else if (op == "attach") {
      auto it = table.find(id);
      if (it == table.end()) return;
      std::string l = label(s.kids.at(2));
      std::visit(
          [&](const auto& src) {
            using T = typename std::decay_t<decltype(src)>::value_type;
            (void)src.then([l](const T& v) { log(l + " " + fmt(v)); },
                           [l](const vow::Error& e) { log(l + " !" + fmtReason(e)); });
          },
          it->second.p);
    } else if (op == "timeout") {
      const Node* n = &s;
      double d = delay(s.kids.at(2).num);
      macros.insert_or_assign(label(n->kids.at(1)), vow::setTimeout(
                                                        [this, n] {
                                                          log(label(n->kids.at(1)));
                                                          runBody(n->kids, 3);
                                                        },
                                                        d));
    } else if (op == "controller") {
      auto c = controllers.emplace(id, vow::AbortController()).first;
      signals.insert_or_assign(id, c->second.signal());
    } else if (op == "abort") {
      auto it = controllers.find(id);
      if (it != controllers.end()) it->second.abort(reasonOf(s));
    } else if (op == "abort-signal") {
      signals.insert_or_assign(id, vow::AbortSignal::abort(reasonOf(s)));
    } else if (op == "timeout-signal") {
      // A companion no-op timer just after it, as interp.js makes (see companionTimer there).
      double d = delay(s.kids.at(2).num);
      signals.insert_or_assign(id, vow::AbortSignal::timeout(d));
      vow::setTimeout([] {}, d);
    } else if (op == "any-signal") {
      std::vector<vow::AbortSignal> list;
      for (const Node& c : s.kids.at(2).kids) {
        auto it = signals.find(c.num);
        if (it != signals.end()) list.push_back(it->second);
      }
      signals.insert_or_assign(id, vow::AbortSignal::any(list));
    } else if (op == "on-abort" || op == "on-abort-once") {
      vow::AbortSignal signal = sig(s, 1);
      if (!signal) return;
      auto lid =
          signal.addEventListener("abort", abortListener(&s), {.once = op == "on-abort-once"});
      listeners.insert_or_assign(label(s.kids.at(2)), std::pair(signal, lid));
    } else if (op == "off-abort") {
      vow::AbortSignal signal = sig(s, 1);
      auto it = listeners.find(label(s.kids.at(2)));
      if (signal && it != listeners.end() && it->second.first == signal) {
        signal.removeEventListener("abort", it->second.second);
      }
    } else if (op == "onabort") {
      vow::AbortSignal signal = sig(s, 1);
      if (!signal) return;
      if (s.kids.size() < 3) {
        signal.onabort(nullptr);
      } else {
        signal.onabort(abortListener(&s));
      }
    } else if (op == "sigstate") {
      vow::AbortSignal signal = sig(s, 1);
      if (!signal) return;
      log(label(s.kids.at(2)) + " " + (signal.aborted() ? fmtReason(signal.reason()) : "live"));
    } else if (op == "sleep") {
      double d = delay(s.kids.at(2).num);
      define(id, vow::timers::promises::setTimeout(d, val(s.kids.at(3)), {.signal = sig(s, 4)}));
      vow::setTimeout([] {}, d);
    } else if (op == "imm-p") {
      define(id, vow::timers::promises::setImmediate(val(s.kids.at(2)), {.signal = sig(s, 3)}));
      vow::setImmediate([] {});
    } else if (op == "once") {
      define(id, vow::once<Str>(*emitter, label(s.kids.at(2)), {.signal = sig(s, 3)}));
    } else if (op == "emit") {
      emitter->emit(label(s.kids.at(1)), val(s.kids.at(2)));
    } else if (op == "emit-error") {
      if (emitter->listenerCount("error") > 0) {
        emitter->emit("error", vow::Error(vow::Exception(s.kids.at(1).text)));
      }
    } else if (op == "gen") {
      gens.insert_or_assign(id, genBody(&s.kids.at(2)));
    } else if (op == "gnext" || op == "greturn" || op == "gthrow") {
      auto it = gens.find(s.kids.at(2).num);
      if (it == gens.end()) return;
      std::visit(
          [&](auto& g) {
            if (op == "gnext") {
              defineRequest(id, g.next(), s, 3);
            } else if (op == "greturn") {
              defineRequest(id, g.return_(), s, 3);
            } else {
              vow::Error e(vow::Exception(s.kids.at(3).text));
              if constexpr (std::is_same_v<std::decay_t<decltype(g)>, OnIter>) {
                g.throw_(std::move(e));  // events.on's throw() returns nothing
              } else {
                defineRequest(id, g.throw_(std::move(e)), s, 4);
              }
            }
          },
          it->second);
    } else if (op == "forawait") {
      auto it = gens.find(s.kids.at(2).num);
      if (it == gens.end()) return;
      const Node* h = &s.kids.at(4);
      long long k = s.kids.at(3).num;
      std::visit([&](const auto& g) { define(id, forAwaitFn(h, k, g)); }, it->second);
    } else if (op == "onev") {
      vow::AbortSignal signal = sig(s, 4);  // options.signal refers to it
      vow::OnOptions options;
      options.signal = signal;
      if (s.kids.at(3).num != 0) options.close = {"end"};
      try {
        gens.insert_or_assign(id, vow::on<Str>(emitter, label(s.kids.at(2)), std::move(options)));
      } catch (const std::exception&) {
        log("on" + std::to_string(id) + " !" + fmtReason(vow::Error::current()));
      }
    } else if (op == "emit-end") {
      emitter->emit("end");
    } else if (op == "interval") {
      double d = delay(s.kids.at(2).num);
      vow::AbortSignal signal = sig(s, 4);  // options.signal refers to it
      vow::timers::promises::TimerOptions options;
      options.signal = signal;
      define(id, forAwaitFn(&s.kids.at(6), s.kids.at(5).num,
                            vow::timers::promises::setInterval(d, val(s.kids.at(3)), options)));
    } else {
      throw std::runtime_error("unknown statement " + op);
    }
  }
};

Program* g_program = nullptr;

std::vector<std::string> runOne(const std::string& text) {
  std::vector<std::string> out;
  g_out = &out;
  std::vector<Node> stmts;
  try {
    stmts = Reader(text).all();
  } catch (const std::exception& e) {
    out.push_back(std::string("interp error: ") + e.what());
    return out;
  }
  {
    // Each program starts outside every store, as interp.js's programs do (they start in an
    // immediate made outside als.exit()); an enterWith() at its top level ends with it.
    vow::internal::ContextScope context(nullptr);
    vow::Loop loop;
    auto program = std::make_unique<Program>();
    g_program = program.get();
    loop.process().on("unhandledRejection", [](const vow::Error& e, const vow::AnyPromise& p) {
      log("unhandled " + (g_program ? g_program->idOf(p) : "?") + " " + fmtReason(e));
      if (g_program && g_program->on_unhandled)
        g_program->runBody(g_program->on_unhandled->kids, 1);
    });
    loop.process().on("rejectionHandled", [](const vow::AnyPromise& p) {
      log("handled " + (g_program ? g_program->idOf(p) : "?"));
    });
    try {
      program->runBody(stmts, 0);
    } catch (const std::exception& e) {
      log(std::string("interp error: ") + e.what());
    }
    // Node's process.on('uncaughtException', h): an exception escaping a callback leaves run();
    // run() again goes on where Node goes on after h. interp.js's handler prints the same line.
    for (int caught = 0;; ++caught) {
      try {
        loop.run();
        break;
      } catch (const std::exception&) {
        log("caught " + fmtCaught(vow::Error::current()));
      } catch (...) {
        log("run() threw a non-exception");
        break;
      }
      if (caught == 100000) {
        log("run() threw 100000 times");
        break;
      }
    }
    // Node never runs anything of a program after its end: what teardown() runs is not traced.
    std::vector<std::string> discarded;
    g_out = &discarded;
    program->teardown();
    g_out = &out;
    g_program = nullptr;
    program.reset();
  }
  g_out = nullptr;
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: vow_interp PROGRAMS_FILE\n");
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::fprintf(stderr, "vow_interp: cannot read %s\n", argv[1]);
    return 2;
  }
  std::string line, name, body;
  bool have = false;
  std::string result;
  // Each trace is written out when its program ends, so that a crash loses only its own.
  auto flush = [&] {
    if (!have) return;
    result = "=== " + name + "\n";
    for (const std::string& l : runOne(body)) result += l + "\n";
    std::fwrite(result.data(), 1, result.size(), stdout);
    std::fflush(stdout);
  };
  while (std::getline(in, line)) {
    if (line.rfind("=== ", 0) == 0) {
      flush();
      have = true;
      name = line.substr(4);
      body.clear();
    } else {
      body += line + "\n";
    }
  }
  flush();
  return 0;
}
