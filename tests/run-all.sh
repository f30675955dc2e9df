#!/bin/sh
# Runs every unit test binary, then the golden tests, random rubrics, explain
# and render checks, the fuzz corpus replay,
# the generated bad inputs and fault injection; prints each runner's summary
# and fails if any failed. Usage: run-all.sh BUILD_DIR UNIT_NAME...
# With VALGRIND=1 in the environment (make test VALGRIND=1) the unit and
# golden tests use the unsanitised binaries in BUILD_DIR/vg/ under valgrind;
# the other suites need the sanitizer build (RUBRIC_TESTING) either way.
build=$1; shift
status=0
if [ "${VALGRIND:-}" = 1 ]; then
    vg="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
    for t in "$@"; do
        echo "== unit (valgrind): $t"
        $vg "$build/vg/$t" || status=1
    done
    # golden.sh runs one binary: a wrapper that runs rubric under valgrind
    wrap="$build/vg/rubric-valgrind"
    printf '#!/bin/sh\nexec %s "$(dirname "$0")/rubric" "$@"\n' "$vg" >"$wrap"
    chmod +x "$wrap"
    echo "== golden tests (valgrind)"
    sh tests/golden.sh "$wrap" || status=1
else
    for t in "$@"; do
        echo "== unit: $t"
        "$build/san/$t" || status=1
    done
    echo "== golden tests"
    sh tests/golden.sh "$build/san/rubric" || status=1
fi
echo "== random rubrics (generator, fmt round trips, eval and test against the exact oracle)"
sh tests/random/run.sh "$build" || status=1
echo "== explain (contributions add up, cited lines hold the rules)"
sh tests/explain/check.sh "$build/san" || status=1
echo "== render (score sheets in headless Chromium)"
sh tests/render/screenshot.sh "$build/san" || status=1
echo "== fuzz corpus and past crashes (replay)"
for h in fuzz_rubric fuzz_facts fuzz_eval; do
    set -- tests/fuzz/corpus/$h
    for f in tests/regress/$h-*; do
        case $f in *.txt) ;; *) [ -f "$f" ] && set -- "$@" "$f" ;; esac
    done
    "$build/san/replay-$h" "$@" || { echo "FAIL replay $h"; status=1; }
done
echo "== generated bad inputs"
sh tests/bad/generated.sh "$build/san/rubric" || status=1
echo "== fault injection"
sh tests/bad/fault-injection.sh "$build/san/rubric" || status=1
exit $status
