// vow::stream::pipeline: Node's stream.pipeline(source, ...transforms, destination, callback)
// and require('stream/promises').pipeline(...).
//
//   vow::stream::pipeline(vow::fs::createReadStream("in"), upper,
//   vow::fs::createWriteStream("out"),
//                         [](vow::Error err) { if (err) ... });
//   co_await vow::stream::promises::pipeline(in, upper, out);      // rejects with the error
//
// Each stage is a std::shared_ptr to a stream (a Readable first, Duplex/Transform streams in
// between, a Writable last); readable stages are piped into the next with pipe() (backpressure:
// write() false -> pause, 'drain' -> resume). A stage in between may also be an async generator
// function, Node's `async function* (source) { for await (const chunk of source) yield ...; }`:
//
//   auto upper = [](vow::AsyncGenerator<vow::Buffer> source)
//       -> vow::AsyncGenerator<vow::Buffer> {
//     auto it = vow::forAwait(source);
//     while (auto chunk = co_await it.next()) {
//       co_yield vow::Buffer::from(toUpper(chunk->toString()));
//     }
//     co_await it.close();
//   };
//
// (optionally taking a second `const vow::AbortSignal&`, Node's {signal}, aborted when the
// pipeline fails; the pipeline keeps the function object, and so a coroutine lambda's
// captures, alive until it is done); its source is the previous stream's asyncIterator() (or the
// previous generator) and its output is written to the next stream as Node's pumpToNode does
// (write(), awaiting 'drain' when it returns false, end()). The source may also be a
// vow::AsyncGenerator<vow::Buffer> (Node: an async iterable). A generator stage after a stream
// iterates that stream's own iterator, as in Node v20 (which hands it the Readable itself; its
// `yield*` wrapper, fromReadable, is only for legacy streams): each chunk reaches the stage on
// Node's tick (tests/parity/85_pipeline_generator_ticks). An error in any stage (or a premature
// close) destroys every stream of the pipeline that has not finished, and the callback runs once,
// on the nextTick queue, after every stage is done (Node v20's lib/internal/streams/pipeline.js,
// step for step). The pipeline keeps its streams alive until then. Returns the last stream.
//
// Chunks are vow::Buffer throughout, as a Node byte stream's: a Buffer a stage gives out is the
// Buffer the next stage gets (pipe() and pumpToNode's write() share it, never copy it), so a
// chunk read from the source reaches the destination's _write as the same storage unless a
// stage makes a new one. Generator stages take and yield vow::Buffer (Node's generators may
// yield strings, which write() converts; here a stage yields vow::Buffer::from(text)).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "vow/buffer/buffer.h"
#include "vow/loop/abort_controller.h"
#include "vow/promise/async_generator.h"
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

// A transform stage written as an async generator function (Node: `async function* (source,
// {signal}) { for await (const chunk of source) yield f(chunk); }`).
using GeneratorFunction =
    absl::AnyInvocable<AsyncGenerator<Buffer>(AsyncGenerator<Buffer>, const AbortSignal&)>;

// One stage of a pipeline: a stream, an async iterable (a source), or a generator function.
struct Stage {
  std::shared_ptr<Stream> stream;
  std::optional<AsyncGenerator<Buffer>> iterable;
  GeneratorFunction function;
};

template <class F>
inline constexpr bool kIsGeneratorFunction =
    std::is_invocable_r_v<AsyncGenerator<Buffer>, F&, AsyncGenerator<Buffer>> ||
    std::is_invocable_r_v<AsyncGenerator<Buffer>, F&, AsyncGenerator<Buffer>, const AbortSignal&>;

template <class A>
Stage toStage(A&& a) {
  using D = std::decay_t<A>;
  if constexpr (std::is_same_v<D, AsyncGenerator<Buffer>>) {
    return Stage{nullptr, std::forward<A>(a), nullptr};
  } else if constexpr (kIsGeneratorFunction<D>) {
    if constexpr (std::is_invocable_v<D&, AsyncGenerator<Buffer>, const AbortSignal&>) {
      return Stage{nullptr, std::nullopt, GeneratorFunction(std::forward<A>(a))};
    } else {
      return Stage{
          nullptr, std::nullopt,
          [f = std::forward<A>(a)](AsyncGenerator<Buffer> source, const AbortSignal&) mutable {
            return f(std::move(source));
          }};
    }
  } else {
    static_assert(std::is_convertible_v<D, std::shared_ptr<Stream>>,
                  "pipeline: a stage is a std::shared_ptr to a vow::stream stream, a "
                  "vow::AsyncGenerator<vow::Buffer> (first), or a function taking and returning "
                  "one (an async generator function)");
    return Stage{std::shared_ptr<Stream>(std::forward<A>(a)), std::nullopt, nullptr};
  }
}

std::shared_ptr<Stream> pipelineImpl(std::vector<Stage> stages, Callback callback,
                                     const PipelineOptions& options);

template <class T>
inline constexpr bool kIsPipelineOptions = std::is_same_v<std::decay_t<T>, PipelineOptions>;

template <class T>
inline constexpr bool kIsPipelineCallback =
    std::is_invocable_v<std::decay_t<T>&, Error> && !kIsGeneratorFunction<std::decay_t<T>> &&
    !std::is_convertible_v<std::decay_t<T>, std::shared_ptr<Stream>>;

}  // namespace internal

// Node: stream.pipeline(...streams, callback): the last argument is the callback
// (void(vow::Error)). Returns the last stream.
template <class... A>
std::shared_ptr<Stream> pipeline(A&&... args) {
  static_assert(sizeof...(A) >= 3, "pipeline: at least a source, a destination and a callback");
  std::vector<internal::Stage> stages;
  Callback callback;
  (
      [&](auto&& a) {
        if constexpr (internal::kIsPipelineCallback<decltype(a)>) {
          callback = Callback(std::forward<decltype(a)>(a));
        } else {
          stages.push_back(internal::toStage(std::forward<decltype(a)>(a)));
        }
      }(std::forward<A>(args)),
      ...);
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
