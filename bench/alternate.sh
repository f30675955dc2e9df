#!/bin/sh
# bench/alternate.sh BUILD [N] - rubric against mawk, run alternately N times
# (default 7) on the benchmark CSV that bench/run.sh made in BUILD/bench, so
# that both see the same load on a shared machine. Prints each pair and the
# medians of wall and CPU (user + system) seconds, and rubric's ratio from
# each median. RUBRIC_BIN names another rubric binary to time instead of
# BUILD/rubric. Needs GNU time (package `time`).
set -eu
cd "$(dirname "$0")/.."
BUILD=${1:-build}
N=${2:-7}
DATA=$BUILD/bench
RUBRIC=rubrics/客户考核评分表.rubric
AWK=${AWK:-mawk}
BIN=${RUBRIC_BIN:-$BUILD/rubric} # another build to compare, e.g. the previous commit's
[ -f "$DATA/big.csv" ] || { echo "alternate: run 'make BUILD=$BUILD bench' first" >&2; exit 1; }
env time -f '%e %U %S' true 2>/dev/null || { echo "alternate: no GNU time" >&2; exit 1; }
one() { # one CMD...: "wall cpu"
    env time -f '%e %U %S' -o "$DATA/alt.t" "$@" >/dev/null
    awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' "$DATA/alt.t"
}
: >"$DATA/alt.r"
: >"$DATA/alt.a"
i=0
while [ $i -lt "$N" ]; do
    r=$(one "$BIN" eval -f csv "$RUBRIC" "$DATA/big.csv")
    a=$(one "$AWK" -F, -f bench/score.awk "$DATA/big.csv")
    echo "run $((i + 1)): rubric $r   $AWK $a   (wall cpu)"
    echo "$r" >>"$DATA/alt.r"
    echo "$a" >>"$DATA/alt.a"
    i=$((i + 1))
done
med() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
rw=$(cut -d' ' -f1 "$DATA/alt.r" | med)
rc=$(cut -d' ' -f2 "$DATA/alt.r" | med)
aw=$(cut -d' ' -f1 "$DATA/alt.a" | med)
ac=$(cut -d' ' -f2 "$DATA/alt.a" | med)
awk -v rw="$rw" -v rc="$rc" -v aw="$aw" -v ac="$ac" -v n="$N" -v awkname="$AWK" 'BEGIN {
    printf "median of %d alternated runs: rubric %.3f s wall, %.3f s cpu; %s %.3f s wall, %.3f s cpu\n", n, rw, rc, awkname, aw, ac
    printf "rubric is %.2fx %s by wall time, %.2fx by cpu time\n", aw / rw, awkname, ac / rc
}'
