// vow::Buffer: Node's Buffer, bytes with shared storage.
//
//   vow::Buffer data = co_await vow::fs::promises::readFile("a.bin");  // no encoding: bytes
//   std::printf("%zu bytes, first %d\n", data.length(), data[0]);
//   std::cout << data.subarray(0, 4) << "\n";                         // <Buffer 89 50 4e 47>
//   std::string text = data.toString();                                // utf8, as Node
//
// A Buffer is a handle, as a JS Buffer is an object reference: copying it shares the bytes (a
// reference count bump), so passing one through then(), all() or a lambda capture never copies
// them; a write through one copy is seen by every other. subarray() shares the memory too.
// Buffer::from() and concat() copy, as in Node. The count is atomic: a Buffer may be handed to
// another thread (a pool job fills one and the loop thread gets it).
//
// Encodings are Node's names, case-insensitive: "utf8" ("utf-8"), "hex", "base64",
// "base64url", "latin1" ("binary"), "ascii", "utf16le" ("utf-16le", "ucs2", "ucs-2"). C++
// strings are UTF-8: toString() returns UTF-8 text, and from() reads its string as UTF-8 for
// the encodings that take characters (latin1, ascii, utf16le), as JS would read the string
// that the UTF-8 text spells. An unknown encoding throws vow::TypeError ERR_UNKNOWN_ENCODING
// ("Unknown encoding: x"), as Node's toString and from do.
#pragma once

#include <atomic>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace vow {

// An encoding's name as Node takes it ("utf8", "hex", ...): a parameter type only, it views the
// string it was given. An unknown name is kept (valid() is false) and fails where it is used,
// with the error the using function gives in Node.
class BufferEncoding {
 public:
  enum class Kind : std::uint8_t {
    kUnknown,
    kUtf8,
    kHex,
    kBase64,
    kBase64Url,
    kLatin1,
    kAscii,
    kUtf16le
  };
  BufferEncoding(std::string_view name) noexcept  // NOLINT: Node's "utf8"
      : name_(name), kind_(parse(name)) {}
  BufferEncoding(const char* name) noexcept  // NOLINT
      : BufferEncoding(std::string_view(name)) {}
  BufferEncoding(const std::string& name) noexcept  // NOLINT
      : BufferEncoding(std::string_view(name)) {}

  Kind kind() const noexcept { return kind_; }
  bool valid() const noexcept { return kind_ != Kind::kUnknown; }
  // The name as given.
  std::string_view name() const noexcept { return name_; }
  // Throws vow::TypeError ERR_UNKNOWN_ENCODING ("Unknown encoding: <name>") when not valid().
  void check() const;

  // Node's normalizeEncoding: the Kind of a name, kUnknown for anything else.
  static Kind parse(std::string_view name) noexcept;

 private:
  std::string_view name_;
  Kind kind_;
};

// Node: Buffer (a Uint8Array). Bytes are read and written as std::uint8_t (buf[0] is a number,
// as in JS); data() is char* for C APIs and strings.
class Buffer {
 public:
  using value_type = std::uint8_t;
  using iterator = std::uint8_t*;
  using const_iterator = const std::uint8_t*;

  // An empty buffer (Node: Buffer.alloc(0)).
  Buffer() noexcept = default;
  Buffer(const Buffer& other) noexcept
      : storage_(other.storage_), data_(other.data_), size_(other.size_) {
    retain();
  }
  Buffer(Buffer&& other) noexcept
      : storage_(std::exchange(other.storage_, nullptr)),
        data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)) {}
  Buffer& operator=(const Buffer& other) noexcept {
    Buffer(other).swap(*this);
    return *this;
  }
  Buffer& operator=(Buffer&& other) noexcept {
    Buffer(std::move(other)).swap(*this);
    return *this;
  }
  ~Buffer() { release(); }
  void swap(Buffer& other) noexcept {
    std::swap(storage_, other.storage_);
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
  }

  // Node: Buffer.alloc(size[, fill]): zero-filled (or filled with the byte).
  static Buffer alloc(std::size_t size, std::uint8_t fill = 0);
  // Node: Buffer.allocUnsafe(size): the bytes are not initialised (no zero-fill pass).
  static Buffer allocUnsafe(std::size_t size);
  // Node: Buffer.from(string[, encoding]): a copy of the string's bytes (utf8, the default), or
  // the bytes its text decodes to (hex and base64 stop at the first character they cannot
  // take, as Node's decoders do). An unknown encoding throws ERR_UNKNOWN_ENCODING.
  static Buffer from(std::string_view string, BufferEncoding encoding = "utf8");
  static Buffer from(const char* string, BufferEncoding encoding = "utf8") {
    return from(std::string_view(string), encoding);
  }
  static Buffer from(const std::string& string, BufferEncoding encoding = "utf8") {
    return from(std::string_view(string), encoding);
  }
  // Node: Buffer.from([1, 2, 3]) (each value taken modulo 256 in JS; here bytes already).
  static Buffer from(std::initializer_list<std::uint8_t> bytes);
  // Node: Buffer.from(buffer): a copy (does not share).
  static Buffer from(const Buffer& other) { return from(std::string_view(other)); }
  // Node: Buffer.concat(list[, totalLength]): a new buffer with the bytes of each in turn;
  // with totalLength, cut or zero-padded to it.
  static Buffer concat(std::span<const Buffer> list);
  static Buffer concat(std::span<const Buffer> list, std::size_t totalLength);
  static Buffer concat(std::initializer_list<Buffer> list) {
    return concat(std::span<const Buffer>(list.begin(), list.size()));
  }
  // Node: Buffer.compare(a, b): -1, 0 or 1 (bytes compared as unsigned, then lengths).
  static int compare(const Buffer& a, const Buffer& b) noexcept { return a.compare(b); }
  // Node: Buffer.isEncoding(name).
  static bool isEncoding(std::string_view name) noexcept {
    return BufferEncoding::parse(name) != BufferEncoding::Kind::kUnknown;
  }

  // Node: buf.length (also size(), for C++ ranges).
  std::size_t length() const noexcept { return size_; }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  char* data() noexcept { return data_; }
  const char* data() const noexcept { return data_; }
  // buf[i], unchecked as std::vector's operator[] (Node returns undefined past the end).
  std::uint8_t& operator[](std::size_t i) noexcept { return bytes()[i]; }
  std::uint8_t operator[](std::size_t i) const noexcept { return bytes()[i]; }
  iterator begin() noexcept { return bytes(); }
  iterator end() noexcept { return bytes() + size_; }
  const_iterator begin() const noexcept { return bytes(); }
  const_iterator end() const noexcept { return bytes() + size_; }

  // Node: buf.subarray(start, end): a view of [start, end) sharing this buffer's memory. A
  // negative index counts from the end; indexes are clamped to [0, length]; end <= start gives
  // an empty buffer.
  Buffer subarray(std::int64_t start = 0,
                  std::int64_t end = std::numeric_limits<std::int64_t>::max()) const noexcept;
  // Node: buf.slice(start, end) (deprecated there): subarray.
  Buffer slice(std::int64_t start = 0,
               std::int64_t end = std::numeric_limits<std::int64_t>::max()) const noexcept {
    return subarray(start, end);
  }

  // Node: buf.toString([encoding[, start[, end]]]): the bytes of [start, end) decoded, as UTF-8
  // text. utf8 replaces each invalid sequence by U+FFFD exactly as Node (the WHATWG decoder);
  // utf16le writes a lone surrogate as U+FFFD (what Node prints for it). start < 0 counts as
  // 0 (not from the end, unlike subarray), end past the length as the length. An unknown
  // encoding throws ERR_UNKNOWN_ENCODING.
  std::string toString(BufferEncoding encoding = "utf8", std::int64_t start = 0,
                       std::int64_t end = std::numeric_limits<std::int64_t>::max()) const;

  // Node: buf.equals(other), buf.compare(other).
  bool equals(const Buffer& other) const noexcept { return compare(other) == 0; }
  int compare(const Buffer& other) const noexcept;

  // The bytes as a string_view (no copy), so a Buffer passes where text or data is taken
  // (fs::writeFile, std::string's constructor, ==).
  operator std::string_view() const noexcept {  // NOLINT: a Buffer is its bytes
    return std::string_view(data_, size_);
  }

  friend bool operator==(const Buffer& a, const Buffer& b) noexcept { return a.equals(b); }
  friend bool operator==(const Buffer& a, std::string_view b) noexcept {
    return std::string_view(a) == b;
  }

  // How many Buffers share this one's storage (1 for a sole owner, 0 for an empty buffer): for
  // tests that check that bytes were shared, not copied.
  long use_count() const noexcept {  // NOLINT(runtime/int): std::shared_ptr's type
    return storage_ == nullptr ? 0 : static_cast<long>(storage_->refs.load());  // NOLINT
  }

 private:
  // One allocation: this header, then the bytes.
  struct Storage {
    std::atomic<std::size_t> refs;
    std::size_t capacity;
    char* bytes() noexcept { return reinterpret_cast<char*>(this + 1); }
  };
  Buffer(Storage* storage, char* data, std::size_t size) noexcept
      : storage_(storage), data_(data), size_(size) {}
  std::uint8_t* bytes() noexcept { return reinterpret_cast<std::uint8_t*>(data_); }
  const std::uint8_t* bytes() const noexcept {
    return reinterpret_cast<const std::uint8_t*>(data_);
  }
  void retain() noexcept {
    if (storage_ != nullptr) storage_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  void release() noexcept;

  Storage* storage_ = nullptr;
  char* data_ = nullptr;
  std::size_t size_ = 0;
};

// Node's console.log(buf): "<Buffer 68 65 6c 6c 6f>", the first 50 bytes then
// " ... N more bytes".
std::ostream& operator<<(std::ostream& os, const Buffer& buffer);

namespace internal {
// The first `size` bytes of `buffer` (shrinking in place: for readers that allocated the size
// a file claimed and read fewer bytes).
inline void shrinkBuffer(Buffer& buffer, std::size_t size) noexcept {
  if (size < buffer.size()) buffer = buffer.subarray(0, static_cast<std::int64_t>(size));
}
// Makes `buffer` at least `size` bytes long, keeping its first `keep` bytes: a new allocation
// (twice the old size, or `size`) and one copy, for readers that do not know the length ahead.
void growBuffer(Buffer& buffer, std::size_t keep, std::size_t size);
// Node's utf8 decoding of bytes into UTF-8 text: a copy when they are valid, else each invalid
// sequence replaced by U+FFFD as the WHATWG decoder (and V8) does.
std::string decodeUtf8(std::string_view bytes);
// buf.toString(encoding) of all of `bytes`; `kind` must not be kUnknown.
std::string decode(std::string_view bytes, BufferEncoding::Kind kind);
}  // namespace internal

}  // namespace vow
