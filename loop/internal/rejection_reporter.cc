// Unhandled rejections as Node's lib/internal/process/promises.js reports them.
#include "vow/loop/internal/rejection_reporter.h"

#include <exception>
#include <string>

#include "absl/cleanup/cleanup.h"
#include "vow/loop/loop.h"
#include "vow/loop/process.h"
#include "vow/promise/async_stack.h"
#include "vow/promise/internal/exceptions.h"

namespace vow::internal {

void RejectionReporter::promiseRejectedWithoutHandler(const AnyPromise& promise) {
  // Node's unhandledRejection(promise, reason). The map holds no reference: a state can only
  // come back to promiseHandledAfterRejection after being reported here, which overwrites any
  // stale entry left at a reused address.
  maybe_unhandled_[promise.state()] = Unhandled{++last_id_, false, false, ContextRef::current()};
  pending_.push_back(promise);
}

void RejectionReporter::promiseHandledAfterRejection(const AnyPromise& promise) {
  // Node's handledRejection(promise).
  auto it = maybe_unhandled_.find(promise.state());
  if (it == maybe_unhandled_.end()) return;
  Unhandled info = it->second;
  if (info.in_flight) return;  // Node: in neither map while its batch is being emitted
  maybe_unhandled_.erase(it);
  if (info.warned) async_handled_.emplace_back(promise, info.uid);
}

void RejectionReporter::scheduleCallback(absl::AnyInvocable<void()> f) {
  loop_.nextTick(std::move(f));
}

void RejectionReporter::emitUnhandledWarning(std::uint64_t uid, const Error& reason) {
  // Node's emitUnhandledRejectionWarning: the reason (Node: `reason.stack`; with async stack
  // traces on, the chain under the message), then the explanation.
  std::string text = !reason              ? std::string("undefined")
                     : asyncStackTraces() ? stackOf(reason)
                                          : reason.name() + ": " + reason.message();
  process_.emitWarning(text, "UnhandledPromiseRejectionWarning");
  process_.emitWarning(std::string("Unhandled promise rejection. ") + kUnhandledRejectionMessage +
                           " (rejection id: " + std::to_string(uid) + ")",
                       "UnhandledPromiseRejectionWarning");
}

void RejectionReporter::throwReason(const Error& reason) {
  report_threw_ = true;
  // Node: isErrorLike(reason) ? reason : new UnhandledPromiseRejection(reason). An error here
  // is a C++ exception (statuses are carried as vow::StatusError); an int, a string or any
  // other thrown value is wrapped, so that `catch (const std::exception&)` sees every one.
  if (reason.as<std::exception>() != nullptr) reason.rethrow();
  VOW_THROW(UnhandledPromiseRejection(reason));
}

bool RejectionReporter::process() {
  // Node's processPromiseRejections (lib/internal/process/promises.js).
  if (pending_.empty() && async_handled_.empty()) return false;
  bool maybe_scheduled = !async_handled_.empty();
  while (!async_handled_.empty()) {
    auto [promise, uid] = std::move(async_handled_.front());
    async_handled_.pop_front();
    if (process_.listenerCount("rejectionHandled") == 0) {
      process_.emitWarning("Promise rejection was handled asynchronously (rejection id: " +
                               std::to_string(uid) + ")",
                           "PromiseRejectionHandledWarning");
    } else {
      process_.emit("rejectionHandled", promise);
    }
  }
  // Node 20.20 takes the whole pending set first (`const pending = pendingUnhandledRejections;
  // pendingUnhandledRejections = new SafeMap()`), then reports each entry in order: a handler
  // attached to a later entry by an earlier entry's listener does not stop its report.
  std::deque<AnyPromise> batch;
  batch.swap(pending_);
  for (const AnyPromise& p : batch) {
    auto it = maybe_unhandled_.find(p.state());
    if (it != maybe_unhandled_.end()) it->second.in_flight = true;
  }
  // If a report throws (throw/strict mode), the entries not reached yet go back in front of
  // the pending ones, for the next checkpoint (run() called again goes on from there).
  // A listener that throws ends the batch for good, as in Node (the rest stays unhandled but is
  // never reported).
  bool listener_threw = false;
  absl::Cleanup requeue = [this, &batch, &listener_threw] {
    while (!batch.empty()) {
      auto it = maybe_unhandled_.find(batch.back().state());
      if (it != maybe_unhandled_.end()) it->second.in_flight = false;
      if (!listener_threw) pending_.push_front(std::move(batch.back()));
      batch.pop_back();
    }
  };
  while (!batch.empty()) {
    AnyPromise promise = std::move(batch.front());
    batch.pop_front();
    auto it = maybe_unhandled_.find(promise.state());
    if (it == maybe_unhandled_.end()) continue;  // handled before the batch was taken
    it->second.in_flight = false;
    it->second.warned = true;
    std::uint64_t uid = it->second.uid;
    Error reason = promise.reason();
    // Node's processPromiseRejections pushes the promise's async context around its report.
    ContextScope scope(it->second.context.get());
    auto emit = [&] {
      VOW_TRY { return process_.emit("unhandledRejection", reason, promise); }
      VOW_CATCH_ALL {
        listener_threw = true;
        VOW_RETHROW;
      }
    };
    switch (process_.unhandledRejections()) {
      case UnhandledRejections::kStrict:
        throwReason(reason);
      case UnhandledRejections::kNone:
        emit();
        break;
      case UnhandledRejections::kWarn:
        emit();
        emitUnhandledWarning(uid, reason);
        break;
      case UnhandledRejections::kThrow:
        if (!emit()) throwReason(reason);
        break;
      case UnhandledRejections::kWarnWithErrorCode:
        if (!emit()) {
          emitUnhandledWarning(uid, reason);
          process_.setExitCode(1);
        }
        break;
    }
    maybe_scheduled = true;
  }
  return maybe_scheduled || !pending_.empty();
}

}  // namespace vow::internal
