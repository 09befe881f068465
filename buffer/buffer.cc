#include "vow/buffer/buffer.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <mutex>
#include <new>
#include <ostream>
#include <string>
#include <vector>

#include "vow/buffer/internal/utf8.h"
#include "vow/promise/error.h"
#include "vow/promise/internal/exceptions.h"

namespace vow {
namespace {

using Kind = BufferEncoding::Kind;

bool equalsLower(std::string_view name, std::string_view lower) noexcept {
  if (name.size() != lower.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

// Appends code point `cp` as UTF-8.
void appendUtf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

constexpr std::uint32_t kReplacement = 0xFFFD;

// The WHATWG UTF-8 decoder, one step: the code point at s[i] (advancing i past it), or
// kReplacement for a maximal invalid subpart (i advanced past that subpart only, so the byte
// that broke a sequence starts the next step). V8's decoder, so Node's toString, does this.
std::uint32_t nextCodePoint(std::string_view s, std::size_t& i) noexcept {
  std::size_t consumed;
  const std::size_t length = internal::validSequenceAt(s, i, consumed);
  const auto* b = reinterpret_cast<const unsigned char*>(s.data()) + i;
  i += consumed;
  switch (length) {
    case 1:
      return b[0];
    case 2:
      return (b[0] & 0x1Fu) << 6 | (b[1] & 0x3Fu);
    case 3:
      return (b[0] & 0x0Fu) << 12 | (b[1] & 0x3Fu) << 6 | (b[2] & 0x3Fu);
    case 4:
      return (b[0] & 0x07u) << 18 | (b[1] & 0x3Fu) << 12 | (b[2] & 0x3Fu) << 6 | (b[3] & 0x3Fu);
    default:
      return kReplacement;
  }
}

// JS's view of UTF-8 text: its UTF-16 code units, each passed to `unit`. Invalid bytes read as
// U+FFFD (a C++ string is not checked to be valid UTF-8; a JS string always is).
template <class F>
void forEachUtf16Unit(std::string_view text, F&& unit) {
  std::size_t i = 0;
  while (i < text.size()) {
    const std::uint32_t cp = nextCodePoint(text, i);
    if (cp >= 0x10000) {
      unit(static_cast<std::uint16_t>(0xD800 + ((cp - 0x10000) >> 10)));
      unit(static_cast<std::uint16_t>(0xDC00 + ((cp - 0x10000) & 0x3FF)));
    } else {
      unit(static_cast<std::uint16_t>(cp));
    }
  }
}

int hexValue(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Both alphabets (Node's decoder takes '+' '/' and '-' '_' alike); 64 for anything else.
int base64Value(char c) noexcept {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return 64;
}

// Node's base64_decoded_size: what it allocates (and so the most it writes), from the raw
// length less up to two trailing '='.
std::size_t base64DecodedSize(std::string_view s) noexcept {
  std::size_t n = s.size();
  if (n < 2) return 0;
  if (s[n - 1] == '=') {
    --n;
    if (s[n - 1] == '=') --n;
  }
  static constexpr std::size_t kRemainder[4] = {0, 0, 1, 2};
  return n > 1 ? (n / 4) * 3 + kRemainder[n % 4] : 0;
}

// Node's base64 decoder: characters outside the alphabet (whitespace, '!') are skipped, '='
// ends the input, a group of two or three characters gives one or two bytes.
std::size_t decodeBase64(std::string_view s, char* out, std::size_t cap) noexcept {
  std::size_t k = 0;
  std::uint32_t acc = 0;
  int have = 0;
  for (char c : s) {
    const int v = base64Value(c);
    if (v == 64) {
      if (c == '=') break;
      continue;
    }
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    if (++have == 4) {
      for (int shift = 16; shift >= 0; shift -= 8) {
        if (k >= cap) return k;
        out[k++] = static_cast<char>((acc >> shift) & 0xFF);
      }
      acc = 0;
      have = 0;
    }
  }
  if (have >= 2 && k < cap) out[k++] = static_cast<char>((acc >> (6 * have - 8)) & 0xFF);
  if (have == 3 && k < cap) out[k++] = static_cast<char>((acc >> (6 * have - 16)) & 0xFF);
  return k;
}

std::string encodeBase64(std::string_view bytes, bool url) {
  const char* alphabet = url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                             : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  std::string out;
  out.reserve((n + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    const std::uint32_t v = (s[i] << 16) | (s[i + 1] << 8) | s[i + 2];
    out.push_back(alphabet[v >> 18]);
    out.push_back(alphabet[(v >> 12) & 63]);
    out.push_back(alphabet[(v >> 6) & 63]);
    out.push_back(alphabet[v & 63]);
  }
  if (i < n) {
    const std::uint32_t v = (s[i] << 16) | (i + 1 < n ? s[i + 1] << 8 : 0);
    out.push_back(alphabet[v >> 18]);
    out.push_back(alphabet[(v >> 12) & 63]);
    if (i + 1 < n) out.push_back(alphabet[(v >> 6) & 63]);
    if (!url) out.append(i + 1 < n ? 1 : 2, '=');  // base64url has no padding, as Node's
  }
  return out;
}

// Node's clamping of subarray's indexes: negative counts from the end, then [0, length].
std::size_t clampRelative(std::int64_t index, std::size_t length) noexcept {
  const auto len = static_cast<std::int64_t>(length);
  if (index < 0) index = std::max<std::int64_t>(index + len, 0);
  return static_cast<std::size_t>(std::min(index, len));
}

}  // namespace

BufferEncoding::Kind BufferEncoding::parse(std::string_view name) noexcept {
  struct Name {
    std::string_view name;
    Kind kind;
  };
  static constexpr Name kNames[] = {
      {"utf8", Kind::kUtf8},        {"utf-8", Kind::kUtf8},          {"hex", Kind::kHex},
      {"base64", Kind::kBase64},    {"base64url", Kind::kBase64Url}, {"latin1", Kind::kLatin1},
      {"binary", Kind::kLatin1},    {"ascii", Kind::kAscii},         {"utf16le", Kind::kUtf16le},
      {"utf-16le", Kind::kUtf16le}, {"ucs2", Kind::kUtf16le},        {"ucs-2", Kind::kUtf16le},
  };
  for (const Name& n : kNames) {
    if (equalsLower(name, n.name)) return n.kind;
  }
  return Kind::kUnknown;
}

void BufferEncoding::check() const {
  if (!valid()) {
    VOW_THROW(TypeError("Unknown encoding: " + std::string(name_), "ERR_UNKNOWN_ENCODING"));
  }
}

namespace {

// Freed storage of small buffers, kept for the next allocUnsafe of the same size class.
//
// Why: Promise.all over 10,000 readFile()s keeps 10,000 buffers of a few KiB alive until it
// settles, allocated by the pool threads (each in its own glibc arena) and freed together by
// the loop thread. glibc then trims each arena's top (the heap shrinks below its trim
// threshold) and the next burst grows it again: a page fault per 4 KiB and sysmalloc were
// two thirds of fs_small_10k_parallel's CPU (260 ms a run against 80 ms with trimming off).
// JS engines keep their heaps for the same reason. A bounded cache, shared by every thread
// (buffers are made on pool threads and freed on the loop thread), keeps the blocks instead.
//
// Classes are 256-byte steps of the whole block (header included) up to 64 KiB; at most 64 MiB
// is kept; beyond, blocks go back to malloc. Off under AddressSanitizer and ThreadSanitizer,
// so a use after free of a buffer's bytes is still caught.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || defined(VOW_NO_POOL)
constexpr bool kCacheStorage = false;
#else
constexpr bool kCacheStorage = true;
#endif
constexpr std::size_t kCacheGranule = 256;
constexpr std::size_t kCacheMaxBlock = std::size_t{64} * 1024;
constexpr std::size_t kCacheMaxBytes = std::size_t{64} * 1024 * 1024;

class StorageCache {
 public:
  static constexpr std::size_t blockSize(std::size_t bytes) noexcept {
    return (bytes + kCacheGranule - 1) / kCacheGranule * kCacheGranule;
  }
  // Made once and never destroyed: buffers may be freed by threads still running at exit.
  static StorageCache& get() {
    static StorageCache* cache = new StorageCache();
    return *cache;
  }

  void* take(std::size_t block) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto& list = free_[block / kCacheGranule - 1];
      if (!list.empty()) {
        void* p = list.back();
        list.pop_back();
        bytes_ -= block;
        return p;
      }
    }
    return ::operator new(block);
  }
  void give(void* p, std::size_t block) noexcept {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (bytes_ + block <= kCacheMaxBytes) {
        auto& list = free_[block / kCacheGranule - 1];
        // push_back may allocate (the list grows to its largest burst once); if it cannot,
        // the block goes back to malloc.
        VOW_TRY {
          list.push_back(p);
          bytes_ += block;
          return;
        }
        VOW_CATCH_ALL {}
      }
    }
    ::operator delete(p);
  }

 private:
  std::mutex mu_;
  std::size_t bytes_ = 0;
  std::array<std::vector<void*>, kCacheMaxBlock / kCacheGranule> free_;
};

// The cache's block for storage of `capacity` bytes after a `header`, or 0 when such storage
// is not cached (too large, or under a sanitizer).
std::size_t cachedBlock(std::size_t header, std::size_t capacity) noexcept {
  if (!kCacheStorage || capacity > kCacheMaxBlock) return 0;
  const std::size_t block = StorageCache::blockSize(header + capacity);
  return block <= kCacheMaxBlock ? block : 0;
}

}  // namespace

void Buffer::release() noexcept {
  // The last owner frees; acquire pairs with the other owners' releases, so their writes to
  // the bytes happen before the free.
  if (storage_ != nullptr && storage_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    const std::size_t block = cachedBlock(sizeof(Storage), storage_->capacity);
    storage_->~Storage();
    if (block != 0) {
      StorageCache::get().give(storage_, block);
    } else {
      ::operator delete(storage_);
    }
  }
}

Buffer Buffer::allocUnsafe(std::size_t size) {
  if (size == 0) return Buffer();
  // Raw storage, not a std::string or vector: those would zero-fill every byte first (C++20's
  // std::string has no resize_and_overwrite), a full memory pass that readFile would then
  // overwrite.
  // (A size whose header would wrap around is refused as too large for memory.)
  if (size > std::numeric_limits<std::size_t>::max() - sizeof(Storage)) {
    VOW_THROW(std::bad_alloc());
  }
  const std::size_t block = cachedBlock(sizeof(Storage), size);
  void* raw = block != 0 ? StorageCache::get().take(block) : ::operator new(sizeof(Storage) + size);
  auto* storage = new (raw) Storage{{1}, size};
  return Buffer(storage, storage->bytes(), size);
}

Buffer Buffer::alloc(std::size_t size, std::uint8_t fill) {
  Buffer b = allocUnsafe(size);
  if (size > 0) std::memset(b.data(), fill, size);
  return b;
}

Buffer Buffer::from(std::initializer_list<std::uint8_t> bytes) {
  Buffer b = allocUnsafe(bytes.size());
  std::copy(bytes.begin(), bytes.end(), b.begin());
  return b;
}

Buffer Buffer::from(std::string_view string, BufferEncoding encoding) {
  encoding.check();
  switch (encoding.kind()) {
    case Kind::kUtf8: {
      Buffer b = allocUnsafe(string.size());
      if (!string.empty()) std::memcpy(b.data(), string.data(), string.size());
      return b;
    }
    case Kind::kHex: {
      // Node decodes pairs up to the first that is not hex; an odd last character is dropped.
      Buffer b = allocUnsafe(string.size() / 2);
      std::size_t n = 0;
      for (; n < b.size(); ++n) {
        const int hi = hexValue(string[2 * n]);
        const int lo = hexValue(string[2 * n + 1]);
        if (hi < 0 || lo < 0) break;
        b[n] = static_cast<std::uint8_t>(hi * 16 + lo);
      }
      internal::shrinkBuffer(b, n);
      return b;
    }
    case Kind::kBase64:
    case Kind::kBase64Url: {
      Buffer b = allocUnsafe(base64DecodedSize(string));
      internal::shrinkBuffer(b, decodeBase64(string, b.data(), b.size()));
      return b;
    }
    case Kind::kLatin1:
    case Kind::kAscii: {
      // One byte per UTF-16 code unit: its low byte, as Node's latin1 writer.
      std::string out;
      out.reserve(string.size());
      forEachUtf16Unit(string,
                       [&](std::uint16_t u) { out.push_back(static_cast<char>(u & 0xFF)); });
      return from(std::string_view(out));
    }
    case Kind::kUtf16le: {
      std::string out;
      out.reserve(string.size() * 2);
      forEachUtf16Unit(string, [&](std::uint16_t u) {
        out.push_back(static_cast<char>(u & 0xFF));
        out.push_back(static_cast<char>(u >> 8));
      });
      return from(std::string_view(out));
    }
    case Kind::kUnknown:
      break;
  }
  return Buffer();
}

Buffer Buffer::concat(std::span<const Buffer> list) {
  std::size_t total = 0;
  for (const Buffer& b : list) total += b.size();
  return concat(list, total);
}

Buffer Buffer::concat(std::span<const Buffer> list, std::size_t totalLength) {
  Buffer out = allocUnsafe(totalLength);
  std::size_t at = 0;
  for (const Buffer& b : list) {
    const std::size_t n = std::min(b.size(), totalLength - at);
    if (n > 0) std::memcpy(out.data() + at, b.data(), n);
    at += n;
    if (at == totalLength) break;
  }
  if (at < totalLength) std::memset(out.data() + at, 0, totalLength - at);
  return out;
}

Buffer Buffer::subarray(std::int64_t start, std::int64_t end) const noexcept {
  const std::size_t from = clampRelative(start, size_);
  const std::size_t to = std::max(from, clampRelative(end, size_));
  Buffer out(*this);
  out.data_ = data_ + from;  // (null + 0 for an empty buffer: from is 0)
  out.size_ = to - from;
  return out;
}

int Buffer::compare(const Buffer& other) const noexcept {
  const std::size_t n = std::min(size_, other.size_);
  const int c = n == 0 ? 0 : std::memcmp(data_, other.data_, n);  // unsigned bytes
  if (c != 0) return c < 0 ? -1 : 1;
  if (size_ == other.size_) return 0;
  return size_ < other.size_ ? -1 : 1;
}

std::string Buffer::toString(BufferEncoding encoding, std::int64_t start, std::int64_t end) const {
  encoding.check();
  // Node's toString clamps differently from subarray: a negative start is 0.
  const auto len = static_cast<std::int64_t>(size_);
  start = std::clamp<std::int64_t>(start, 0, len);
  end = std::clamp<std::int64_t>(end, 0, len);
  if (end <= start) return std::string();
  return internal::decode(std::string_view(data_ + start, static_cast<std::size_t>(end - start)),
                          encoding.kind());
}

namespace internal {

void growBuffer(Buffer& buffer, std::size_t keep, std::size_t size) {
  if (buffer.size() >= size) return;
  Buffer grown = Buffer::allocUnsafe(std::max(size, 2 * buffer.size()));
  if (keep > 0) std::memcpy(grown.data(), buffer.data(), keep);
  buffer = std::move(grown);
}

std::string decode(std::string_view bytes, BufferEncoding::Kind kind) {
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  std::string out;
  switch (kind) {
    case Kind::kUtf8:
      return decodeUtf8(bytes);
    case Kind::kHex: {
      static constexpr char kDigits[] = "0123456789abcdef";
      out.resize(bytes.size() * 2);
      for (std::size_t i = 0; i < bytes.size(); ++i) {
        out[2 * i] = kDigits[s[i] >> 4];
        out[2 * i + 1] = kDigits[s[i] & 15];
      }
      return out;
    }
    case Kind::kBase64:
      return encodeBase64(bytes, false);
    case Kind::kBase64Url:
      return encodeBase64(bytes, true);
    case Kind::kLatin1:
      out.reserve(bytes.size());
      for (unsigned char c : bytes) appendUtf8(out, c);
      return out;
    case Kind::kAscii:
      // Node's ascii decoder drops the high bit.
      out.reserve(bytes.size());
      for (unsigned char c : bytes) out.push_back(static_cast<char>(c & 0x7F));
      return out;
    case Kind::kUtf16le: {
      // Pairs of bytes are UTF-16 code units (an odd last byte is dropped); a surrogate pair is
      // one code point, a lone surrogate prints as U+FFFD.
      out.reserve(bytes.size());
      const std::size_t units = bytes.size() / 2;
      for (std::size_t i = 0; i < units; ++i) {
        const std::uint32_t u = s[2 * i] | (s[2 * i + 1] << 8);
        if (u >= 0xD800 && u <= 0xDBFF && i + 1 < units) {
          const std::uint32_t next = s[2 * i + 2] | (s[2 * i + 3] << 8);
          if (next >= 0xDC00 && next <= 0xDFFF) {
            appendUtf8(out, 0x10000 + ((u - 0xD800) << 10) + (next - 0xDC00));
            ++i;
            continue;
          }
        }
        appendUtf8(out, u >= 0xD800 && u <= 0xDFFF ? kReplacement : u);
      }
      return out;
    }
    case Kind::kUnknown:
      break;
  }
  return out;
}

}  // namespace internal

std::ostream& operator<<(std::ostream& os, const Buffer& buffer) {
  // Node's inspect: buffer.INSPECT_MAX_BYTES (50) bytes, then how many more.
  constexpr std::size_t kMax = 50;
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "<Buffer";
  const std::size_t shown = std::min(buffer.size(), kMax);
  for (std::size_t i = 0; i < shown; ++i) {
    out.push_back(' ');
    out.push_back(kDigits[buffer[i] >> 4]);
    out.push_back(kDigits[buffer[i] & 15]);
  }
  if (buffer.empty()) out.push_back(' ');
  if (buffer.size() > kMax) {
    const std::size_t more = buffer.size() - kMax;
    out += " ... " + std::to_string(more) + (more == 1 ? " more byte" : " more bytes");
  }
  out.push_back('>');
  return os << out;
}

namespace internal {

std::string decodeUtf8(std::string_view bytes) {
  // Valid text (the common case) is one copy; only invalid text is rewritten.
  if (isValidUtf8(bytes)) return std::string(bytes);
  std::string out;
  out.reserve(bytes.size() + 2);
  appendUtf8Replacing(bytes, out);
  return out;
}

}  // namespace internal
}  // namespace vow
