#!/bin/sh
# Golden tests: run rubric on each case and compare stdout, stderr and the exit
# status with the expected files beside it.
#
#   tests/<suite>/NAME.cmd     the arguments to rubric (one line), run in that folder
#   tests/check/NAME.rubric    a case of its own: the arguments default to "check NAME.rubric"
#   tests/zh/NAME.rubric       (the same in tests/zh, under its ENV)
#   NAME.out, NAME.err         expected standard output and standard error (missing: empty)
#   NAME.code                  expected exit status (missing: 0)
#   tests/<suite>/ENV          VAR=VALUE words put in the environment of every case of
#                              the suite (tests/zh: a Chinese locale)
# Every case runs under LC_ALL=C.UTF-8 (English messages) unless its suite's ENV
# says otherwise, so the caller's locale never changes the expected text.
# Also: every rubrics/*.rubric must check clean and pass its own tests, and
# tests/fmt/roundtrip.sh must pass (fmt keeps meaning, is idempotent).
#
# usage: golden.sh RUBRIC_BINARY [--update]
# --update rewrites the expected files from what the binary prints now; read
# the diff before committing it.
set -u
# messages in English whatever the caller's locale (see ENV above)
unset LANGUAGE LC_MESSAGES LANG
export LC_ALL=C.UTF-8
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
update=${2:-}
top=$(cd "$(dirname "$0")/.." && pwd)
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run_case() { # dir name args...
    dir=$1 name=$2
    shift 2
    suite_env=
    [ -f "$dir/ENV" ] && suite_env=$(cat "$dir/ENV")
    # shellcheck disable=SC2086
    (cd "$dir" && env $suite_env "$bin" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null)
    code=$?
    if [ "$update" = --update ]; then
        cp "$tmp/out" "$dir/$name.out"
        cp "$tmp/err" "$dir/$name.err"
        echo "$code" >"$dir/$name.code"
        [ -s "$dir/$name.out" ] || rm -f "$dir/$name.out"
        [ -s "$dir/$name.err" ] || rm -f "$dir/$name.err"
        [ "$code" = 0 ] && rm -f "$dir/$name.code"
    fi
    want_code=0
    [ -f "$dir/$name.code" ] && want_code=$(cat "$dir/$name.code")
    ok=1
    [ "$code" = "$want_code" ] || { echo "FAIL $dir/$name: exit status $code, expected $want_code"; ok=0; }
    for s in out err; do
        if [ -f "$dir/$name.$s" ]; then
            cmp -s "$tmp/$s" "$dir/$name.$s" || {
                echo "FAIL $dir/$name: std$s differs:"
                diff "$dir/$name.$s" "$tmp/$s" | head -20
                ok=0
            }
        elif [ -s "$tmp/$s" ]; then
            echo "FAIL $dir/$name: unexpected std$s:"
            head -20 "$tmp/$s"
            ok=0
        fi
    done
    if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
}

for suite in "$top"/tests/*/; do
    for cmd in "$suite"*.cmd; do
        [ -f "$cmd" ] || continue
        name=$(basename "$cmd" .cmd)
        # shellcheck disable=SC2046
        eval "set -- $(cat "$cmd")"
        run_case "${suite%/}" "$name" "$@"
    done
done
for r in "$top"/tests/check/*.rubric "$top"/tests/zh/*.rubric; do
    [ -f "$r" ] || continue
    name=$(basename "$r" .rubric)
    [ -f "${r%.rubric}.cmd" ] && continue
    run_case "$(dirname "$r")" "$name" check "$name.rubric"
done

for r in "$top"/rubrics/*.rubric; do
    [ -f "$r" ] || continue
    if out=$(cd "$top" && "$bin" check "rubrics/$(basename "$r")" 2>&1); then
        pass=$((pass + 1))
    else
        echo "FAIL rubric check rubrics/$(basename "$r"):"; echo "$out" | head -20
        fail=$((fail + 1))
    fi
    if out=$(cd "$top" && "$bin" test "rubrics/$(basename "$r")" 2>&1); then
        pass=$((pass + 1))
    else
        echo "FAIL rubric test rubrics/$(basename "$r"):"; echo "$out" | head -20
        fail=$((fail + 1))
    fi
done

# fmt keeps meaning and is idempotent on every rubric we have
if (cd "$top" && sh tests/fmt/roundtrip.sh "$bin" >"$tmp/roundtrip" 2>&1); then
    pass=$((pass + 1))
else
    echo "FAIL fmt round trip:"; tail -20 "$tmp/roundtrip"
    fail=$((fail + 1))
fi

echo "golden: $pass passed, $fail failed"
[ "$fail" = 0 ]
