// vow::stream::finished: Node's stream.finished(stream[, options], callback) (end-of-stream).
//
//   vow::stream::finished(s, [](vow::Error err) {
//     if (err) ...  // the stream errored or closed before it ended / finished
//   });
//
// The callback runs once, on the loop thread, when the stream is done: for a stream that will
// emit 'close' (autoDestroy and emitClose, the defaults) at its 'close', else at 'end' (readable
// side) and 'finish' (writable side); with the stream's error if it failed, or with
// ERR_STREAM_PREMATURE_CLOSE if it closed before ending/finishing. Called on a stream that is
// already done, it calls back on the next tick (Node v20's lib/internal/streams/end-of-stream.js,
// step for step). The returned function (Node's cleanup) removes the listeners; they are also
// removed once the callback ran (nothing in Node can observe that).
#pragma once

#include <memory>
#include <optional>

#include "absl/functional/any_invocable.h"
#include "vow/loop/abort_controller.h"
#include "vow/promise/error.h"
#include "vow/promise/promise.h"
#include "vow/stream/stream.h"

namespace vow::stream {

// Node: the options of stream.finished.
struct FinishedOptions {
  // Wait for the readable / writable side (default: the sides the stream has).
  std::optional<bool> readable;
  std::optional<bool> writable;
  // false: an 'error' event alone does not finish (Node's options.error).
  bool error = true;
  // Node: options.signal: aborting calls back with an AbortError (the stream is left alone).
  AbortSignalRef signal;
};

// Node: stream.finished(stream[, options], callback). Returns the cleanup function.
absl::AnyInvocable<void()> finished(const std::shared_ptr<Stream>& stream, FinishedOptions options,
                                    Callback callback);
inline absl::AnyInvocable<void()> finished(const std::shared_ptr<Stream>& stream,
                                           Callback callback) {
  return finished(stream, FinishedOptions{}, std::move(callback));
}

namespace promises {

// Node: require('stream/promises').finished(stream[, options]): resolves when the stream is
// done, rejects with its error (as finished's callback would get it).
Promise<void> finished(const std::shared_ptr<Stream>& stream, FinishedOptions options = {});

}  // namespace promises

}  // namespace vow::stream
