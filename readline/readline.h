// vow::readline: Node's readline module for reading a stream line by line (no terminal: the
// editing keys, prompts and history of a TTY are not ported).
//
//   auto rl = vow::readline::createInterface(
//       {.input = vow::fs::createReadStream("app.log"), .crlfDelay = vow::readline::kInfinity});
//   rl->on("line", [](const std::string& line) { ... });
//   rl->on("close", [] { ... });
//
// or, the common form (Node: `for await (const line of rl)`), in a coroutine:
//
//   auto it = rl->asyncIterator();
//   while (std::optional<std::string> line = co_await it.next()) { ... }
//
// The input is any readable that emits "data"(vow::Buffer chunk), "end", "error"(vow::Error)
// and "close", and has pause() and resume(), held by std::shared_ptr (fs::ReadStream, or a
// stream of //stream). The interface uses those public events only, as Node's does.
#pragma once

#include <cstddef>
#include <deque>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include "vow/buffer/buffer.h"
#include "vow/loop/abort_controller.h"
#include "vow/loop/event_emitter.h"
#include "vow/promise/error.h"
#include "vow/promise/promise.h"

namespace vow::readline {

// JavaScript's Infinity, for crlfDelay.
inline constexpr double kInfinity = std::numeric_limits<double>::infinity();

class Interface;

namespace internal {

// Node's StringDecoder('utf8') as readline uses it: complete characters pass through
// unchanged, each maximal invalid sequence becomes U+FFFD (as V8 decodes), and an incomplete
// character at the end of a chunk waits for the next chunk (Node's utf8CheckIncomplete).
class Utf8Decoder {
 public:
  // The text of `chunk`: a view of `chunk` itself when it needs no change (the common case),
  // else of `storage`, which the decoded text is written into.
  std::string_view write(std::string_view chunk, std::string& storage);

 private:
  char held_[4] = {};
  std::size_t held_size_ = 0;
  std::size_t held_need_ = 0;  // the held character's full length
};

// The input readable behind a type-erased face: attach() adds the interface's listeners
// ('data', 'end', 'error', 'close'), detach() removes them.
class Input {
 public:
  virtual ~Input() = default;
  virtual void attach(const std::shared_ptr<Interface>& rl) = 0;
  virtual void detach() = 0;
  virtual void pause() = 0;
  virtual void resume() = 0;
};

template <class R>
class InputOf final : public Input {
 public:
  explicit InputOf(std::shared_ptr<R> stream) : stream_(std::move(stream)) {}
  void attach(const std::shared_ptr<Interface>& rl) override;
  void detach() override {
    if (!attached_) return;
    attached_ = false;
    // Node removes 'data', 'error' and 'end' (onSelfCloseWithoutTerminal).
    stream_->off("data", data_);
    stream_->off("error", error_);
    stream_->off("end", end_);
    stream_->off("close", close_);
  }
  void pause() override { stream_->pause(); }
  void resume() override { stream_->resume(); }

 private:
  std::shared_ptr<R> stream_;
  EventEmitter::ListenerId data_ = 0, error_ = 0, end_ = 0, close_ = 0;
  bool attached_ = false;
};

struct LineQueue;

}  // namespace internal

// Node: the `input` of readline.createInterface: any readable held by std::shared_ptr (see the
// header comment). Converts implicitly, so `{.input = fs::createReadStream(path)}` works.
class Input {
 public:
  Input() = default;
  template <class R>
  Input(std::shared_ptr<R> stream)  // NOLINT(google-explicit-constructor): Node's {input}
      : impl_(std::make_shared<internal::InputOf<R>>(std::move(stream))) {}
  explicit operator bool() const noexcept { return impl_ != nullptr; }

 private:
  friend class Interface;
  std::shared_ptr<internal::Input> impl_;
};

// Node: readline.createInterface's options (those that apply without a terminal).
struct InterfaceOptions {
  Input input;
  // Node: crlfDelay (ms): a '\r' ending one chunk and a '\n' starting the next one, at most
  // this far apart, are one line break. Node takes max(100, crlfDelay); kInfinity (what Node's
  // docs advise for files) joins them always.
  double crlfDelay = 100;
  // Node: signal: aborting closes the interface (already aborted: on the next tick).
  AbortSignalRef signal;
};

// Node: rl[Symbol.asyncIterator]() (events.on(rl, 'line', {close: ['close'], highWaterMark:
// 1024})): a handle to the interface's one line queue; copies share it. next() resolves to the
// next line, or std::nullopt once the interface closed and every queued line was taken; an
// 'error' on the interface rejects the next next() once, then the iterator is done. More than
// 1024 unconsumed lines pause the interface (and its input); taking the last one resumes it.
// return_() stops listening and resolves to std::nullopt; it does not close the interface
// (Node v20's does not either), and lines queued before it are still yielded by next().
class LineIterator {
 public:
  LineIterator() = default;
  // Node: iterator.next(): a promise already resolved when a line is queued (one tick to
  // co_await), else pending until the next 'line', 'close' or 'error'.
  Promise<std::optional<std::string>> next() const;
  // Node: iterator.return(): stops listening; resolves to std::nullopt (done).
  Promise<std::optional<std::string>> return_() const;
  // The iterator itself (JS: iterator[Symbol.asyncIterator]() returns this).
  LineIterator asyncIterator() const { return *this; }

 private:
  friend class Interface;
  explicit LineIterator(std::shared_ptr<internal::LineQueue> queue) : queue_(std::move(queue)) {}
  std::shared_ptr<internal::LineQueue> queue_;
};

// Node: readline.Interface. An EventEmitter with events "line"(std::string) for every line,
// without its line break; "close"() once, after the input ended (the last unterminated line is
// emitted first) or close() was called; "pause"() and "resume"(); "error"(vow::Error) when the
// input emits one (the interface stays open, as Node's). Every event is emitted synchronously
// from the input's events (or the call that causes it), on the loop thread.
//
// Lifetime: the input's listeners hold the interface, as Node's closures do, so it needs no
// other owner while the input flows; they are removed when the interface closes (at the end of
// the input, or close()) and when the input emits 'close'. An interface over an input that
// never ends nor closes lives until close() (Node's garbage collector would take both).
//
// Lines end at "\n", "\r\n" or a lone "\r"; a chunk ending in "\r" followed by a chunk starting
// with "\n" is one break within crlfDelay. Input bytes are decoded as UTF-8 as Node does
// (invalid sequences become U+FFFD), so lines are exactly Node's strings, UTF-8 encoded.
class Interface final : public EventEmitter, public std::enable_shared_from_this<Interface> {
 public:
  // Use createInterface.
  Interface(Input input, double crlfDelay);
  ~Interface() override;

  // Node: rl.close(): pauses the input, emits "close", stops listening to the input. Lines of
  // the chunk being split when it is called are still emitted (Node's loop goes on too).
  void close();
  // Node: rl.pause() / rl.resume(): pauses / resumes the input; emit "pause" / "resume" when the
  // state changes.
  void pause();
  void resume();
  // Node: rl.write(data): as if `data` came from the input (resumes a paused interface).
  void write(std::string_view data);
  // Node: rl.closed, rl.paused.
  bool closed() const noexcept { return closed_; }
  bool paused() const noexcept { return paused_; }
  // Node: rl.crlfDelay (the effective value, at least 100).
  double crlfDelay() const noexcept { return crlf_delay_; }

  // Node: rl[Symbol.asyncIterator](): the interface's line iterator, made on the first call
  // (later calls return the same one, as Node's).
  LineIterator asyncIterator();

 private:
  friend std::shared_ptr<Interface> createInterface(InterfaceOptions options);
  template <class R>
  friend class internal::InputOf;
  friend struct internal::LineQueue;

  void start(const AbortSignal& signal);
  // A chunk's bytes are decoded as UTF-8, as Node's StringDecoder does with a Buffer.
  void onData(const Buffer& chunk);
  void onEnd();
  void onInputError(const Error& err);
  void onInputClose();
  // Node's [kNormalWrite]: decodes and splits a chunk.
  void normalWrite(std::string_view chunk);
  // Whether the async iterator's queue is the only 'line' listener.
  bool onlyTheIteratorListens() const;
  void detachInput();

  Input input_;
  double crlf_delay_;
  internal::Utf8Decoder decoder_;
  std::string line_buffer_;
  bool saw_return_ = false;
  double saw_return_at_ = 0;  // ms (steady clock)
  bool closed_ = false;
  bool paused_ = false;
  bool input_attached_ = false;
  EventEmitter::ListenerId self_close_ = 0;
  std::shared_ptr<internal::LineQueue> lines_;  // the async iterator's queue, once asked for
  // The 'line' event's argument, reused from line to line (its string keeps its capacity, so
  // a line costs no allocation); busy while an emit runs over it (a listener calling write()
  // emits its lines with their own strings).
  std::tuple<std::string> line_event_;
  bool line_event_busy_ = false;
  AbortListener abort_;
};

// Node: readline.createInterface({input, crlfDelay, signal}). Starts the input flowing
// (input.on('data') and input.resume()); throws vow::TypeError ERR_INVALID_ARG_VALUE without an
// input.
std::shared_ptr<Interface> createInterface(InterfaceOptions options);

// ---------------------------------------------------------------------------------------------
// Implementation details.

template <class R>
void internal::InputOf<R>::attach(const std::shared_ptr<Interface>& rl) {
  attached_ = true;
  // The listeners hold the interface, as Node's closures do (the input keeps it alive while it
  // flows); closing the interface, or the input's 'close', removes them.
  error_ = stream_->on("error", [rl](const Error& err) { rl->onInputError(err); });
  data_ = stream_->on("data", [rl](const Buffer& chunk) { rl->onData(chunk); });
  end_ = stream_->on("end", [rl] { rl->onEnd(); });
  close_ = stream_->on("close", [rl] { rl->onInputClose(); });
}

}  // namespace vow::readline
