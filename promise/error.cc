#include "vow/promise/error.h"

#include <string_view>
#include <utility>

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

StatusError::StatusError(absl::Status status)
    : Exception(std::string(status.message())), status_(std::move(status)) {}

Error::Error(absl::Status status)
    : exception_(status.ok() ? nullptr : std::make_exception_ptr(StatusError(std::move(status)))) {}

std::string Error::message() const {
  if (!exception_) return "";
  try {
    std::rethrow_exception(exception_);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
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

absl::Status Error::status() const {
  if (!exception_) return absl::OkStatus();
  try {
    std::rethrow_exception(exception_);
  } catch (const Exception& e) {
    return e.toStatus();
  } catch (const std::exception& e) {
    return absl::UnknownError(e.what());
  } catch (...) {
    return absl::UnknownError("unknown exception");
  }
}

void Error::rethrow() const {
  if (exception_) std::rethrow_exception(exception_);
  throw TypeError("vow::Error::rethrow() called on an empty Error");
}

}  // namespace vow
