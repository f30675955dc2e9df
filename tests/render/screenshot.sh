#!/bin/sh
# Renders each rubrics/*.rubric as HTML (`rubric render -f html`) and opens it in
# headless Chromium:
#   --dump-dom     the page must show the rubric's name, and every section, group and
#                  item name with its weight (or, for an item without a weight, its
#                  declared max) in the same table row or heading; the names come from
#                  `rubric check --dump-ast`;
#   --screenshot   an A4-sized window (1240x1754); the PNG must exist, be a PNG of that
#                  size and be more than a blank page's worth of bytes.
# Screenshots are kept in BUILD_DIR/render/ for a look. With --update-doc the one of
# 客户考核评分表 is also copied to docs/render-客户考核评分表.png.
#
# Needs the Debian packages chromium and a CJK font (fonts-noto-cjk); when they are
# missing and this runs as root they are installed with apt-get, otherwise the script
# says why and exits 1: it never skips silently.
#
# usage: screenshot.sh BUILD_DIR [--update-doc]     runs BUILD_DIR/rubric; run from anywhere
set -u
case $# in 1 | 2) ;; *) echo "usage: screenshot.sh BUILD_DIR [--update-doc]" >&2; exit 2 ;; esac
[ -x "$1/rubric" ] || { echo "screenshot.sh: $1/rubric is not built" >&2; exit 2; }
build=$(cd "$1" && pwd)
bin=$build/rubric
update=${2:-}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$build/render
mkdir -p "$out"

# apt_install WHAT PACKAGE...: install quietly as root, or say why not and exit 1
apt_install() {
    what=$1
    shift
    if [ "$(id -u)" != 0 ]; then
        echo "render: $what is not installed and this is not root; run: apt-get install -y $*"
        exit 1
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "render: $what is not installed and there is no apt-get to install $*"
        exit 1
    fi
    echo "render: installing $* with apt-get (quietly)"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >"$tmp/apt.log" 2>&1; then
        # the package lists may be missing or stale: update once and retry
        DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$tmp/apt.log" 2>&1
        if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >>"$tmp/apt.log" 2>&1; then
            echo "render: could not install $*:"
            tail -5 "$tmp/apt.log" | sed 's/^/    /'
            exit 1
        fi
    fi
}

chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
    apt_install Chromium chromium
    chromium=$(command -v chromium || true)
    [ -n "$chromium" ] || { echo "render: chromium was installed but is not on PATH"; exit 1; }
fi
# without a CJK font every Chinese character is an empty box in the screenshot
if [ -z "$(fc-list :lang=zh family 2>/dev/null)" ]; then
    apt_install "a Chinese font" fonts-noto-cjk
    [ -n "$(fc-list :lang=zh family 2>/dev/null)" ] ||
        { echo "render: fonts-noto-cjk was installed but fontconfig finds no Chinese font"; exit 1; }
fi
limit=
command -v timeout >/dev/null 2>&1 && limit="timeout 120"

# run_chromium LOG ARGS...: one headless run with a fresh profile
run_chromium() {
    log=$1
    shift
    profile=$(mktemp -d)
    $limit "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" "$@" 2>"$log"
    status=$?
    rm -rf "$profile"
    return $status
}

pass=0
fail=0
n=0
for rubric in rubrics/*.rubric; do
    n=$((n + 1))
    name=$(basename "$rubric" .rubric)
    html=$tmp/$n.html # ASCII names in the file: URL
    png=$out/$name.png
    why=
    if ! "$bin" render -f html -o "$html" "$rubric" 2>"$tmp/err"; then
        echo "FAIL $rubric: render -f html failed:"
        sed 's/^/    /' "$tmp/err" | head -5
        fail=$((fail + 1))
        continue
    fi
    # what must be on the page: TAB-separated kind, name, weight, max
    "$bin" check --dump-ast "$rubric" 2>/dev/null | awk '
        /^RUBRIC / { sub(/^RUBRIC /, ""); printf "rubric\t%s\t\t\n", $0; next }
        /^ *(SECTION|GROUP|ITEM) / {
            w = ""; m = ""
            for (i = 3; i <= NF && substr($i, 1, 1) != "\""; i++) {
                if ($i == "weight") w = $(i + 1)
                if ($i == "max") m = $(i + 1)
            }
            printf "%s\t%s\t%s\t%s\n", tolower($1), $2, w, m
        }' >"$tmp/want"
    [ -s "$tmp/want" ] || why="check --dump-ast printed no names"

    if run_chromium "$tmp/log" --dump-dom "file://$html" >"$tmp/dom"; then
        # one line per table row, heading or paragraph, so a name and its weight
        # must be found on the same line
        awk '{ gsub(/<(tr|h[1-6]|p|li|div|caption|title)[ >]/, "\n&"); print }' "$tmp/dom" >"$tmp/lines"
        missing=$(awk -F'\t' '
            function esc(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s); return s }
            # s occurs in line with a tag or a space before it and no letter or digit after it
            function has(line, s, before,   i, rest, c, b) {
                rest = line
                while ((i = index(rest, s)) > 0) {
                    b = substr(rest, i - 1, 1)
                    c = substr(rest, i + length(s), 1)
                    if ((i == 1 || index(before, b) > 0) && (c == "" || index("<（( ）)", c) > 0)) return 1
                    rest = substr(rest, i + 1)
                }
                return 0
            }
            FNR == NR { dom[++nd] = $0; next }
            {
                kind = $1; name = esc($2); w = $3; m = $4
                found = 0
                for (i = 1; i <= nd && !found; i++) {
                    if (!has(dom[i], name, ">")) continue
                    if (w != "" && !has(dom[i], w, "> ")) continue
                    if (w == "" && m != "" && !has(dom[i], m, "> ")) continue
                    found = 1
                }
                if (!found) {
                    what = kind " " $2
                    if (w != "") what = what " with its weight " w
                    else if (m != "") what = what " with its max " m
                    print what
                }
            }' "$tmp/lines" "$tmp/want")
        [ -z "$missing" ] || why="${why}the page does not show: $(echo "$missing" | sed 's/$/;/' | tr '\n' ' ')"
    else
        why="${why}chromium --dump-dom failed (exit status $?): $(grep -v -e dbus -e 'unexpected operator' "$tmp/log" | tail -2); "
    fi

    rm -f "$png"
    if run_chromium "$tmp/log" --screenshot="$png" --window-size=1240,1754 "file://$html" >/dev/null; then
        size=$(wc -c <"$png" 2>/dev/null | tr -d ' ')
        # the PNG signature, then IHDR width and height (bytes 17-24, big-endian)
        head=$(od -An -tu1 -N24 "$png" 2>/dev/null | tr -s ' \n' '  ')
        dims=$(echo "$head" | awk '{ printf "%dx%d", (($17*256+$18)*256+$19)*256+$20, (($21*256+$22)*256+$23)*256+$24 }')
        if [ ! -s "$png" ]; then
            why="${why}no screenshot written; "
        elif [ "$(echo "$head" | awk '{ print $1, $2, $3, $4 }')" != "137 80 78 71" ]; then
            why="${why}$png is not a PNG; "
        elif [ "$dims" != 1240x1754 ]; then
            why="${why}screenshot is $dims, expected 1240x1754; "
        elif [ "$size" -lt 20000 ]; then # a blank 1240x1754 page is about 10 kB
            why="${why}screenshot is only $size bytes: the page looks empty; "
        fi
    else
        why="${why}chromium --screenshot failed (exit status $?): $(grep -v -e dbus -e 'unexpected operator' "$tmp/log" | tail -2); "
    fi

    if [ -z "$why" ]; then
        pass=$((pass + 1))
        echo "ok   $rubric  ($1/render/$name.png, $size bytes)"
    else
        fail=$((fail + 1))
        echo "FAIL $rubric: $why" | sed 's/;* *$//'
    fi
done

if [ "$update" = --update-doc ]; then
    cp "$out/客户考核评分表.png" "docs/render-客户考核评分表.png" && echo "render: wrote docs/render-客户考核评分表.png"
fi
echo "render: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$n" -gt 0 ]
