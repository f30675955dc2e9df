#!/bin/sh
# bench/run.sh BUILD - the benchmark behind `make bench`.
#
# Scores 1,000,000 CSV rows and 100,000 fact files for
# rubrics/客户考核评分表.rubric with BUILD/rubric, on one thread (-j 1) and
# on all processors (the default -j), and the same CSV with two hand-written
# peers (bench/score.awk under mawk, bench/score.py under python3); the fact
# files are also read by bench/readloop.c (readdir, open, read: the floor).
# First checks on a 1,000-row sample, and then on every one of the 1M rows,
# that all of them print the same id,total,grade, and that -j 1 and the
# default print the same bytes. Each time is the best of 3 runs (hyperfine's
# minimum when hyperfine is installed).
#
# Environment: BENCH_ROWS, BENCH_FACTS, BENCH_RUNS change the sizes;
# AWK names the awk (default mawk); PYTHON the python (default python3).
# The data goes to BUILD/bench/ and is made again only when gen.awk or the
# sizes change.
set -eu

cd "$(dirname "$0")/.."
BUILD=${1:-build}
BIN=$BUILD/rubric
RUBRIC=rubrics/客户考核评分表.rubric
ROWS=${BENCH_ROWS:-1000000}
FACTS=${BENCH_FACTS:-100000}
RUNS=${BENCH_RUNS:-3}
SAMPLE=1000
SEED=20261101
DATA=$BUILD/bench

die() { echo "bench: $*" >&2; exit 1; }
note() { echo "bench: $*" >&2; }

[ -x "$BIN" ] || die "$BIN not built (make BUILD=$BUILD $BIN)"
LOOP=$BUILD/readloop
${CC:-cc} -std=c17 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -O2 -o "$LOOP" bench/readloop.c ||
    die "cannot build bench/readloop.c"
AWK=${AWK:-mawk}
if ! command -v "$AWK" >/dev/null 2>&1; then
    note "$AWK not found, using awk as the awk peer"
    AWK=awk
fi
PYTHON=${PYTHON:-python3}
if ! command -v "$PYTHON" >/dev/null 2>&1; then
    note "$PYTHON not found: the Python peer is skipped"
    PYTHON=
fi

# Peak RSS needs GNU time; as root on Debian, install it.
GNUTIME="env time"   # GNU time from PATH, not the shell keyword
if ! $GNUTIME -v true >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        note "installing GNU time for peak memory"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null 2>&1 || true
    fi
    $GNUTIME -v true >/dev/null 2>&1 || { note "no GNU time (package 'time'): peak memory skipped"; GNUTIME=; }
fi

# --- data --------------------------------------------------------------------
mkdir -p "$DATA"
stamp="$(cksum < bench/gen.awk) $ROWS $FACTS $SEED"
if [ ! -f "$DATA/stamp" ] || [ "$(cat "$DATA/stamp")" != "$stamp" ]; then
    note "generating $ROWS CSV rows and $FACTS fact files into $DATA"
    rm -rf "$DATA/facts" "$DATA/stamp"
    mkdir -p "$DATA/facts"
    "$AWK" -f bench/gen.awk -v rows="$ROWS" -v seed="$SEED" > "$DATA/big.csv"
    "$AWK" -f bench/gen.awk -v rows=0 -v facts="$FACTS" -v dir="$DATA/facts" -v seed="$SEED" > /dev/null
    echo "$stamp" > "$DATA/stamp"
fi
# The sample: the first rows of the big CSV, and as many fact files holding
# the same employees (gen.awk writes the CSV's first employees again).
head -n $((SAMPLE + 1)) "$DATA/big.csv" > "$DATA/sample.csv"
MID=100000
[ "$ROWS" -ge $MID ] || MID=$ROWS
head -n $((MID + 1)) "$DATA/big.csv" > "$DATA/mid.csv"     # peak memory in between
rm -rf "$DATA/sample-facts"
mkdir -p "$DATA/sample-facts"
"$AWK" -f bench/gen.awk -v rows=0 -v facts="$SAMPLE" -v dir="$DATA/sample-facts" -v seed="$SEED" > /dev/null

# --- the peers agree ---------------------------------------------------------
# rubric's CSV is id, the scores, total, grade, error: keep id,total,grade.
idtotal() { "$AWK" -F, '{ print $1 "," $(NF-2) "," $(NF-1) }'; }

agree() {   # agree WHAT FILE-A FILE-B
    if ! cmp -s "$2" "$3"; then
        echo "bench: MISMATCH in $1: $2 and $3 differ:" >&2
        diff "$2" "$3" | head -20 >&2
        exit 1
    fi
}

check() {   # check CSV FACTS-DIR-OR-EMPTY TAG
    "$BIN" eval -f csv "$RUBRIC" "$1" > "$DATA/$3.rubric.out" || die "rubric eval failed on $1"
    idtotal < "$DATA/$3.rubric.out" > "$DATA/$3.rubric"
    "$AWK" -F, -f bench/score.awk "$1" > "$DATA/$3.awk"
    agree "$3 (rubric vs $AWK)" "$DATA/$3.rubric" "$DATA/$3.awk"
    if [ -n "$PYTHON" ]; then
        "$PYTHON" bench/score.py "$1" > "$DATA/$3.py"
        agree "$3 (rubric vs $PYTHON)" "$DATA/$3.rubric" "$DATA/$3.py"
    fi
    if [ -n "$2" ]; then
        "$BIN" eval -f csv "$RUBRIC" "$2" > "$DATA/$3.facts.out" || die "rubric eval failed on $2"
        idtotal < "$DATA/$3.facts.out" > "$DATA/$3.facts"
        agree "$3 (CSV vs fact files)" "$DATA/$3.rubric" "$DATA/$3.facts"
    fi
    rm -f "$DATA/$3".*
}

check "$DATA/sample.csv" "$DATA/sample-facts" check-sample
note "sample of $SAMPLE: rubric, $AWK${PYTHON:+ and $PYTHON} print the same id,total,grade; so do the fact files"
check "$DATA/big.csv" "" check-all
note "all $ROWS rows: rubric, $AWK${PYTHON:+ and $PYTHON} print the same id,total,grade"
# one thread and all of them: the same bytes, on the CSV and on the fact files
for what in big.csv facts; do
    "$BIN" eval -j 1 -f csv "$RUBRIC" "$DATA/$what" > "$DATA/j1.out" 2> "$DATA/j1.err" || true
    "$BIN" eval -f csv "$RUBRIC" "$DATA/$what" > "$DATA/jn.out" 2> "$DATA/jn.err" || true
    agree "$what (-j 1 vs the default -j, stdout)" "$DATA/j1.out" "$DATA/jn.out"
    agree "$what (-j 1 vs the default -j, stderr)" "$DATA/j1.err" "$DATA/jn.err"
    rm -f "$DATA"/j1.* "$DATA"/jn.*
done
note "-j 1 and -j $(nproc 2>/dev/null || echo N) print the same bytes on the CSV and the fact files"

# --- timing ------------------------------------------------------------------
now() { date +%s%N; }

best() {    # best CMD ARGS... : prints the best wall time of RUNS runs, seconds
    if command -v hyperfine >/dev/null 2>&1; then
        hyperfine -N --style none --runs "$RUNS" --export-csv "$DATA/hf.csv" \
            "$*" >/dev/null 2>&1 || die "failed: $*"
        "$AWK" -F, 'NR == 2 { printf "%.3f\n", $7 }' "$DATA/hf.csv"
        return
    fi
    b=
    i=0
    while [ $i -lt "$RUNS" ]; do
        t0=$(now)
        "$@" > /dev/null || die "failed: $*"
        t1=$(now)
        t=$(( (t1 - t0) / 1000000 ))
        if [ -z "$b" ] || [ "$t" -lt "$b" ]; then b=$t; fi
        i=$((i + 1))
    done
    "$AWK" -v ms="$b" 'BEGIN { printf "%.3f\n", ms / 1000 }'
}

rss() {     # rss CMD ARGS... : peak resident set size, KiB
    [ -n "$GNUTIME" ] || { echo "-"; return; }
    $GNUTIME -v "$@" 2>&1 >/dev/null | "$AWK" '/Maximum resident set size/ { print $NF }'
}

note "timing, best of $RUNS"
t_rubric1=$(best "$BIN" eval -j 1 -f csv "$RUBRIC" "$DATA/big.csv")
t_rubric=$(best "$BIN" eval -f csv "$RUBRIC" "$DATA/big.csv")
t_awk=$(best "$AWK" -F, -f bench/score.awk "$DATA/big.csv")
t_py=-
[ -z "$PYTHON" ] || t_py=$(best "$PYTHON" bench/score.py "$DATA/big.csv")
t_facts1=$(best "$BIN" eval -j 1 -f csv "$RUBRIC" "$DATA/facts")
t_facts=$(best "$BIN" eval -f csv "$RUBRIC" "$DATA/facts")
t_loop=$(best "$LOOP" "$DATA/facts")

m_1k=$(rss "$BIN" eval -j 1 -f csv "$RUBRIC" "$DATA/sample.csv")
m_mid=$(rss "$BIN" eval -j 1 -f csv "$RUBRIC" "$DATA/mid.csv")
m_1m=$(rss "$BIN" eval -j 1 -f csv "$RUBRIC" "$DATA/big.csv")
m_mid_n=$(rss "$BIN" eval -f csv "$RUBRIC" "$DATA/mid.csv")
m_1m_n=$(rss "$BIN" eval -f csv "$RUBRIC" "$DATA/big.csv")
m_facts=$(rss "$BIN" eval -f csv "$RUBRIC" "$DATA/facts")
m_awk=$(rss "$AWK" -F, -f bench/score.awk "$DATA/big.csv")
m_py=-
[ -z "$PYTHON" ] || m_py=$(rss "$PYTHON" bench/score.py "$DATA/big.csv")

# --- report ------------------------------------------------------------------
"$AWK" -v rows="$ROWS" -v facts="$FACTS" -v runs="$RUNS" -v ncpu="$(nproc 2>/dev/null || echo '?')" \
    -v awk="$AWK" -v py="${PYTHON:-python3}" \
    -v tr="$t_rubric" -v tr1="$t_rubric1" -v ta="$t_awk" -v tp="$t_py" -v tf="$t_facts" \
    -v tf1="$t_facts1" -v tl="$t_loop" -v m1k="$m_1k" -v mid="$MID" -v mmid="$m_mid" -v m1m="$m_1m" \
    -v mmidn="$m_mid_n" -v m1mn="$m_1m_n" -v mf="$m_facts" -v ma="$m_awk" -v mp="$m_py" '
function rate(n, t) { return t == "-" ? "-" : sprintf("%.0f", n / t) }
function line(what, n, t, m, ratio) {
    printf "%-34s %9s %12s %10s %11s\n", what, t == "-" ? "skipped" : t, rate(n, t), ratio, m
}
BEGIN {
    r = rows / tr
    printf "\nrubric benchmark: rubrics/客户考核评分表.rubric, best of %d, %s CPUs\n\n", runs, ncpu
    printf "%-34s %9s %12s %10s %11s\n", "", "seconds", "rows/s", "rubric is", "peak KiB"
    line("rubric eval, " rows "-row CSV", rows, tr, m1mn, "")
    line("rubric eval -j 1, same CSV", rows, tr1, m1m, sprintf("%.2fx", tr1 / tr))
    line(awk " score.awk, same CSV", rows, ta, ma, sprintf("%.2fx", r / (rows / ta)))
    line(py " score.py, same CSV", rows, tp, mp, tp == "-" ? "-" : sprintf("%.2fx", r / (rows / tp)))
    line("rubric eval, " facts " fact files", facts, tf, mf, "")
    line("rubric eval -j 1, same files", facts, tf1, "", sprintf("%.2fx", tf1 / tf))
    line("readloop (readdir, open, read)", facts, tl, "", sprintf("%.2fx", tl / tf))
    printf "%-34s %9s %12s %10s %11s\n", "rubric eval, " mid "-row CSV", "", "", "", mmidn
    printf "%-34s %9s %12s %10s %11s\n", "rubric eval -j 1, " mid "-row CSV", "", "", "", mmid
    printf "%-34s %9s %12s %10s %11s\n", "rubric eval -j 1, 1000-row CSV", "", "", "", m1k
    printf "\n(-j 1 lines: \"rubric is\" is how much faster the default -j is; readloop: how much\n"
    printf "faster rubric would have to be to read the folder as fast as the bare loop)\n"
    printf "\nfact files: rubric takes %.2fx the time of the read-only loop (goal: at most 1.5x): %s\n",
        tf / tl, (tf / tl <= 1.5 ? "met" : "NOT met")
    x = r / (rows / ta)
    printf "\ngoal, at least 10x %s on the CSV: %s (%.2fx)\n", awk, (x >= 10 ? "met" : "NOT met"), x
    if (m1k != "-") {
        same = m1m + 0 <= (m1k + 0) * 1.05 + 128    # within 5% and 128 KiB
        printf "goal, same peak memory for 1000 and %d rows: %s (%d KiB vs %d KiB, -j 1)\n",
            rows, (same ? "met" : "NOT met"), m1k, m1m
        # with threads how many chunks are in flight at the peak varies from run
        # to run (at most 2 per thread plus 2, 256 KiB of CSV and its output each)
        samen = m1mn + 0 <= (mmidn + 0) * 1.10 + 512
        printf "goal, same peak memory for %d and %d rows on %s threads (10%%): %s (%d KiB vs %d KiB)\n",
            mid, rows, ncpu, (samen ? "met" : "NOT met"), mmidn, m1mn
    }
}'
