// The public timer functions and handles. Each reaches its loop's timer queue or check queue
// through the handle's weak link, so that after its loop is destroyed a handle does nothing.
#include "vow/loop/timers.h"

#include <string>

#include "vow/loop/internal/js_value.h"
#include "vow/loop/loop.h"

namespace vow {

namespace {

constexpr double kTimeoutMax = 2147483647.0;  // 2^31 - 1, Node's TIMEOUT_MAX

// Node's new Timeout(callback, after, ...): warns about (and replaces) a delay it cannot keep.
internal::TimerImpl* addTimer(absl::AnyInvocable<void()>&& f, double after, bool repeat) {
  Loop& loop = Loop::current();
  if (after > kTimeoutMax) {
    loop.process().emitWarning(
        internal::jsNumberToString(after) +
            " does not fit into a 32-bit signed integer.\nTimeout duration was set to 1.",
        "TimeoutOverflowWarning");
  }
  // Node: if (!(after >= 1 && after <= TIMEOUT_MAX)) after = 1;
  if (!(after >= 1 && after <= kTimeoutMax)) after = 1;
  return internal::LoopAccess::timers(loop).add(std::move(f), after, repeat);
}

}  // namespace

Timeout setTimeout(absl::AnyInvocable<void()> f, double ms) {
  return Timeout(addTimer(std::move(f), ms, false));
}

Timeout setInterval(absl::AnyInvocable<void()> f, double ms) {
  return Timeout(addTimer(std::move(f), ms, true));
}

void clearTimeout(const Timeout& t) {
  if (t.t_ == nullptr) return;
  if (Loop* loop = t.t_->loop()) internal::LoopAccess::timers(*loop).clear(t.t_);
}

Timeout& Timeout::ref() {
  if (t_ == nullptr) return *this;
  if (Loop* loop = t_->loop()) internal::LoopAccess::timers(*loop).setRef(t_, true);
  return *this;
}
Timeout& Timeout::unref() {
  if (t_ == nullptr) return *this;
  if (Loop* loop = t_->loop()) internal::LoopAccess::timers(*loop).setRef(t_, false);
  return *this;
}
Timeout& Timeout::refresh() {
  if (t_ == nullptr) return *this;
  if (Loop* loop = t_->loop()) internal::LoopAccess::timers(*loop).refresh(t_);
  return *this;
}
void Timeout::close() { clearTimeout(*this); }

Immediate setImmediate(absl::AnyInvocable<void()> f) {
  Loop& loop = Loop::current();
  std::uint64_t id = internal::LoopAccess::checks(loop).add(std::move(f));
  return Immediate(internal::LoopAccess::link(loop)->addRef(), id);
}

Loop* Immediate::loop() const noexcept { return link_ != nullptr ? link_->loop : nullptr; }

void clearImmediate(const Immediate& i) {
  if (Loop* loop = i.loop()) internal::LoopAccess::checks(*loop).clear(i.id_);
}

Immediate& Immediate::ref() {
  if (Loop* loop = this->loop()) internal::LoopAccess::checks(*loop).setRef(id_, true);
  return *this;
}
Immediate& Immediate::unref() {
  if (Loop* loop = this->loop()) internal::LoopAccess::checks(*loop).setRef(id_, false);
  return *this;
}
bool Immediate::hasRef() const {
  Loop* loop = this->loop();
  return loop != nullptr && internal::LoopAccess::checks(*loop).hasRef(id_);
}
void Immediate::close() { clearImmediate(*this); }

}  // namespace vow
