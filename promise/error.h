// vow::Error and the exception types every layer shares.
//
// JavaScript rejects promises with any value; vow rejects them with a vow::Error, a nullable
// value type that carries either a thrown C++ exception (std::exception_ptr) or an
// absl::Status, so code that reports failures with statuses can reject without throwing.
#pragma once

#include <concepts>
#include <cstddef>
#include <exception>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "vow/promise/internal/exceptions.h"

namespace vow {

// The base of vow's exception types: JavaScript's `Error`. `name()` is the JS class name
// ("Error", "TypeError", ...), `code()` Node's `err.code` ("ERR_INVALID_ARG_VALUE", "ENOENT")
// or "" when there is none.
//
//   throw vow::Exception("boom");   // JS: throw new Error('boom')
class Exception : public std::exception {
 public:
  explicit Exception(std::string message, std::string code = {})
      : message_(std::move(message)), code_(std::move(code)) {}

  const char* what() const noexcept override { return message_.c_str(); }
  const std::string& message() const noexcept { return message_; }
  const std::string& code() const noexcept { return code_; }
  virtual const char* name() const noexcept { return "Error"; }
  // The closest absl::Status, for code that reports errors as statuses.
  virtual absl::Status toStatus() const;

 private:
  std::string message_;
  std::string code_;
};

// JS `TypeError`: a value of the wrong kind, e.g. resolving a promise with itself or
// (with Node's code) an invalid argument to an fs function.
class TypeError : public Exception {
 public:
  using Exception::Exception;
  const char* name() const noexcept override { return "TypeError"; }
  absl::Status toStatus() const override;
};

// JS `RangeError` (Node's ERR_OUT_OF_RANGE uses it).
class RangeError : public Exception {
 public:
  using Exception::Exception;
  const char* name() const noexcept override { return "RangeError"; }
  absl::Status toStatus() const override;
};

class Error;

// JS `AggregateError`: what vow::any rejects with when every input rejected. `errors()` holds
// the reasons in input order.
class AggregateError : public Exception {
 public:
  explicit AggregateError(std::vector<Error> errors,
                          std::string message = "All promises were rejected");
  const char* name() const noexcept override { return "AggregateError"; }
  const std::vector<Error>& errors() const noexcept { return errors_; }

 private:
  std::vector<Error> errors_;
};

// What `co_await` and Error::rethrow() throw when the reason is an absl::Status.
class StatusError : public Exception {
 public:
  explicit StatusError(absl::Status status);
  const absl::Status& status() const noexcept { return status_; }
  absl::Status toStatus() const override { return status_; }

 private:
  absl::Status status_;
};

// A rejection reason: empty (no error), a C++ exception, or a non-OK absl::Status.
// One pointer, cheap to copy. `if (err)` tests it, as `if (err)` does in a Node callback.
// A status is held as a vow::StatusError, so a promise state pays for one pointer of reason.
//
//   vow::Error e = std::runtime_error("boom");
//   e.message();                         // "boom"
//   if (auto* t = e.as<vow::TypeError>()) ...
class Error {
 public:
  Error() noexcept = default;
  Error(std::nullptr_t) noexcept {}  // NOLINT: `callback(nullptr, value)` reads like Node.
#if VOW_HAS_EXCEPTIONS
  Error(std::exception_ptr exception) noexcept  // NOLINT(google-explicit-constructor)
      : exception_(std::move(exception)) {}
#else
  // Without exceptions an exception_ptr is always null (nothing was thrown): an empty Error.
  Error(std::exception_ptr) noexcept {}  // NOLINT(google-explicit-constructor)
#endif
  // An OK status makes an empty Error.
  Error(absl::Status status);  // NOLINT(google-explicit-constructor)
  template <class E>
  requires std::derived_from<std::remove_cvref_t<E>, std::exception> Error(
      E&& exception)  // NOLINT(google-explicit-constructor)
      : exception_(hold(std::forward<E>(exception))) {}

  // The exception being handled, inside a `catch` block (without exceptions: empty).
  static Error current() noexcept { return Error(std::current_exception()); }

  explicit operator bool() const noexcept { return exception_ != nullptr; }

  // The exception's what(), or the status's message; "" when empty.
  std::string message() const;
  // The JS class name: "Error", "TypeError", ... for vow::Exception types, "Error" for other
  // exceptions and for statuses; "" when empty.
  std::string name() const;
  // Node's `err.code` for vow::Exception types ("ENOENT"), "" otherwise.
  std::string code() const;
  // The status carried, or the closest one for an exception; OK when empty. An exception's
  // Node code (code() above) travels with it as a payload: vow::errorCode(status) gives it
  // back, and so does Error(status).code().
  absl::Status status() const;
  // The carried exception if it is (or derives from) E, else nullptr. With E = absl::Status,
  // the carried status if there is one. The pointer lives as long as this Error.
  template <class E>
  const E* as() const noexcept;
  // Throws the carried exception as itself, a status as vow::StatusError. Without exceptions:
  // ends the process as that exception uncaught would (see VOW_THROW).
  [[noreturn]] void rethrow() const;

#if VOW_HAS_EXCEPTIONS
  const std::exception_ptr& exception() const noexcept { return exception_; }
#endif

  // The same reason: the same exception object.
  friend bool operator==(const Error& a, const Error& b) noexcept {
    return a.exception_ == b.exception_;
  }

 private:
#if VOW_HAS_EXCEPTIONS
  using Holder = std::exception_ptr;
#else
  // Without exceptions no exception_ptr can hold an object: the exception is shared instead.
  using Holder = std::shared_ptr<const std::exception>;
#endif
  template <class E>
  static Holder hold(E&& exception);

  Holder exception_;
};

// Node's `err.code` ("ENOENT", "ERR_INVALID_ARG_TYPE") of a status made by Error::status()
// (rejections seen as statuses: vow::settle, Error::status()); "" when it carries none.
//
//   absl::StatusOr<std::string> r = co_await vow::settle(vow::fs::promises::readFile("x"));
//   if (vow::errorCode(r.status()) == "ENOENT") ...
std::string errorCode(const absl::Status& status);
// The payload type URL under which the code travels in the status.
inline constexpr char kErrorCodePayloadUrl[] = "vow.dev/Error.code";

// JS `DOMException` as Node throws it: `name()` is the DOMException's name ("AbortError",
// "TimeoutError"), `code()` its legacy numeric code as text ("20" for AbortError, "23" for
// TimeoutError, "0" for names without one). What AbortController.abort() and
// AbortSignal.timeout() give as the reason when none is passed.
//
//   vow::DOMException("This operation was aborted", "AbortError")
class DOMException : public Exception {
 public:
  explicit DOMException(std::string message, std::string name = "Error");
  const char* name() const noexcept override { return name_.c_str(); }
  // AbortError -> absl::CancelledError, TimeoutError -> absl::DeadlineExceededError.
  absl::Status toStatus() const override;

 private:
  std::string name_;
};

// Node's `AbortError` (name "AbortError", code "ABORT_ERR", message "The operation was
// aborted"): what an operation given an aborted `{signal}` rejects with; `cause()` is the
// signal's reason (JS `err.cause`).
class AbortError : public Exception {
 public:
  explicit AbortError(std::string message = "The operation was aborted", Error cause = {});
  const char* name() const noexcept override { return "AbortError"; }
  const Error& cause() const noexcept { return cause_; }
  absl::Status toStatus() const override;  // absl::CancelledError

 private:
  Error cause_;
};

// ---------------------------------------------------------------------------------------------
// Implementation details.

template <class E>
Error::Holder Error::hold(E&& exception) {
#if VOW_HAS_EXCEPTIONS
  return std::make_exception_ptr(std::forward<E>(exception));
#else
  return std::make_shared<const std::remove_cvref_t<E> >(std::forward<E>(exception));
#endif
}

template <class E>
const E* Error::as() const noexcept {
  if constexpr (std::is_same_v<E, absl::Status>) {
    const StatusError* e = as<StatusError>();
    return e != nullptr ? &e->status() : nullptr;
  } else {
#if !VOW_HAS_EXCEPTIONS
    if constexpr (std::is_class_v<E>) {
      return dynamic_cast<const E*>(exception_.get());
    } else {
      return nullptr;
    }
#else
    if (!exception_) return nullptr;
    // Standard C++ only exposes an exception_ptr's type through a catch; the object
    // outlives the handler because exception_ keeps it alive.
    try {
      std::rethrow_exception(exception_);
    } catch (const E& e) {
      return &e;
    } catch (...) {
      return nullptr;
    }
#endif
  }
}

}  // namespace vow
