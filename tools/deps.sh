#!/bin/sh
# Installs what building and testing rubric needs, when it is missing.
# As root on Debian: apt-get install. Otherwise: prints the command and fails.
# `deps.sh install` checks only what `make install` needs (no test packages).
set -u
missing=""
command -v cc >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1 || missing="$missing gcc"
command -v make >/dev/null 2>&1 || missing="$missing make"
command -v flex >/dev/null 2>&1 || missing="$missing flex"
command -v bison >/dev/null 2>&1 || missing="$missing bison"
# the man pages: scdoc writes them, preconv (groff-base) makes them plain ASCII
command -v scdoc >/dev/null 2>&1 || missing="$missing scdoc"
command -v preconv >/dev/null 2>&1 || missing="$missing groff-base"
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
# libzip and expat read .xlsx, libxlsxwriter writes it; cmocka runs the unit tests
libs="libzip:libzip-dev expat:libexpat1-dev xlsxwriter:libxlsxwriter-dev"
[ "${1:-}" = install ] || libs="$libs cmocka:libcmocka-dev"
for pc in $libs; do
    if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists "${pc%%:*}" 2>/dev/null; then
        missing="$missing ${pc#*:}"
    fi
done
# msgfmt builds the Chinese message catalog; xgettext/msgmerge check it
{ command -v msgfmt && command -v xgettext && command -v msgmerge; } >/dev/null 2>&1 ||
    missing="$missing gettext"
if [ "${1:-}" != install ]; then
    # the .xlsx round-trip tests read and fill workbooks with openpyxl (Debian's python3)
    /usr/bin/python3 -c 'import openpyxl' >/dev/null 2>&1 || missing="$missing python3-openpyxl"
    # tests/random/oracle.py, the reference the random rubrics are scored against
    command -v python3 >/dev/null 2>&1 || missing="$missing python3"
    # tests/install/check.sh renders the man pages with groff and man
    command -v man >/dev/null 2>&1 || missing="$missing man-db"
fi
# GMP: exact fractions for scores above an item (src/exact.c)
if [ ! -f /usr/include/gmp.h ] && [ ! -f "/usr/include/$(uname -m)-linux-gnu/gmp.h" ]; then
    missing="$missing libgmp-dev"
fi
[ -z "$missing" ] && exit 0
cmd="apt-get install -y$missing"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "rubric: installing build dependencies:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null 2>&1 || true
    # shellcheck disable=SC2086
    apt-get install -y -qq $missing >/dev/null || { echo "rubric: '$cmd' failed" >&2; exit 1; }
    exit 0
fi
echo "rubric: missing build dependencies:$missing" >&2
echo "rubric: install them with:  sudo $cmd" >&2
exit 1
