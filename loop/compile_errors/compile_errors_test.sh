#!/usr/bin/env bash
# Checks that mistakes with the loop's EventEmitter fail to compile with a sentence that says
# what is wrong. Each case is a snippet that must NOT compile and the words its error must
# contain (the shared part: tests/compile_errors/compile_errors.sh).
set -u
PRELUDE='#include "vow/loop/loop.h"
#include <string>'
LAYERS="promise loop"
source "${TEST_SRCDIR:-$PWD/..}/${TEST_WORKSPACE:-vow}/tests/compile_errors/compile_errors.sh"

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

expect_error "queueWork returning a promise" \
  "cannot return a Promise" \
  'void f() { vow::queueWork([] { return vow::Promise<int>::resolve(1); }); }'

finish
