#!/bin/sh
# The compiled path against the general one (issue 11). For every eval, report
# and diff case of tests/eval and tests/exact, and for SPEED_SEEDS random
# rubrics of tests/random/gen.c (default 200, each with 20 employees), rubric
# runs three times: as built (compiled items on the fast path), with
# RUBRIC_NO_CODE=1 (the fast path without compiled items) and with
# RUBRIC_EXACT_ONLY=1 (the general exact evaluator only). Standard output,
# standard error and the exit status must be the same bytes each time.
#
# usage: differential.sh BUILD_DIR   (uses BUILD_DIR/san/rubric, else BUILD_DIR/rubric)
set -u
build=$1
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
rubric=$build/san/rubric
[ -x "$rubric" ] || rubric=$build/rubric
[ -x "$rubric" ] || { echo "speed: no $build/san/rubric or $build/rubric" >&2; exit 2; }
rubric=$(cd "$(dirname "$rubric")" && pwd)/$(basename "$rubric")
work=$(cd "$build" && pwd)/speed
mkdir -p "$work" || exit 2
pass=0
fail=0

# three DIR ARGS...: run the three ways in DIR, compare; count
three() {
    dir=$1
    shift
    (cd "$dir" && "$rubric" "$@" >"$work/o.1" 2>"$work/e.1" </dev/null; echo $? >"$work/c.1")
    (cd "$dir" && RUBRIC_NO_CODE=1 "$rubric" "$@" >"$work/o.2" 2>"$work/e.2" </dev/null
     echo $? >"$work/c.2")
    (cd "$dir" && RUBRIC_EXACT_ONLY=1 "$rubric" "$@" >"$work/o.3" 2>"$work/e.3" </dev/null
     echo $? >"$work/c.3")
    for k in 2 3; do
        for f in o e c; do
            if ! cmp -s "$work/$f.1" "$work/$f.$k"; then
                echo "FAIL speed: $dir: $*: $f differs between the compiled path and run $k"
                diff "$work/$f.1" "$work/$f.$k" | head -10
                fail=$((fail + 1))
                return
            fi
        done
    done
    pass=$((pass + 1))
}

# the golden cases that score employees
for cmd in "$top"/tests/eval/*.cmd "$top"/tests/exact/*.cmd "$top"/tests/speed/*.cmd; do
    [ -f "$cmd" ] || continue
    args=$(cat "$cmd")
    case $args in eval\ * | report\ * | diff\ *) ;; *) continue ;; esac
    # shellcheck disable=SC2086
    three "$(dirname "$cmd")" $args
done
three "$top" eval -f csv rubrics/客户考核评分表.rubric examples/客户考核评分表/team.csv

# random rubrics
gen=$work/gen
${CC:-cc} -std=c17 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -O2 -o "$gen" \
    "$top/tests/random/gen.c" -lm || exit 2
s=1
while [ "$s" -le "${SPEED_SEEDS:-200}" ]; do
    d=$work/r$s
    mkdir -p "$d"
    if "$gen" "$s" >"$d/r.rubric" 2>/dev/null && "$gen" "$s" facts 20 >"$d/team.csv" 2>/dev/null; then
        three "$d" eval -f csv r.rubric team.csv
        three "$d" eval -f json r.rubric team.csv
    fi
    rm -rf "$d"
    s=$((s + 1))
done
echo "speed: $pass passed, $fail failed (compiled path, fast path, exact path)"
[ "$fail" -eq 0 ]
