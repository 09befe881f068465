#!/usr/bin/env bash
# Checks that common mistakes with vow::Promise fail to compile with a sentence that says what
# is wrong, not pages of template noise. Each case is a snippet that must NOT compile and the
# words its first error must contain (the shared part: tests/compile_errors/compile_errors.sh).
set -u
PRELUDE='#include "vow/promise/promise.h"'
LAYERS="promise"
source "${TEST_SRCDIR:-$PWD/..}/${TEST_WORKSPACE:-vow}/tests/compile_errors/compile_errors.sh"

expect_error "await a plain value" \
  "co_await in a vow::Promise coroutine takes a vow::Promise<U>" \
  'vow::Promise<void> f() { co_await 42; }'

expect_error "co_return the wrong type" \
  "co_return in a coroutine returning vow::Promise<T> takes a T" \
  'vow::Promise<int> f() { co_return "text"; }'

expect_error "then handler taking the wrong type" \
  "then(): the fulfilment handler must be callable with the promise's value" \
  'struct S {}; void f() { vow::Promise<int>::resolve(1).then([](S) {}); }'

expect_error "an AnyPromise handler that wants the value" \
  "AnyPromise::then(): the fulfilment handler takes nothing" \
  'void f(const vow::AnyPromise& p) { p.then([](int) {}); }'

expect_error "rejection handler taking a non-error" \
  "the rejection handler must take" \
  'void f() { vow::Promise<int>::resolve(1).catch_([](int, int) { return 1; }); }'

expect_error "a promise of a promise" \
  "vow::Promise<Promise<T>> cannot exist" \
  'void f() { (void)sizeof(vow::Promise<vow::Promise<int>>); }'

expect_ok "the corrected snippets" '
vow::Promise<void> f() { co_await vow::Promise<int>::resolve(42); }
vow::Promise<int> g() { co_return 1; }
void h() {
  vow::Promise<int>::resolve(1).catch_([](const vow::Error&) { return 0; });
  vow::Promise<int>::resolve(1).then([](int) { return 1; }, [](const vow::Error&) { return 0; });
  // Handlers settling other types widen the chain (see catch_ in promise.h).
  vow::Promise<std::optional<int>> a =
      vow::Promise<int>::resolve(1).catch_([](const vow::Error&) {});
  vow::Promise<std::optional<int>> b =
      vow::Promise<int>::resolve(1).then([](int) { return 1; }, [](const vow::Error&) {});
  vow::Promise<void> c = vow::AnyPromise(a).catch_([] {});
}'

finish
