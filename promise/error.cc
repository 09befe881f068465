#include "vow/promise/error.h"

namespace vow {

absl::Status Exception::toStatus() const { return absl::UnknownError(message()); }
absl::Status TypeError::toStatus() const { return absl::InvalidArgumentError(message()); }
absl::Status RangeError::toStatus() const { return absl::OutOfRangeError(message()); }

AggregateError::AggregateError(std::vector<Error> errors, std::string message)
    : Exception(std::move(message)), errors_(std::move(errors)) {}

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
