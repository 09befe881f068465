// The loop's promise host: unhandled-rejection tracking and reporting (Node's
// lib/internal/process/promises.js). Users never include this; they listen on vow::process().
#pragma once

#include <cstdint>
#include <deque>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "vow/promise/host.h"
#include "vow/promise/internal/context.h"
#include "vow/promise/promise.h"

namespace vow {
class Loop;
class Process;
}  // namespace vow

namespace vow::internal {

// Node's explanation in unhandled-rejection warnings and errors.
inline constexpr const char* kUnhandledRejectionMessage =
    "This error originated either by throwing inside of an async function without a catch "
    "block, or by rejecting a promise which was not handled with .catch(). To terminate the "
    "node process on unhandled promise rejection, use the CLI flag "
    "`--unhandled-rejections=strict` (see "
    "https://nodejs.org/api/cli.html#cli_unhandled_rejections_mode).";

class RejectionReporter final : public PromiseHost {
 public:
  RejectionReporter(Loop& loop, Process& process) noexcept : loop_(loop), process_(process) {}
  RejectionReporter(const RejectionReporter&) = delete;
  RejectionReporter& operator=(const RejectionReporter&) = delete;

  // PromiseHost: Node's unhandledRejection(promise, reason) and handledRejection(promise).
  void promiseRejectedWithoutHandler(const AnyPromise& promise) override;
  void promiseHandledAfterRejection(const AnyPromise& promise) override;
  // callbackify delivers through process.nextTick, as Node's does.
  void scheduleCallback(absl::AnyInvocable<void()> f) override;

  // Node's processPromiseRejections, at the end of each checkpoint: 'rejectionHandled' for
  // late handlers, then each rejection still unhandled by the mode. Returns whether it may have
  // queued work (the checkpoint then goes round again). Throws the reason in throw/strict mode.
  bool process();
  // Whether the last exception out of process() was a report (throw/strict mode) rather than
  // one thrown by a listener; reading it resets it.
  bool takeReportThrew() noexcept { return std::exchange(report_threw_, false); }
  // Whether the next process() has something to do (a rejection or a late handler to report).
  bool hasWork() const noexcept { return !pending_.empty() || !async_handled_.empty(); }

 private:
  struct Unhandled {
    std::uint64_t uid;
    bool warned;
    // In the batch process() is emitting, not reached yet: Node has taken it out of
    // pendingUnhandledRejections and not put it in maybeUnhandledPromises, so a handler added
    // now changes nothing (it is still reported).
    bool in_flight = false;
    // The async context the listeners run in (AsyncLocalStorage): the one current when the
    // promise was rejected. Node pushes the promise's own context, the one it was created in;
    // the two are the same unless the promise is rejected through its resolvers elsewhere.
    ContextRef context = {};
  };
  void emitUnhandledWarning(std::uint64_t uid, const Error& reason);
  [[noreturn]] void throwReason(const Error& reason);

  Loop& loop_;
  Process& process_;
  absl::flat_hash_map<StateBase*, Unhandled> maybe_unhandled_;
  std::deque<AnyPromise> pending_;
  std::deque<std::pair<AnyPromise, std::uint64_t>> async_handled_;
  std::uint64_t last_id_ = 0;
  bool report_threw_ = false;
};

}  // namespace vow::internal
