#!/bin/sh
# Bad inputs too large to commit, generated at test time into a temp folder:
# a 100 MB line (rubric and CSV), 10,000-deep parentheses, a 1 MB name, CSVs
# with 100,000 and 65,536 columns, a rubric that cannot be read; and output
# safety: `rubric eval -o out.csv` killed (SIGKILL) mid-write leaves the old
# out.csv or none, never a partial one.
#
# usage: generated.sh RUBRIC_SANITIZER_BINARY
# Prints "N passed, N failed" (and known failures: bugs reported but not yet
# fixed, which do not fail the run; an unexpected pass says to promote it).
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
pass=0
fail=0
xfail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
cp "$here/base.rubric" base.rubric

# expect NAME WANT_CODE WANT_STDOUT WANT_STDERR_FIRST_LINE [KNOWN_BUG]
# (run the command first with run ...; compares exit status, all of stdout and
# the first line of stderr; a case with KNOWN_BUG is expected to fail)
run() { "$bin" "$@" >out 2>err </dev/null; code=$?; }
expect() {
    name=$1 want_code=$2 want_out=$3 want_err=$4 known=${5:-}
    why=
    [ "$code" = "$want_code" ] || why="exit status $code, expected $want_code"
    [ "$(cat out)" = "$want_out" ] || why="$why; stdout differs: $(head -c 300 out)"
    [ "$(head -n 1 err | cut -c1-300)" = "$want_err" ] || why="$why; stderr differs: $(head -c 300 err)"
    if grep -q 'Sanitizer\|runtime error' err; then why="$why; sanitizer report"; fi
    if [ -n "$known" ]; then
        if [ -n "$why" ]; then
            xfail=$((xfail + 1))
            echo "known failure $name ($known)"
        else
            fail=$((fail + 1))
            echo "FAIL $name: passes now: remove the known-bug mark ($known)"
        fi
    elif [ -n "$why" ]; then
        fail=$((fail + 1))
        echo "FAIL $name: $why"
    else
        pass=$((pass + 1))
    fi
}

# x repeated N times
rep() { head -c "$2" /dev/zero | tr '\0' "$1"; }

# 10,000-deep parentheses
{
    printf 'rubric "深" {\n    fact 分: number 0..100\n    item 项 { score '
    rep '(' 10000
    printf '分'
    rep ')' 10000
    printf ' }\n}\n'
} >deep.rubric
run check deep.rubric
expect deep-parentheses 1 "" "deep.rubric:3:84: error: parentheses nested deeper than 64 levels [limit]"

# a 1 MB name (350,000 three-byte characters)
{
    printf 'rubric "长名" {\n    fact '
    rep x 1048576
    printf ': number 0..100\n    item 项 { score 1 }\n}\n'
} >name.rubric
run check name.rubric
expect name-1mb 1 "" "name.rubric:2:10: error: this name is 1048576 bytes long; a name has at most 256 [limit]"

# a 100 MB line in a rubric
{
    printf 'rubric "长" {\n    fact 分: number  # '
    rep x 104857600
    printf '\n}\n'
} >long.rubric
run check long.rubric
expect rubric-line-100mb 2 "" "rubric: error: long.rubric is larger than the limit of 16 MiB for a rubric file"

# a rubric that is missing, or a folder
run check missing.rubric
expect rubric-missing 2 "" "rubric: error: cannot open missing.rubric: No such file or directory"
mkdir folder.rubric
run check folder.rubric
expect rubric-is-folder 2 "" "rubric: error: cannot read folder.rubric: Is a directory"

# a 100 MB line in a CSV between good rows
{
    printf '工号,完成率,满意度,全勤\nE1,95%%,90,是\nE2,95%%,80,'
    rep x 104857600
    printf '\nE3,100%%,100,否\n'
} >long.csv
run eval -f csv base.rubric long.csv
expect csv-line-100mb 1 "id,业绩,满意,total,grade,error
E1,80,90,84,合格,
long,,,,,a row is longer than 64 MiB
E3,100,100,100,优秀," "long.csv:3: error: a row is longer than 64 MiB"

# a CSV with 100,000 columns: over the limit of 65,536
wide() { # COLUMNS
    awk -v n="$1" 'BEGIN {
        printf "工号,完成率,满意度,全勤"; for (i = 4; i < n; i++) printf ",c%d", i; print ""
        printf "E1,95%%,90,是"; for (i = 4; i < n; i++) printf ","; print ""
        printf "E2,95%%,80,是"; for (i = 4; i < n; i++) printf ","; print "" }'
}
wide 100000 >wide.csv
run eval -f csv base.rubric wide.csv
expect csv-100000-columns 1 "id,业绩,满意,total,grade,error
wide,,,,,the header has more than 65536 columns" "wide.csv:1: error: the header has more than 65536 columns"
wide 65536 >wide.csv
run eval -f csv base.rubric wide.csv
expect csv-65536-columns 0 "id,业绩,满意,total,grade,error
E1,80,90,84,合格,
E2,80,80,80,合格," "wide.csv: warning: column c4 is not a fact of this rubric and is ignored [unknown-fact]"

# explain of a CSV whose one employee is followed by 30,000 empty ",," rows
# (Excel writes them below a formatted range): looking for a second employee
# moved the reader's buffer under the first one's text, printed as ","
printf 'rubric "t" {\n    id 工号\n    fact 工号: text\n    fact 部门: text\n    item a {\n        部门 == "销售" -> 10\n        else -> 0\n    }\n}\n' >text.rubric
{
    printf '工号,部门\nE1,销售部\n'
    awk 'BEGIN { for (i = 0; i < 30000; i++) print ",," }'
} >trailing.csv
run explain text.rubric trailing.csv
expect explain-trailing-empty-rows 0 "员工 E1  trailing.csv:2
评分表 t  text.rubric

项目  得分  满分  贡献
a        0    10     0
    规则 text.rubric:7  else -> 0
    数据 部门 = \"销售部\"

总分 = a 0" ""

# fmt --diff with a TMPDIR too long for a path: the temporary file cannot be
# made, and fmt says so (it used a 4096-byte buffer, truncating the path)
printf 'rubric "t" {\nfact x: number\n    item a { score x }\n}\n' >messy.rubric
longdir=/nonexistent/$(rep d 5000)
TMPDIR=$longdir "$bin" fmt --diff messy.rubric >out 2>err </dev/null
code=$?
expect fmt-diff-long-tmpdir 1 "" "$(printf 'rubric: fmt: cannot show the changes: %s/rubric-fmt-XXXXXX: File name too long' "$longdir" | cut -c1-300)"

# output safety: SIGKILL mid-write leaves the old out.csv (or none), whole
awk 'BEGIN { print "工号,完成率,满意度,全勤"; for (i = 0; i < 1000000; i++) print "E" i ",95%,90,是" }' >big.csv
killed() { # NAME: start eval -o out.csv, kill it once it is writing, check out.csv
    name=$1
    "$bin" eval -j 1 -f json -o out.csv base.rubric big.csv 2>/dev/null &
    pid=$!
    i=0
    while [ $i -lt 600 ]; do # until the temporary file has grown (at most 60 s)
        t=$(ls out.csv.tmp* 2>/dev/null | head -n 1)
        [ -n "$t" ] && [ "$(wc -c <"$t")" -gt 100000 ] && break
        sleep 0.1
        i=$((i + 1))
    done
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    code=0
    : >out
    [ -f out.csv ] && cat out.csv >out
    : >err
    rm -f out.csv.tmp* # a SIGKILL cannot clean up; the name never collides with out.csv
}
killed kill-mid-write-new
expect kill-mid-write-leaves-nothing 0 "" ""
printf 'old\n' >out.csv
killed kill-mid-write-old
expect kill-mid-write-keeps-old 0 "old" ""
run eval -f csv -o out.csv base.rubric big.csv
code2=$code
code=$( [ "$code2" = 0 ] && [ "$(wc -l <out.csv)" = 1000001 ] && ! ls out.csv.tmp* >/dev/null 2>&1 && echo 0 || echo 1)
: >out
expect complete-write-replaces 0 "" ""

echo "generated bad inputs: $pass passed, $fail failed, $xfail known failures"
[ "$fail" = 0 ]
