// vow::Process: Node's `process` object for one loop: the events Node emits on it
// ('unhandledRejection', 'rejectionHandled', 'warning'), emitWarning, exitCode, and the
// --unhandled-rejections mode.
//
//   vow::process().on("unhandledRejection", [](const vow::Error& reason, const vow::AnyPromise&) {
//     std::printf("unhandled: %s\n", reason.message().c_str());
//   });
#pragma once

#include <string>
#include <utility>

#include "vow/loop/event_emitter.h"
#include "vow/promise/error.h"

namespace vow {

class Loop;
namespace internal {
class RejectionReporter;
}  // namespace internal

// How unhandled rejections are treated: Node's --unhandled-rejections modes.
enum class UnhandledRejections {
  // Default. 'unhandledRejection' listeners run; with none, run() throws the reason.
  kThrow,
  // run() throws the reason even if listeners exist (they are not called).
  kStrict,
  // Listeners run, and a warning is always printed.
  kWarn,
  // Listeners run; with none, a warning is printed and exitCode() becomes 1.
  kWarnWithErrorCode,
  // Listeners run; nothing else happens.
  kNone,
};

// Parses Node's spelling ("throw", "strict", "warn", "warn-with-error-code", "none").
// Returns false for anything else. Each loop starts with VOW_UNHANDLED_REJECTIONS if it is set.
bool parseUnhandledRejections(const std::string& text, UnhandledRejections* mode);

// What 'warning' listeners receive (as a vow::Error): Node's warning object, with its name
// ("Warning", "TimeoutOverflowWarning"...), message and code.
class Warning : public Exception {
 public:
  Warning(std::string name, std::string message, std::string code = {})
      : Exception(std::move(message), std::move(code)), name_(std::move(name)) {}
  const char* name() const noexcept override { return name_.c_str(); }

 private:
  std::string name_;
};

// What run() throws for an unhandled rejection whose reason is not an error (e.g.
// `Promise<int>::reject(std::make_exception_ptr(42))`): Node's UnhandledPromiseRejection, code
// ERR_UNHANDLED_REJECTION, message ending `The promise rejected with the reason "42".`.
// reason() is the original reason. Reasons that are C++ exceptions or statuses leave run() as
// themselves.
class UnhandledPromiseRejection : public Exception {
 public:
  explicit UnhandledPromiseRejection(Error reason);
  const char* name() const noexcept override { return "UnhandledPromiseRejection"; }
  const Error& reason() const noexcept { return reason_; }

 private:
  Error reason_;
};

// Node's `process` for one loop (vow::process() is the current loop's). An EventEmitter whose
// events are, with their listeners' parameters:
//   "unhandledRejection"  (const vow::Error& reason, const vow::AnyPromise& promise)
//   "rejectionHandled"    (const vow::AnyPromise& promise)
//   "warning"             (const vow::Error& warning)  (a vow::Warning: name(), message())
// Listeners run during the checkpoint, after the nextTick and microtask queues drained (for
// warnings: on the next tick after emitWarning). Remove one with off(name, id), as any listener.
class Process : public EventEmitter {
 public:
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // Node: process.emitWarning(message, name). Queue: nextTick, as in Node (the 'warning'
  // listeners run, or stderr gets "(vow:PID) Name: message", at the next checkpoint).
  void emitWarning(const std::string& message, const std::string& name = "Warning");

  // Node: process.exitCode (set to 1 by the warn-with-error-code mode).
  int exitCode() const noexcept { return exit_code_; }
  void setExitCode(int code) noexcept { exit_code_ = code; }

  // Node: --unhandled-rejections=mode.
  void setUnhandledRejections(UnhandledRejections mode) noexcept { mode_ = mode; }
  UnhandledRejections unhandledRejections() const noexcept { return mode_; }

 private:
  friend class Loop;
  friend class internal::RejectionReporter;
  explicit Process(Loop& loop);
  void deliverWarning(const std::string& message, const std::string& name);

  Loop& loop_;
  UnhandledRejections mode_ = UnhandledRejections::kThrow;
  int exit_code_ = 0;
};

// The current thread's loop's process object. Node: process.
Process& process();

}  // namespace vow
