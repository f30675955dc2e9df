#!/bin/sh
# Workbook round trips (the golden cases beside this file check messages):
#  1. eval on each workbook fixture prints what eval on the same data as CSV
#     prints (team.xlsx: LibreOffice's own CSV export; kinds.xlsx, both sheets:
#     kinds.csv, written from the fixture's data, not through a workbook);
#  2. eval -f xlsx writes the cells eval -f csv writes (read back with
#     openpyxl), header frozen, autofilter, CJK-wide columns, no formula;
#  3. a template filled in programmatically, as a manager would in Excel,
#     scores with no error and nothing on standard error; so does the CSV one;
#  4. zip bombs (a real 300 MiB shared-string table, with honest and with
#     lying headers) are refused with the limit named.
# usage: check.sh BUILD_DIR   (uses BUILD_DIR/rubric, the sanitizer build)
set -u
rubric=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")/rubric
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
py=/usr/bin/python3
rt="$here/roundtrip.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

# same_eval NAME RUBRIC XLSX_ARGS -- CSV: eval prints the same for both
same_eval() {
    name=$1 rub=$2 xl=$3 sheet=$4 csvf=$5
    if [ -n "$sheet" ]; then
        "$rubric" eval -f csv --sheet "$sheet" "$rub" "$xl" >"$tmp/x.out" 2>"$tmp/x.err"
    else
        "$rubric" eval -f csv "$rub" "$xl" >"$tmp/x.out" 2>"$tmp/x.err"
    fi
    xc=$?
    "$rubric" eval -f csv "$rub" "$csvf" >"$tmp/c.out" 2>"$tmp/c.err"
    cc=$?
    if [ $xc = $cc ] && cmp -s "$tmp/x.out" "$tmp/c.out" && [ -s "$tmp/x.out" ]; then
        ok
    else
        bad "$name: eval on the workbook (exit $xc) and on the CSV (exit $cc) differ:"
        diff "$tmp/c.out" "$tmp/x.out" | head -10
    fi
}

cd "$here" || exit 1
seed="$top/rubrics/客户考核评分表.rubric"
# LibreOffice's CSV export has the title row above the header: the CSV reader
# takes the first row as its header, so the export is read from the header on
sed -n '/^"工号"/,$p' team.export.csv >"$tmp/team.export.csv"
same_eval team-export "$seed" team.xlsx "" "$tmp/team.export.csv"
same_eval team-seed "$seed" team.xlsx "" "$top/examples/客户考核评分表/team.csv"
same_eval kinds kinds.rubric kinds.xlsx "" kinds.csv
same_eval kinds-second-sheet kinds.rubric kinds.xlsx 第二页 kinds.csv

# -f xlsx against -f csv, for a batch with error rows, percent and text outputs
for case in "kinds.rubric kinds.xlsx" "kinds.rubric nocache.xlsx" "$seed team.xlsx" \
    "digits.rubric digits.csv"; do
    set -- $case
    "$rubric" eval -f csv "$1" "$2" >"$tmp/o.csv" 2>/dev/null
    "$rubric" eval -f xlsx -o "$tmp/o.xlsx" "$1" "$2" 2>/dev/null
    code=$?
    if [ $code -gt 1 ] || [ ! -f "$tmp/o.xlsx" ]; then
        bad "eval -f xlsx $2: exit $code"
    elif $py "$rt" same "$tmp/o.csv" "$tmp/o.xlsx"; then
        ok
    else
        bad "eval -f xlsx $2 read back"
    fi
    rm -f "$tmp/o.xlsx"
done
# a text longer than a cell holds (32767 characters) is cut with a …, not a failed file
$py -c 'import sys; rows = open("kinds.csv", encoding="utf-8").read().split("\n")
print(rows[0]); print("工" * 40000 + rows[1][rows[1].index(","):])' >"$tmp/long.csv"
"$rubric" eval -f xlsx -o "$tmp/long.xlsx" kinds.rubric "$tmp/long.csv" 2>/dev/null
if $py -c 'import openpyxl, sys
v = openpyxl.load_workbook(sys.argv[1]).active["A2"].value
sys.exit(not (len(v) == 32767 and v.endswith("…") and v[0] == "工"))' "$tmp/long.xlsx"; then
    ok
else
    bad "a 40000-character id in -f xlsx"
fi
# no temporary file is left beside the output, and -o replaced it whole
if ls "$tmp"/o.xlsx.tmp* >/dev/null 2>&1; then bad "a temporary file was left"; else ok; fi

# templates filled in score without one error (客户考核评分表-原样 keeps the
# paper form's gap at 80% on purpose, so some filled values match no rule)
for rub in kinds.rubric raters.rubric raters-grade.rubric nohead.rubric "$top"/rubrics/*.rubric; do
    n=$(basename "$rub" .rubric)
    case $n in *原样) continue ;; esac
    if ! "$rubric" template -f xlsx -o "$tmp/t.xlsx" "$rub" 2>"$tmp/t.err"; then
        bad "template -f xlsx $n: $(cat "$tmp/t.err")"
        continue
    fi
    $py "$rt" template "$tmp/t.xlsx" || { bad "template $n"; continue; }
    $py "$rt" fill "$tmp/t.xlsx" "$tmp/filled.xlsx" 7 || { bad "filling the template of $n"; continue; }
    "$rubric" eval -f csv "$rub" "$tmp/filled.xlsx" >"$tmp/f.out" 2>"$tmp/f.err"
    code=$?
    # the quota summary (a rubric with quotas) is all standard error may hold
    if [ $code = 0 ] && ! grep -qv '^quota ' "$tmp/f.err" && [ "$(wc -l <"$tmp/f.out")" = 8 ]; then
        ok
    else
        bad "the filled template of $n: exit $code"
        head -5 "$tmp/f.err"
    fi
    "$rubric" template "$rub" >"$tmp/t.csv"
    $py "$rt" fillcsv "$tmp/t.csv" "$tmp/filled.csv" 7 "$tmp/t.xlsx"
    "$rubric" eval -f csv "$rub" "$tmp/filled.csv" >"$tmp/f.out" 2>"$tmp/f.err"
    code=$?
    # the quota summary (a rubric with quotas) is all standard error may hold
    if [ $code = 0 ] && ! grep -qv '^quota ' "$tmp/f.err" && [ "$(wc -l <"$tmp/f.out")" = 8 ]; then
        ok
    else
        bad "the filled CSV template of $n: exit $code"
        head -5 "$tmp/f.err"
    fi
done

# zip bombs: 300 MiB of shared strings in 300 KiB
for lie in "" lie; do
    $py "$rt" bomb "$tmp/bomb.xlsx" $lie
    "$rubric" eval -f csv kinds.rubric "$tmp/bomb.xlsx" >/dev/null 2>"$tmp/b.err"
    code=$?
    want="bomb.xlsx: error: xl/sharedStrings.xml unpacks to more than 256 MiB, the limit for a workbook part"
    if [ $code = 1 ] && [ "$(sed "s|^$tmp/||" "$tmp/b.err")" = "$want" ]; then
        ok
    else
        bad "zip bomb ${lie:-honest}: exit $code: $(cat "$tmp/b.err")"
    fi
done

echo "xlsx round trips: $pass passed, $fail failed"
[ $fail = 0 ]
