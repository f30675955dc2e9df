#!/bin/sh
# Fault injection: every allocation failure and the read errors a batch can
# meet must end cleanly.
#
# 1. Out of memory. The sanitizer build (RUBRIC_TESTING) honours
#    RUBRIC_COUNT_ALLOC=1 (print the number of allocations at exit) and
#    RUBRIC_FAIL_ALLOC=N (the Nth allocation fails). For each command below we
#    count its allocations, then fail each N in turn (a stride when there are
#    more than FI_MAX runs) and require: exit status 2, "rubric: error: out of
#    memory" on stderr, and no sanitizer report (ASan, UBSan or LeakSanitizer).
# 2. Read errors in a batch: a fact path that is a folder, a symlink loop, a
#    FIFO whose writer closes early, and a file removed mid-batch (sequenced
#    with a FIFO, so it is deterministic). Each must be that employee's error
#    line while the employees around it are scored, exit status 1.
#
# usage: fault-injection.sh RUBRIC_SANITIZER_BINARY
# Prints "N passed, N failed" and exits 1 when any failed.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(cd "$(dirname "$0")/../.." && pwd)
max=${FI_MAX:-400}
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

R=rubrics/客户考核评分表.rubric
T=examples/客户考核评分表
cp "$top/$R" "$tmp/fmt.rubric"

# oom NAME ARGS...: walk the failing allocation across one command
oom() {
    name=$1
    shift
    count=$(cd "$top" && RUBRIC_COUNT_ALLOC=1 "$bin" "$@" 2>&1 >/dev/null </dev/null |
        sed -n 's/^rubric: \([0-9]*\) allocations$/\1/p')
    if [ -z "$count" ] || [ "$count" -lt 1 ]; then
        bad "oom $name: could not count allocations (is this the sanitizer build?)"
        return
    fi
    step=$(((count + max - 1) / max))
    n=1
    broken=0
    while [ "$n" -le "$count" ]; do
        (cd "$top" && RUBRIC_FAIL_ALLOC=$n "$bin" "$@" >/dev/null 2>"$tmp/err" </dev/null)
        code=$?
        why=
        [ "$code" = 2 ] || why="exit status $code, expected 2"
        grep -q '^rubric: error: out of memory$' "$tmp/err" || why="$why; no out-of-memory message"
        if grep -q 'Sanitizer\|runtime error\|AddressSanitizer\|LeakSanitizer' "$tmp/err"; then
            why="$why; sanitizer report"
        fi
        if [ -n "$why" ]; then
            bad "oom $name: allocation $n of $count: $why"
            head -20 "$tmp/err"
            broken=1
            break
        fi
        n=$((n + step))
    done
    [ $broken = 0 ] && ok && echo "ok   oom $name: $count allocations, every $step failed in turn"
}

oom check check "$R"
oom check-verbose check --verbose "$R"
oom eval-json-csv eval -f json "$R" "$T/team.csv"
oom eval-json-facts eval -f json "$R" "$T/facts"
oom eval-table eval -f table "$R" "$T/team.csv"
# -j 2 with chunks of 100 bytes: the team on two worker threads (parallel.c),
# where a failed allocation in a worker ends the program the same way
export RUBRIC_CHUNK_BYTES=100 RUBRIC_CHUNK_FILES=2
oom eval-parallel-csv eval -j 2 -f json "$R" "$T/team.csv"
oom eval-parallel-facts eval -j 2 -f csv "$R" "$T/facts"
unset RUBRIC_CHUNK_BYTES RUBRIC_CHUNK_FILES
oom eval-output eval -f csv -o "$tmp/out.csv" "$R" "$T/team.csv"
oom test test "$R"
oom explain explain "$R" "$T/team.csv" --id E1001
oom fmt fmt "$tmp/fmt.rubric"
oom render-html render -f html "$R"
oom check-errors check tests/check/five-unrelated-mistakes.rubric
oom eval-xlsx-in eval -f csv tests/xlsx/kinds.rubric tests/xlsx/kinds.xlsx
oom eval-xlsx-out eval -f xlsx -o "$tmp/out.xlsx" "$R" "$T/team.csv"
oom template-xlsx template -f xlsx -o "$tmp/t.xlsx" "$R"

# read errors ------------------------------------------------------------
facts=$top/$T/facts
mkdir "$tmp/r"
cd "$tmp/r" || exit 1
cp "$top/$R" r.rubric
cp "$facts/张伟.facts" a.facts
cp "$facts/王芳.facts" b.facts
cp "$facts/李娜.facts" c.facts
mkdir folder.facts sub
cp a.facts c.facts sub/
mkdir sub/inner.facts
ln -s loop.facts loop.facts
ln -s x.facts sub/x.facts

# batch NAME EXPECTED_STDERR ARGS...: the ids printed (CSV column 1) must be
# E1001 (a.facts) ... E1003 (c.facts) around the bad one, the exit status 1
batch() {
    name=$1 want_err=$2 want_ids=$3
    shift 3
    "$bin" eval -f csv r.rubric "$@" >out 2>err </dev/null
    code=$?
    ids=$(sed 1d out | cut -d, -f1 | tr '\n' ' ')
    if [ "$code" = 1 ] && [ "$(cat err)" = "$want_err" ] && [ "$ids" = "$want_ids" ]; then
        ok
        echo "ok   read $name"
    else
        bad "read $name: exit status $code (want 1), ids [$ids] (want [$want_ids]), stderr:"
        cat err
    fi
}

batch folder-named-facts "folder.facts: error: the folder holds no .facts files" \
    "E1001 folder E1003 " a.facts folder.facts c.facts
batch symlink-loop "loop.facts: error: cannot read: Too many levels of symbolic links" \
    "E1001 loop E1003 " a.facts loop.facts c.facts
batch folder-with-bad-entries "sub/inner.facts: error: cannot read: Is a directory
sub/x.facts: error: cannot read: Too many levels of symbolic links" \
    "E1001 E1003 inner x " sub

# a FIFO whose writer writes half a line and closes (the id line it did
# write is read: edition 2 keeps the id of a fact file with bad lines)
mkfifo early.facts
(exec 3>early.facts && printf '工号 = E9\n完成' >&3) &
batch fifo-writer-closes-early 'early.facts: error: line 2: expected NAME = VALUE, got "完成"' \
    "E1001 E9 E1003 " a.facts early.facts c.facts
wait

# the 2nd of 3 files is removed while the 1st (a FIFO) is being read: the
# writer's open returns only once rubric has opened the FIFO, so the removal
# happens after the batch started and before rubric reaches gone.facts
mkfifo first.facts
cp b.facts gone.facts
(exec 3>first.facts && rm gone.facts && cat a.facts >&3) &
batch removed-mid-batch "gone.facts: error: cannot read: No such file or directory" \
    "E1001 gone E1003 " first.facts gone.facts c.facts
wait

# -o onto a path that is no regular file (a FIFO here; /dev/null in real
# life) writes into it: renaming a temporary file over it replaced the device
# with a file (as root, /dev/null for everyone). Each command's output must
# arrive through the FIFO, and the FIFO must still be one afterwards.
for c in "eval -o out.fifo $top/$R $top/$T/team.csv" "report -o out.fifo $top/$R $top/$T/team.csv" \
    "render -o out.fifo $top/$R"; do
    rm -f out.fifo got
    mkfifo out.fifo
    (timeout 20 cat out.fifo >got) &
    # shellcheck disable=SC2086
    "$bin" $c >/dev/null 2>&1 </dev/null
    wait
    name=${c%% *}
    if [ -p out.fifo ] && [ -s got ]; then
        ok
        echo "ok   -o onto a FIFO: $name"
    else
        bad "-o onto a FIFO: $name: the FIFO was replaced or received nothing"
    fi
done

echo "fault injection: $pass passed, $fail failed"
[ "$fail" = 0 ]
