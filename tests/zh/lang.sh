#!/bin/sh
# How rubric chooses the language of its messages, run with a clean
# environment (env -i), so it passes on a machine without a zh_CN locale:
# --lang wins; else the first of LC_ALL, LC_MESSAGES, LANG that is set and
# not empty; zh... is Chinese. And where the catalog is found: beside the
# executable (the build tree), in a relocated install (BIN/../share/locale),
# and nowhere (then English, never a failure).
# usage: lang.sh RUBRIC_BINARY BUILD_DIR
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
build=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
zh="$here/readme-typo.err"     # the Chinese message, caret and code
en="$here/lang-en.err"         # the same in English
cd "$here" || exit 1

expect() { # want_file description env-and-args...
    want=$1 what=$2
    shift 2
    env -i "$@" >"$tmp/out" 2>"$tmp/err"
    code=$?
    if [ "$code" = 1 ] && cmp -s "$tmp/err" "$want"; then
        pass=$((pass + 1))
    else
        echo "FAIL lang: $what (exit $code):"
        diff "$want" "$tmp/err" | head -10
        fail=$((fail + 1))
    fi
}
typo="check readme-typo.rubric"
# shellcheck disable=SC2086
{
expect "$zh" "LANG=zh_CN.UTF-8" LANG=zh_CN.UTF-8 "$bin" $typo
expect "$en" "LANG=C" LANG=C "$bin" $typo
expect "$en" "no locale variable at all" "$bin" $typo
expect "$zh" "LANG=zh_CN (no codeset)" LANG=zh_CN "$bin" $typo
expect "$zh" "LANG=zh_TW.UTF-8 (zh... is Chinese)" LANG=zh_TW.UTF-8 "$bin" $typo
expect "$en" "LANG=en_US.UTF-8" LANG=en_US.UTF-8 "$bin" $typo
expect "$zh" "LC_ALL before LANG" LC_ALL=zh_CN.UTF-8 LANG=C "$bin" $typo
expect "$en" "LC_ALL before LANG (English)" LC_ALL=C LANG=zh_CN.UTF-8 "$bin" $typo
expect "$zh" "LC_MESSAGES before LANG" LC_MESSAGES=zh_CN.UTF-8 LANG=C "$bin" $typo
expect "$zh" "an empty LC_ALL is skipped" LC_ALL= LC_MESSAGES=zh_CN.UTF-8 LANG=C "$bin" $typo
expect "$en" "LANGUAGE alone does not choose" LANGUAGE=zh_CN LANG=C "$bin" $typo
expect "$zh" "--lang zh under LANG=C" LANG=C "$bin" --lang zh $typo
expect "$zh" "--lang=zh after the command" LANG=C "$bin" check --lang=zh readme-typo.rubric
expect "$en" "--lang en under LANG=zh_CN.UTF-8" LANG=zh_CN.UTF-8 "$bin" --lang en $typo
expect "$en" "the last --lang wins" LANG=C "$bin" --lang zh --lang en $typo
}

# a relocated install: BIN/rubric with BIN/../share/locale holding the catalog
mkdir -p "$tmp/inst/bin" "$tmp/inst/share/locale/zh_CN/LC_MESSAGES" "$tmp/bare"
cp "$bin" "$tmp/inst/bin/rubric"
cp "$build/locale/zh_CN/LC_MESSAGES/rubric.mo" "$tmp/inst/share/locale/zh_CN/LC_MESSAGES/"
# shellcheck disable=SC2086
expect "$zh" "installed as BIN/rubric with BIN/../share/locale" LANG=zh_CN.UTF-8 "$tmp/inst/bin/rubric" $typo
# no catalog anywhere near (and none installed under the default prefix is
# assumed): English, not an error
cp "$bin" "$tmp/bare/rubric"
if [ ! -e /usr/local/share/locale/zh_CN/LC_MESSAGES/rubric.mo ]; then
    # shellcheck disable=SC2086
    expect "$en" "no catalog found: English" LANG=zh_CN.UTF-8 "$tmp/bare/rubric" $typo
fi

echo "lang: $pass passed, $fail failed"
[ "$fail" = 0 ]
