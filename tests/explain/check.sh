#!/bin/sh
# Checks `rubric explain -f json` against the seed rubrics and their example teams:
# for each examples/NAME/facts/*.facts, explained with rubrics/NAME.rubric,
#   (a) the top-level contributions add up to the printed total. Each contribution
#       and the total are reported rounded to the rubric's `round` digits, so they
#       may differ by half a unit in the last place per contribution plus half for
#       the total;
#   (b) every cited rule (nodes at any depth, and the grade rule) is on the line it
#       names: line rule.line of the rubric file holds rule.text;
#   an employee who cannot be scored must be one that examples/NAME/expected.md
#   lists as an error, and explain must say so (exit 1, "error" set, no total).
# Needs only sh and POSIX awk (JSON is read by flatten.awk beside this script).
#
# usage: check.sh BUILD_DIR      runs BUILD_DIR/rubric; run from anywhere
set -u
[ $# -eq 1 ] || { echo "usage: check.sh BUILD_DIR" >&2; exit 2; }
[ -x "$1/rubric" ] || { echo "check.sh: $1/rubric is not built" >&2; exit 2; }
bin=$(cd "$1" && pwd)/rubric
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cd "$top" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

for dir in examples/*/; do
    name=$(basename "$dir")
    rubric=rubrics/$name.rubric
    [ -f "$rubric" ] || { echo "FAIL $dir: no $rubric"; fail=$((fail + 1)); continue; }
    # digits after the point in reported scores: `round N` / `保留 N`, default 2
    digits=$("$bin" check --dump-ast "$rubric" 2>/dev/null |
        awk '/^ *ROUND$/ { r = 1; next } r && $1 == "NUM" { print $2; exit } { r = 0 }')
    [ -n "$digits" ] || digits=2
    for facts in "$dir"facts/*.facts; do
        "$bin" explain -f json "$rubric" "$facts" >"$tmp/json" 2>"$tmp/err"
        code=$?
        if ! awk -f "$here/flatten.awk" "$tmp/json" >"$tmp/flat"; then
            echo "FAIL $facts: explain -f json did not print valid JSON (exit status $code):"
            sed 's/^/    /' "$tmp/flat" "$tmp/err" | head -5
            fail=$((fail + 1))
            continue
        fi
        id=$(awk -F'\t' '$1 == ".id" { print $3 }' "$tmp/flat")
        # an employee the example deliberately cannot score: expected.md has "| ID | … error"
        want_error=no
        grep -F "| $id |" "$dir/expected.md" 2>/dev/null | grep -q 'error' && want_error=yes
        why=$(awk -F'\t' -v code="$code" -v want_error="$want_error" -v digits="$digits" \
                  -v rubric="$rubric" '
            FNR == NR {
                if ($1 == ".total") { total = $3; total_type = $2 }
                else if ($1 == ".error") { err = $3; err_type = $2 }
                else if ($1 ~ /^\.nodes\[[0-9]+\]\.contribution$/) {
                    k++; contrib[k] = $3; ctype[k] = $2
                } else if ($1 ~ /(^|\.)(rule|grade_rule)\.text$/) {
                    p = $1; sub(/\.text$/, "", p); text[p] = $3; rules[++nr] = p
                } else if ($1 ~ /(^|\.)(rule|grade_rule)\.line$/) {
                    p = $1; sub(/\.line$/, "", p); line[p] = $3; ltype[p] = $2
                }
                next
            }
            { src[FNR] = squeeze($0); nsrc = FNR }
            function bad(msg) { print msg; nbad++ }
            # white space folded, so a rule aligned by `rubric fmt` still matches
            function squeeze(s) { gsub(/[ \t]+/, " ", s); return s }
            END {
                if (err_type != "null") {
                    if (want_error != "yes") bad("cannot be scored: " err)
                    if (code != 1) bad("exit status " code " for an employee who cannot be scored, expected 1")
                    if (total_type != "null") bad("error " err " but total " total)
                    exit
                }
                if (want_error == "yes") bad("scored, but expected.md lists this employee as an error")
                if (code != 0) bad("exit status " code " for a scored employee, expected 0")
                # (a) the sum of the top-level contributions
                if (total_type != "number") bad("total is " total_type ", expected a number")
                if (k == 0) bad("no top-level contributions")
                sum = 0; terms = ""
                for (i = 1; i <= k; i++) {
                    if (ctype[i] != "number") { bad("top-level contribution " i " is " ctype[i]); continue }
                    sum += contrib[i]; terms = terms (i > 1 ? " + " : "") contrib[i]
                }
                unit = 1; for (i = 0; i < digits; i++) unit /= 10
                tol = (k + 1) / 2 * unit + 1e-9
                d = sum - total; if (d < 0) d = -d
                if (d > tol) bad(sprintf("contributions %s = %.10g, but total is %s (allowed difference %g)", terms, sum, total, tol - 1e-9))
                # (b) each cited rule is where it says
                for (i = 1; i <= nr; i++) {
                    p = rules[i]; t = text[p]
                    if (ltype[p] != "number") { bad(p ": rule.line is " ltype[p]); continue }
                    L = line[p] + 0
                    first = t; j = index(first, "\\n"); if (j > 0) first = substr(first, 1, j - 1)
                    first = squeeze(first)
                    if (first == "") bad(p ": empty rule.text")
                    else if (L < 1 || L > nsrc) bad(sprintf("%s: line %s is not in %s (%d lines)", p, line[p], rubric, nsrc))
                    else if (index(src[L], first) == 0)
                        bad(sprintf("%s: %s:%d is \"%s\", not the rule \"%s\"", p, rubric, L, src[L], first))
                }
                if (nr == 0) bad("no rule cited")
            }' "$tmp/flat" "$rubric")
        if [ -z "$why" ]; then
            pass=$((pass + 1))
        else
            echo "FAIL $facts (explain -f json $rubric):"
            echo "$why" | sed 's/^/    /'
            fail=$((fail + 1))
        fi
    done
done
echo "explain: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
