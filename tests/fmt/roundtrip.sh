#!/bin/sh
# roundtrip.sh - `rubric fmt` keeps a rubric's meaning and is idempotent.
#
# Usage: tests/fmt/roundtrip.sh RUBRIC [FMT_COMMAND...]
#   RUBRIC       the rubric binary (for `check --dump-ast`)
#   FMT_COMMAND  prints the formatted text of the file named after it; default
#                "RUBRIC fmt"
# For every rubrics/*.rubric, tests/check/*.rubric and tests/forms/*.rubric:
#   - a file fmt accepts: its formatted text gives the same `check --dump-ast`
#     output (names and values, no positions) and the same `check` exit status
#     as the original, and formatting that text again changes nothing;
#   - a file fmt refuses (a syntax error): fmt prints nothing on stdout and
#     `check` rejects the file too.
# With the default FMT_COMMAND, `RUBRIC fmt --check` must also accept the
# formatted text.
# Run from the top of the checkout. Exit status 0 when every file passes.
set -u
[ $# -ge 1 ] || { echo "usage: $0 RUBRIC [FMT_COMMAND...]" >&2; exit 2; }
rubric=$1; shift
own_fmt=false
[ $# -gt 0 ] || { set -- "$rubric" fmt; own_fmt=true; }
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 refused=0 fail=0

failed() { echo "FAIL $1: $2"; fail=$((fail + 1)); }

for f in rubrics/*.rubric tests/check/*.rubric tests/forms/*.rubric; do
    [ -f "$f" ] || continue
    "$@" "$f" >"$tmp/once.rubric" 2>"$tmp/fmt.err"
    st=$?
    "$rubric" check --dump-ast "$f" >"$tmp/orig.ast" 2>/dev/null
    orig_status=$?
    if [ $st -ne 0 ]; then
        if [ -s "$tmp/once.rubric" ]; then
            failed "$f" "fmt refused it (status $st) but wrote to stdout"
        elif [ $orig_status -eq 0 ]; then
            failed "$f" "fmt refused it (status $st) but check accepts it"
        else
            refused=$((refused + 1))
        fi
        continue
    fi
    "$rubric" check --dump-ast "$tmp/once.rubric" >"$tmp/once.ast" 2>/dev/null
    once_status=$?
    "$@" "$tmp/once.rubric" >"$tmp/twice.rubric" 2>/dev/null
    if ! cmp -s "$tmp/orig.ast" "$tmp/once.ast"; then
        failed "$f" "the formatted text parses to another syntax tree"
        diff "$tmp/orig.ast" "$tmp/once.ast" | head -20
    elif [ $orig_status -ne $once_status ]; then
        failed "$f" "check exits $orig_status on the original, $once_status on the formatted text"
    elif ! cmp -s "$tmp/once.rubric" "$tmp/twice.rubric"; then
        failed "$f" "formatting twice changes the text"
        diff "$tmp/once.rubric" "$tmp/twice.rubric" | head -20
    elif $own_fmt && ! "$rubric" fmt --check "$tmp/once.rubric" >/dev/null 2>&1; then
        failed "$f" "fmt --check rejects the formatted text"
    else
        pass=$((pass + 1))
    fi
done
echo "fmt round trip: $pass passed, $refused refused (syntax errors), $fail failed"
[ $fail -eq 0 ]
