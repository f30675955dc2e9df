#!/bin/sh
# bench/profile.sh BUILD [ROWS] - where rubric spends its instructions.
#
# Runs BUILD/rubric under valgrind --tool=callgrind on the first ROWS rows
# (default 100000) of the benchmark CSV that bench/run.sh made in BUILD/bench,
# and prints the functions by instructions executed, self and inclusive.
# Instruction counts do not change with the machine's load, unlike times.
set -eu
cd "$(dirname "$0")/.."
BUILD=${1:-build}
ROWS=${2:-100000}
DATA=$BUILD/bench
RUBRIC=rubrics/客户考核评分表.rubric
command -v valgrind >/dev/null 2>&1 || { echo "profile: valgrind is not installed" >&2; exit 1; }
[ -f "$DATA/big.csv" ] || { echo "profile: run 'make BUILD=$BUILD bench' first" >&2; exit 1; }
head -n $((ROWS + 1)) "$DATA/big.csv" > "$DATA/profile.csv"
valgrind --tool=callgrind --callgrind-out-file="$DATA/callgrind.out" \
    "$BUILD/rubric" eval -f csv "$RUBRIC" "$DATA/profile.csv" > /dev/null 2> "$DATA/callgrind.log"
total=$(sed -n 's/.*Collected : //p' "$DATA/callgrind.log")
echo "rubric eval on $ROWS rows: $total instructions, $((total / ROWS)) a row"
echo
echo "self:"
# one line a function: drop the binary's path and the lines that repeat a
# function under its source file's full path
top() {
    callgrind_annotate "$@" "$DATA/callgrind.out" 2>/dev/null | sed -n '/file:function/,$p' |
        sed 's/ \[[^]]*\]$//' | grep -v '%)  /\|???:0x\|below main\|libc-start\|ld-linux' | sed -n '3,27p'
}
top
echo
echo "inclusive:"
top --inclusive=yes
