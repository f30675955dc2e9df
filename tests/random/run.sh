#!/bin/sh
# Random rubrics through the whole tool: for each seed, tests/random/gen.c
# writes a rubric and a CSV of 20 employees for it, and
#   - `rubric check` must pass (exit 0);
#   - `rubric fmt` must give text that checks and parses to the same AST
#     (--dump-ast), and formatting that text again must change nothing;
#   - `rubric test` and `rubric eval -f json` must say the same of the
#     original and the formatted rubric;
#   - nothing may be reported by the sanitizers (BUILD_DIR/san/rubric).
# Seeds run in two lanes at once. A failing seed's files stay in
# BUILD_DIR/random/SEED; reproduce with `gen SEED` and `gen SEED facts 20`.
# Usage: run.sh BUILD_DIR [FIRST_SEED [LAST_SEED]]   (default seeds 1..200)
# Ends with `random: N passed, N failed`; exits 1 if any failed.
build=${1:?usage: run.sh BUILD_DIR [FIRST_SEED [LAST_SEED]]}
first=${2:-1}
last=${3:-200}
here=$(dirname "$0")
rubric=$build/san/rubric
[ -x "$rubric" ] || rubric=$build/rubric
[ -x "$rubric" ] || { echo "random: no $build/san/rubric or $build/rubric" >&2; exit 2; }
rubric=$(cd "$(dirname "$rubric")" && pwd)/$(basename "$rubric")
CC=${CC:-cc}
work=$build/random
mkdir -p "$work" || exit 2
gen=$work/gen # $build/gen is the Makefile's folder for the flex and bison output
$CC -std=c17 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wshadow -Wstrict-prototypes \
    -Wmissing-prototypes -Wwrite-strings -Werror -O2 -g -o "$gen" "$here/gen.c" -lm || exit 2

# a sanitizer report makes the process fail with 99 and is on standard error
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:exitcode=99}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=99}
sanitized='runtime error\|Sanitizer'

# chk FILE OUT ERR: `check --dump-ast FILE`; returns its exit status
chk() {
    "$rubric" check --dump-ast "$1" >"$2" 2>"$3"
}

# same A B: the two files are equal once rubric:LINE locations are masked
same() {
    sed 's/r\.rubric:[0-9]*/r.rubric:N/g' "$1" >"$1.n"
    sed 's/r\.rubric:[0-9]*/r.rubric:N/g' "$2" >"$2.n"
    cmp -s "$1.n" "$2.n"
}

# one SEED: prints what went wrong and returns 1
one() {
    s=$1
    d=$work/$s
    rm -rf "$d"
    mkdir -p "$d/a" "$d/b"
    "$gen" "$s" >"$d/a/r.rubric" || { echo "seed $s: gen failed"; return 1; }
    "$gen" "$s" facts 20 >"$d/team.csv" || { echo "seed $s: gen facts failed"; return 1; }
    chk "$d/a/r.rubric" "$d/ast.a" "$d/check.err"
    rc=$?
    if [ $rc -ne 0 ] || grep -q "$sanitized" "$d/check.err"; then
        echo "seed $s: check exited $rc"
        cat "$d/check.err"
        return 1
    fi
    if ! "$rubric" fmt "$d/a/r.rubric" >"$d/b/r.rubric" 2>"$d/fmt.err" ||
        ! "$rubric" fmt "$d/b/r.rubric" >"$d/fmt2.rubric" 2>>"$d/fmt.err"; then
        echo "seed $s: fmt failed"
        cat "$d/fmt.err"
        return 1
    fi
    if ! cmp -s "$d/b/r.rubric" "$d/fmt2.rubric"; then
        echo "seed $s: fmt is not idempotent"
        diff "$d/b/r.rubric" "$d/fmt2.rubric" | head -20
        return 1
    fi
    chk "$d/b/r.rubric" "$d/ast.b" "$d/check.b.err"
    rc=$?
    if [ $rc -ne 0 ] || grep -q "$sanitized" "$d/check.b.err"; then
        echo "seed $s: the formatted rubric does not check (exit $rc)"
        head -20 "$d/check.b.err"
        return 1
    fi
    if ! cmp -s "$d/ast.a" "$d/ast.b"; then
        echo "seed $s: fmt changed the AST"
        diff "$d/ast.a" "$d/ast.b" | head -20
        return 1
    fi
    # same relative paths for both, so only fmt's moving of lines can differ
    for v in a b; do
        (cd "$d/$v" && "$rubric" test r.rubric >../test.$v 2>&1; echo "exit $?" >>../test.$v)
        (cd "$d/$v" && "$rubric" eval -f json r.rubric ../team.csv >../eval.$v 2>../eval.$v.err
            echo "exit $?" >>../eval.$v)
    done
    if grep -q "$sanitized" "$d/test.a" "$d/test.b" "$d/eval.a.err" "$d/eval.b.err"; then
        echo "seed $s: sanitizer report in test or eval"
        cat "$d/test.a" "$d/test.b" "$d/eval.a.err" "$d/eval.b.err" | head -40
        return 1
    fi
    if ! same "$d/test.a" "$d/test.b"; then
        echo "seed $s: rubric test differs after fmt"
        diff "$d/test.a" "$d/test.b" | head -20
        return 1
    fi
    if ! cmp -s "$d/eval.a" "$d/eval.b" || ! same "$d/eval.a.err" "$d/eval.b.err"; then
        echo "seed $s: eval differs after fmt"
        diff "$d/eval.a" "$d/eval.b" | head -10
        diff "$d/eval.a.err" "$d/eval.b.err" | head -10
        return 1
    fi
    grep -c '"total"' "$d/eval.a" >>"$lane_scored"
    grep -c '"error"' "$d/eval.a" >>"$lane_errors"
    grep -c '^FAIL' "$d/test.a" >>"$lane_tfail"
    rm -rf "$d"
    return 0
}

# lane K: seeds first+K, first+K+2, ...; one line per seed in its files
lane() {
    lane_pass=$work/lane$1.pass lane_fail=$work/lane$1.fail
    lane_scored=$work/lane$1.scored lane_errors=$work/lane$1.errors lane_tfail=$work/lane$1.tfail
    : >"$lane_pass"; : >"$lane_fail"; : >"$lane_scored"; : >"$lane_errors"; : >"$lane_tfail"
    s=$((first + $1))
    while [ "$s" -le "$last" ]; do
        if one "$s" >"$work/lane$1.log" 2>&1; then
            echo "$s" >>"$lane_pass"
        else
            echo "$s" >>"$lane_fail"
            cat "$work/lane$1.log"
            echo "  (kept in $work/$s)"
        fi
        s=$((s + 2))
    done
}

lane 0 &
p0=$!
lane 1 &
p1=$!
wait $p0
wait $p1

total() { cat "$work"/lane0."$1" "$work"/lane1."$1" | awk '{ n += ($0 == "" ? 1 : $0) } END { print n + 0 }'; }
count() { cat "$work"/lane0."$1" "$work"/lane1."$1" | wc -l | tr -d ' '; }
passed=$(count pass)
failed=$(count fail)
echo "random: $(total scored) employees scored, $(total errors) employee errors, $(total tfail) failing test blocks"
echo "random: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
