#!/bin/sh
# Runs every unit test binary, then the golden tests; prints each runner's
# summary and fails if any failed. Usage: run-all.sh BUILD_DIR UNIT_NAME...
build=$1; shift
status=0
for t in "$@"; do
    echo "== unit: $t"
    "$build/san/$t" || status=1
done
echo "== golden tests"
sh tests/golden.sh "$build/san/rubric" || status=1
exit $status
