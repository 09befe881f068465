#!/usr/bin/env bash
# Checks one example: its output (stdout and stderr) equals the expected output kept beside it;
# the Node program it ports, quoted in the opening comment of its .cc, is the .js beside it; and,
# where node is installed, the .js prints the expected output too.
# Usage: example_test.sh <example binary> <name.expected> <name.js> <name.cc>
# <name.js> is - for an example without a Node twin (its opening comment says why): then only its
# output is checked.
# Examples whose output depends on elapsed time (timing = True) get EXAMPLE_ATTEMPTS runs: a
# noisy machine can stall a thread for longer than the example's margin, and such a run says
# nothing about the library. Every failed attempt's diff is printed.
set -u
program=$1 expected=$2 js=$3 cc=$4
name=$(basename "$expected" .expected)
attempts=${EXAMPLE_ATTEMPTS:-1}
# Examples that touch files work under $TMPDIR/vow-examples/<name>/ (Node's os.tmpdir()).
export TMPDIR=${TEST_TMPDIR:-${TMPDIR:-/tmp}}
status=0

# prints_expected <command...>: the command's stdout and stderr equal $expected, in one of
# $attempts runs.
prints_expected() {
  local attempt
  for ((attempt = 1; attempt <= attempts; attempt++)); do
    if diff -u "$expected" <("$@" 2>&1); then
      return 0
    fi
    echo "(attempt $attempt of $attempts differs: - expected, + actual)"
  done
  return 1
}

if prints_expected "$program"; then
  echo "ok: $name prints $(basename "$expected")"
else
  echo "FAIL: $name does not print $(basename "$expected") (diff above: - expected, + actual)"
  status=1
fi

if [[ "$js" == - ]]; then
  echo "SKIPPED: $name has no Node twin (its opening comment says why)"
  exit $status
fi

# JavaScript without its comments and blank-line runs: how the .cc quotes its twin.
code_of() {
  grep -v '^[[:space:]]*//' | sed -e 's#[[:space:]][[:space:]]*// .*$##' -e 's/[[:space:]]*$//' |
    cat -s | sed -e '/./,$!d' | sed -e ':a' -e '/^\n*$/{$d;N;ba' -e '}'
}
quoted=$(sed -n '/The Node program it ports/,/^[^/]/p' "$cc" | sed -n '2,$p' | grep '^//' |
  sed -e 's#^//   ##' -e 's#^//$##' | code_of)
if diff -u <(code_of <"$js") <(printf '%s\n' "$quoted"); then
  echo "ok: $(basename "$cc") quotes $(basename "$js") in its opening comment"
else
  echo "FAIL: the Node program quoted in $(basename "$cc") differs from $(basename "$js") (diff above)"
  status=1
fi

if command -v node >/dev/null 2>&1; then
  if prints_expected node "$js"; then
    echo "ok: node $(basename "$js") ($(node --version)) prints the same"
  else
    echo "FAIL: node $(basename "$js") does not print $(basename "$expected") (diff above)"
    status=1
  fi
else
  echo "SKIPPED: node is not installed, so $(basename "$js") was not checked against Node"
fi
exit $status
