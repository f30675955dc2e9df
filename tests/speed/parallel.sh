#!/bin/sh
# rubric eval -j N against one thread (issue 11, "all cores"). The CSV files of
# parallel_gen.py (quoted line breaks, CRLF, a BOM, GB18030, an encoding
# decided 200 KiB in, bad rows of every kind, an unclosed quote at the end, a
# quota) are scored with -j 1 and then with -j 2, 3 and 7, the chunks made
# small with RUBRIC_CHUNK_BYTES (a test-build setting) so that every file is
# cut into many, at row boundaries that fall next to quoted line breaks (and
# RUBRIC_CHUNK_FILES cuts a folder of 300 fact files into chunks of 1 to 11):
# standard output, standard error and the exit status must be the same bytes.
# Then the usage errors of -j, with their exact messages and status.
#
# usage: parallel.sh BUILD_DIR   (uses BUILD_DIR/san/rubric: RUBRIC_CHUNK_BYTES
#                                 is read by test builds only)
set -u
build=$1
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
rubric=${PAR_RUBRIC:-$build/san/rubric}
[ -x "$rubric" ] || { echo "parallel: no $rubric" >&2; exit 2; }
rubric=$(cd "$(dirname "$rubric")" && pwd)/$(basename "$rubric")
work=$(cd "$build" && pwd)/parallel
rm -rf "$work"
mkdir -p "$work" || exit 2
python3 "$here/parallel_gen.py" "$work/data" || { echo "FAIL parallel: generator"; exit 1; }
R=$top/rubrics/客户考核评分表.rubric
Q=$top/tests/eval/quota/配额.rubric
F=$top/examples/客户考核评分表/facts
pass=0
fail=0

# same "ARGS": -j 1 once, then -j 2, 3, 7 with several chunk sizes
same() {
    (cd "$work/data" && "$rubric" eval -j 1 "$@" >"$work/o.1" 2>"$work/e.1" </dev/null
     echo $? >"$work/c.1")
    [ -s "$work/o.1" ] || [ -s "$work/e.1" ] || { echo "FAIL parallel: $*: no output"; fail=$((fail + 1)); return; }
    for run in "2 1" "2 4096" "3 100" "7 7" "7 20000" "3 1000000"; do
        set -- $run "$@"
        j=$1 chunk=$2
        shift 2
        (cd "$work/data" && RUBRIC_CHUNK_BYTES=$chunk RUBRIC_CHUNK_FILES=$((chunk % 11 + 1)) "$rubric" eval -j "$j" "$@" >"$work/o.2" \
            2>"$work/e.2" </dev/null; echo $? >"$work/c.2")
        for f in o e c; do
            if ! cmp -s "$work/$f.1" "$work/$f.2"; then
                echo "FAIL parallel: eval -j $j (chunks of $chunk bytes) $*: $f differs from -j 1"
                diff "$work/$f.1" "$work/$f.2" | head -10
                fail=$((fail + 1))
                return
            fi
        done
    done
    pass=$((pass + 1))
}

for f in mixed bom crlf gb late unclosed; do
    same -f csv "$R" "$f.csv"
done
same -f json "$R" mixed.csv
same -f tsv --bom "$R" gb.csv
same -f csv "$R" team
same -f json "$R" mixed.csv team "$F" crlf.csv team/ late.csv
same -f csv -o "$work/out.csv" "$R" bom.csv
same -f csv "$Q" quota.csv
same -f json --strict "$Q" quota.csv quota.csv
# plain rows with empty, bad and unusual values (tests/eval/rows): a worker's
# first row, its header mapped ahead, is one of them (its slots cleared first)
T=$top/tests/eval/rows
same -f csv "$T/逐行.rubric" "$T/逐行.csv" "$T/换列.csv" "$T/逐行.csv"

# the files above must hold what they are there for
(cd "$work/data" && "$rubric" eval -j 1 -f csv "$R" mixed.csv >/dev/null 2>"$work/mixed.err")
for want in 'column 备注 is not a fact' 'not valid UTF-8 or GB18030 text' 'row has 10 cells' \
    'row has 18 cells' 'unexpected text after the closing quote' 'is ambiguous for a percent' \
    'mixed.csv:7: error: fact 完成率: expected a percent, got "abc"'; do
    if grep -q "$want" "$work/mixed.err"; then
        pass=$((pass + 1))
    else
        echo "FAIL parallel: mixed.csv was to give '$want'"
        fail=$((fail + 1))
    fi
done
# the unknown-column warning once, after the 5 rows of 3 cells (line 2-6),
# at the first row that can be read
n=$(grep -c 'column 备注 is not a fact' "$work/mixed.err")
if [ "$n" = 1 ] && [ "$(sed -n 6p "$work/mixed.err" | cut -c1-16)" = "mixed.csv: warni" ] &&
    sed -n 5p "$work/mixed.err" | grep -q '^mixed.csv:6: error: row has 3 cells'; then
    pass=$((pass + 1))
else
    echo "FAIL parallel: the header's warning: $n times, line 6 is: $(sed -n 6p "$work/mixed.err")"
    fail=$((fail + 1))
fi

# write errors: the jobs' output written to /dev/full (status 2, standard
# error as with -j 1: the bad rows' lines, "cannot write" with -o) and to a
# reader that stops after 100 bytes (more than a pipe holds follows: killed
# by SIGPIPE, 141, or status 2 where SIGPIPE is ignored; what the reader got
# is the start of -j 1's output)
if [ -w /dev/full ]; then
    for o in "" "-o /dev/full"; do
        for j in 1 2; do
            # shellcheck disable=SC2086
            (cd "$work/data" && RUBRIC_CHUNK_BYTES=4096 "$rubric" eval -j $j $o -f csv "$R" \
                mixed.csv >/dev/full 2>"$work/full.$j"; echo $? >"$work/fullc.$j")
        done
        if [ "$(cat "$work/fullc.1")" = 2 ] && [ "$(cat "$work/fullc.2")" = 2 ] &&
            cmp -s "$work/full.1" "$work/full.2" && grep -q 'row has 10 cells' "$work/full.2" &&
            { [ -z "$o" ] || grep -q '^rubric: error: cannot write /dev/full: ' "$work/full.2"; }; then
            pass=$((pass + 1))
        else
            echo "FAIL parallel: eval $o >/dev/full: status $(cat "$work/fullc.1") and $(cat "$work/fullc.2") (want 2)"
            diff "$work/full.1" "$work/full.2" | head -5
            fail=$((fail + 1))
        fi
    done
fi
(cd "$work/data" && "$rubric" eval -j 1 -f json "$R" mixed.csv >"$work/pipe.all" 2>/dev/null)
head -c 100 "$work/pipe.all" >"$work/pipe.want"
for j in 1 2; do
    (cd "$work/data" && { RUBRIC_CHUNK_BYTES=4096 "$rubric" eval -j $j -f json "$R" mixed.csv \
        2>/dev/null; echo $? >"$work/pipec.$j"; } | head -c 100 >"$work/pipe.$j")
done
if [ "$(wc -c <"$work/pipe.all")" -gt 500000 ] && [ "$(cat "$work/pipec.1")" = "$(cat "$work/pipec.2")" ] &&
    { [ "$(cat "$work/pipec.2")" = 141 ] || [ "$(cat "$work/pipec.2")" = 2 ]; } &&
    cmp -s "$work/pipe.want" "$work/pipe.1" && cmp -s "$work/pipe.want" "$work/pipe.2"; then
    pass=$((pass + 1))
else
    echo "FAIL parallel: a reader that stops early: status $(cat "$work/pipec.1") and $(cat "$work/pipec.2") (want 141 or 2, both)"
    fail=$((fail + 1))
fi

# usage errors: message, status 2, nothing on standard output
usage() { # EXPECTED-MESSAGE ARGS...
    want=$1
    shift
    "$rubric" eval "$@" "$R" "$work/data/mixed.csv" >"$work/uo" 2>"$work/ue"
    code=$?
    printf 'rubric: %s\nRun '\''rubric --help'\'' for usage.\n' "$want" >"$work/uw"
    if [ $code -eq 2 ] && [ ! -s "$work/uo" ] && cmp -s "$work/uw" "$work/ue"; then
        pass=$((pass + 1))
    else
        echo "FAIL parallel: eval $*: status $code, stderr:"
        cat "$work/ue"
        fail=$((fail + 1))
    fi
}
usage 'eval: -j needs a number of threads, 1 or more, not "0"' -j 0
usage 'eval: -j needs a number of threads, 1 or more, not "-1"' -j -1
usage 'eval: -j needs a number of threads, 1 or more, not "two"' -j two
usage 'eval: -j needs a number of threads, 1 or more, not "2.5"' --jobs=2.5
usage 'eval: -j needs a number of threads, 1 or more, not ""' --jobs=
usage 'eval: -j needs a number of threads, 1 or more, not "x"' -jx
usage 'eval: -j 257 is more threads than the limit of 256' -j 257
usage 'eval: -j 99999999999999999999999 is more threads than the limit of 256' --jobs 99999999999999999999999
usage 'eval: unknown option --jobsx' --jobsx
(cd "$work/data" && "$rubric" eval -f csv "$R" mixed.csv -j >"$work/uo" 2>"$work/ue")
code=$?
if [ $code -eq 2 ] && grep -q '^rubric: eval: -j needs a value$' "$work/ue"; then
    pass=$((pass + 1))
else
    echo "FAIL parallel: eval ... -j (no value): status $code"
    fail=$((fail + 1))
fi
# the limit itself is allowed, and -j3 / --jobs=2 are spelt as documented
for ok in "-j 256" -j3 --jobs=2 "--jobs 1"; do
    # shellcheck disable=SC2086
    (cd "$work/data" && RUBRIC_CHUNK_BYTES=500 "$rubric" eval $ok -f csv "$R" mixed.csv \
        >"$work/o.2" 2>"$work/e.2")
    "$rubric" eval -j 1 -f csv "$R" "$work/data/mixed.csv" >"$work/o.1" 2>/dev/null
    if cmp -s "$work/o.1" "$work/o.2"; then
        pass=$((pass + 1))
    else
        echo "FAIL parallel: eval $ok: not the output of -j 1"
        fail=$((fail + 1))
    fi
done

echo "parallel: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
