#!/usr/bin/env bash
# Checks that mistakes with the loop's EventEmitter fail to compile with a sentence that says
# what is wrong. Each case is a snippet that must NOT compile and the words its error must
# contain. Compiles with the system's C++ compiler against the headers in this test's runfiles
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
ln -s "$runfiles/loop" "$inc/vow/loop"

failures=0
expect_error() {  # <case name> <expected words> <code>
  local name=$1 words=$2 code=$3
  local out
  out=$(printf '#include "vow/loop/loop.h"\n#include <string>\n%s\n' "$code" |
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

expect_ok() {  # <case name> <code>
  local name=$1 code=$2
  local out
  if ! out=$(printf '#include "vow/loop/loop.h"\n#include <string>\n%s\n' "$code" |
             "$cxx" -std=c++20 -fsyntax-only -I"$inc" -x c++ - 2>&1); then
    echo "FAIL: $name does not compile"
    echo "$out" | grep -m3 error
    failures=$((failures + 1))
  else
    echo "ok: $name"
  fi
}

typed='using E = vow::TypedEventEmitter<vow::Event<"data", std::string, int>, vow::Event<"end">>;'

expect_ok "typed emit with convertible arguments" \
  "$typed void f(E& e) { e.on<\"data\">([](const std::string&, int) {}); e.emit<\"data\">(\"x\", 1); }"

expect_error "typed emit with wrong argument types" \
  "the arguments do not convert to the event's declared argument types" \
  "$typed void f(E& e) { e.emit<\"data\">(3); }"

expect_error "typed emit of an undeclared event" \
  "no event of that name is declared" \
  "$typed void f(E& e) { e.emit<\"nope\">(); }"

expect_error "typed listener with wrong parameters" \
  "the listener cannot be called with the event's declared argument types" \
  "$typed void f(E& e) { e.on<\"data\">([](int) {}); }"

expect_error "generic lambda as an untyped listener" \
  "a listener needs concrete parameter types" \
  'void f(vow::EventEmitter& e) { e.on("x", [](auto v) {}); }'

expect_error "rvalue-reference listener parameter" \
  "must accept lvalues" \
  'void f(vow::EventEmitter& e) { e.on("x", [](std::string&& v) {}); }'

expect_error "onUnhandledRejection with a wrong handler" \
  "onUnhandledRejection: the handler takes" \
  'void f() { vow::onUnhandledRejection([](int) {}); }'

expect_error "queueWork returning a promise" \
  "cannot return a Promise" \
  'void f() { vow::queueWork([] { return vow::Promise<int>::resolve(1); }); }'

if [ "$failures" -ne 0 ]; then
  echo "$failures case(s) failed"
  exit 1
fi
