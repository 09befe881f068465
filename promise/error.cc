#include "vow/promise/error.h"

namespace vow {

absl::Status Exception::toStatus() const { return absl::UnknownError(message()); }
absl::Status TypeError::toStatus() const { return absl::InvalidArgumentError(message()); }
absl::Status RangeError::toStatus() const { return absl::OutOfRangeError(message()); }

AggregateError::AggregateError(std::vector<Error> errors, std::string message)
    : Exception(std::move(message)), errors_(std::move(errors)) {}

StatusError::StatusError(absl::Status status)
    : Exception(std::string(status.message())), status_(std::move(status)) {}

std::string Error::message() const {
  if (exception_) {
    try {
      std::rethrow_exception(exception_);
    } catch (const std::exception& e) {
      return e.what();
    } catch (...) {
      return "unknown exception";
    }
  }
  return std::string(status_.message());
}

std::string Error::name() const {
  if (exception_) {
    if (auto* e = as<Exception>()) return e->name();
    return "Error";
  }
  return status_.ok() ? "" : "Error";
}

std::string Error::code() const {
  if (auto* e = as<Exception>()) return e->code();
  return "";
}

absl::Status Error::status() const {
  if (!exception_) return status_;
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
  if (!status_.ok()) throw StatusError(status_);
  throw TypeError("vow::Error::rethrow() called on an empty Error");
}

}  // namespace vow
