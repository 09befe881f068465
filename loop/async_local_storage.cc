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

AsyncLocalStorageBase::RunScope::RunScope(AsyncLocalStorageBase& self,
                                          std::shared_ptr<void> store)
    : self_(self), saved_(ContextRef::current()) {
  enableContext();
  self.enabled_ = true;
  entered_ = Frame::with(t_context, self.id_, std::move(store));
  setContext(entered_.get());
}

AsyncLocalStorageBase::RunScope::~RunScope() {
  if (t_context == entered_.get()) {
    // Nothing changed the context inside: back to the frame from before, as it was.
    setContext(saved_.get());
    return;
  }
  // Something inside called enterWith() (of this or another storage) and it is still current.
  // Node v20's run() puts back only its own storage's previous store, on the current resource:
  // another storage's enterWith() outlives the run() (and this storage's is undone).
  std::shared_ptr<void> previous =
      saved_ ? Frame::of(saved_.get())->find(self_.id_) : std::shared_ptr<void>();
  ContextRef frame = Frame::with(t_context, self_.id_, std::move(previous));
  setContext(frame.get());
}

}  // namespace vow::internal
