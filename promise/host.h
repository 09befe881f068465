// vow::PromiseHost: what the promise layer needs from the program around it, said once.
//
// JavaScript splits the work in two: the engine (V8) owns promises and the microtask queue, the
// host (Node) decides when the queue drains and what happens to rejections nobody handles.
// vow's promise layer is the engine and knows no loop; vow::Loop is a host, and so can be any
// other event loop that embeds vow. A host:
//  - drains the microtask queue by calling vow::runMicrotasks() at its checkpoints (Node: after
//    every callback, behind the nextTick queue);
//  - receives rejection tracking (ECMAScript's HostPromiseRejectionTracker): a promise rejected
//    while nothing handles it, and a handler added to such a promise later;
//  - schedules callbacks on this thread for the promise layer (callbackify delivers through it;
//    Node: process.nextTick).
// One host per thread, installed with setPromiseHost (vow::Loop installs itself while it is the
// thread's current loop). Without a host, promises work as usual: handlers run whenever
// runMicrotasks() is called, callbackify delivers through queueMicrotask, and rejection reports
// wait (holding their promises) until a host is installed, which then receives them in order.
#pragma once

#include "absl/functional/any_invocable.h"

namespace vow {

class AnyPromise;

class PromiseHost {
 public:
  // HostPromiseRejectionTracker(promise, "reject"): `promise` was rejected and has no handler.
  // Called synchronously inside the reject; the host decides later (Node: after the microtask
  // queue drains) whether it is still unhandled.
  virtual void promiseRejectedWithoutHandler(const AnyPromise& promise) = 0;
  // HostPromiseRejectionTracker(promise, "handle"): a handler was added to `promise`, which had
  // been reported to promiseRejectedWithoutHandler.
  virtual void promiseHandledAfterRejection(const AnyPromise& promise) = 0;
  // Runs `f` later on this thread (Node: process.nextTick). Default: vow::queueMicrotask.
  virtual void scheduleCallback(absl::AnyInvocable<void()> f);

 protected:
  ~PromiseHost() = default;
};

// This thread's host, or null.
PromiseHost* promiseHost() noexcept;

// Installs `host` (null: none) as this thread's host and returns the previous one. Rejection
// reports made while there was no host are delivered to `host` now, in the order they happened.
PromiseHost* setPromiseHost(PromiseHost* host);

}  // namespace vow
