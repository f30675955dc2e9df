#!/bin/sh
# Checks what `make install` delivers:
#   - `make install DESTDIR=D` installs bin/rubric (runnable), rubric.1, rubric.5
#     and the bash completion under D/usr/local with the right modes, PREFIX
#     moves them, each catalog in MO_FILES lands in
#     share/locale/LOCALE/LC_MESSAGES/rubric.mo, the files installed are exactly
#     `make install-files`, and `make uninstall` removes exactly those;
#   - the bash completion registers itself and offers the commands, each
#     command's options, option values, and .rubric / fact files by position
#     (COMPREPLY driven through the completion function, as bash does);
#   - both man pages render with no groff warning, plain (groff -ww) and
#     through man -l, hold what they must document, and their complete rubric
#     examples pass `rubric check`;
#   - the TextMate grammar parses and highlights (tmgrammar.py), and the Vim
#     syntax file loads and highlights (skipped, and counted so, without vim).
# Ends with `install: N skipped` (checks whose tool is missing) and
# `install: N passed, N failed`.
#
# usage: check.sh BUILD_DIR      run from anywhere; uses make in the repository
set -u
[ $# -eq 1 ] || { echo "usage: check.sh BUILD_DIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cd "$top" || exit 2
build=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
skip=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
skipped() { echo "SKIP $*"; skip=$((skip + 1)); }
mk() { make --no-print-directory -s BUILD="$build" "$@"; }

# ---- make install / uninstall ----
d=$tmp/dest
if mk install DESTDIR="$d" >"$tmp/install.out" 2>&1; then ok; else
    bad "make install DESTDIR=$d"; cat "$tmp/install.out"
fi
p=$d/usr/local
for f in bin/rubric:755 share/man/man1/rubric.1:644 share/man/man5/rubric.5:644 \
    share/bash-completion/completions/rubric:644; do
    path=$p/${f%:*}
    mode=${f#*:}
    if [ -f "$path" ]; then ok; else bad "make install: no $path"; continue; fi
    got=$(stat -c %a "$path")
    [ "$got" = "$mode" ] && ok || bad "make install: $path has mode $got, not $mode"
done
cmp -s "$build/rubric" "$p/bin/rubric" && ok || bad "installed bin/rubric is not $build/rubric"
cmp -s completion/rubric.bash "$p/share/bash-completion/completions/rubric" && ok ||
    bad "installed completion is not completion/rubric.bash"
v=$("$p/bin/rubric" --version 2>&1)
case $v in "rubric "[0-9]*) ok ;; *) bad "installed rubric --version printed '$v'" ;; esac
# exactly the files make install-files lists, nothing else
mk install-files DESTDIR="$d" 2>"$tmp/files.err" | sed "s|^|$d|" | sort >"$tmp/listed"
find "$d" -type f | sort >"$tmp/found"
if cmp -s "$tmp/listed" "$tmp/found"; then ok; else
    bad "installed files differ from make install-files:"; diff "$tmp/listed" "$tmp/found"
fi
[ "$(wc -l <"$tmp/listed")" -ge 4 ] && ok || bad "make install-files lists fewer than 4 files"
# uninstall removes exactly those: a file of someone else's stays
mkdir -p "$p/bin" && echo other >"$p/bin/other"
mk uninstall DESTDIR="$d" >/dev/null 2>&1 && ok || bad "make uninstall DESTDIR=$d"
left=$(find "$d" -type f | grep -v "^$p/bin/other\$")
[ -z "$left" ] && ok || bad "make uninstall left: $left"
[ -f "$p/bin/other" ] && ok || bad "make uninstall removed a file it did not install"

# bash-completion (when installed) finds the completion where make install put it
bc=/usr/share/bash-completion/bash_completion
if [ -f "$bc" ] && command -v bash >/dev/null 2>&1; then
    mk install DESTDIR="$d" >/dev/null 2>&1
    got=$(XDG_DATA_DIRS="$p/share" HOME="$tmp/nohome" bash -c \
        '. "$1"; __load_completion rubric; complete -p rubric' sh "$bc" 2>&1)
    [ "$got" = "complete -F _rubric rubric" ] && ok ||
        bad "bash-completion did not load rubric's completion from $p/share: $got"
    mk uninstall DESTDIR="$d" >/dev/null 2>&1
else
    skipped "loading by bash-completion (package bash-completion not installed)"
fi

# PREFIX moves everything; a catalog in MO_FILES goes to its locale
mo=$tmp/mo/zh_CN/LC_MESSAGES/rubric.mo
mkdir -p "${mo%/*}" && printf 'catalog\n' >"$mo"
d=$tmp/dest2
mk install DESTDIR="$d" PREFIX=/opt/rb MO_FILES="$mo" >/dev/null 2>&1 && ok ||
    bad "make install PREFIX=/opt/rb MO_FILES=…"
for f in bin/rubric share/man/man1/rubric.1 share/man/man5/rubric.5 \
    share/bash-completion/completions/rubric; do
    [ -f "$d/opt/rb/$f" ] && ok || bad "make install PREFIX=/opt/rb: no $d/opt/rb/$f"
done
cmp -s "$mo" "$d/opt/rb/share/locale/zh_CN/LC_MESSAGES/rubric.mo" && ok ||
    bad "MO_FILES: the catalog is not at share/locale/zh_CN/LC_MESSAGES/rubric.mo"
[ -z "$(find "$d" -type f | grep -v "^$d/opt/rb/")" ] && ok || bad "PREFIX=/opt/rb: files outside it"
mk uninstall DESTDIR="$d" PREFIX=/opt/rb MO_FILES="$mo" >/dev/null 2>&1 && ok || bad "make uninstall PREFIX=…"
[ -z "$(find "$d" -type f)" ] && ok || bad "make uninstall PREFIX=/opt/rb MO_FILES=… left files"

# ---- bash completion ----
if command -v bash >/dev/null 2>&1; then
    got=$(bash -c 'source completion/rubric.bash; complete -p rubric' 2>&1)
    [ "$got" = "complete -F _rubric rubric" ] && ok || bad "complete -p rubric printed '$got'"
    # each case: the words typed (the last one being completed) | the exact
    # sorted completions; run in a folder of sample files
    mkdir -p "$tmp/c/sub" "$tmp/c/更多"
    (cd "$tmp/c" && touch a.rubric 评分.rubric b.facts c.csv D.XLSX e.txt f.CSV)
    cat >"$tmp/cases" <<'EOF'
rubric ''|--help --lang --version -h check diff eval explain fmt render report template test
rubric ev|eval
rubric eval -|--bom --format --help --jobs --lang --output --sheet --strict -f -j -o
rubric eval -j 2 a.rubric ''|D.XLSX b.facts c.csv f.CSV sub 更多
rubric eval --s|--sheet --strict
rubric eval -f ''|csv json table tsv xlsx
rubric eval --format=j|--format=json
rubric explain -f ''|json text
rubric render -f ''|html md
rubric template -f ''|csv xlsx
rubric check -|--dump-ast --dump-tokens --help --lang --verbose -v
rubric test -|--coverage --help --lang --run
rubric fmt -|--check --diff --help --lang --write -w
rubric report -|--help --lang --output -o
rubric template -|--bom --format --help --lang --output -f -o
rubric --lang ''|en zh
rubric check --lang ''|en zh
rubric --lang zh ch|check
rubric check ''|a.rubric sub 更多 评分.rubric
rubric eval ''|a.rubric sub 更多 评分.rubric
rubric eval a.rubric ''|D.XLSX b.facts c.csv f.CSV sub 更多
rubric eval -f json a.rubric ''|D.XLSX b.facts c.csv f.CSV sub 更多
rubric eval -o out.csv a.rubric b.facts ''|D.XLSX b.facts c.csv f.CSV sub 更多
rubric explain a.rubric c|c.csv
rubric diff a.rubric ''|a.rubric sub 更多 评分.rubric
rubric diff a.rubric 评分.rubric ''|D.XLSX b.facts c.csv f.CSV sub 更多
rubric render 评|评分.rubric
rubric eval -o ''|D.XLSX a.rubric b.facts c.csv e.txt f.CSV sub 更多 评分.rubric
EOF
    # shellcheck disable=SC2016
    (cd "$tmp/c" && LC_ALL=C.UTF-8 bash -c '
        source "$1"
        while IFS="|" read -r words want; do
            eval "COMP_WORDS=($words)"
            COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
            COMPREPLY=()
            _rubric
            got=$(printf "%s\n" "${COMPREPLY[@]}" | LC_ALL=C sort | paste -sd" " -)
            want=$(printf "%s\n" $want | LC_ALL=C sort | paste -sd" " -)
            if [ "$got" = "$want" ]; then echo ok; else
                echo "FAIL completion of [$words]: got \"$got\", want \"$want\""
            fi
        done <"$2"' sh "$top/completion/rubric.bash" "$tmp/cases") >"$tmp/comp.out" 2>&1
    n=$(grep -c '^ok$' "$tmp/comp.out")
    pass=$((pass + n))
    nf=$(grep -vc '^ok$' "$tmp/comp.out")
    fail=$((fail + nf))
    grep -v '^ok$' "$tmp/comp.out"
    [ $((n + nf)) -eq "$(wc -l <"$tmp/cases")" ] && ok || bad "completion: not every case ran"
else
    skipped "bash completion (no bash)"
fi

# ---- man pages ----
mk man >/dev/null 2>&1 && ok || bad "make man"
for page in "$build/man/rubric.1" "$build/man/rubric.5"; do
    [ -f "$page" ] || { bad "no $page"; continue; }
    # plain ASCII (preconv escapes), so any groff reads it without warnings
    LC_ALL=C grep -n '[^[:print:][:space:]]' "$page" >"$tmp/nonascii"
    [ -s "$tmp/nonascii" ] && bad "$page has non-ASCII lines: $(head -2 "$tmp/nonascii")" || ok
    groff -ww -man -Tutf8 "$page" >/dev/null 2>"$tmp/groff.err"
    [ $? -eq 0 ] && [ ! -s "$tmp/groff.err" ] && ok ||
        bad "groff -ww -man -Tutf8 $page: $(head -5 "$tmp/groff.err")"
    MANWIDTH=80 man --warnings=w -l "$page" >"$tmp/man.out" 2>"$tmp/man.err"
    [ $? -eq 0 ] && [ ! -s "$tmp/man.err" ] && ok ||
        bad "man --warnings=w -l $page: $(head -5 "$tmp/man.err")"
    [ -s "$tmp/man.out" ] && ok || bad "man -l $page printed nothing"
    cp "$tmp/man.out" "$tmp/$(basename "$page").txt"
done
# what each page must document (as rendered, so markup cannot hide it)
has() { # has PAGE.txt TEXT...
    f=$tmp/$1
    shift
    for t in "$@"; do
        grep -qF -- "$t" "$f" && ok || bad "${f##*/} does not mention '$t'"
    done
}
has rubric.1.txt "rubric check" "rubric eval" "rubric explain" "rubric test" "rubric fmt" \
    "rubric render" "rubric diff" "rubric report" "rubric template" \
    "--format" "table, csv, tsv, json or xlsx" "--output" "--bom" "--sheet" "--strict" \
    "--lang" "--id" "--check" "-w, --write" "--diff" "--run" "--coverage" "--verbose" \
    "--dump-ast" "--dump-tokens" "--version" "EXIT STATUS" "ENVIRONMENT" "LC_ALL" \
    "LC_MESSAGES" "LANG" "EXAMPLES" "rubric(5)" "*.facts" ".xlsx"
has rubric.5.txt "评分表" "基础分" "保底" "封顶" "显示" "“...”" "「...」" "＃" "＞＝" "≥" \
    "→" "×" "÷" "％" "backquotes" "DEDUCTION SHEETS" "FACT FILES" "CSV FILES" \
    "EXCEL WORKBOOKS" "月度绩效考核评分表" "售后服务岗评分标准" "客户考核评分表" "rubric(1)"
# the complete rubrics among the man pages' examples are valid rubrics
n=0
for scd in docs/man/rubric.1.scd docs/man/rubric.5.scd; do
    awk -v dir="$tmp" -v base="${scd##*/}" '
        /^```$/ { if (inb) { inb = 0; close(f) } else { inb = 1; n++; f = dir "/" base "-" n ".ex" }; next }
        inb { print > f }' "$scd"
done
for ex in "$tmp"/*.ex; do
    [ -f "$ex" ] || continue
    head -1 "$ex" | grep -q '^\(rubric\|评分表\) ["“]' || continue
    [ "$(tail -1 "$ex")" = "}" ] || continue
    n=$((n + 1))
    cp "$ex" "$tmp/example.rubric"
    "$build/rubric" check "$tmp/example.rubric" >"$tmp/ex.out" 2>&1 && ok ||
        bad "man page example $(basename "$ex") does not check: $(head -3 "$tmp/ex.out")"
done
[ "$n" -ge 4 ] && ok || bad "expected at least 4 complete rubric examples in the man pages, found $n"

# ---- editor syntax files ----
tm=editors/vscode/syntaxes/rubric.tmLanguage.json
if command -v python3 >/dev/null 2>&1; then
    python3 "$here/tmgrammar.py" "$tm" >"$tmp/tm.out" 2>&1
    st=$?
    grep -v '^[0-9]* passed' "$tmp/tm.out"
    line=$(grep '^[0-9]* passed, [0-9]* failed$' "$tmp/tm.out")
    if [ -n "$line" ]; then
        set -- $line
        pass=$((pass + $1))
        fail=$((fail + $3))
        [ $st -eq 0 ] || [ "$3" -gt 0 ] || bad "tmgrammar.py exited $st"
    else
        bad "tmgrammar.py: $(tail -3 "$tmp/tm.out")"
    fi
elif command -v jq >/dev/null 2>&1; then
    jq -e '.scopeName == "source.rubric"' "$tm" >/dev/null && ok || bad "$tm does not parse"
    skipped "TextMate grammar highlighting (no python3)"
else
    skipped "TextMate grammar (neither python3 nor jq)"
fi

if command -v vim >/dev/null 2>&1 && vim --version | grep -q '+syntax'; then
    cat >"$tmp/s.rubric" <<'EOF'
评分表 “销售” { # 注释
    数据 完成率：百分比 0..150 「说明」
    指标 业绩 权重 60％ 保底 0 { 完成率>=90且满意度>=80 → 80 }
    item 基础分 max 10 { score max(0, `得分` * 2) }
    显示 姓名, 部门
    section A base 30 cap 30 { }
    ＃ 全角注释
    fact 甲: bool = 是
}
EOF
    # line|text|syntax group expected at text's first byte
    cat >"$tmp/vcases" <<'EOF'
1|评分表|rubricDeclaration
1|“销售”|rubricString
1|# 注释|rubricComment
2|数据|rubricDeclaration
2|百分比|rubricType
2|150|rubricNumber
2|「说明」|rubricString
2|：|rubricDelimiter
3|权重|rubricKeyword
3|60％|rubricPercent
3|保底|rubricContextual
3|且满意度|
3|→|rubricOperator
3|>=|rubricOperator
4|基础分|
4|max 10|rubricKeyword
4|max(0|rubricFunction
4|`得分`|rubricName
5|显示|rubricContextual
6|base|rubricContextual
6|cap|rubricContextual
7|＃ 全角注释|rubricComment
8|是|rubricBoolean
EOF
    cat >"$tmp/v.vim" <<EOF
set nocompatible
let &rtp = '$top/editors/vim,' . &rtp
filetype plugin on
syntax on
edit $tmp/s.rubric
let out = ['filetype=' . &filetype]
for c in readfile('$tmp/vcases')
  let [l, t, want] = split(c, '|', 1)
  let col = stridx(getline(l), t) + 1
  let got = col > 0 ? synIDattr(synID(l, col, 1), 'name') : 'NOT FOUND'
  call add(out, got ==# want ? 'ok' : 'FAIL vim: line ' . l . ' ' . t . ': got ' . got . ', want ' . want)
endfor
call writefile(out, '$tmp/v.out')
qall!
EOF
    vim -u NONE -i NONE -N -es -S "$tmp/v.vim" >/dev/null 2>&1
    if [ -f "$tmp/v.out" ]; then
        [ "$(head -1 "$tmp/v.out")" = "filetype=rubric" ] && ok ||
            bad "vim: *.rubric got $(head -1 "$tmp/v.out")"
        n=$(grep -c '^ok$' "$tmp/v.out")
        pass=$((pass + n))
        grep '^FAIL' "$tmp/v.out"
        fail=$((fail + $(grep -c '^FAIL' "$tmp/v.out")))
        [ "$n" -eq "$(wc -l <"$tmp/vcases")" ] || [ "$(grep -c '^FAIL' "$tmp/v.out")" -gt 0 ] ||
            bad "vim: not every case ran"
    else
        bad "vim did not run the syntax check"
    fi
else
    skipped "Vim syntax (no vim with +syntax)"
fi

echo "install: $skip skipped"
echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
