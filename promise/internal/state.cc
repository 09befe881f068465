#include "vow/promise/internal/state.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"

namespace vow::internal {

namespace {

struct ReaperQueue {
  bool busy = false;
  std::vector<std::pair<Reaper::Fn, void*>> work;
};

}  // namespace

void Reaper::run(Fn fn, void* arg) {
  thread_local ReaperQueue q;
  if (q.busy) {
    // Somebody up the stack is already tearing down: queue instead of recursing, so a
    // 10,000,000-link chain is freed in a loop, not 10,000,000 nested destructors.
    q.work.emplace_back(fn, arg);
    return;
  }
  q.busy = true;
  fn(arg);
  // FIFO, so an "abandon" queued before a "destroy" of the same state runs first.
  for (std::size_t i = 0; i < q.work.size(); ++i) {
    auto [f, a] = q.work[i];
    f(a);
  }
  q.work.clear();
  q.busy = false;
}

#ifndef NDEBUG
void failWrongThread() {
  std::fputs(
      "vow: a promise was used from a thread other than the one that created it. Promises "
      "belong to one thread; cross threads with Loop::post.\n",
      stderr);
  std::abort();
}
#endif

void unreachableReaction() {
  std::fputs("vow: internal error: a plain promise state was used as a reaction\n", stderr);
  std::abort();
}

namespace {

// The settler counts that do not fit a state's bit-field, by state. Promises belong to one
// thread, so the table is per thread. A state in it has settlers, hence references: it cannot
// be destroyed while its entry exists.
absl::flat_hash_map<const StateBase*, std::uint64_t>& overflowTable() {
  thread_local absl::flat_hash_map<const StateBase*, std::uint64_t> table;
  return table;
}

}  // namespace

void StateBase::spillSettlers() noexcept {
  overflowTable()[this] += kSettlersMoved;
  settlers_ -= kSettlersMoved;
  overflowed_ = 1;
}

void StateBase::refillSettlers() noexcept {
  // Called when the in-state count reached zero with more in the table: the state is not
  // abandoned, take the next batch back.
  auto& table = overflowTable();
  auto it = table.find(this);
  std::uint64_t take = std::min<std::uint64_t>(it->second, kSettlersMoved);
  settlers_ = static_cast<std::uint32_t>(take);
  it->second -= take;
  if (it->second == 0) {
    table.erase(it);
    overflowed_ = 0;
  }
}

std::uint64_t StateBase::overflowSettlers() const noexcept {
  auto& table = overflowTable();
  auto it = table.find(this);
  return it == table.end() ? 0 : it->second;
}

void StateBase::destroy(void* self) { delete static_cast<StateBase*>(self); }

void StateBase::abandon(void* self) {
  auto* s = static_cast<StateBase*>(self);
  if (!s->isAbandoned()) return;
  // Nothing can settle this state any more: its reactions would wait forever. Release them
  // (derived promises become abandoned in turn; suspended coroutines are destroyed).
  s->dropReactions();
}

void StateBase::dropReactions() {
  Reaction* r = std::exchange(reactions_, nullptr);
  while (r != nullptr) {
    Reaction* next = r->next_reaction_;
    Reaper::run([](void* p) { static_cast<Reaction*>(p)->drop(); }, r);
    r = next;
  }
}

bool StateBase::isStuckInCycle() const {
  // The states that wait on this one, directly or not, through any kind of reaction or a
  // generator's queue (at most kMaxVisited of them; a larger group is left alone and leaks,
  // where JS's GC would free it).
  constexpr std::size_t kMaxVisited = 256;
  struct Member {
    const StateBase* state;
    std::uint64_t have = 0;  // reactions in members' lists that can settle it
    bool waits_on_all = false;
    bool stuck = true;
  };
  // The usual case first, without building the group: when nothing that waits on this state is
  // itself waited on (`all(...).then(f)`), no reaction can lead back here, so nothing inside can
  // settle it.
  bool leaves_only = true;
  for (Reaction* r = reactions_; r != nullptr; r = r->next_reaction_) {
    const StateBase* w = r->waiter();
    if (w == nullptr || !w->isPending()) continue;
    if (w == this || w->reactions_ != nullptr || w->queuedBehind() != nullptr) {
      leaves_only = false;
      break;
    }
  }
  if (leaves_only && queuedBehind() == nullptr) return false;
  // Usually a handful (the result and a then on it): a linear search, no allocation. This runs
  // each time an input of a combinator with handlers is done.
  absl::InlinedVector<Member, 16> members;
  auto find = [&members](const StateBase* w) {
    return static_cast<std::size_t>(std::find_if(members.begin(), members.end(),
                                                 [w](const Member& m) { return m.state == w; }) -
                                    members.begin());
  };
  // What waits on `s`: the waiters of its reactions, and the generator request queued behind
  // it (which settles only after it, as if it were a then on it, though it is in no list).
  auto forEachWaiter = [](const StateBase* s, auto&& visit) {
    for (Reaction* r = s->reactions_; r != nullptr; r = r->next_reaction_) {
      const StateBase* w = r->waiter();
      if (w != nullptr && w->isPending()) visit(w, r->waitsOnAll());
    }
    const StateBase* queued = s->queuedBehind();
    if (queued != nullptr && queued->isPending()) visit(queued, false);
  };
  members.push_back({this});
  bool too_large = false;
  for (std::size_t i = 0; i < members.size() && !too_large; ++i) {
    forEachWaiter(members[i].state, [&](const StateBase* w, bool waits_on_all) {
      std::size_t at = find(w);
      if (at == members.size()) {
        if (members.size() == kMaxVisited) {
          too_large = true;
          return;
        }
        members.push_back({w});
      }
      Member& m = members[at];
      ++m.have;
      m.waits_on_all = waits_on_all;
    });
  }
  if (too_large) return false;
  // The largest subgroup in which every member can be settled only from inside: a member that
  // waits on one promise (then, adoption, await) or needs all of its inputs (allSettled) is
  // stuck if one of its sources is; all, race and any results only if every outstanding input
  // (one settler reference each) is. Members that fail that are taken out, and what waited on
  // them rechecked, until nothing changes. If this state is left, nothing outside the group can
  // settle any of it.
  auto fails = [](const Member& m) {
    return m.waits_on_all ? m.have < m.state->settlers() : m.have == 0;
  };
  absl::InlinedVector<std::size_t, 16> out;
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (fails(members[i])) {
      members[i].stuck = false;
      out.push_back(i);
    }
  }
  while (!out.empty()) {
    const StateBase* gone = members[out.back()].state;
    out.pop_back();
    forEachWaiter(gone, [&](const StateBase* w, bool) {
      const std::size_t at = find(w);
      Member& m = members[at];
      --m.have;
      if (m.stuck && fails(m)) {
        m.stuck = false;
        out.push_back(at);
      }
    });
  }
  return members[0].stuck;
}

void StateBase::releaseIfStuckInCycle() {
  if (!isPending() || reactions_ == nullptr || !isStuckInCycle()) return;
  // Every input that could still settle this state waits, through other pending promises, on
  // this state itself: it can never settle. Release its reactions as for an abandoned one, and
  // the rest of the cycle follows (JS leaves such a cycle to its GC).
  addRef();
  Reaper::run([](void* p) { static_cast<StateBase*>(p)->dropReactions(); }, this);
  release();
}

void StateBase::markHandled() {
  if (handled_) return;
  handled_ = 1;
  if (status_ == kRejected && reported_) {
    reportHandledAfterRejection(this);
  }
}

bool StateBase::isAwaitedBy(const StateBase* state) const {
  // Two searches stepped in turn; the first to know answers. Forward from `state` along what
  // each state waits on alone: one path, which settles the question unless it meets a
  // combinator's result. Backward from this state along who waits on it: a tree, breadth
  // first. Each is cheap where the other may not be (adopting a fresh promise: the forward
  // path ends at once; a deep co_await recursion: nobody waits on the awaiter yet), and the
  // pair costs at most twice the cheaper one, so cycles of any length are found without
  // making long chains quadratic. Only when the forward path is undecided does the backward
  // search stop at kMaxVisited states (a cycle through a combinator hidden deeper leaks).
  constexpr std::size_t kMaxVisited = 256;
  const StateBase* forward = state;
  bool forward_undecided = false;
  absl::InlinedVector<const StateBase*, 8> todo;
  absl::InlinedVector<std::pair<const StateBase*, std::uint64_t>, 4> partial;  // combinators
  // A state reached backward, with the generator requests queued behind it (they wait on it
  // without a reaction): true if one of them is `state`.
  auto reach = [&todo, state](const StateBase* w) {
    for (; w != nullptr; w = w->queuedBehind()) {
      if (w == state) return true;
      todo.push_back(w);
    }
    return false;
  };
  // (this == state is pending, as callers check: the forward step would answer true too.)
  if (reach(this)) return true;
  std::size_t i = 0;
  Reaction* r = reactions_;
  for (std::size_t step = 0;; ++step) {
    // The forward path cannot loop (every wait that could close a cycle was checked here), but
    // a bug there must cost a leak, not a hang.
    if (step == (std::size_t{1} << 32)) forward_undecided = true;
    if (!forward_undecided) {
      if (!forward->isPending()) return false;
      if (forward->waitsOnSeveral()) {
        forward_undecided = true;
      } else if (forward == this) {
        return true;
      } else {
        forward = forward->awaitedSource();
        if (forward == nullptr) return false;  // waits on nothing: settleable from outside
      }
    }
    // One backward step: the next reaction of the state being expanded.
    while (r == nullptr) {
      if (++i == todo.size()) return false;  // everything that waits on this was seen
      if (forward_undecided && todo.size() >= kMaxVisited) return false;
      r = todo[i]->reactions_;
    }
    const StateBase* w = r->waiter();
    const bool waits_on_all = r->waitsOnAll();
    r = r->next_reaction_;
    if (w == nullptr || !w->isPending()) continue;
    if (waits_on_all) {
      // Stuck only once every outstanding input (one settler each) is stuck.
      auto it =
          std::find_if(partial.begin(), partial.end(), [w](const auto& e) { return e.first == w; });
      if (it == partial.end()) it = partial.insert(partial.end(), {w, 0});
      if (++it->second < w->settlers()) continue;
    }
    if (reach(w)) return true;
  }
}

void StateBase::addReaction(Reaction* r) {
  checkThread();
  markHandled();
  r = withCurrentContext(r);
  if (status_ != kPending) {
    enqueueReaction(r, this);
  } else if (settlers_ == 0) {
    Reaper::run([](void* p) { static_cast<Reaction*>(p)->drop(); }, r);
  } else {
    r->next_reaction_ = reactions_;
    reactions_ = r;
  }
}

void StateBase::rejectNow(Error error) {
  checkThread();
  // Before the reactions leave the list: they are the awaiters the chain is made of.
  if (asyncStackTracesOn()) [[unlikely]] {
    captureAsyncStack(this, error);
  }
  storeError(std::move(error));
  status_ = kRejected;
  if (!handled_) {
    reported_ = 1;
    reportRejectedWithoutHandler(this);
  }
  scheduleReactions();
}

void StateBase::scheduleReactions() {
  // The list is newest first; reverse it so reactions run in registration order.
  Reaction* r = std::exchange(reactions_, nullptr);
  Reaction* ordered = nullptr;
  while (r != nullptr) {
    Reaction* next = r->next_reaction_;
    r->next_reaction_ = ordered;
    ordered = r;
    r = next;
  }
  while (ordered != nullptr) {
    Reaction* next = ordered->next_reaction_;
    enqueueReaction(ordered, this);
    ordered = next;
  }
}

namespace {

// A reaction registered while a continuation context was current: runs (or drops) the real one
// in that context. Only made when a context is current, so promises cost nothing more while no
// AsyncLocalStorage is in use; the real reaction keeps its own lifetime rules.
class ContextReaction final : public Reaction {
 public:
  ContextReaction(Reaction* inner, ContextFrame* frame) noexcept : inner_(inner), frame_(frame) {}
  StateBase* waiter() noexcept override { return inner_->waiter(); }
  bool waitsOnAll() const noexcept override { return inner_->waitsOnAll(); }
  void react(StateBase* source) override {
    Reaction* inner = inner_;
    ContextRef frame = std::move(frame_);
    delete this;
    ContextScope scope(frame.get());
    inner->react(source);
  }
  void drop() override {
    Reaction* inner = inner_;
    delete this;
    inner->drop();
  }

 private:
  Reaction* inner_;
  ContextRef frame_;
};

}  // namespace

Reaction* wrapInContext(Reaction* r) { return new ContextReaction(r, t_context); }

void enqueueReaction(Reaction* r, StateBase* source) {
  struct Payload {
    Reaction* reaction;
    StateBase* source;
  };
  source->addRef();
  Payload p{r, source};
  JobQueue::current().push(
      [](Job& job, bool run) {
        Payload p = job.as<Payload>();
        StateRef keep(p.source);  // released even if react() throws
        p.source->release();
        if (run) {
          p.reaction->react(p.source);
        } else {
          p.reaction->drop();
        }
      },
      &p, sizeof(p));
}

}  // namespace vow::internal
