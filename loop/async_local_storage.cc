#include "vow/loop/async_local_storage.h"

#include <atomic>
#include <utility>

#include "absl/container/inlined_vector.h"

namespace vow::internal {
namespace {

// A context: the store of every AsyncLocalStorage that has one here. Immutable: run() and
// enterWith() make a new frame (the parent's entries with one replaced), so a frame captured by
// a job or a timer never changes under it. Node v20 keeps the stores on async resources and
// copies them to each new resource when it is made; an immutable frame shared by reference is
// the same observable thing without a copy per promise or timer.
class Frame final : public ContextFrame {
 public:
  using Entries = absl::InlinedVector<std::pair<std::uint64_t, std::shared_ptr<void>>, 2>;

  explicit Frame(Entries entries) : entries_(std::move(entries)) {}

  static const Frame* of(const ContextFrame* f) { return static_cast<const Frame*>(f); }

  std::shared_ptr<void> find(std::uint64_t id) const {
    for (const auto& [key, store] : entries_) {
      if (key == id) return store;
    }
    return nullptr;
  }
  static std::shared_ptr<void> find(const ContextFrame* f, std::uint64_t id) {
    return f != nullptr ? of(f)->find(id) : nullptr;
  }

  // A frame like `parent` (may be null) but with `store` for `id` (null: no entry). Returns an
  // owning reference; null when nothing is left (the empty context).
  static ContextRef with(const ContextFrame* parent, std::uint64_t id,
                         std::shared_ptr<void> store) {
    Entries entries;
    if (parent != nullptr) {
      for (const auto& e : of(parent)->entries_) {
        if (e.first != id) entries.push_back(e);
      }
    }
    if (store != nullptr) entries.emplace_back(id, std::move(store));
    if (entries.empty()) return ContextRef();
    ContextRef ref(new Frame(std::move(entries)));
    ref.get()->release();  // the constructor's reference went to `ref` twice
    return ref;
  }

 private:
  Entries entries_;
};

// Ids, not addresses, key the entries: a storage destroyed while frames that name it live on
// (in a timer, a pending handler) must not hand its store to a new storage at the same address.
std::atomic<std::uint64_t> g_next_id{1};

}  // namespace

AsyncLocalStorageBase::AsyncLocalStorageBase() noexcept
    : id_(g_next_id.fetch_add(1, std::memory_order_relaxed)) {}

std::shared_ptr<void> AsyncLocalStorageBase::get() const {
  if (!enabled_ || t_context == nullptr) return nullptr;
  return Frame::of(t_context)->find(id_);
}

void AsyncLocalStorageBase::enter(std::shared_ptr<void> store) {
  // The first use on a thread turns capture on: from here on, every job and callback queued
  // takes the current context with it (promise/internal/context.h).
  enableContext();
  enabled_ = true;
  ContextRef frame = Frame::with(t_context, id_, std::move(store));
  setContext(frame.get());
}

// Node v20 (lib/async_hooks.js):
//   run(store, fn)  if (store === this.getStore()) return fn();   // nothing to do
//                   resource[key] = store; try { fn() } finally { resource[key] = oldStore }
//   exit(fn)        if (!this.enabled) return fn();
//                   this.disable(); try { fn() } finally { this._enable() }
// where `resource` is the current async resource. Seen from outside, both are "a context
// without / with this storage's store" for fn; they differ in what survives an enterWith()
// inside fn, which the destructor reproduces.
AsyncLocalStorageBase::RunScope::RunScope(AsyncLocalStorageBase& self, std::shared_ptr<void> store,
                                          Kind kind)
    : self_(self), kind_(kind) {
  if (kind == kRun) {
    if (store == self.get()) return;
  } else if (!self.enabled_) {
    return;
  }
  active_ = true;
  saved_ = ContextRef::current();
  enableContext();
  self.enabled_ = true;
  entered_ = Frame::with(t_context, self.id_, std::move(store));
  setContext(entered_.get());
}

AsyncLocalStorageBase::RunScope::~RunScope() {
  if (!active_) return;
  if (t_context == entered_.get()) {
    // Nothing changed the context inside: back to the frame from before, as it was.
    setContext(saved_.get());
    return;
  }
  // Something inside called enterWith() (of this or another storage) and it is still current.
  // run() puts back only its own storage's previous store: another storage's enterWith()
  // outlives it, its own is undone. exit() puts back nothing: an enterWith() of this storage
  // inside stays, else the store from before exit() is seen again.
  std::shared_ptr<void> store = Frame::find(saved_.get(), self_.id_);
  if (kind_ == kExit) {
    if (std::shared_ptr<void> entered = Frame::find(t_context, self_.id_)) store = entered;
  }
  ContextRef frame = Frame::with(t_context, self_.id_, std::move(store));
  setContext(frame.get());
}

}  // namespace vow::internal
