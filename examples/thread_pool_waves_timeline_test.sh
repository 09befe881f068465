#!/usr/bin/env bash
# thread_pool_waves --timeline draws the two waves: one row per pool thread (4), each busy from
# the start with a job of wave 1 (P) and, right after it, a job of wave 2 (p, the other case:
# a span right after one of its kind); the loop's row has the timer that knocked (T).
set -uo pipefail
out=$("$1" --timeline) || { echo "thread_pool_waves --timeline failed"; exit 1; }
echo "$out"
fail() { echo "FAIL: $*"; exit 1; }
rows=$(grep -cE '^pool [1-4] +\|\.*P+p+\.*\|$' <<<"$out")
((rows == 4)) || fail "expected 4 pool rows, each a wave-1 job (P) then a wave-2 job (p); got $rows"
grep -qE '^loop 1 +\|.*T.*\|$' <<<"$out" || fail "no timer (T) on the loop's row"
grep -q 'wave 2: jobs 5 6 7 8 went through together' <<<"$out" || fail "not two waves"
echo PASS
