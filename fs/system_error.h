// vow::SystemError: what Node's fs rejects with when the OS says no (ENOENT, EEXIST, ...).
//
//   try { vow::fs::readFileSync("missing.txt"); }
//   catch (const vow::SystemError& e) {
//     e.code();     // "ENOENT"
//     e.errnum();   // -2 (Node's err.errno: the negated errno)
//     e.syscall();  // "open"
//     e.path();     // "missing.txt"
//     e.message();  // "ENOENT: no such file or directory, open 'missing.txt'"
//   }
//
// The descriptions are libuv's (uv_strerror), which is what Node prints, and the message is
// built as Node's uvException builds it:
//   "<code>: <description>, <syscall>[ '<path>'][ -> '<dest>']".
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "vow/promise/error.h"

namespace vow {

class SystemError : public Exception {
 public:
  // From an errno value (positive, as errno holds it, or negative, as libuv and Node report it).
  SystemError(int errnum, std::string syscall, std::optional<std::string> path = std::nullopt,
              std::optional<std::string> dest = std::nullopt);
  // With an explicit code and message (Node's ERR_FS_* SystemErrors, e.g. ERR_FS_EISDIR).
  SystemError(std::string code, std::string message, int errnum, std::string syscall,
              std::optional<std::string> path = std::nullopt);

  // Node's err.name: "Error" for an errno failure (Node's uvException makes a plain Error),
  // "SystemError" for the ERR_FS_* errors, which Node makes with its SystemError class.
  const char* name() const noexcept override { return explicit_code_ ? "SystemError" : "Error"; }
  // Node: err.errno, negative (-2 for ENOENT), except for ERR_FS_* errors where Node keeps it
  // positive.
  int errnum() const noexcept { return errnum_; }
  const std::string& syscall() const noexcept { return syscall_; }
  // Node: err.path / err.dest; absent (Node: undefined) when the operation had none to report.
  bool hasPath() const noexcept { return path_.has_value(); }
  const std::string& path() const noexcept { return path_ ? *path_ : empty(); }
  bool hasDest() const noexcept { return dest_.has_value(); }
  const std::string& dest() const noexcept { return dest_ ? *dest_ : empty(); }

  // ENOENT -> NotFound, EEXIST -> AlreadyExists, EACCES/EPERM -> PermissionDenied, ...
  absl::Status toStatus() const override;

 private:
  static const std::string& empty() noexcept;
  int errnum_;
  std::string syscall_;
  std::optional<std::string> path_;
  std::optional<std::string> dest_;
  bool explicit_code_ = false;
};

// libuv's name for an errno ("ENOENT"; "Unknown system error -N" when it has none).
std::string errnoName(int errnum);
// libuv's description of an errno ("no such file or directory").
std::string errnoDescription(int errnum);

}  // namespace vow
