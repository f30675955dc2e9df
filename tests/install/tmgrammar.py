"""Checks the TextMate grammar of rubric files (editors/vscode/syntaxes/).

usage: python3 tmgrammar.py GRAMMAR.json

The grammar must parse as JSON, name source.rubric and *.rubric, resolve every
include, and every regex must compile. Then a small tokenizer does what a
TextMate engine does with match rules (at each position the rule whose match
starts first wins, the earlier rule on a tie) over sample lines, and each
checked token must get the expected scope. Python's re reads the grammar's
regexes as Oniguruma does (the grammar keeps to the common subset: \\w,
classes, lookarounds). Prints one line per failure, then `N passed, N failed`.
"""
import json
import re
import sys

grammar = json.load(open(sys.argv[1], encoding="utf-8"))
passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL grammar:", what)


check(grammar.get("scopeName") == "source.rubric", "scopeName is source.rubric")
check("rubric" in grammar.get("fileTypes", []), "fileTypes has rubric")
repo = grammar.get("repository", {})


def flatten(patterns, seen=()):
    out = []
    for p in patterns:
        if "include" in p:
            name = p["include"].lstrip("#")
            check(name in repo, "include %s resolves" % p["include"])
            if name in repo and name not in seen:
                r = repo[name]
                out += flatten(r.get("patterns", [r]), seen + (name,))
        elif "patterns" in p:
            out += flatten(p["patterns"], seen)
        else:
            check("match" in p, "rule %r has a match" % p)
            try:
                out.append((re.compile(p["match"]), p))
            except re.error as e:
                check(False, "regex %r compiles: %s" % (p["match"], e))
    return out


rules = flatten(grammar["patterns"])


def tokens(line):
    """[(text, scope)] for one line; scope None for unmatched text."""
    out, pos = [], 0
    while pos < len(line):
        best = None
        for rx, rule in rules:
            m = rx.search(line, pos)
            if m and m.end() > m.start() and (best is None or m.start() < best[0].start()):
                best = (m, rule)
        if best is None:
            out.append((line[pos:], None))
            break
        m, rule = best
        if m.start() > pos:
            out.append((line[pos:m.start()], None))
        if "captures" in rule:
            last = m.start()
            for k, c in sorted(rule["captures"].items(), key=lambda kv: int(kv[0])):
                s, e = m.span(int(k))
                if s > last:
                    out.append((line[last:s], None))
                out.append((line[s:e], c["name"]))
                last = e
            if m.end() > last:
                out.append((line[last:m.end()], None))
        else:
            out.append((m.group(0), rule.get("name")))
        pos = m.end()
    return out


def expect(line, text, scope):
    """Every occurrence of text in line has scope, character by character
    (None: not highlighted; a prefix like 'keyword' matches
    keyword.declaration.rubric)."""
    chars = []
    for t, s in tokens(line):
        chars += [s] * len(t)
    got, start = [], line.find(text)
    check(start >= 0, "%r is in %r" % (text, line))
    while start >= 0:
        got += chars[start:start + len(text)]
        start = line.find(text, start + 1)
    if scope is None:
        ok = all(s is None for s in got)
    else:
        ok = all(s is not None and s.startswith(scope) for s in got)
    check(ok, "%r in %r: expected %s, got %s" % (text, line, scope, sorted(set(map(str, got)))))


expect('rubric "销售岗月度考核" {', "rubric", "keyword.declaration")
expect('rubric "销售岗月度考核" {', '"销售岗月度考核"', "string.quoted.double")
expect("评分表 “销售岗月度考核” {", "评分表", "keyword.declaration")
expect("评分表 “销售岗月度考核” {", "“销售岗月度考核”", "string.quoted")
expect("数据 说明：文本 = 「甲」", "「甲」", "string.quoted.corner")
expect("数据 完成率：百分比 0..150", "数据", "keyword.declaration")
expect("数据 完成率：百分比 0..150", "百分比", "storage.type")
expect("数据 完成率：百分比 0..150", "150", "constant.numeric.rubric")
expect("指标 业绩 权重 60％ {", "权重", "keyword.other.rubric")
expect("指标 业绩 权重 60％ {", "60％", "constant.numeric.percent")
expect("item 业绩 weight 60% {", "60%", "constant.numeric.percent")
expect("    完成率 ＞＝ 90 → 80", "＞＝", "keyword.operator")
expect("    完成率 ≥ 90 -> 80", "≥", "keyword.operator")
expect("    完成率 ≥ 90 -> 80", "->", "keyword.operator")
expect("    完成率 ≥ 90 －＞ 80", "－＞", "keyword.operator")
expect("    score 100 － 20 × 次数 ÷ 2", "×", "keyword.operator")
expect("    score 100 － 20 × 次数 ÷ 2", "÷", "keyword.operator")
expect("    完成率 ≠ 90 → 80", "≠", "keyword.operator")
expect("    完成率 ≤ 90 → 80", "≤", "keyword.operator")
# a Chinese keyword stands alone, else it is part of a name
expect("    完成率>=90且满意度>=80 -> 20", "且满意度", None)
expect("    完成率 >= 90 且 满意度 >= 80 -> 20", "且", "keyword.operator.logical")
expect("    投诉2小时响应 -> 10", "2", None)
expect("    否则 → 0", "否则", "keyword.other.rubric")
expect("    expect grade == 是", "是", "constant.language.boolean")
expect("    总分 ＞＝ 90 → “优秀”", "总分", "variable.language.total")
expect("    score max(0, 100 - 20 * 迟到次数)", "max", "support.function")
expect("    item 考勤 max 100 { score 1 }", "max", "keyword.other.rubric")
expect("    item 考勤 满分 100 { 得分 1 }", "满分", "keyword.other.rubric")
expect("    score `得分` + 1", "`得分`", "variable.other.quoted")
expect("# 注释 rubric item", "# 注释 rubric item", "comment.line")
expect("＃ 全角注释", "＃ 全角注释", "comment.line")
expect('    item A "说明 # 不是注释" { score 1 }', '"说明 # 不是注释"', "string.quoted")
# contextual keywords: only as header options and statement heads
expect('    section 工作质量 base 30 floor 0 "核值30分" {', "base", "keyword.other.contextual")
expect('    section 工作质量 base 30 floor 0 "核值30分" {', "floor", "keyword.other.contextual")
expect("    维度 工作绩效 基础分 30 封顶 30 {", "基础分", "keyword.other.contextual")
expect("    维度 工作绩效 基础分 30 封顶 30 {", "封顶", "keyword.other.contextual")
expect("    指标 甲 保底 -5 { 得分 1 }", "保底", "keyword.other.contextual")
expect("    cap 120", "cap", "keyword.other.contextual")
expect("    show 姓名, 部门", "show", "keyword.other.contextual")
expect("    显示 姓名，部门", "显示", "keyword.other.contextual")
expect("    item 基础分 max 10 { score 基础分 }", "基础分", None)
expect("    完成率 >= 90 -> 显示", "显示", None)

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
