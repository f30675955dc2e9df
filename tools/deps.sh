#!/bin/sh
# Installs what building and testing rubric needs, when it is missing.
# As root on Debian: apt-get install. Otherwise: prints the command and fails.
set -u
missing=""
command -v cc >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1 || missing="$missing gcc"
command -v make >/dev/null 2>&1 || missing="$missing make"
command -v flex >/dev/null 2>&1 || missing="$missing flex"
command -v bison >/dev/null 2>&1 || missing="$missing bison"
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
# tests/random/oracle.py, the reference the random rubrics are scored against
command -v python3 >/dev/null 2>&1 || missing="$missing python3"
if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists cmocka 2>/dev/null; then
    missing="$missing libcmocka-dev"
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
