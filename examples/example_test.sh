#!/usr/bin/env bash
# Runs one example and diffs its output (stdout and stderr) with the expected output kept
# beside it; where node is installed, also checks that the example's Node twin prints the same.
# Usage: example_test.sh <example binary> <name.expected> <name.js>
set -u
program=$1 expected=$2 js=$3
name=$(basename "$expected" .expected)
# Examples that touch files work under $TMPDIR/vow-examples/<name>/ (Node's os.tmpdir()).
export TMPDIR=${TEST_TMPDIR:-${TMPDIR:-/tmp}}
status=0

if diff -u "$expected" <("$program" 2>&1); then
  echo "ok: $name prints $(basename "$expected")"
else
  echo "FAIL: $name does not print $(basename "$expected") (diff above: - expected, + actual)"
  status=1
fi

if command -v node >/dev/null 2>&1; then
  if diff -u "$expected" <(node "$js" 2>&1); then
    echo "ok: node $(basename "$js") ($(node --version)) prints the same"
  else
    echo "FAIL: node $(basename "$js") does not print $(basename "$expected") (diff above)"
    status=1
  fi
else
  echo "SKIPPED: node is not installed, so $(basename "$js") was not checked against Node"
fi
exit $status
