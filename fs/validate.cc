// Node's argument validators, shared by every fs operation, and OpenFlags.
#include "vow/fs/internal/validate.h"

#include <fcntl.h>

#include <cstdio>
#include <string>

#include "vow/fs/types.h"
#include "vow/promise/error.h"
#include "vow/promise/internal/exceptions.h"

namespace vow::fs::internal {

std::string inspectString(std::string_view s) {
  char quote = '\'';
  if (s.find('\'') != std::string_view::npos) {
    if (s.find('"') == std::string_view::npos) {
      quote = '"';
    } else if (s.find('`') == std::string_view::npos && s.find("${") == std::string_view::npos) {
      quote = '`';
    }
  }
  std::string out(1, quote);
  for (unsigned char c : s) {
    switch (c) {
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02X", c);
          out += buf;
        } else if (c == static_cast<unsigned char>(quote) && quote == '\'') {
          out += "\\'";
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += quote;
  return out;
}

namespace {
[[noreturn]] void throwInvalidArgValue(const char* name, const std::string& reason,
                                       const std::string& inspected) {
  std::string shown = inspected;
  if (shown.size() > 128) shown = shown.substr(0, 128) + "...";
  VOW_THROW(TypeError(std::string("The argument '") + name + "' " + reason + ". Received " + shown,
                      "ERR_INVALID_ARG_VALUE"));
}

std::string withSeparators(std::int64_t value) {
  unsigned long long mag = value < 0 ? 0ULL - static_cast<unsigned long long>(value)
                                     : static_cast<unsigned long long>(value);
  std::string digits = std::to_string(mag);
  std::string out;
  int n = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (n > 0 && n % 3 == 0) out.insert(out.begin(), '_');
    out.insert(out.begin(), *it);
    ++n;
  }
  return value < 0 ? "-" + out : out;
}
}  // namespace

void checkPath(std::string_view path, const char* name) {
  if (path.find('\0') != std::string_view::npos) {
    throwInvalidArgValue(name, "must be a string, Uint8Array, or URL without null bytes",
                         inspectString(path));
  }
}

int parseFlags(std::string_view f) {
  if (f == "r") return O_RDONLY;
  if (f == "rs" || f == "sr") return O_RDONLY | O_SYNC;
  if (f == "r+") return O_RDWR;
  if (f == "rs+" || f == "sr+") return O_RDWR | O_SYNC;
  if (f == "w") return O_TRUNC | O_CREAT | O_WRONLY;
  if (f == "wx" || f == "xw") return O_TRUNC | O_CREAT | O_WRONLY | O_EXCL;
  if (f == "w+") return O_TRUNC | O_CREAT | O_RDWR;
  if (f == "wx+" || f == "xw+") return O_TRUNC | O_CREAT | O_RDWR | O_EXCL;
  if (f == "a") return O_APPEND | O_CREAT | O_WRONLY;
  if (f == "ax" || f == "xa") return O_APPEND | O_CREAT | O_WRONLY | O_EXCL;
  if (f == "as" || f == "sa") return O_APPEND | O_CREAT | O_WRONLY | O_SYNC;
  if (f == "a+") return O_APPEND | O_CREAT | O_RDWR;
  if (f == "ax+" || f == "xa+") return O_APPEND | O_CREAT | O_RDWR | O_EXCL;
  if (f == "as+" || f == "sa+") return O_APPEND | O_CREAT | O_RDWR | O_SYNC;
  throwInvalidArgValue("flags", "is invalid", inspectString(f));
}

void throwOutOfRange(const char* name, const std::string& range, std::int64_t value) {
  std::string received =
      (value > (1LL << 32) || value < -(1LL << 32)) ? withSeparators(value) : std::to_string(value);
  VOW_THROW(RangeError(std::string("The value of \"") + name + "\" is out of range. It must be " +
                           range + ". Received " + received,
                       "ERR_OUT_OF_RANGE"));
}

void checkEncoding(bool valid, std::string_view name) {
  if (!valid) throwInvalidArgValue("encoding", "is invalid encoding", inspectString(name));
}

void checkFd(int fd) {
  if (fd < 0) throwOutOfRange("fd", ">= 0 && <= 2147483647", fd);
}

void checkRead(int fd, std::size_t buffer_size, std::int64_t offset, std::int64_t length,
               std::int64_t position) {
  checkFd(fd);
  if (offset < 0) throwOutOfRange("offset", ">= 0 && <= 9007199254740991", offset);
  if (length < 0) throwOutOfRange("length", ">= 0", length);
  const auto size = static_cast<std::int64_t>(buffer_size);
  if (offset > size) throwOutOfRange("offset", "<= " + std::to_string(size), offset);
  if (offset + length > size) {
    throwOutOfRange("length", "<= " + std::to_string(size - offset), length);
  }
  if (position < -1 || position > kMaxSafeInteger) {
    throwOutOfRange("position", ">= -1 && <= 9007199254740991", position);
  }
}

}  // namespace vow::fs::internal

namespace vow::fs {

int OpenFlags::bits() const { return numeric_ ? bits_ : internal::parseFlags(text_); }

}  // namespace vow::fs
