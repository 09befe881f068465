#!/usr/bin/env bash
# Differential fuzzing of vow against Node: builds the vow interpreter, then runs generated
# programs on both and stops at the first divergence, printed shrunk to a minimal program.
#
#   tests/fuzz/run.sh                 # seeds 1..100000
#   tests/fuzz/run.sh 100001:200001   # other seeds
#   tests/fuzz/run.sh 1:1001 --keep-going --no-shrink   # more fuzz.js options
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
SEEDS=${1:-1:100001}
shift || true
[[ -d .offline ]] || ./configure
bazel build --color=no --curses=no //tests/fuzz:vow_interp
# A copy: another build (e.g. --config=asan) repoints bazel-bin while this runs for minutes.
BIN=$(mktemp -d)
trap 'rm -rf "$BIN"' EXIT
cp bazel-bin/tests/fuzz/vow_interp "$BIN/vow_interp"
node tests/fuzz/fuzz.js --vow "$BIN/vow_interp" --seeds "$SEEDS" "$@"
