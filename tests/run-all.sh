#!/bin/sh
# Runs every unit test binary, then the golden tests, random rubrics, explain
# and render checks, the fuzz corpus replay, the generated bad inputs, fault
# injection and what make install delivers; prints each runner's summary
# and fails if any failed. Usage: run-all.sh BUILD_DIR UNIT_NAME...
# With VALGRIND=1 in the environment (make test VALGRIND=1) the unit and
# golden tests use the unsanitised binaries in BUILD_DIR/vg/ under valgrind;
# the other suites need the sanitizer build (RUBRIC_TESTING) either way.
build=$1; shift
status=0
# English messages whatever the caller's locale (tests/zh sets its own)
unset LANGUAGE LC_MESSAGES LANG
export LC_ALL=C.UTF-8
echo "== message catalog (every message has a Chinese translation)"
sh tools/po-update.sh --check "$build" || status=1
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
echo "== message language (env -i: --lang, LC_ALL, LC_MESSAGES, LANG; catalog lookup)"
sh tests/zh/lang.sh "$build/san/rubric" "$build" || status=1
echo "== forms (rubrics/ forms scored by an independent reading of the design, tests/forms/check.py)"
python3 tests/forms/check.py "$build/san/rubric" || status=1
echo "== random rubrics (generator, fmt round trips, eval and test against the exact oracle)"
sh tests/random/run.sh "$build" --strict || status=1
echo "== compiled path (the same bytes as the fast and the exact path)"
sh tests/speed/differential.sh "$build" || status=1
echo "== column plans (CSV cells read as the design says, tests/speed/bind_check.py)"
python3 tests/speed/bind_check.py "$build/san/rubric" || status=1
echo "== fast-path goldens recomputed with Python fractions (tests/speed/fast_check.py)"
python3 tests/speed/fast_check.py || status=1
echo "== eval -j N (the same bytes as one thread)"
sh tests/speed/parallel.sh "$build" || status=1
echo "== xlsx (workbook round trips with openpyxl, filled templates, zip bombs)"
sh tests/xlsx/check.sh "$build/san" || status=1
echo "== explain (contributions add up, cited lines hold the rules)"
sh tests/explain/check.sh "$build/san" || status=1
echo "== render (score sheets in headless Chromium)"
sh tests/render/screenshot.sh "$build/san" || status=1
echo "== fuzz dictionaries (entries libFuzzer can parse)"
sh tests/fuzz/dict-check.sh || status=1
echo "== fuzz corpus and past crashes (replay)"
for h in fuzz_rubric fuzz_facts fuzz_eval fuzz_explain fuzz_render fuzz_fmt fuzz_report fuzz_csv \
    fuzz_diff fuzz_xlsx; do
    set -- tests/fuzz/corpus/$h
    for f in tests/regress/$h-*; do
        case $f in *.txt) ;; *) [ -f "$f" ] && set -- "$@" "$f" ;; esac
    done
    "$build/san/replay-$h" "$@" || { echo "FAIL replay $h"; status=1; }
done
echo "== mutated inputs through every command (150 cases; make mutate for a timed run)"
python3 tests/mutate/mutate.py "$build/san/rubric" --cases 150 --seed 1 --work "$build/mutate" || status=1
echo "== generated bad inputs"
sh tests/bad/generated.sh "$build/san/rubric" || status=1
echo "== limits (check on 8,800 repeated rules: linear output, under 10 s of CPU)"
python3 tests/limits/many-rules.py "$build/san/rubric" || status=1
echo "== fault injection"
sh tests/bad/fault-injection.sh "$build/san/rubric" || status=1
echo "== install (make install/uninstall, completion, man pages, editor syntax)"
sh tests/install/check.sh "$build" || status=1
exit $status
