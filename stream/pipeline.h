// vow::stream::pipeline: Node's stream.pipeline(source, ...transforms, destination, callback)
// and require('stream/promises').pipeline(...).
//
//   vow::stream::pipeline(vow::fs::createReadStream("in"), upper, vow::fs::createWriteStream("out"),
//                         [](vow::Error err) { if (err) ... });
//   co_await vow::stream::promises::pipeline(in, upper, out);      // rejects with the error
//
// Each stage is a std::shared_ptr to a stream (a Readable first, Duplex/Transform streams in
// between, a Writable last); readable stages are piped into the next with pipe() (backpressure:
// write() false -> pause, 'drain' -> resume). An error in any stage (or a premature close)
// destroys every stream of the pipeline that has not finished, and the callback runs once, on
// the nextTick queue, after every stage is done (Node v20's lib/internal/streams/pipeline.js,
// step for step). The pipeline keeps its streams alive until then. Returns the last stream.
#pragma once

#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "vow/loop/abort_controller.h"
#include "vow/promise/error.h"
#include "vow/promise/promise.h"
#include "vow/stream/stream.h"

namespace vow::stream {

// Node: the options of stream/promises pipeline(...streams, options).
struct PipelineOptions {
  // Node: options.signal: aborting destroys every stream with an AbortError (cause: the
  // reason), and the pipeline fails with it.
  AbortSignalRef signal;
  // Node: options.end: false leaves the destination open when the source ends.
  bool end = true;
};

namespace internal {

// One stage of a pipeline: a stream (later: a function producing an async iterable).
struct Stage {
  std::shared_ptr<Stream> stream;
};

template <class S>
Stage toStage(std::shared_ptr<S> s) {
  static_assert(std::is_base_of_v<Stream, S>, "pipeline: a stage must be a vow::stream stream");
  return Stage{std::shared_ptr<Stream>(std::move(s))};
}

std::shared_ptr<Stream> pipelineImpl(std::vector<Stage> stages, Callback callback,
                                     const PipelineOptions& options);

template <class T>
inline constexpr bool kIsPipelineOptions = std::is_same_v<std::decay_t<T>, PipelineOptions>;

}  // namespace internal

// Node: stream.pipeline(...streams, callback): the last argument is the callback
// (void(vow::Error)). Returns the last stream.
template <class... A>
std::shared_ptr<Stream> pipeline(A&&... args) {
  static_assert(sizeof...(A) >= 3, "pipeline: at least a source, a destination and a callback");
  std::vector<internal::Stage> stages;
  Callback callback;
  std::size_t i = 0;
  constexpr std::size_t n = sizeof...(A);
  (
      [&](auto&& a) {
        if constexpr (std::is_constructible_v<Callback, decltype(a)> &&
                      !std::is_convertible_v<decltype(a), std::shared_ptr<Stream>>) {
          callback = Callback(std::forward<decltype(a)>(a));
        } else {
          stages.push_back(internal::toStage(std::forward<decltype(a)>(a)));
        }
        ++i;
      }(std::forward<A>(args)),
      ...);
  (void)n;
  return internal::pipelineImpl(std::move(stages), std::move(callback), PipelineOptions{});
}

namespace promises {

// Node: require('stream/promises').pipeline(...streams[, options]): resolves when the
// destination finished, rejects once with the first error.
template <class... A>
Promise<void> pipeline(A&&... args) {
  std::vector<internal::Stage> stages;
  PipelineOptions options;
  (
      [&](auto&& a) {
        if constexpr (internal::kIsPipelineOptions<decltype(a)>) {
          options = a;
        } else {
          stages.push_back(internal::toStage(std::forward<decltype(a)>(a)));
        }
      }(std::forward<A>(args)),
      ...);
  auto [promise, resolve, reject] = Promise<void>::withResolvers();
  internal::pipelineImpl(
      std::move(stages),
      [resolve, reject](Error err) {
        if (err) {
          reject(std::move(err));
        } else {
          resolve();
        }
      },
      options);
  return promise;
}

}  // namespace promises

}  // namespace vow::stream
