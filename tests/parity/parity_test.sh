#!/usr/bin/env bash
# Runs one C++ twin of a Node parity program and diffs its output with what Node prints.
# Usage: parity_test.sh <twin binary> <program.expected> <program.js>
# Where node is installed, also checks that the .js still prints its .expected.
set -u
twin=$1 expected=$2 js=$3
status=0
if ! diff -u "$expected" <("$twin" 2>&1); then
  echo "FAIL: $(basename "$twin") output differs from $(basename "$expected")"
  status=1
fi
if command -v node >/dev/null 2>&1; then
  if ! diff -u "$expected" <(node "$js" 2>&1); then
    echo "FAIL: node $(basename "$js") no longer prints $(basename "$expected")"
    status=1
  fi
else
  echo "note: node is not installed; skipped checking $(basename "$js") against Node"
fi
exit $status
