#!/usr/bin/env python3
"""The oracle (oracle.py) against the numbers the design itself works out
(LANGUAGE.md: Scoring semantics, Fine points, Fine points of Edition 2), so
that the reference the random rubrics are checked against is checked too.
Prints `oracle self-test: N passed, N failed`; exits 1 if any failed."""
import os
import sys
from fractions import Fraction as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402

failed = passed = 0


def check(what, got, want):
    global failed, passed
    if got == want:
        passed += 1
    else:
        failed += 1
        print("FAIL %s: got %r, want %r" % (what, got, want))


def fact(name, typ="number", lo="0", hi="100", **kw):
    f = {"name": name, "type": typ, "lo": lo, "hi": hi}
    f.update(kw)
    return f


def item(name, body, weight=None, mx=None):
    it = {"kind": "item", "name": name}
    it.update(body)
    if weight is not None:
        it["weight"] = weight
    if mx is not None:
        it["max"] = mx
    return it


def model(kids, facts, **kw):
    m = {"kids": kids, "facts": facts, "outputs": [], "tests": []}
    m.update(kw)
    return m


def score(m, cells, ed1=False):
    return oracle.run_one(oracle.Evaluator(m, ed1=ed1), cells)


# Issue 10 / Scoring semantics: 25%, 25%, 50%, each out of 30, scoring 25, 28,
# 29 total 2775/30 = 92.5, reported 93 under round 0 (never 92).
m = model([item("A", {"score": ["fact", "a"]}, "25", "30"),
           item("B", {"score": ["fact", "b"]}, "25", "30"),
           item("C", {"score": ["fact", "c"]}, "50", "30")],
          [fact(x, hi="30") for x in "abc"], round=0,
          grade=[[["cmp", ">=", ["total"], ["num", "93"]], ["str", "优秀"]], [None, ["str", "良好"]]])
r = score(m, [("a", "25"), ("b", "28"), ("c", "29")])
check("92.5 reports as 93", r["total"], F(93))
check("the grade reads the reported 93", r["grade"], "优秀")
check("edition 1 rounded early: 92", score(m, [("a", "25"), ("b", "28"), ("c", "29")],
                                          ed1=True)["total"], F(92))
# the same at round 2: 5.89 / 13.96 / 10.61 is exactly 34.225 -> 34.23
m["round"] = 2
check("34.225 reports as 34.23",
      score(m, [("a", "5.89"), ("b", "13.96"), ("c", "10.61")])["total"], F("34.23"))

# The seed's own `score 业绩考核 * 80% + 行为考核 * 20%` over 250/3 and 115/6
# is exactly 70.5 -> 71 under round 0.
m = model([{"kind": "section", "name": "业绩考核",
            "kids": [item("x", {"score": ["fact", "x"]}, "100", "3")]},
           {"kind": "section", "name": "行为考核",
            "kids": [item("y", {"score": ["fact", "y"]}, "100", "6")]}],
          [fact("x", hi="3"), fact("y", hi="6")], round=0,
          score=["+", ["*", ["node", "业绩考核"], ["pct", "80"]],
                 ["*", ["node", "行为考核"], ["pct", "20"]]])
r = score(m, [("x", "2.5"), ("y", "1.15")])
check("业绩考核 (250/3) reports as 83", r["scores"]["业绩考核"], F(83))
check("70.5 reports as 71", r["total"], F(71))

# Fine points of Edition 2: `score a / 3` with a in 0..10 has full score
# 3.333333333333333333, so an item at its top score contributes its weight.
m = model([item("A", {"score": ["/", ["fact", "a"], ["num", "3"]]}, "40"),
           item("B", {"score": ["fact", "b"]}, "60", "10")],
          [fact("a", hi="10"), fact("b", hi="10")], round=18)
ev = oracle.Evaluator(m)
check("a / 3 full score", ev.root["kids"][0]["full"], F("3.333333333333333333"))
check("top score contributes its weight", score(m, [("a", "10"), ("b", "0")])["total"], F(40))

# A section's `score` expression has an exact full score (sum / 3 of an item
# out of 31 is 31/3), whichever evaluator of the same model was made first.
m = model([{"kind": "section", "name": "S", "weight": "100",
            "kids": [item("A", {"rules": [[None, ["fact", "a"]]]}, mx="31")],
            "score": ["/", ["call", "sum", ["node", "A"]], ["num", "3"]]}],
          [fact("a", hi="31")], round=18)
ev = oracle.Evaluator(m)
oracle.Evaluator(m, ed1=True)
check("score-expression full score", ev.root["kids"][0]["full"], F(31, 3))
check("at its full score", score(m, [("a", "31")])["total"], F(100))

# Rounding for reporting is half away from zero: -2.5 -> -3.
check("-2.5 -> -3", oracle.half_away(F("-2.5"), 0), F(-3))
check("2.5 -> 3", oracle.half_away(F("2.5"), 0), F(3))
# Item bodies: * and / to 18 places, half to even.
check("half even", oracle.half_even(F(1, 2) / 10**18), F(0))
check("half even up", oracle.half_even(F(3, 2) / 10**18), F(2, 10**18))

# Percents: a percent fact given as 92 is 92%; `完成率 >= 90` reads 90 as 90%;
# where a score is expected a percent counts its points; `业绩 * 80%` is 0.8 x.
m = model([item("A", {"rules": [[["cmp", ">=", ["fact", "p"], ["num", "90"]], ["fact", "p"]],
                                [None, ["num", "0"]]]}),
           item("B", {"score": ["*", ["fact", "n"], ["pct", "80"]]})],
          [fact("p", "percent", hi="100"), fact("n")])
r = score(m, [("p", "92"), ("n", "50")])
check("percent scores its points", r["scores"]["A"], F(92))
check("业绩 * 80%", r["scores"]["B"], F(40))
check("a percent's full score in points", oracle.Evaluator(m).root["kids"][0]["full"], F(100))
check("bare percent in (0, 1] is an error", "error" in score(m, [("p", "1"), ("n", "5")]), True)
check("1% is not", "error" in score(m, [("p", "1%"), ("n", "5")]), False)

# No rule matching is an error for that employee; so is a score above the
# item's full score.
m = model([item("A", {"rules": [[["cmp", ">=", ["fact", "a"], ["num", "5"]], ["num", "20"]]]},
                mx="10")], [fact("a", hi="10")])
check("no rule matched", "no rule matched" in score(m, [("a", "1")]).get("error", ""), True)
check("above full score", "above" in score(m, [("a", "6")]).get("error", ""), True)

# Grade rules see the reported values: round 0, 89.5 is reported 90 and graded
# 90 (docs/language.md's example of the same rule).
m = model([item("A", {"score": ["fact", "a"]})], [fact("a")], round=0,
          grade=[[["cmp", ">=", ["total"], ["num", "90"]], ["str", "优秀"]], [None, ["str", "其他"]]])
check("graded on 90", score(m, [("a", "89.5")])["grade"], "优秀")

# A veto: the node scores 0, its children report their own scores.
m = model([{"kind": "section", "name": "S", "kids": [item("A", {"score": ["fact", "a"]})],
            "vetoes": [{"cond": ["fact", "bad"], "reason": "一票否决"}]}],
          [fact("a"), {"name": "bad", "type": "bool"}])
r = score(m, [("a", "70"), ("bad", "是")])
check("vetoed section", (r["total"], r["scores"]["S"], r["scores"]["A"], r["vetoes"]),
      (F(0), F(0), F(70), ["一票否决"]))

# Raters: each reported score is the weighted sum of the raters' exact scores;
# a rater's own value wins over the shared one.
m = model([item("A", {"score": ["/", ["fact", "a"], ["num", "3"]]})], [fact("a")],
          raters=[["自评", "40"], ["上级", "60"]], round=4)
r = score(m, [("a", "10"), ("a@上级", "20")])
check("rater sum", r["total"], F("5.3333"))
check("rater view", r["raters"]["上级"]["total"], F("6.6667"))

# Full-score inference over the extended reals: 0 x inf = 0.
check("0 x inf", oracle.mul(F(0), oracle.INF), F(0))

# Deduction sheets (Edition 2): the design's 售后服务部 example. 工作质量 base
# 30 floor 0: -5 if not on time, -扣分, -5 per 出错; 工作绩效 base 30 cap 30:
# +3 per 挽回 (unbounded), -效率扣分.
cnt = dict(typ="integer", lo="0")
def unb(name):
    return {"name": name, "type": "integer", "lo": "0"}
ded = model([
    {"kind": "section", "name": "工作质量", "base": "30", "floor": "0", "kids": [
        item("未按时", {"rules": [[["fact", "按时"], ["num", "0"]], [None, ["neg", ["num", "5"]]]]}),
        item("电话用语", {"score": ["neg", ["fact", "电话扣分"]]}),
        item("维修函", {"score": ["*", ["neg", ["num", "5"]], ["fact", "出错"]]})]},
    {"kind": "section", "name": "工作绩效", "base": "30", "cap": "30", "kids": [
        item("挽回", {"score": ["*", ["num", "3"], ["fact", "挽回"]]}),
        item("效率", {"score": ["neg", ["fact", "效率扣分"]]})]}],
    [{"name": "按时", "type": "bool"}, fact("电话扣分", hi="15"), unb("出错"), unb("挽回"),
     fact("效率扣分", hi="5")])
ev = oracle.Evaluator(ded)
check("deductions: full scores 30 + (30 + inf capped at 30)",
      (ev.root["kids"][0]["full"], ev.root["kids"][1]["full"], ev.root["full"]),
      (F(30), F(30), F(60)))
check("-5 * 次数 lies in (-inf, 0]", ev.root["kids"][0]["kids"][2]["low"], -oracle.INF)
check("no check error", ev.check_errors, set())
r = score(ded, [("按时", "否"), ("电话扣分", "3"), ("出错", "9"), ("挽回", "4"), ("效率扣分", "1")])
check("floor 0 and cap 30", (r["scores"]["工作质量"], r["scores"]["工作绩效"], r["total"],
                             r["scores"]["维修函"]), (F(0), F(30), F(30), F(-45)))
# max(30 - 10 * 次数, 0) has full score 30 without a declared max
m = model([item("A", {"score": ["call", "max", ["-", ["num", "30"], ["*", ["num", "10"],
                                                                      ["fact", "n"]]],
                                ["num", "0"]]})], [unb("n")])
check("max(30 - 10 * n, 0) full 30", oracle.Evaluator(m).root["full"], F(30))
# an item max 20 cap 30 scoring 24 is an error; a floor above the cap is [clamp]
m = model([item("A", {"score": ["fact", "a"]}, mx="20")], [fact("a")])
m["kids"][0]["cap"] = "30"
check("max 20 cap 30 scoring 24", "error" in score(m, [("a", "24")]), True)
m["kids"][0]["floor"] = "31"
check("floor above cap: [clamp]", oracle.Evaluator(m).check_errors, {"clamp"})
# an uncapped bonus where a finite full score is needed: [max]
m = model([item("A", {"score": ["*", ["num", "3"], ["fact", "n"]]})], [unb("n")])
check("uncapped bonus in a points rubric: [max]", oracle.Evaluator(m).check_errors, {"max"})
m["cap"] = "10"
check("the rubric's cap absorbs it", oracle.Evaluator(m).check_errors, set())
# a weighted section's F is its max before the cap, its full score min(F, H);
# a vetoed node scores 0 whatever its floor
m = model([{"kind": "section", "name": "S", "weight": "100", "max": "50", "cap": "40",
            "floor": "10", "kids": [item("A", {"score": ["fact", "a"]}, "100", "100")],
            "vetoes": [{"cond": ["fact", "bad"], "reason": "否决"}]}],
          [fact("a"), {"name": "bad", "type": "bool"}], round=4)
ev = oracle.Evaluator(m)
check("weighted section: full min(F, H), lowest min(L, 0) with a veto",
      (ev.root["kids"][0]["F"], ev.root["kids"][0]["full"], ev.root["kids"][0]["low"]),
      (F(50), F(40), F(0)))
r = score(m, [("a", "90"), ("bad", "否")])
check("scaled by F = 50 then capped at 40, total out of 100", (r["scores"]["S"], r["total"]),
      (F(40), F(100)))
r = score(m, [("a", "4"), ("bad", "是")])
check("vetoed: 0 below its floor", r["scores"]["S"], F(0))

# the CSV eval writes (docs/commands.md "CSV and TSV", LANGUAGE.md output formats)
check("a text cell that a spreadsheet would run gets a '", [oracle.guard(t) for t in
      ("-E1", "=1", "+1", "@a", "E1")], ["'-E1", "'=1", "'+1", "'@a", "E1"])
check("a percent cell in percent units with %, a bool as true/false",
      [oracle.typed_cell(("p", F(925, 1000))), oracle.typed_cell(("b", False)),
       oracle.typed_cell(("n", F(-5))), oracle.typed_cell(None)], ["92.5%", "false", "-5", ""])
check("full-width names and digits fold", oracle.fold("ｗｏｒｋ＿ａ２＠上级９２％"), "work_a2@上级92%")
# quotas: the share is of the employees scored; <= breached above, >= below
q = {"quotas": [["优秀", "<=", "20"], ["不合格", ">=", "10"]]}
check("2 of 5 优秀 breaches <= 20%; 1 of 5 不合格 meets >= 10%",
      oracle.breaches(q, [{"grade": "优秀"}] * 2 + [{"grade": "良好"}] * 2 + [{"grade": "不合格"}]
                      + [{"error": "x"}] * 3), 1)
check("exactly at the share is no breach",
      oracle.breaches(q, [{"grade": "优秀"}] + [{"grade": "不合格"}] * 4), 0)

print("oracle self-test: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
