#include "vow/readline/readline.h"

#include <chrono>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "vow/buffer/internal/utf8.h"
#include "vow/loop/loop.h"
#include "vow/promise/internal/exceptions.h"

namespace vow::readline {
namespace internal {
using ::vow::internal::appendUtf8Replacing;
using ::vow::internal::isValidUtf8;

std::string_view Utf8Decoder::write(std::string_view chunk, std::string& storage) {
  std::size_t from = 0;
  bool converted = false;
  if (held_size_ > 0) {
    // Complete the held character with the continuation bytes that start this chunk (Node's
    // decoder takes only continuation bytes; a lead or ASCII byte ends it, incomplete).
    while (held_size_ < held_need_ && from < chunk.size() &&
           (static_cast<unsigned char>(chunk[from]) & 0xC0) == 0x80) {
      held_[held_size_++] = chunk[from++];
    }
    if (held_size_ < held_need_ && from == chunk.size()) return {};  // still incomplete
    appendUtf8Replacing(std::string_view(held_, held_size_), storage);
    held_size_ = held_need_ = 0;
    converted = true;
  }
  std::string_view rest = chunk.substr(from);
  // Node's utf8CheckIncomplete: look back at most 3 bytes for the lead byte of a character that
  // the chunk cuts off.
  std::size_t keep = rest.size();
  for (std::size_t back = 1; back <= 4 && back <= rest.size(); ++back) {
    const auto c = static_cast<unsigned char>(rest[rest.size() - back]);
    if ((c & 0xC0) == 0x80) {
      if (back == 4) break;  // four trailing bytes: nothing is cut off
      continue;
    }
    int need = 0;
    if ((c & 0xE0) == 0xC0) {
      need = 2;
    } else if ((c & 0xF0) == 0xE0) {
      need = 3;
    } else if ((c & 0xF8) == 0xF0) {
      need = 4;
    }
    if (need > static_cast<int>(back)) {
      keep = rest.size() - back;
      held_need_ = static_cast<std::size_t>(need);
      held_size_ = back;
      std::memcpy(held_, rest.data() + keep, back);
    }
    break;
  }
  const std::string_view body = rest.substr(0, keep);
  const bool valid = isValidUtf8(body);
  if (!converted && valid) return body;
  storage.reserve(storage.size() + body.size() + 16);
  if (valid) {
    storage.append(body);  // after the completed character held from the last chunk
  } else {
    appendUtf8Replacing(body, storage);
  }
  return storage;
}

// Node's events.on(rl, 'line', {close: ['close'], highWaterMark: 1024}) queue.
//
// Lines wait as spans of a copy of the text they came in (one Batch per chunk), and become
// strings when next() takes them: each line's string is then made and freed in turn, which
// keeps the allocator on its fast path (a chunk's ~1,000 strings made at once and freed later
// would not be). A line pushed on its own (through 'line' listeners) is a Batch of one.
struct LineQueue {
  static constexpr std::size_t kHighWaterMark = 1024;
  static constexpr std::size_t kLowWaterMark = 1;

  struct Batch {
    std::string text;
    std::vector<std::pair<std::size_t, std::size_t>> spans;  // [begin, end) in text
    std::size_t next = 0;
    std::uint64_t id = 0;
  };

  Interface* rl = nullptr;  // null once it stopped listening
  std::deque<Batch> batches;
  Batch spare;           // the last batch taken, whose storage the next chunk's batch reuses
  std::size_t size = 0;  // lines queued
  std::uint64_t next_batch_id = 1;
  std::deque<WithResolvers<std::optional<std::string>>> waiting;
  Error error;
  bool finished = false;
  bool paused = false;
  EventEmitter::ListenerId line_id = 0, error_id = 0, close_id = 0;

  // Node's eventHandler, for a line that arrives as a string.
  void push(std::string line) {
    if (!waiting.empty()) {
      resolveFirst(std::move(line));
      return;
    }
    Batch b;
    const std::size_t n = line.size();
    b.text = std::move(line);
    b.spans.emplace_back(0, n);
    b.id = next_batch_id++;
    batches.push_back(std::move(b));
    queued();
  }
  // Node's eventHandler, for the line text[begin, end) of a chunk: appended to the batch
  // `batch_id` (made with a copy of `text` when it is not the last one any more).
  void pushSpan(std::string_view text, std::size_t begin, std::size_t end,
                std::uint64_t& batch_id) {
    if (!waiting.empty()) {
      resolveFirst(std::string(text.substr(begin, end - begin)));
      return;
    }
    if (batches.empty() || batches.back().id != batch_id) {
      Batch b = std::move(spare);
      b.text.assign(text);
      b.spans.clear();
      b.next = 0;
      b.id = batch_id = next_batch_id++;
      batches.push_back(std::move(b));
    }
    batches.back().spans.emplace_back(begin, end);
    queued();
  }
  void queued() {
    ++size;
    if (!paused && size > kHighWaterMark && rl != nullptr) {
      paused = true;
      rl->pause();
    }
  }
  void resolveFirst(std::string line) {
    auto w = std::move(waiting.front());
    waiting.pop_front();
    w.resolve(std::optional<std::string>(std::move(line)));
  }
  std::string take() {
    Batch& b = batches.front();
    const auto [begin, end] = b.spans[b.next++];
    std::string line = begin == 0 && end == b.text.size() && b.spans.size() == 1
                           ? std::move(b.text)
                           : b.text.substr(begin, end - begin);
    if (b.next == b.spans.size()) {
      if (b.text.capacity() > spare.text.capacity()) spare = std::move(b);
      batches.pop_front();
    }
    --size;
    return line;
  }
  // Node's errorHandler.
  void fail(const Error& err) {
    if (waiting.empty()) {
      error = err;
    } else {
      auto w = std::move(waiting.front());
      waiting.pop_front();
      w.reject(err);
    }
    finish();
  }
  // Node's closeHandler.
  void finish() {
    if (rl != nullptr) {
      Interface* owner = std::exchange(rl, nullptr);
      // Node's listenersController removes the last added first: 'close', 'error', 'line'.
      owner->off("close", close_id);
      owner->off("error", error_id);
      owner->off("line", line_id);
    }
    finished = true;
    while (!waiting.empty()) {
      auto w = std::move(waiting.front());
      waiting.pop_front();
      w.resolve(std::optional<std::string>());
    }
  }
  Promise<std::optional<std::string>> next() {
    if (size > 0) {
      std::optional<std::string> line(take());
      if (paused && size < kLowWaterMark) {
        paused = false;
        if (rl != nullptr) rl->resume();
      }
      return Promise<std::optional<std::string>>::resolve(std::move(line));
    }
    if (error) {
      return Promise<std::optional<std::string>>::reject(std::exchange(error, Error()));
    }
    if (finished) {
      finish();
      return Promise<std::optional<std::string>>::resolve(std::nullopt);
    }
    waiting.push_back(Promise<std::optional<std::string>>::withResolvers());
    return waiting.back().promise;
  }
};

}  // namespace internal

// --- LineIterator ------------------------------------------------------------------------------

Promise<std::optional<std::string>> LineIterator::next() const {
  if (!queue_) return Promise<std::optional<std::string>>::resolve(std::nullopt);
  return queue_->next();
}

Promise<std::optional<std::string>> LineIterator::return_() const {
  if (queue_) queue_->finish();
  return Promise<std::optional<std::string>>::resolve(std::nullopt);
}

// --- Interface ---------------------------------------------------------------------------------

namespace {
double nowMs() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}  // namespace

Interface::Interface(Input input, double crlfDelay)
    : input_(std::move(input)),
      // Node: crlfDelay ? max(100, crlfDelay) : 100.
      crlf_delay_(crlfDelay > 100 ? crlfDelay : 100) {}

Interface::~Interface() {
  if (lines_) {
    // Nothing can emit a line any more: a next() still waiting resolves to the end (else a
    // coroutine waiting on it would be kept forever by its own iterator).
    lines_->rl = nullptr;
    lines_->finish();
  }
}

std::shared_ptr<Interface> createInterface(InterfaceOptions options) {
  if (!options.input) {
    VOW_THROW(
        TypeError("The argument 'input' is invalid. Received undefined", "ERR_INVALID_ARG_VALUE"));
  }
  const AbortSignal& signal = options.signal.get();
  auto rl = std::make_shared<Interface>(std::move(options.input), options.crlfDelay);
  rl->start(signal);
  return rl;
}

void Interface::start(const AbortSignal& signal) {
  input_.impl_->attach(shared_from_this());
  input_attached_ = true;
  // Node: self.once('close', onSelfCloseWithoutTerminal). The interface owns this listener, so
  // `this` is alive whenever it runs.
  self_close_ = EventEmitter::once("close", [this] { detachInput(); });
  if (signal) {
    if (signal.aborted()) {
      nextTick([self = shared_from_this()] { self->close(); });
    } else {
      std::weak_ptr<Interface> weak = weak_from_this();
      abort_ = addAbortListener(signal, [weak] {
        if (auto self = weak.lock()) self->close();
      });
      EventEmitter::once("close", [this] { abort_ = AbortListener(); });
    }
  }
  input_.impl_->resume();
}

void Interface::detachInput() {
  if (!input_attached_) return;
  input_attached_ = false;
  input_.impl_->detach();
}

void Interface::onInputError(const Error& err) { emit("error", err); }

void Interface::onInputClose() {
  // Not Node's: a closed input sends nothing more, so the interface lets go of it (its
  // listeners hold the interface). Closing the interface did this already.
  detachInput();
}

void Interface::onData(const Buffer& chunk) { normalWrite(std::string_view(chunk)); }

void Interface::onEnd() {
  if (!line_buffer_.empty()) emit("line", line_buffer_);
  close();
}

void Interface::close() {
  if (closed_) return;
  pause();
  closed_ = true;
  emit("close");
}

void Interface::pause() {
  if (paused_) return;
  input_.impl_->pause();
  paused_ = true;
  emit("pause");
}

void Interface::resume() {
  if (!paused_) return;
  input_.impl_->resume();
  paused_ = false;
  emit("resume");
}

void Interface::write(std::string_view data) {
  if (paused_) resume();
  normalWrite(data);
}

LineIterator Interface::asyncIterator() {
  if (!lines_) {
    auto q = std::make_shared<internal::LineQueue>();
    q->rl = this;
    internal::LineQueue* raw = q.get();
    // The listeners live in this emitter and the queue outlives them (lines_ holds it).
    q->line_id = on("line", [raw](const std::string& line) { raw->push(line); });
    q->error_id = on("error", [raw](const Error& err) { raw->fail(err); });
    q->close_id = on("close", [raw] { raw->finish(); });
    lines_ = std::move(q);
  }
  return LineIterator(lines_);
}

bool Interface::onlyTheIteratorListens() const {
  return lines_ && lines_->rl != nullptr && listenerCount("line") == 1;
}

void Interface::normalWrite(std::string_view chunk) {
  std::string storage;
  std::string_view text = decoder_.write(chunk, storage);
  if (saw_return_ && nowMs() - saw_return_at_ <= crlf_delay_) {
    if (!text.empty() && text.front() == '\n') text.remove_prefix(1);
    saw_return_ = false;
  }
  if (text.empty()) return;
  // Where the last line break ends: what follows is the new unfinished line.
  std::size_t last_end = std::string_view::npos;
  for (std::size_t i = text.size(); i > 0; --i) {
    const char c = text[i - 1];
    if (c == '\n' || c == '\r') {
      last_end = i;
      break;
    }
  }
  if (last_end == std::string_view::npos) {
    line_buffer_.append(text);
    return;
  }
  std::string head = std::move(line_buffer_);
  line_buffer_.assign(text.substr(last_end));
  saw_return_ = text.back() == '\r';
  if (saw_return_) saw_return_at_ = nowMs();
  // Lines in [0, last_end); `text` may view `chunk` or `storage`, both alive until we return.
  const char* p = text.data();
  const char* const end = text.data() + last_end;
  const char* const text_end = text.data() + text.size();
  // The next '\r' at or after p (end when none): lines mostly end in '\n' alone, so both are
  // found with memchr.
  const char* cr = static_cast<const char*>(std::memchr(p, '\r', last_end));
  if (cr == nullptr) cr = end;
  bool first = true;
  // When the async iterator's queue is the only 'line' listener, lines go to it without the
  // emitter's lookup (the same calls emit would make). Checked again whenever user code may
  // have run: an emit, or a 'pause' the queue's high-water mark emitted.
  bool direct = onlyTheIteratorListens();
  std::uint64_t batch = 0;  // the queue's batch holding this chunk's lines, once made
  while (p < end) {
    const char* nl =
        static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    if (nl == nullptr) nl = end;
    std::size_t brk = 1;
    if (cr < nl) {  // a '\r' ends this line: "\r\n" or a lone '\r'
      if (cr + 1 < text_end && cr[1] == '\n') brk = 2;
      nl = cr;
    }
    if (direct && !first) {
      const bool was_paused = lines_->paused;
      lines_->pushSpan(text, static_cast<std::size_t>(p - text.data()),
                       static_cast<std::size_t>(nl - text.data()), batch);
      if (lines_->paused != was_paused) direct = onlyTheIteratorListens();
    } else if (!direct && !line_event_busy_) {
      // The listeners get the line in line_event_'s string, whose capacity the last line left.
      std::string& line = std::get<0>(line_event_);
      if (first) {
        first = false;
        head.append(p, static_cast<std::size_t>(nl - p));
        line.swap(head);
      } else {
        line.assign(p, static_cast<std::size_t>(nl - p));
      }
      struct Busy {
        bool& flag;
        explicit Busy(bool& f) : flag(f) { flag = true; }
        ~Busy() { flag = false; }
      } busy(line_event_busy_);
      emitTuple("line", line_event_);
      direct = onlyTheIteratorListens();
    } else {
      std::string line;
      if (first) {
        first = false;
        head.append(p, static_cast<std::size_t>(nl - p));
        line = std::move(head);
      } else {
        line.assign(p, static_cast<std::size_t>(nl - p));
      }
      if (direct) {
        const bool was_paused = lines_->paused;
        lines_->push(std::move(line));
        if (lines_->paused != was_paused) direct = onlyTheIteratorListens();
      } else {
        emit("line", std::move(line));
        direct = onlyTheIteratorListens();
      }
    }
    p = nl + brk;
    if (cr < p && p < end) {
      cr = static_cast<const char*>(std::memchr(p, '\r', static_cast<std::size_t>(end - p)));
      if (cr == nullptr) cr = end;
    }
  }
}

}  // namespace vow::readline
