#!/bin/sh
# The Chinese message catalog against the sources.
#
#   sh tools/po-update.sh --check  [BUILD]   fail if a message has no translation
#   sh tools/po-update.sh --update [BUILD]   merge new messages into po/zh_CN.po
#
# Both extract every message of src/ and grammar/ to BUILD/po/rubric.pot
# (BUILD defaults to build). Messages are found by xgettext through _(), N_(),
# ngettext() and the functions that translate their format argument
# themselves: diag_at, diag_hint, diag_note, diag_plain (diag.c), err, warn,
# misplaced and need_bool (check.c), fail (eval.c), lex_error (parse.c; its hint argument takes N_()) and
# cli_usage_error (cli.c). A new function of that kind needs its --keyword (and
# --flag for a printf format) here.
#
# xgettext takes only the first string literal of an argument such as
# cond ? "one message" : "another": wrap each branch in N_() so both are
# extracted. A sentence whose words vary (singular/plural, one word chosen
# among several) is one whole format per case (ngettext for a count), never
# English fragments passed through %s: the fragments would stay English.
#
# --check fails when a message of the sources is missing from po/zh_CN.po,
# untranslated or fuzzy, when the catalog holds entries the sources no longer
# have, or when msgfmt --check finds an error (e.g. a translation whose %
# directives differ from the English).
#
# --update adds the new messages to po/zh_CN.po untranslated (or fuzzy, with a
# guess from a similar old message), drops the ones gone from the sources, and
# lists what needs a translator. Then edit po/zh_CN.po: write each msgstr,
# delete the "#, fuzzy" line once a guess is corrected, and run --check.
set -u
mode=${1:---check}
build=${2:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
po=po/zh_CN.po
pot=$build/po/rubric.pot
mkdir -p "$build/po"

# shellcheck disable=SC2046
xgettext --language=C --from-code=UTF-8 --no-wrap --add-location=file --sort-by-file \
    --package-name=rubric --msgid-bugs-address=rubric \
    --keyword=_ --keyword=N_ --keyword=ngettext:1,2 \
    --keyword=diag_at:7 --flag=diag_at:7:c-format \
    --keyword=diag_hint:2 --flag=diag_hint:2:c-format \
    --keyword=diag_note:5 --flag=diag_note:5:c-format \
    --keyword=diag_plain:4 --flag=diag_plain:4:c-format \
    --keyword=err:4 --flag=err:4:c-format \
    --keyword=warn:4 --flag=warn:4:c-format \
    --keyword=fail:3 --flag=fail:3:c-format \
    --keyword=lex_error:3 \
    --keyword=cli_usage_error:1 --flag=cli_usage_error:1:c-format \
    --keyword=misplaced:4 --keyword=need_bool:4 \
    -o "$pot" $(ls src/*.c grammar/parser.y grammar/lexer.l) 2>"$build/po/xgettext.log" || {
    cat "$build/po/xgettext.log" >&2; exit 2; }

case $mode in
--update)
    msgmerge --quiet --update --backup=none --no-wrap --add-location=file "$po" "$pot" || exit 2
    msgattrib --no-obsolete --no-wrap -o "$po" "$po" || exit 2
    # the extraction date would change the file on every run
    sed -i '/^"POT-Creation-Date: /d' "$po"
    # the entries to translate, each without the catalog's header
    todo=$( (msgattrib --only-fuzzy --no-wrap --no-location "$po"
             msgattrib --untranslated --no-wrap --no-location "$po") |
           awk 'BEGIN { RS = ""; ORS = "\n\n" } !/^(#[^\n]*\n)*msgid ""\nmsgstr ""/')
    if [ -n "$todo" ]; then
        echo "po-update: $po needs translations (write each msgstr, delete '#, fuzzy'):"
        printf '%s\n' "$todo"
        exit 1
    fi
    echo "po-update: $po has a translation for every message"
    ;;
--check)
    status=0
    msgfmt --check --statistics -o /dev/null "$po" 2>"$build/po/stat" || status=1
    cat "$build/po/stat"
    if ! msgcmp "$po" "$pot" 2>"$build/po/cmp"; then
        sed "s|^|po-check: |" "$build/po/cmp" | head -40
        status=1
    fi
    # entries of the catalog that the sources no longer have
    if ! msgcmp --use-untranslated --use-fuzzy "$pot" "$po" 2>"$build/po/stale"; then
        n=$(grep -c 'this message is used but not defined' "$build/po/stale")
        echo "po-check: $po has $n entries no source uses any more (make po-update drops them)"
        status=1
    fi
    if [ $status = 0 ]; then
        echo "po-check: every message has a Chinese translation"
    else
        echo "po-check: FAILED; run 'make po-update', translate, then 'make po-check'"
    fi
    exit $status
    ;;
*)
    echo "usage: po-update.sh --check|--update [BUILD]" >&2
    exit 2
    ;;
esac
