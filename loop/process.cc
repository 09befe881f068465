#include "vow/loop/process.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "vow/loop/internal/js_value.h"
#include "vow/loop/internal/rejection_reporter.h"
#include "vow/loop/loop.h"
#include "vow/promise/internal/exceptions.h"

namespace vow {

bool parseUnhandledRejections(const std::string& text, UnhandledRejections* mode) {
  if (text == "throw") {
    *mode = UnhandledRejections::kThrow;
  } else if (text == "strict") {
    *mode = UnhandledRejections::kStrict;
  } else if (text == "warn") {
    *mode = UnhandledRejections::kWarn;
  } else if (text == "warn-with-error-code") {
    *mode = UnhandledRejections::kWarnWithErrorCode;
  } else if (text == "none") {
    *mode = UnhandledRejections::kNone;
  } else {
    return false;
  }
  return true;
}

UnhandledPromiseRejection::UnhandledPromiseRejection(Error reason)
    : Exception(std::string(internal::kUnhandledRejectionMessage) +
                    " The promise rejected with the reason \"" +
#if VOW_HAS_EXCEPTIONS
                    internal::stringifyThrownValue(reason.exception()) + "\".",
#else
                    (reason ? reason.message() : std::string("undefined")) + "\".",
#endif
                "ERR_UNHANDLED_REJECTION"),
      reason_(std::move(reason)) {
}

Process::Process(Loop& loop) : loop_(loop) {
  declareEvent<Error, AnyPromise>("unhandledRejection");
  declareEvent<AnyPromise>("rejectionHandled");
  declareEvent<Error>("warning");
  if (const char* mode = std::getenv("VOW_UNHANDLED_REJECTIONS")) {
    parseUnhandledRejections(mode, &mode_);
  }
}

void Process::emitWarning(const std::string& message, const std::string& name) {
  // Node's process.emitWarning emits on the next tick (doEmitWarning), so the code that caused
  // the warning finishes first: `setTimeout(f, 2 ** 31); console.log('after')` prints 'after'
  // before the TimeoutOverflowWarning.
  loop_.nextTick([this, message, name] { deliverWarning(message, name); });
}

void Process::deliverWarning(const std::string& message, const std::string& name) {
  if (listenerCount("warning") == 0) {
    std::fprintf(stderr, "(vow:%d) %s: %s\n", static_cast<int>(::getpid()), name.c_str(),
                 message.c_str());
    return;
  }
  emit("warning", Error(Warning(name, message)));
}

Process& process() { return Loop::current().process(); }

}  // namespace vow
