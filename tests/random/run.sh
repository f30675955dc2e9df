#!/bin/sh
# Random rubrics through the whole tool: for each seed, tests/random/gen.c
# writes the model of a rubric (JSON, with the rubric's text) and a CSV of 20
# employees for it; tests/random/oracle.py, an independent evaluator of the
# design (LANGUAGE.md, Edition 2), writes the rubric with its test blocks'
# expectations filled in from its own values, and
#   - `rubric check` must pass (exit 0), unless the oracle predicts that it
#     rejects the rubric ([max], [clamp]: BUILD_DIR/random/SEED/check.expect):
#     then it must exit 1 naming each code, and the seed ends there;
#   - `rubric fmt` must give text that checks and parses to the same AST
#     (--dump-ast), and formatting that text again must change nothing;
#   - `rubric test` and `rubric eval -f json` must say the same of the
#     original and the formatted rubric;
#   - nothing may be reported by the sanitizers (BUILD_DIR/san/rubric);
#   - every employee's scores, total, grade, outputs, vetoes, rater scores and
#     error-or-not in `eval -f json` must be the oracle's, and `rubric test`
#     must fail exactly the tests whose employee the oracle cannot score.
# A difference that the oracle's imitation of the first edition reproduces
# (early rounding; a veto of a 0% rater reported; a bare percent in (0, 1]
# accepted) is counted as known and, unless --strict, does not fail the seed
# (make test runs it with --strict: edition 2 is in). Any
# other difference fails it.
# Seeds run in two lanes at once. A failing seed's files stay in
# BUILD_DIR/random/SEED (model.json, team.csv, a/r.rubric, expected.json,
# oracle.out); reproduce with `gen SEED >model.json`, `gen SEED facts 20`
# and `oracle.py prepare model.json team.csv r.rubric expected.json`.
# Usage: run.sh BUILD_DIR [--strict] [--release] [--n N] [FIRST_SEED [LAST_SEED]]
#   (default seeds 1..200; --n N: seeds FIRST..FIRST+N-1; --release: use
#   BUILD_DIR/rubric instead of the sanitizer build, for long runs)
# Ends with `random: N passed, N failed`; exits 1 if any failed.
usage='usage: run.sh BUILD_DIR [--strict] [--release] [--n N] [FIRST_SEED [LAST_SEED]]'
build=${1:?$usage}
shift
strict=${ORACLE_STRICT:-0} release=0 n=
while [ $# -gt 0 ]; do
    case $1 in
    --strict) strict=1 ;;
    --release) release=1 ;;
    --n) n=${2:?$usage}; shift ;;
    -*) echo "$usage" >&2; exit 2 ;;
    *) break ;;
    esac
    shift
done
first=${1:-1}
last=${2:-200}
[ -n "$n" ] && last=$((first + n - 1))
here=$(cd "$(dirname "$0")" && pwd)
rubric=$build/san/rubric
[ "$release" = 1 ] && rubric=$build/rubric
[ -x "$rubric" ] || rubric=$build/rubric
[ -x "$rubric" ] || { echo "random: no $build/san/rubric or $build/rubric" >&2; exit 2; }
rubric=$(cd "$(dirname "$rubric")" && pwd)/$(basename "$rubric")
# the oracle against the design's own worked numbers first
python3 "$here/oracle_test.py" || exit 1
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

# one SEED: prints what went wrong and returns 1 (the model, the CSV and
# the rubric are already in BUILD_DIR/random/SEED, see batch)
one() {
    s=$1
    d=$work/$s
    [ -s "$d/a/r.rubric" ] || { echo "seed $s: no rubric"; cat "$d/oracle.out"; return 1; }
    chk "$d/a/r.rubric" "$d/ast.a" "$d/check.err"
    rc=$?
    if [ -s "$d/check.expect" ]; then
        # the oracle says `check` must reject it: exit 1, naming each code
        if [ $rc -ne 1 ] || grep -q "$sanitized" "$d/check.err"; then
            echo "seed $s: check exited $rc, the oracle expects 1 with [$(cat "$d/check.expect")]"
            head -20 "$d/check.err"
            return 1
        fi
        for c in $(cat "$d/check.expect"); do
            if ! grep -q "\[$c\]" "$d/check.err"; then
                echo "seed $s: check does not say [$c]"
                head -20 "$d/check.err"
                return 1
            fi
        done
        return 3
    fi
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
    # the default format (CSV, standard output not a terminal; --strict: a
    # breached quota is exit status 1; --bom for odd seeds), TSV from standard
    # input (the CSV in GB18030 for about one seed in three), and the same
    # employees as a workbook and as a folder of fact files (both written by
    # the oracle)
    bom=
    [ $((s % 2)) = 1 ] && bom=--bom && : >"$d/eval.csv.bom"
    (cd "$d/a" && "$rubric" eval --strict $bom r.rubric ../team.csv >../eval.csv 2>../eval.csv.err
        echo "exit $?" >>../eval.csv)
    # on the sanitizer build (make test) one of the TSV, workbook and folder
    # runs a seed, in turn, to keep the step short (about 1.3 times the CPU of
    # the JSON runs alone); --release runs all three
    extra=$((s % 3))
    [ "$release" = 1 ] && extra=all
    tsvin=../team.csv
    [ -f "$d/team.gb.csv" ] && tsvin=../team.gb.csv
    if [ $extra = all ] || [ $extra = 0 ]; then
        (cd "$d/a" && "$rubric" eval -f tsv r.rubric - <$tsvin >../eval.tsv 2>../eval.tsv.err
            echo "exit $?" >>../eval.tsv)
    fi
    # one employee explained (every other seed on the sanitizer build): the
    # numbers eval prints
    [ $extra = all ] || [ $((s % 2)) = 0 ] || rm -f "$d/explain.id"
    if [ -f "$d/explain.id" ]; then
        (cd "$d/a" && "$rubric" explain -f json r.rubric ../team.csv --id "$(cat ../explain.id)" \
            >../explain.json 2>../explain.err)
    fi
    if [ $extra = all ] || [ $extra = 1 ]; then # the fill-in sheet's columns
        (cd "$d/a" && "$rubric" template r.rubric >../template.csv 2>../template.err)
    fi
    [ $extra = all ] || [ $extra = 1 ] || rm -rf "$d/team.xlsx"
    [ $extra = all ] || [ $extra = 2 ] || rm -rf "$d/facts"
    if [ -f "$d/team.xlsx" ]; then
        (cd "$d/a" && "$rubric" eval -f json r.rubric ../team.xlsx >../eval.xlsx 2>../eval.xlsx.err
            echo "exit $?" >>../eval.xlsx)
    fi
    if [ -d "$d/facts" ]; then
        (cd "$d/a" && "$rubric" eval -f json r.rubric ../facts >../eval.dir 2>../eval.dir.err
            echo "exit $?" >>../eval.dir)
    fi
    # long runs (--release): one seed in 25 also scores 60,000 employees (a
    # CSV over 2 MiB, so -j 2 cuts it into chunks): the same bytes as -j 1,
    # and its first 20 employees are team.csv's
    if [ "$release" = 1 ] && [ $((s % 25)) = 0 ]; then
        "$gen" "$s" facts 60000 >"$d/big.csv"
        for j in 1 2; do
            (cd "$d/a" && "$rubric" eval -f json -j $j r.rubric ../big.csv >../big.$j 2>../big.$j.err
                echo "exit $?" >>../big.$j)
        done
        if ! cmp -s "$d/big.1" "$d/big.2" || ! cmp -s "$d/big.1.err" "$d/big.2.err"; then
            echo "seed $s: eval -j 2 of 60,000 employees differs from -j 1"
            cmp "$d/big.1" "$d/big.2"
            cmp "$d/big.1.err" "$d/big.2.err"
            return 1
        fi
        grep '^{' "$d/big.1" | head -n 20 | sed 's|"\.\./big\.csv:|"../team.csv:|' >"$d/big.head"
        if ! grep '^{' "$d/eval.a" | cmp -s - "$d/big.head"; then
            echo "seed $s: the first 20 of 60,000 employees differ from team.csv's"
            grep '^{' "$d/eval.a" | diff - "$d/big.head" | head -6
            return 1
        fi
        rm -f "$d/big.csv" "$d/big.1" "$d/big.2"
    fi
    if grep -q "$sanitized" "$d/test.a" "$d/test.b" "$d/eval.a.err" "$d/eval.b.err" \
        "$d/eval.csv.err" "$d/eval.tsv.err" "$d/eval.dir.err" "$d/eval.xlsx.err" \
        "$d/explain.err" "$d/template.err" 2>/dev/null; then
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
    return 0
}

# batch LANE SEED...: the seeds' models and CSVs, the oracle's rubrics and
# expectations (one python3 for the batch), `one` for each seed, then the
# oracle's comparison (one python3 again); one line per seed in the lane's files
batch() {
    k=$1
    shift
    ok=
    for s in "$@"; do
        d=$work/$s
        rm -rf "$d"
        mkdir -p "$d/a" "$d/b"
        "$gen" "$s" >"$d/model.json" && "$gen" "$s" facts 20 >"$d/team.csv" ||
            echo "gen failed" >"$d/oracle.out"
    done
    (cd "$work" && python3 "$here/oracle.py" prepare-dirs "$@")
    for s in "$@"; do
        one "$s" >"$work/lane$k.log" 2>&1
        rc=$?
        if [ $rc = 0 ]; then
            ok="$ok $s"
        elif [ $rc = 3 ]; then # rejected by check, as the oracle said
            echo "$s" >>"$work/lane$k.pass"
            echo "$s" >>"$work/lane$k.rejected"
            rm -rf "$work/$s"
        else
            echo "$s" >>"$work/lane$k.fail"
            cat "$work/lane$k.log"
            echo "  (kept in $work/$s)"
        fi
    done
    [ -n "$ok" ] || return 0
    # SEED DIFFER EDITION1 FORMAT per seed
    (cd "$work" && python3 "$here/oracle.py" compare-dirs $ok) >"$work/lane$k.cmp"
    while read -r s differ ed1 fmt; do
        d=$work/$s
        if [ "$differ" = failed ] || [ -z "$fmt" ]; then
            echo "seed $s: oracle.py compare failed: $ed1 $fmt"
            bad=1
        else
            echo "$differ" >>"$work/lane$k.differ"
            echo "$ed1" >>"$work/lane$k.ed1"
            echo "$fmt" >>"$work/lane$k.fmt"
            grep -o '\[\(edition 1\|known\): [^]]*\]' "$d/oracle.out" >>"$work/lane$k.kinds"
            bad=0
            if [ "$differ" -gt 0 ] && { [ "$strict" = 1 ] || [ "$differ" -gt "$ed1" ]; }; then
                echo "seed $s: the oracle and rubric differ"
                head -n 20 "$d/oracle.out"
                bad=1
            fi
        fi
        if [ $bad = 1 ]; then
            echo "$s" >>"$work/lane$k.fail"
            echo "  (kept in $d)"
            continue
        fi
        echo "$s" >>"$work/lane$k.pass"
        grep -c '"total"' "$d/eval.a" >>"$work/lane$k.scored"
        grep -c '"error"' "$d/eval.a" >>"$work/lane$k.errors"
        grep -c '^FAIL' "$d/test.a" >>"$work/lane$k.tfail"
        rm -rf "$d"
    done <"$work/lane$k.cmp"
}

# lane K: seeds first+K, first+K+2, ..., in batches of 25
lane() {
    for f in pass fail scored errors tfail differ ed1 fmt kinds rejected; do
        : >"$work/lane$1.$f"
    done
    next=$((first + $1)) # shell variables are global: batch and one use s
    while [ "$next" -le "$last" ]; do
        set -- "$1"
        while [ "$next" -le "$last" ] && [ $# -le 25 ]; do
            set -- "$@" "$next"
            next=$((next + 2))
        done
        batch "$@"
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
echo "random: oracle: $(total differ) employees or tests differ, $(total ed1) of them known first-edition behaviour$([ "$strict" = 1 ] && echo ' (--strict: failures)'); $(total fmt) JSON lines not in Edition 2's shape"
cat "$work"/lane0.kinds "$work"/lane1.kinds | sort | uniq -c | sed 's/^ */random:   /' 
echo "random: $(count rejected) rubrics rejected by check as the oracle predicted ([max], [clamp])"
echo "random: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
