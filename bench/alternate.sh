#!/bin/sh
# bench/alternate.sh BUILD [N] - rubric on one thread (-j 1), rubric on JOBS
# threads (default 2: -j 2) and mawk, run alternately N times (default 7) on
# the benchmark CSV that bench/run.sh made in BUILD/bench, so that all three
# see the same load on a shared machine. Prints each round and the medians of
# wall and CPU (user + system) seconds, and rubric's ratios from each median.
# RUBRIC_BIN names another rubric binary to time instead of BUILD/rubric (one
# without -j: set JOBS=1). Needs GNU time (package `time`).
set -eu
cd "$(dirname "$0")/.."
BUILD=${1:-build}
N=${2:-7}
JOBS=${JOBS:-2}
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
j1() { # rubric on one thread (a build from before -j has no option: it is one thread)
    if [ "$JOBS" = 1 ]; then one "$BIN" eval -f csv "$RUBRIC" "$DATA/big.csv"; else
        one "$BIN" eval -j 1 -f csv "$RUBRIC" "$DATA/big.csv"; fi
}
: >"$DATA/alt.r"
: >"$DATA/alt.p"
: >"$DATA/alt.a"
i=0
while [ $i -lt "$N" ]; do
    r=$(j1)
    p=$r
    [ "$JOBS" = 1 ] || p=$(one "$BIN" eval -j "$JOBS" -f csv "$RUBRIC" "$DATA/big.csv")
    a=$(one "$AWK" -F, -f bench/score.awk "$DATA/big.csv")
    echo "run $((i + 1)): rubric -j 1 $r   rubric -j $JOBS $p   $AWK $a   (wall cpu)"
    echo "$r" >>"$DATA/alt.r"
    echo "$p" >>"$DATA/alt.p"
    echo "$a" >>"$DATA/alt.a"
    i=$((i + 1))
done
med() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
rw=$(cut -d' ' -f1 "$DATA/alt.r" | med)
rc=$(cut -d' ' -f2 "$DATA/alt.r" | med)
pw=$(cut -d' ' -f1 "$DATA/alt.p" | med)
pc=$(cut -d' ' -f2 "$DATA/alt.p" | med)
aw=$(cut -d' ' -f1 "$DATA/alt.a" | med)
ac=$(cut -d' ' -f2 "$DATA/alt.a" | med)
awk -v rw="$rw" -v rc="$rc" -v pw="$pw" -v pc="$pc" -v aw="$aw" -v ac="$ac" -v n="$N" \
    -v j="$JOBS" -v awkname="$AWK" -v load="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)" 'BEGIN {
    printf "median of %d alternated runs (load average now %s):\n", n, load
    printf "  rubric -j 1  %.3f s wall, %.3f s cpu\n", rw, rc
    printf "  rubric -j %-2s %.3f s wall, %.3f s cpu\n", j, pw, pc
    printf "  %-11s %.3f s wall, %.3f s cpu\n", awkname, aw, ac
    printf "rubric -j 1 is %.2fx %s by wall time, %.2fx by cpu time\n", aw / rw, awkname, ac / rc
    printf "rubric -j %s is %.2fx %s by wall time; %.2fx rubric -j 1 by wall time (cpu %.2fx)\n",
        j, aw / pw, awkname, rw / pw, pc / rc
}'
