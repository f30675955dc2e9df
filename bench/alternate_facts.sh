#!/bin/sh
# bench/alternate_facts.sh BUILD [N] - the fact folder of bench/run.sh
# (BUILD/bench/facts, 100,000 files) read by bench/readloop.c (readdir, open,
# read: the floor) and scored by rubric -j 1 and -j JOBS (default 2), run
# alternately N times (default 7) so that all see the same load on a shared
# machine. RUBRIC_OLD names another rubric binary (e.g. the previous commit's)
# to run in each round too. Prints each round, the medians of wall and CPU
# (user + system) seconds, and rubric's ratios to the loop. Needs GNU time.
set -eu
cd "$(dirname "$0")/.."
BUILD=${1:-build}
N=${2:-7}
JOBS=${JOBS:-2}
DATA=$BUILD/bench
DIR=${FACTS_DIR:-$DATA/facts}
RUBRIC=rubrics/客户考核评分表.rubric
BIN=$BUILD/rubric
OLD=${RUBRIC_OLD:-}
[ -d "$DIR" ] || { echo "alternate_facts: run 'make BUILD=$BUILD bench' first" >&2; exit 1; }
env time -f '%e %U %S' true 2>/dev/null || { echo "alternate_facts: no GNU time" >&2; exit 1; }
LOOP=$BUILD/readloop
${CC:-cc} -std=c17 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -O2 -o "$LOOP" bench/readloop.c
one() { # one CMD...: "wall cpu"
    env time -f '%e %U %S' -o "$DATA/altf.t" "$@" >/dev/null
    awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' "$DATA/altf.t"
}
: >"$DATA/altf.l"
: >"$DATA/altf.1"
: >"$DATA/altf.p"
: >"$DATA/altf.o"
i=0
while [ $i -lt "$N" ]; do
    l=$(one "$LOOP" "$DIR")
    r=$(one "$BIN" eval -j 1 -f csv "$RUBRIC" "$DIR")
    p=$(one "$BIN" eval -j "$JOBS" -f csv "$RUBRIC" "$DIR")
    o=-
    [ -z "$OLD" ] || o=$(one "$OLD" eval -j 1 -f csv "$RUBRIC" "$DIR")
    echo "run $((i + 1)): readloop $l   rubric -j 1 $r   -j $JOBS $p${OLD:+   old -j 1 $o}   (wall cpu)"
    echo "$l" >>"$DATA/altf.l"
    echo "$r" >>"$DATA/altf.1"
    echo "$p" >>"$DATA/altf.p"
    [ -z "$OLD" ] || echo "$o" >>"$DATA/altf.o"
    i=$((i + 1))
done
med() { sort -n | awk '{ v[NR] = $1 } END { if (!NR) print "-"; else print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { cut -d' ' -f"$2" "$DATA/altf.$1" | med; }
awk -v lw="$(col l 1)" -v lc="$(col l 2)" -v rw="$(col 1 1)" -v rc="$(col 1 2)" \
    -v pw="$(col p 1)" -v pc="$(col p 2)" -v ow="$(col o 1)" -v oc="$(col o 2)" -v n="$N" -v j="$JOBS" \
    -v load="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)" 'BEGIN {
    printf "median of %d alternated runs (load average now %s):\n", n, load
    printf "  readloop     %.3f s wall, %.3f s cpu\n", lw, lc
    printf "  rubric -j 1  %.3f s wall, %.3f s cpu: %.2fx the loop by wall time, %.2fx by cpu\n", rw, rc, rw / lw, rc / lc
    printf "  rubric -j %-2s %.3f s wall, %.3f s cpu: %.2fx the loop by wall time, %.2fx by cpu\n", j, pw, pc, pw / lw, pc / lc
    if (ow != "-")
        printf "  old -j 1     %.3f s wall, %.3f s cpu: %.2fx the loop by wall time, %.2fx by cpu\n", ow, oc, ow / lw, oc / lc
}'
