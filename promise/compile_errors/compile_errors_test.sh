#!/usr/bin/env bash
# Checks that common mistakes with vow::Promise fail to compile with a sentence that says what
# is wrong, not pages of template noise. Each case is a snippet that must NOT compile and the
# words its first error must contain.
#
# Compiles with the system's C++ compiler against the promise headers in this test's runfiles
# and abseil's headers from the system (installed by ./configure).
set -u
cxx=${CXX:-g++}
if ! command -v "$cxx" >/dev/null; then
  echo "note: no C++ compiler on PATH; skipping"
  exit 0
fi
runfiles=${TEST_SRCDIR:-$PWD/..}/${TEST_WORKSPACE:-vow}
inc=$(mktemp -d)
trap 'rm -rf "$inc"' EXIT
mkdir -p "$inc/vow"
ln -s "$runfiles/promise" "$inc/vow/promise"

failures=0
expect_error() {  # <case name> <expected words> <code>
  local name=$1 words=$2 code=$3
  local out
  out=$(printf '#include "vow/promise/promise.h"\n%s\n' "$code" |
        "$cxx" -std=c++20 -fsyntax-only -I"$inc" -x c++ - 2>&1)
  if [ $? -eq 0 ]; then
    echo "FAIL: $name compiled, but must not"
    failures=$((failures + 1))
  elif ! grep -qF "$words" <<<"$out"; then
    echo "FAIL: $name: the error does not say: $words"
    echo "$out" | grep -m3 error
    failures=$((failures + 1))
  else
    echo "ok: $name"
  fi
}

expect_error "await a plain value" \
  "co_await in a vow::Promise coroutine takes a vow::Promise<U>" \
  'vow::Promise<void> f() { co_await 42; }'

expect_error "co_return the wrong type" \
  "co_return in a coroutine returning vow::Promise<T> takes a T" \
  'vow::Promise<int> f() { co_return "text"; }'

expect_error "catch_ handler that forgets to return a value" \
  "catch_(): the handler must return a value of the promise's type T" \
  'void f() { vow::Promise<int>::resolve(1).catch_([](const vow::Error&) {}); }'

expect_error "then handler taking the wrong type" \
  "then(): the fulfilment handler must be callable with the promise's value" \
  'struct S {}; void f() { vow::Promise<int>::resolve(1).then([](S) {}); }'

expect_error "then with handlers of different types" \
  "both handlers must produce the same type" \
  'void f() { vow::Promise<int>::resolve(1).then([](int) { return 1; }, [](const vow::Error&) {}); }'

expect_error "rejection handler taking a non-error" \
  "the rejection handler must take" \
  'void f() { vow::Promise<int>::resolve(1).catch_([](int, int) { return 1; }); }'

expect_error "a promise of a promise" \
  "vow::Promise<Promise<T>> cannot exist" \
  'void f() { (void)sizeof(vow::Promise<vow::Promise<int>>); }'

# The same snippets' fixes compile (so the checks above fail for the stated reason only).
ok=$(printf '#include "vow/promise/promise.h"\n%s\n' '
vow::Promise<void> f() { co_await vow::Promise<int>::resolve(42); }
vow::Promise<int> g() { co_return 1; }
void h() {
  vow::Promise<int>::resolve(1).catch_([](const vow::Error&) { return 0; });
  vow::Promise<int>::resolve(1).then([](int) { return 1; }, [](const vow::Error&) { return 0; });
}' | "$cxx" -std=c++20 -fsyntax-only -I"$inc" -x c++ - 2>&1) || {
  echo "FAIL: the corrected snippets do not compile:"
  echo "$ok" | grep -m5 error
  failures=$((failures + 1))
}

if [ "$failures" -ne 0 ]; then
  echo "$failures case(s) failed"
  exit 1
fi
echo "all compile-error cases give their sentence"
