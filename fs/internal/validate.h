// Node's argument validators (its validateInteger, getValidatedPath, stringToFlags...): each
// throws vow::TypeError / vow::RangeError with Node's code and message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace vow::fs::internal {

// TypeError ERR_INVALID_ARG_VALUE for a NUL byte in a path.
void checkPath(std::string_view path, const char* name);
// Node's stringToFlags; TypeError ERR_INVALID_ARG_VALUE for anything else.
int parseFlags(std::string_view flags);
// RangeError ERR_OUT_OF_RANGE: "The value of \"<name>\" is out of range. It must be <range>.
// Received <value>".
[[noreturn]] void throwOutOfRange(const char* name, const std::string& range, std::int64_t value);
void checkFd(int fd);
// Node's assertEncoding (getOptions of readFile): TypeError ERR_INVALID_ARG_VALUE "The argument
// 'encoding' is invalid encoding. Received 'x'" unless `valid`.
void checkEncoding(bool valid, std::string_view name);
// Number.MAX_SAFE_INTEGER, the largest file position Node takes.
inline constexpr std::int64_t kMaxSafeInteger = 9007199254740991;
// Node's checks of fs.read / fs.readSync(fd, buffer, offset, length, position), in its order:
// fd, offset, length, then position in [-1, 2^53 - 1] (-1: the current position).
void checkRead(int fd, std::size_t buffer_size, std::int64_t offset, std::int64_t length,
               std::int64_t position);
// Node's inspect() of a string for error messages ('a\x00b').
std::string inspectString(std::string_view s);

}  // namespace vow::fs::internal
