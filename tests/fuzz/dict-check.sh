#!/bin/sh
# dict-check.sh: every libFuzzer dictionary entry is one libFuzzer can read.
# libFuzzer takes only printable ASCII between the quotes (other bytes as \xNN)
# and stops the whole run at the first entry it cannot parse, so a raw UTF-8
# keyword in a .dict made every `make fuzz` run of the rubric harnesses exit
# at once without fuzzing anything.
cd "$(dirname "$0")" || exit 1
status=0
for d in *.dict; do
    bad=$(LC_ALL=C grep -n -v -E '^[[:space:]]*(#.*)?$|^([A-Za-z0-9_]+=)?"([ !#-[]|[]-~]|\\x[0-9a-fA-F]{2}|\\\\|\\")*"[[:space:]]*$' "$d")
    if [ -n "$bad" ]; then
        echo "FAIL $d: entries libFuzzer cannot parse (write other bytes as \\xNN):"
        echo "$bad" | head -n 5
        status=1
    else
        echo "ok   $d: $(LC_ALL=C grep -c '^[^#]*"' "$d") entries"
    fi
done
exit $status
