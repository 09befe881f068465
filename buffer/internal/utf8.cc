// UTF-8 as Node reads bytes (utf8.h): the WHATWG decoder's grammar once, the fast check, and
// the replacement of invalid sequences. Shared by Buffer's utf8 decoding and readline.
#include "vow/buffer/internal/utf8.h"

#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__)
#include <immintrin.h>
#include <tmmintrin.h>
#endif

namespace vow::internal {
namespace {

// How many bytes a UTF-8 sequence starting with `lead` has (0: not a lead byte).
int sequenceLength(unsigned char lead) noexcept {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

// The valid range of the byte after `lead` (WHATWG: E0 A0..BF, ED 80..9F, F0 90..BF, F4 80..8F).
void secondByteRange(unsigned char lead, unsigned char& lo, unsigned char& hi) noexcept {
  lo = 0x80;
  hi = 0xBF;
  if (lead == 0xE0) lo = 0xA0;
  if (lead == 0xED) hi = 0x9F;
  if (lead == 0xF0) lo = 0x90;
  if (lead == 0xF4) hi = 0x8F;
}

}  // namespace

std::size_t validSequenceAt(std::string_view in, std::size_t i, std::size_t& consumed) noexcept {
  const auto lead = static_cast<unsigned char>(in[i]);
  const int len = sequenceLength(lead);
  if (len == 0) {
    consumed = 1;
    return 0;
  }
  unsigned char lo, hi;
  secondByteRange(lead, lo, hi);
  std::size_t j = i + 1;
  for (int k = 1; k < len; ++k, ++j) {
    if (j >= in.size()) {
      consumed = j - i;
      return 0;
    }
    const auto c = static_cast<unsigned char>(in[j]);
    if (c < lo || c > hi) {
      consumed = j - i;
      return 0;
    }
    lo = 0x80;
    hi = 0xBF;
  }
  consumed = static_cast<std::size_t>(len);
  return consumed;
}

namespace {

constexpr char kReplacement[] = "\xEF\xBF\xBD";

// How many bytes from `p` (at most `n`) are ASCII, 16 at a time.
std::size_t asciiPrefix(const char* p, std::size_t n) noexcept {
  std::size_t i = 0;
#if defined(__SSE2__)
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const int mask = _mm_movemask_epi8(v);
    if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  while (i < n && static_cast<unsigned char>(p[i]) < 0x80) ++i;
  return i;
}

}  // namespace

namespace {

// The scalar check, from `i` on.
bool isValidUtf8Scalar(std::string_view in, std::size_t i) noexcept {
  const std::size_t n = in.size();
  while (true) {
    i += asciiPrefix(in.data() + i, n - i);
    if (i >= n) return true;
    // The common 2- and 3-byte characters inline, the rest by the general check.
    const auto c = static_cast<unsigned char>(in[i]);
    if (c >= 0xC2 && c <= 0xDF) {
      if (i + 1 < n && (static_cast<unsigned char>(in[i + 1]) & 0xC0) == 0x80) {
        i += 2;
        continue;
      }
      return false;
    }
    if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
      if (i + 2 < n && (static_cast<unsigned char>(in[i + 1]) & 0xC0) == 0x80 &&
          (static_cast<unsigned char>(in[i + 2]) & 0xC0) == 0x80) {
        i += 3;
        continue;
      }
      return false;
    }
    std::size_t consumed;
    if (validSequenceAt(in, i, consumed) == 0) return false;
    i += consumed;
  }
}

#if defined(__x86_64__)
// Keiser and Lemire's UTF-8 check ("Validating UTF-8 In Less Than One Instruction Per Byte",
// 2021; simdjson's "lookup" algorithm), 16 bytes at a time with SSSE3: three table lookups
// classify each byte pair's errors, and a byte 2 or 3 after a 3- or 4-byte lead must be a
// continuation. Used when the CPU has SSSE3 (checked once).
constexpr std::uint8_t kTooShort = 1 << 0;
constexpr std::uint8_t kTooLong = 1 << 1;
constexpr std::uint8_t kOverlong3 = 1 << 2;
constexpr std::uint8_t kTooLarge = 1 << 3;
constexpr std::uint8_t kSurrogate = 1 << 4;
constexpr std::uint8_t kOverlong2 = 1 << 5;
constexpr std::uint8_t kTooLarge1000 = 1 << 6;
constexpr std::uint8_t kOverlong4 = 1 << 6;
constexpr std::uint8_t kTwoConts = 1 << 7;
constexpr std::uint8_t kCarry = kTooShort | kTooLong | kTwoConts;

constexpr std::uint8_t kLarge = kCarry | kTooLarge | kTooLarge1000;
constexpr std::uint8_t kCont = kTooLong | kOverlong2 | kTwoConts;
// The three lookup tables, indexed by a nibble: the previous byte's high and low nibbles, this
// byte's high nibble. Shared by the SSSE3 and AVX2 forms (AVX2 repeats them in both halves).
alignas(16) constexpr std::uint8_t kByte1High[16] = {
    kTooLong,
    kTooLong,
    kTooLong,
    kTooLong,
    kTooLong,
    kTooLong,
    kTooLong,
    kTooLong,
    kTwoConts,
    kTwoConts,
    kTwoConts,
    kTwoConts,
    kTooShort | kOverlong2,
    kTooShort,
    kTooShort | kOverlong3 | kSurrogate,
    kTooShort | kTooLarge | kTooLarge1000 | kOverlong4};
alignas(16) constexpr std::uint8_t kByte1Low[16] = {kCarry | kOverlong3 | kOverlong2 | kOverlong4,
                                                    kCarry | kOverlong2,
                                                    kCarry,
                                                    kCarry,
                                                    kCarry | kTooLarge,
                                                    kLarge,
                                                    kLarge,
                                                    kLarge,
                                                    kLarge,
                                                    kLarge,
                                                    kLarge,
                                                    kLarge,
                                                    kLarge,
                                                    kLarge | kSurrogate,
                                                    kLarge,
                                                    kLarge};
alignas(16) constexpr std::uint8_t kByte2High[16] = {
    kTooShort,
    kTooShort,
    kTooShort,
    kTooShort,
    kTooShort,
    kTooShort,
    kTooShort,
    kTooShort,
    kCont | kOverlong3 | kTooLarge1000 | kOverlong4,
    kCont | kOverlong3 | kTooLarge,
    kCont | kSurrogate | kTooLarge,
    kCont | kSurrogate | kTooLarge,
    kTooShort,
    kTooShort,
    kTooShort,
    kTooShort};

__attribute__((target("ssse3"))) __m128i table(const std::uint8_t (&t)[16]) {
  return _mm_load_si128(reinterpret_cast<const __m128i*>(t));
}

__attribute__((target("ssse3"))) bool isValidUtf8Ssse3(std::string_view in) noexcept {
  const __m128i byte_1_high = table(kByte1High);
  const __m128i byte_1_low = table(kByte1Low);
  const __m128i byte_2_high = table(kByte2High);
  const __m128i low_nibble = _mm_set1_epi8(0x0F);
  // Bytes that leave a character unfinished at the end of a block: the last three positions.
  const __m128i incomplete_max =
      _mm_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, static_cast<char>(0xF0 - 1),
                    static_cast<char>(0xE0 - 1), static_cast<char>(0xC0 - 1));
  __m128i error = _mm_setzero_si128();
  __m128i prev_input = _mm_setzero_si128();
  __m128i prev_incomplete = _mm_setzero_si128();
  auto step = [&](__m128i input) __attribute__((target("ssse3"))) {
    if (_mm_movemask_epi8(input) == 0) {
      error = _mm_or_si128(error, prev_incomplete);
      prev_incomplete = _mm_setzero_si128();
    } else {
      const __m128i prev1 = _mm_alignr_epi8(input, prev_input, 15);
      const __m128i b1h =
          _mm_shuffle_epi8(byte_1_high, _mm_and_si128(_mm_srli_epi16(prev1, 4), low_nibble));
      const __m128i b1l = _mm_shuffle_epi8(byte_1_low, _mm_and_si128(prev1, low_nibble));
      const __m128i b2h =
          _mm_shuffle_epi8(byte_2_high, _mm_and_si128(_mm_srli_epi16(input, 4), low_nibble));
      const __m128i special = _mm_and_si128(_mm_and_si128(b1h, b1l), b2h);
      const __m128i prev2 = _mm_alignr_epi8(input, prev_input, 14);
      const __m128i prev3 = _mm_alignr_epi8(input, prev_input, 13);
      const __m128i third = _mm_subs_epu8(prev2, _mm_set1_epi8(static_cast<char>(0xE0 - 0x80)));
      const __m128i fourth = _mm_subs_epu8(prev3, _mm_set1_epi8(static_cast<char>(0xF0 - 0x80)));
      const __m128i must23_80 =
          _mm_and_si128(_mm_or_si128(third, fourth), _mm_set1_epi8(static_cast<char>(0x80)));
      error = _mm_or_si128(error, _mm_xor_si128(must23_80, special));
      prev_incomplete = _mm_subs_epu8(input, incomplete_max);
    }
    prev_input = input;
  };
  std::size_t i = 0;
  for (; i + 16 <= in.size(); i += 16) {
    step(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in.data() + i)));
  }
  if (i < in.size()) {
    alignas(16) char tail[16] = {};
    std::memcpy(tail, in.data() + i, in.size() - i);
    step(_mm_load_si128(reinterpret_cast<const __m128i*>(tail)));
  }
  step(_mm_setzero_si128());  // a character unfinished at the end is an error
  return _mm_movemask_epi8(_mm_cmpeq_epi8(error, _mm_setzero_si128())) == 0xFFFF;
}

// The same check 32 bytes at a time with AVX2. Its shuffles and byte shifts work within each
// 16-byte half, so the bytes before each position come from the previous block's upper half
// joined to this block's lower half (one permute), then a shift within the halves.
__attribute__((target("avx2"))) __m256i table256(const std::uint8_t (&t)[16]) {
  return _mm256_broadcastsi128_si256(_mm_load_si128(reinterpret_cast<const __m128i*>(t)));
}

__attribute__((target("avx2"))) bool isValidUtf8Avx2(std::string_view in) noexcept {
  const __m256i byte_1_high = table256(kByte1High);
  const __m256i byte_1_low = table256(kByte1Low);
  const __m256i byte_2_high = table256(kByte2High);
  const __m256i low_nibble = _mm256_set1_epi8(0x0F);
  __m256i error = _mm256_setzero_si256();
  __m256i prev_input = _mm256_setzero_si256();
  // No shortcut for ASCII blocks (the SSSE3 form has one): in text that mixes ASCII and other
  // characters, which block is which is unpredictable, and the mispredicted branch cost more
  // than the whole check of a block (readline_100mb: 45% of this function's time).
  auto step = [&](__m256i input) __attribute__((target("avx2"))) {
    {
      // [previous block's upper half, this block's lower half]
      const __m256i joined = _mm256_permute2x128_si256(prev_input, input, 0x21);
      const __m256i prev1 = _mm256_alignr_epi8(input, joined, 15);
      const __m256i b1h = _mm256_shuffle_epi8(
          byte_1_high, _mm256_and_si256(_mm256_srli_epi16(prev1, 4), low_nibble));
      const __m256i b1l = _mm256_shuffle_epi8(byte_1_low, _mm256_and_si256(prev1, low_nibble));
      const __m256i b2h = _mm256_shuffle_epi8(
          byte_2_high, _mm256_and_si256(_mm256_srli_epi16(input, 4), low_nibble));
      const __m256i special = _mm256_and_si256(_mm256_and_si256(b1h, b1l), b2h);
      const __m256i prev2 = _mm256_alignr_epi8(input, joined, 14);
      const __m256i prev3 = _mm256_alignr_epi8(input, joined, 13);
      const __m256i third =
          _mm256_subs_epu8(prev2, _mm256_set1_epi8(static_cast<char>(0xE0 - 0x80)));
      const __m256i fourth =
          _mm256_subs_epu8(prev3, _mm256_set1_epi8(static_cast<char>(0xF0 - 0x80)));
      const __m256i must23_80 = _mm256_and_si256(_mm256_or_si256(third, fourth),
                                                 _mm256_set1_epi8(static_cast<char>(0x80)));
      error = _mm256_or_si256(error, _mm256_xor_si256(must23_80, special));
    }
    prev_input = input;
  };
  std::size_t i = 0;
  for (; i + 32 <= in.size(); i += 32) {
    step(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(in.data() + i)));
  }
  if (i < in.size()) {
    alignas(32) char tail[32] = {};
    std::memcpy(tail, in.data() + i, in.size() - i);
    step(_mm256_load_si256(reinterpret_cast<const __m256i*>(tail)));
  }
  step(_mm256_setzero_si256());  // a character unfinished at the end is an error
  return _mm256_testz_si256(error, error) != 0;
}

const bool kHaveSsse3 = __builtin_cpu_supports("ssse3");
const bool kHaveAvx2 = __builtin_cpu_supports("avx2");
#endif

}  // namespace

bool isValidUtf8(std::string_view in) noexcept {
#if defined(__x86_64__)
  if (kHaveAvx2) return isValidUtf8Avx2(in);
  if (kHaveSsse3) return isValidUtf8Ssse3(in);
#endif
  return isValidUtf8Scalar(in, 0);
}

bool isValidUtf8ScalarForTesting(std::string_view in) noexcept { return isValidUtf8Scalar(in, 0); }

std::vector<Utf8CheckForTesting> vectorUtf8ChecksForTesting() {
  std::vector<Utf8CheckForTesting> checks;
#if defined(__x86_64__)
  if (kHaveAvx2) checks.push_back({"avx2", &isValidUtf8Avx2});
  if (kHaveSsse3) checks.push_back({"ssse3", &isValidUtf8Ssse3});
#endif
  return checks;
}

void appendUtf8Replacing(std::string_view in, std::string& out) {
  std::size_t i = 0;
  while (i < in.size()) {
    const std::size_t start = i;
    // A run of valid characters is copied at once.
    while (i < in.size()) {
      if (static_cast<unsigned char>(in[i]) < 0x80) {
        ++i;
        continue;
      }
      std::size_t consumed;
      if (validSequenceAt(in, i, consumed) == 0) break;
      i += consumed;
    }
    out.append(in.data() + start, i - start);
    if (i < in.size()) {
      std::size_t consumed;
      validSequenceAt(in, i, consumed);
      out.append(kReplacement, 3);
      i += consumed;
    }
  }
}

}  // namespace vow::internal
