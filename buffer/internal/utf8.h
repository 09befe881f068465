// UTF-8 as Node reads bytes (WHATWG's decoder, which V8 follows): for vow::Buffer's utf8
// decoding and readline's StringDecoder. Users never include this header.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vow::internal {

// The length of the valid sequence at in[i] (0 when it is invalid or truncated) and, in
// `consumed`, how many bytes its maximal subpart covers (what one U+FFFD replaces).
std::size_t validSequenceAt(std::string_view in, std::size_t i, std::size_t& consumed) noexcept;
// Appends `in` to `out` with every invalid UTF-8 sequence replaced by U+FFFD (WHATWG's
// decoder: one U+FFFD per maximal subpart). A truncated sequence at the end is replaced too.
void appendUtf8Replacing(std::string_view in, std::string& out);
// Whether `in` is valid UTF-8 throughout (with AVX2 or SSSE3 where the CPU has it).
bool isValidUtf8(std::string_view in) noexcept;
// The portable check isValidUtf8 falls back on, for the tests that compare the two.
bool isValidUtf8ScalarForTesting(std::string_view in) noexcept;
// Every vector form of the check this CPU can run (name, function), for the same tests: the
// one isValidUtf8 picks and those it would pick on a CPU with fewer extensions.
struct Utf8CheckForTesting {
  const char* name;
  bool (*check)(std::string_view) noexcept;
};
std::vector<Utf8CheckForTesting> vectorUtf8ChecksForTesting();

}  // namespace vow::internal
