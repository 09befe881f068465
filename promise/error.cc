#include "vow/promise/error.h"

#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <typeinfo>
#include <utility>

#include "absl/strings/cord.h"

namespace vow {

absl::Status Exception::toStatus() const { return absl::UnknownError(message()); }
absl::Status TypeError::toStatus() const { return absl::InvalidArgumentError(message()); }
absl::Status RangeError::toStatus() const { return absl::OutOfRangeError(message()); }

AggregateError::AggregateError(std::vector<Error> errors, std::string message)
    : Exception(std::move(message)), errors_(std::move(errors)) {}

namespace {
// The legacy code of a DOMException name (WebIDL's table), 0 for names without one.
int legacyCode(std::string_view name) {
  static constexpr std::pair<std::string_view, int> kCodes[] = {
      {"IndexSizeError", 1},
      {"HierarchyRequestError", 3},
      {"WrongDocumentError", 4},
      {"InvalidCharacterError", 5},
      {"NoModificationAllowedError", 7},
      {"NotFoundError", 8},
      {"NotSupportedError", 9},
      {"InvalidStateError", 11},
      {"SyntaxError", 12},
      {"InvalidModificationError", 13},
      {"NamespaceError", 14},
      {"InvalidAccessError", 15},
      {"TypeMismatchError", 17},
      {"SecurityError", 18},
      {"NetworkError", 19},
      {"AbortError", 20},
      {"URLMismatchError", 21},
      {"QuotaExceededError", 22},
      {"TimeoutError", 23},
      {"InvalidNodeTypeError", 24},
      {"DataCloneError", 25},
  };
  for (const auto& [n, code] : kCodes) {
    if (n == name) return code;
  }
  return 0;
}
}  // namespace

DOMException::DOMException(std::string message, std::string name)
    : Exception(std::move(message), std::to_string(legacyCode(name))), name_(std::move(name)) {}

absl::Status DOMException::toStatus() const {
  if (name_ == "AbortError") return absl::CancelledError(message());
  if (name_ == "TimeoutError") return absl::DeadlineExceededError(message());
  return Exception::toStatus();
}

AbortError::AbortError(std::string message, Error cause)
    : Exception(std::move(message), "ABORT_ERR"), cause_(std::move(cause)) {}

absl::Status AbortError::toStatus() const { return absl::CancelledError(message()); }

std::string errorCode(const absl::Status& status) {
  auto code = status.GetPayload(kErrorCodePayloadUrl);  // absl::optional<absl::Cord>
  return code ? std::string(*code) : std::string();
}

StatusError::StatusError(absl::Status status)
    : Exception(std::string(status.message()), errorCode(status)), status_(std::move(status)) {}

#if VOW_HAS_EXCEPTIONS
Error::Error(absl::Status status)
    : exception_(status.ok() ? nullptr : std::make_exception_ptr(StatusError(std::move(status)))) {}
#else
Error::Error(absl::Status status)
    : exception_(status.ok() ? nullptr : std::make_shared<const StatusError>(std::move(status))) {}
#endif

std::string Error::message() const {
  if (!exception_) return "";
#if !VOW_HAS_EXCEPTIONS
  return exception_->what();
#else
  try {
    std::rethrow_exception(exception_);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
#endif
}

std::string Error::name() const {
  if (!exception_) return "";
  if (auto* e = as<Exception>()) return e->name();
  return "Error";
}

std::string Error::code() const {
  if (auto* e = as<Exception>()) return e->code();
  return "";
}

namespace {
// A vow::Exception's status, with its Node code as a payload (once).
absl::Status withCode(const Exception& e) {
  absl::Status s = e.toStatus();
  if (!s.ok() && !e.code().empty() && !s.GetPayload(kErrorCodePayloadUrl)) {
    s.SetPayload(kErrorCodePayloadUrl, absl::Cord(e.code()));
  }
  return s;
}
}  // namespace

absl::Status Error::status() const {
  if (!exception_) return absl::OkStatus();
#if !VOW_HAS_EXCEPTIONS
  if (const auto* e = dynamic_cast<const Exception*>(exception_.get())) return withCode(*e);
  return absl::UnknownError(exception_->what());
#else
  try {
    std::rethrow_exception(exception_);
  } catch (const Exception& e) {
    return withCode(e);
  } catch (const std::exception& e) {
    return absl::UnknownError(e.what());
  } catch (...) {
    return absl::UnknownError("unknown exception");
  }
#endif
}

void Error::rethrow() const {
#if VOW_HAS_EXCEPTIONS
  if (exception_) std::rethrow_exception(exception_);
  throw TypeError("vow::Error::rethrow() called on an empty Error");
#else
  if (exception_) internal::uncaught(*exception_);
  internal::uncaught(TypeError("vow::Error::rethrow() called on an empty Error"));
#endif
}

namespace internal {

void uncaught(const std::exception& e) noexcept {
  // As libstdc++'s verbose terminate handler words an uncaught exception, plus Node's view.
  std::fprintf(stderr, "terminate called after throwing an instance of '%s'\n  what():  %s\n",
               typeid(e).name(), e.what());
  if (const auto* v = dynamic_cast<const Exception*>(&e)) {
    std::fprintf(stderr, "  (vow, built without exceptions: uncaught %s%s%s)\n", v->name(),
                 v->code().empty() ? "" : " ", v->code().c_str());
  }
  std::fflush(stderr);
  std::abort();
}

void unreachableRethrow() noexcept {
  std::fputs("vow: rethrow outside a catch block in a build without exceptions\n", stderr);
  std::abort();
}

}  // namespace internal

}  // namespace vow
