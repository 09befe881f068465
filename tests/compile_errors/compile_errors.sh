# Sourced by each layer's compile_errors_test.sh: checks that mistakes fail to compile with a
# sentence that says what is wrong. The test sets PRELUDE (the includes every snippet starts
# with) and LAYERS (the packages whose headers it needs, e.g. "promise loop"), sources this file,
# then calls expect_error / expect_ok and finally `finish`.
#
# Compiles with the system's C++ compiler against the headers in the test's runfiles and
# abseil's headers from the system (installed by ./configure).
cxx=${CXX:-g++}
if ! command -v "$cxx" >/dev/null; then
  echo "note: no C++ compiler on PATH; skipping"
  exit 0
fi
runfiles=${TEST_SRCDIR:-$PWD/..}/${TEST_WORKSPACE:-vow}
inc=$(mktemp -d)
trap 'rm -rf "$inc"' EXIT
mkdir -p "$inc/vow"
for layer in $LAYERS; do ln -s "$runfiles/$layer" "$inc/vow/$layer"; done
failures=0

compile() {  # <code>: compiles PRELUDE + code, printing the compiler's output
  printf '%s\n%s\n' "$PRELUDE" "$1" | "$cxx" -std=c++20 -fsyntax-only -I"$inc" -x c++ - 2>&1
}

expect_error() {  # <case name> <expected words> <code>
  local name=$1 words=$2 out
  if out=$(compile "$3"); then
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

expect_ok() {  # <case name> <code>: the fix compiles (so an error case fails for its reason)
  local name=$1 out
  if ! out=$(compile "$2"); then
    echo "FAIL: $name does not compile"
    echo "$out" | grep -m3 error
    failures=$((failures + 1))
  else
    echo "ok: $name"
  fi
}

finish() {
  if [ "$failures" -ne 0 ]; then
    echo "$failures case(s) failed"
    exit 1
  fi
  echo "all compile-error cases give their sentence"
}
