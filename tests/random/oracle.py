#!/usr/bin/env python3
"""oracle.py - an independent reference for rubric's scores (tests/random).

Reads the model that tests/random/gen.c writes beside each random rubric (see
"The model" below) and works out, from the design's text alone
(../shared/LANGUAGE.md, Edition 2: "Scoring semantics" and both "Fine
points" sections), what every employee must score. Standard library only:
item bodies in 18-place decimals held as Fractions, everything above an item
exact Fractions, each reported number rounded once half away from zero.

  oracle.py prepare MODEL CSV RUBRIC EXPECTED
      writes RUBRIC (the model's text with its test expectations filled in
      from the oracle's values: `expect total == 92.5`, `expect grade ==
      "良好"`) and EXPECTED (JSON: what eval must print for each CSV row,
      and which tests must fail)
  oracle.py compare EXPECTED EVAL_JSONL TEST_OUT [LABEL]
      compares `rubric eval -f json` and `rubric test` with the oracle;
      prints one line per difference, then
      `oracle: N employees, N tests, N differ (N edition-1), N format`

Each employee is also scored as the first edition did (Evaluator(ed1=True):
each weighted contribution computed in 18-place steps, section `score`
expressions, veto conditions and rater sums in 18-place decimals, a veto
that held only for a 0% rater still reported at the top level, and a bare
percent value in (0, 1] read as that many percent instead of an error). A
difference from the exact oracle that this reproduces is marked
[edition 1] (the known early rounding of issue 10); any other is a finding.
"format" counts JSON lines whose shape differs from Edition 2's (an empty
"vetoes" list, per-rater "vetoes") without a wrong value.

Deduction sheets (LANGUAGE.md "Deduction sheets", "Fine points of Edition
2"): `base` adds to a points section's (or points rubric's) score and full
score; `floor`/`cap` clamp a node's score after it is computed, its full
score becomes min(full, H) and its lowest score is clamped into [L, H]; the
check against the full score follows, a veto last (0 whatever the floor).
Bounds are intervals over the extended reals (0 × ±∞ = 0, division by an
interval holding 0 gives (−∞, +∞)), so a full score may be +∞ where a cap
absorbs it. A rubric `rubric check` must reject is predicted instead of
scored: [max] for a weighted child whose full score is not finite and above
0, or a points total (rubric, or section declaring max) left at +∞ after its
own cap; [clamp] for a floor above the cap or the full score. prepare then
returns the codes (prepare-dirs writes them to DIR/check.expect) and run.sh
requires `check` to exit 1 naming each. `show`: every JSON line, error
lines too, must carry "show" right after "source" with each shown fact's
value (a number, a percent in percent units, text, bool; null where missing
or unreadable); a shown fact nothing else reads may be missing. A difference
where C shows a fact's default for a bad value instead of null is counted
as known ("format"), not failed: reported to the lead as a C bug.

The model (JSON, one object): id, round, max, base?, floor?, cap?, show?,
raters [[NAME, W%]], kids, score, vetoes, grade, outputs, tests, facts, text.
  node     {"kind":"item","name","weight"?,"max"?,"floor"?,"cap"?,
            "score"?: EXPR,"rules"?: [[COND|null, EXPR]]}
           {"kind":"group","name","items":[item…]}
           {"kind":"section","name","weight"?,"max"?,"base"?,"floor"?,"cap"?,
            "kids":[…],"score"?,"vetoes"?}
  vetoes   [{"cond": COND, "reason": TEXT}]
  grade    [[COND|null, ["str",G]]]; outputs [{"name","score"?|"rules"?}]
  tests    [{"name","facts":{F:V},"rater_facts":{"F@R":V},"expects":[{"kind","name"?,"write"}]}]
  facts    [{"name","type","lo"?,"hi"?,"default"?}] (percents in percent units)
  EXPR     ["num","12.5"] ["pct","12.5"] ["neg",E] ["fact",F] ["node",N] ["total"]
           ["grade"] ["output",N] ["str",S] ["bool",B] ["+"|"-"|"*"|"/",A,B]
           ["call",FN,ARG…] ["cmp",OP,A,B] ["chain",A,OP,X,OP,C…] ["and"|"or",A,B] ["not",A]
  text     the rubric as written, with ⟦N⟧ where expectation N goes
"""
import copy
import csv
import json
import os
import sys
from fractions import Fraction

INF = float("inf")
Q18 = 10**18
LIMIT = 10**20


class EmployeeError(Exception):
    """An error for this employee (the design: never a silent zero)."""


# ---- numbers ----

def half_even(x, places=18):
    """x rounded to `places` decimals, half to even (item-body * and /)."""
    if x in (INF, -INF):
        return x
    s = Fraction(10**places)
    y = x * s
    f = y.numerator // y.denominator
    r = y - f
    if r > Fraction(1, 2) or (r == Fraction(1, 2) and f % 2):
        f += 1
    return Fraction(f) / s


def half_away(x, places):
    """x rounded to `places` decimals, half away from zero (reporting, round())."""
    if x in (INF, -INF):
        return x
    s = Fraction(10**places)
    a = abs(x) * s
    f = a.numerator // a.denominator
    if a - f >= Fraction(1, 2):
        f += 1
    return (f if x >= 0 else -f) / s


def dec(s):
    """A decimal string as a Fraction."""
    return Fraction(s)


def show(x):
    """A Fraction with a finite decimal expansion as the shortest decimal text."""
    if x.denominator == 1:
        return str(x.numerator)
    neg = x < 0
    a = abs(x)
    places = 0
    while (a * 10**places).denominator != 1:
        places += 1
        if places > 40:
            raise ValueError("not a short decimal: %s" % x)
    n = (a * 10**places).numerator
    t = str(n).rjust(places + 1, "0")
    t = t[:-places] + "." + t[-places:]
    t = t.rstrip("0").rstrip(".")
    return ("-" if neg else "") + t


# ---- values: ("n", Fraction) number, ("p", Fraction) percent held as its
# fraction, ("b", bool), ("t", str) ----

def is_lit(e):
    """A plain number literal (`90`, `-5`; parentheses are not in the model)."""
    return e[0] == "num" or (e[0] == "neg" and is_lit(e[1]))


class Ctx:
    """What an expression reads, and how it computes.

    exact: arithmetic is exact (above an item), else 18-place decimals.
    facts: name -> value; nodes: name -> Fraction; total, grade, outputs."""

    def __init__(self, facts, exact, nodes=None, total=None, grade=None, outputs=None,
                 what="item"):
        self.facts = facts
        self.exact = exact
        self.nodes = nodes or {}
        self.total = total
        self.grade = grade
        self.outputs = outputs or {}
        self.what = what
        self.read = []  # facts read, for messages


def static_type(e, model_facts, output_types=None):
    """'p' for a percent expression, 'n' a number, 'b' a bool, 't' text."""
    k = e[0]
    if k == "num":
        return "n"
    if k == "pct":
        return "p"
    if k == "neg":
        return static_type(e[1], model_facts, output_types)
    if k == "fact":
        t = model_facts[e[1]]["type"]
        return {"number": "n", "integer": "n", "percent": "p", "bool": "b", "text": "t"}[t]
    if k in ("node", "total"):
        return "n"
    if k in ("grade", "str"):
        return "t"
    if k == "output":
        return (output_types or {}).get(e[1], "n")
    if k == "bool":
        return "b"
    if k in ("+", "-"):
        ts = [static_type(x, model_facts, output_types) for x in e[1:] if not is_lit(x)]
        return "p" if "p" in ts else "n"
    if k in ("*", "/"):
        return "n"
    if k == "call":
        fn = e[1]
        if fn == "count":
            return "n"
        args = e[2:]
        if fn == "if":
            args = args[1:]
        if fn == "round":
            args = args[:1]
        if fn == "clamp":
            args = args[:1] + [a for a in args[1:]]
        ts = [static_type(x, model_facts, output_types) for x in args if not is_lit(x)]
        return "p" if "p" in ts else "n"
    return "b"


class Evaluator:
    """Scores employees of one model (Edition 2, or Edition 1 with ed1)."""

    def __init__(self, model, ed1=False, ed1_veto=None):
        self.m = model = copy.deepcopy(model)  # full scores are written into the tree
        self.ed1 = ed1
        self.ed1_veto = ed1 if ed1_veto is None else ed1_veto
        self.facts = {f["name"]: f for f in model["facts"]}
        self.round = model.get("round", 2)
        self.raters = [(r, dec(w) / 100) for r, w in model.get("raters", [])]
        self.output_types = {}
        for o in model.get("outputs", []):
            e = o["score"] if "score" in o else o["rules"][0][1]
            self.output_types[o["name"]] = static_type(e, self.facts, self.output_types)
        # the tree, with full scores worked out once
        self.root = {"kind": "section", "name": None, "kids": model["kids"],
                     "max": model.get("max"), "score": model.get("score"),
                     "vetoes": model.get("vetoes", []), "rubric": True}
        for o in ("base", "floor", "cap"):  # rubric-body statements
            if o in model:
                self.root[o] = model[o]
        self.check_errors = set()  # what `rubric check` must reject ([max], [clamp])
        # show FACT, …: a shown fact that nothing else reads may be missing
        self.shown = model.get("show", [])
        reads = json.dumps([model["kids"], model.get("score"), model.get("vetoes"),
                            model.get("grade"), model.get("outputs"),
                            [t["expects"] for t in model.get("tests", [])]], ensure_ascii=False)
        expect_reads = {x["name"] for t in model.get("tests", []) for x in t["expects"]
                        if x["kind"] == "fact"}  # `expect 姓名 == "王五"` reads it too
        self.show_only = {n for n in self.shown
                          if json.dumps(["fact", n], ensure_ascii=False) not in reads
                          and n not in expect_reads}
        self.order = []  # every section, group, item in file order (not the rubric)
        self._walk(self.root)
        self.vetoes = []  # every veto in file order

        def walk(sec):
            for k in sec.get("kids", []):
                if k["kind"] == "section":
                    walk(k)
            self.vetoes.extend(sec.get("vetoes", []))
        walk(self.root)
        self.reasons = [v["reason"] for v in self.vetoes]
        self._bounds(self.root)

    # ---- the tree ----

    def _walk(self, node):
        for k in node.get("kids", []) + node.get("items", []):
            self.order.append(k)
            self._walk(k)

    @staticmethod
    def members(sec):
        """A section's children for aggregation: a group's items in its place."""
        out = []
        for k in sec["kids"]:
            if k["kind"] == "group":
                out.extend(k["items"])
            else:
                out.append(k)
        return out

    @staticmethod
    def weighted(sec):
        ms = Evaluator.members(sec)
        return bool(ms) and all("weight" in k for k in ms)

    def _bounds(self, node):
        """node["full"], node["low"]: full score and lowest possible score."""
        if node["kind"] == "item":
            lo, hi = self.item_bounds(node)
            node["low"] = lo
            node["full"] = dec(node["max"]) if "max" in node else hi
            self._clamp_bounds(node)
            return
        for k in self.members(node):
            self._bounds(k)
        ms = self.members(node)
        if node.get("score"):
            lo, hi = self.bounds(node["score"], exact=not self.ed1, kids={
                k["name"]: (k["low"], k["full"]) for k in ms})
            node["low"] = lo
            node["full"] = dec(node["max"]) if node.get("max") else hi
        elif self.weighted(node):
            # a weighted child needs a finite full score above 0 ([max])
            for k in ms:
                if k["full"] in (INF, -INF) or k["full"] <= 0:
                    self.check_errors.add("max")
            F = dec(node["max"]) if node.get("max") else Fraction(100)
            node["F"] = F  # the scale of the children: the max before the cap
            node["full"] = F
            node["low"] = (Fraction(0) if "max" in self.check_errors else
                           sum((self.contribution(k["low"], k, F) for k in ms), Fraction(0)))
        else:
            base = dec(node["base"]) if "base" in node else Fraction(0)
            node["full"] = base + sum((k["full"] for k in ms), Fraction(0))
            node["low"] = base + sum((k["low"] for k in ms), Fraction(0))
        self._clamp_bounds(node)
        if (not node.get("score") and not self.weighted(node) and node.get("max")
                and node["full"] not in (INF, -INF) and dec(node["max"]) != node["full"]):
            # points: "a declared max must equal that sum" (after the cap)
            self.check_errors.add("max")
        if (not node.get("score") and not self.weighted(node) and node["full"] == INF
                and (node.get("max") or node.get("rubric"))):
            # a declared max, or the points total, needs a finite full score
            # once the node's own cap has absorbed what it can
            self.check_errors.add("max")
        if node.get("vetoes"):
            node["low"] = min(node["low"], Fraction(0))
        for k in node["kids"]:
            if k["kind"] == "group":
                k["full"] = None

    def _clamp_bounds(self, node):
        """floor L and cap H: the full score min(full, H), the lowest score
        clamped into [L, H]; a floor above the cap or the full score is a
        check error ([clamp])."""
        L = dec(node["floor"]) if "floor" in node else None
        H = dec(node["cap"]) if "cap" in node else None
        if H is not None:
            node["full"] = min(node["full"], H)
            node["low"] = min(node["low"], H)
        if L is not None:
            node["low"] = max(node["low"], L)
            if (H is not None and L > H) or L > node["full"]:
                self.check_errors.add("clamp")

    @staticmethod
    def clamp(node, v):
        """A node's score after its floor and cap."""
        if "floor" in node:
            v = max(v, dec(node["floor"]))
        if "cap" in node:
            v = min(v, dec(node["cap"]))
        return v

    def contribution(self, score, child, F):
        """score × weight × F ÷ full: exact (Edition 2), or 18-place steps (Edition 1)."""
        w = dec(child["weight"]) / 100
        if not self.ed1:
            return score * w * F / child["full"]
        return half_even(half_even(half_even(score * w) * F) / child["full"])

    # ---- full-score inference: intervals over the extended reals ----

    def item_bounds(self, item):
        if "score" in item:
            return self.points_bounds(item["score"])
        lo, hi = INF, -INF
        for _, r in item["rules"]:
            a, b = self.points_bounds(r)
            lo, hi = min(lo, a), max(hi, b)
        return lo, hi

    def points_bounds(self, e):
        a, b = self.bounds(e, exact=False)
        if static_type(e, self.facts) == "p":
            return a * 100 if a not in (INF, -INF) else a, b * 100 if b not in (INF, -INF) else b
        return a, b

    def bounds(self, e, exact, kids=None, pct=False):
        """[lo, hi] of e; pct: a plain literal here is read as a percent."""
        rnd = (lambda x: x) if exact else half_even
        k = e[0]
        if k == "num":
            v = dec(e[1])
            return (v / 100, v / 100) if pct else (v, v)
        if k == "pct":
            v = dec(e[1]) / 100
            return v, v
        if k == "neg":
            a, b = self.bounds(e[1], exact, kids, pct)
            return -b, -a
        if k == "fact":
            f = self.facts[e[1]]
            s = 100 if f["type"] == "percent" else 1
            lo = dec(f["lo"]) / s if "lo" in f else -INF
            hi = dec(f["hi"]) / s if "hi" in f else INF
            return lo, hi
        if k == "node":
            return kids[e[1]]
        if k in ("+", "-"):
            p = self._pct_ctx(e[1:])
            a = self.bounds(e[1], exact, kids, p)
            b = self.bounds(e[2], exact, kids, p)
            if k == "+":
                return a[0] + b[0], a[1] + b[1]
            return a[0] - b[1], a[1] - b[0]
        if k == "*":
            a = self.bounds(e[1], exact, kids)
            b = self.bounds(e[2], exact, kids)
            ps = [rnd(mul(x, y)) for x in a for y in b]
            return min(ps), max(ps)
        if k == "/":
            a = self.bounds(e[1], exact, kids)
            b = self.bounds(e[2], exact, kids)
            if b[0] <= 0 <= b[1]:
                return -INF, INF
            ps = [rnd(div(x, y)) for x in a for y in b]
            return min(ps), max(ps)
        if k == "call":
            fn, args = e[1], e[2:]
            if fn == "count":
                return Fraction(0), Fraction(len(args))
            if fn == "if":
                p = self._pct_ctx(args[1:])
                a = self.bounds(args[1], exact, kids, p)
                b = self.bounds(args[2], exact, kids, p)
                return min(a[0], b[0]), max(a[1], b[1])
            if fn == "abs":
                a, b = self.bounds(args[0], exact, kids, pct)
                if a >= 0:
                    return a, b
                if b <= 0:
                    return -b, -a
                return Fraction(0), max(-a, b)
            if fn == "round":
                a, b = self.bounds(args[0], exact, kids, pct)
                n = int(dec(args[1][1]))
                p = static_type(args[0], self.facts) == "p"
                return round_val(a, n, p), round_val(b, n, p)
            p = self._pct_ctx(args)
            bs = [self.bounds(x, exact, kids, p) for x in args]
            if fn == "min":
                return min(x[0] for x in bs), min(x[1] for x in bs)
            if fn == "max":
                return max(x[0] for x in bs), max(x[1] for x in bs)
            if fn in ("sum", "avg"):
                lo = sum((x[0] for x in bs), Fraction(0))
                hi = sum((x[1] for x in bs), Fraction(0))
                if fn == "avg":
                    lo, hi = rnd(div(lo, len(bs))), rnd(div(hi, len(bs)))
                return lo, hi
            if fn == "clamp":
                x, l, h = bs
                return min(max(x[0], l[0]), h[0]), min(max(x[1], l[1]), h[1])
        raise ValueError("no bounds for %r" % (e,))

    def _pct_ctx(self, operands):
        """A plain literal among these operands is read as a percent when
        another operand is a percent."""
        return any(not is_lit(x) and static_type(x, self.facts, self.output_types) == "p"
                   for x in operands)

    # ---- evaluation ----

    def ev(self, e, c, pct=False):
        """The value of e as (type, value)."""
        k = e[0]
        if k == "num":
            v = dec(e[1])
            return ("p", v / 100) if pct else ("n", v)
        if k == "pct":
            return ("p", dec(e[1]) / 100)
        if k == "str":
            return ("t", e[1])
        if k == "bool":
            return ("b", e[1])
        if k == "neg":
            t, v = self.ev(e[1], c, pct)
            return self.lim(c, (t, -v))
        if k == "fact":
            if e[1] not in c.facts:
                raise EmployeeError("fact %s has no value" % e[1])
            c.read.append(e[1])
            return c.facts[e[1]]
        if k == "node":
            return ("n", c.nodes[e[1]])
        if k == "total":
            return ("n", c.total)
        if k == "grade":
            return ("t", c.grade)
        if k == "output":
            return c.outputs[e[1]]
        if k in ("+", "-"):
            p = self._pct_ctx(e[1:])
            a = self.ev(e[1], c, p)
            b = self.ev(e[2], c, p)
            t = "p" if "p" in (a[0], b[0]) else "n"
            return self.lim(c, (t, a[1] + b[1] if k == "+" else a[1] - b[1]))
        if k in ("*", "/"):
            a = self.ev(e[1], c)
            b = self.ev(e[2], c)
            if k == "/" and b[1] == 0:
                raise EmployeeError("%s: division by zero" % c.what)
            v = a[1] * b[1] if k == "*" else a[1] / b[1]
            return self.lim(c, ("n", v if c.exact else half_even(v)))
        if k == "call":
            return self.call(e[1], e[2:], c)
        if k == "cmp":
            p = self._pct_ctx(e[2:])
            return ("b", compare(e[1], self.ev(e[2], c, p), self.ev(e[3], c, p)))
        if k == "chain":  # a op1 b op2 c …: a op1 b and b op2 c …, lazily
            xs, ops = e[1::2], e[2::2]
            p = self._pct_ctx(xs)
            prev = self.ev(xs[0], c, p)
            for o, x in zip(ops, xs[1:]):
                cur = self.ev(x, c, p)
                if not compare(o, prev, cur):
                    return ("b", False)
                prev = cur
            return ("b", True)
        if k == "and":
            return ("b", self.ev(e[1], c)[1] and self.ev(e[2], c)[1])
        if k == "or":
            return ("b", self.ev(e[1], c)[1] or self.ev(e[2], c)[1])
        if k == "not":
            return ("b", not self.ev(e[1], c)[1])
        raise ValueError("cannot evaluate %r" % (e,))

    def lim(self, c, tv):
        """Item-body arithmetic stops at 10^20 (an error for the employee)."""
        if not c.exact and tv[0] in ("n", "p") and abs(tv[1]) >= LIMIT:
            raise EmployeeError("%s: a result reaches 10^20" % c.what)
        return tv

    def call(self, fn, args, c):
        if fn == "count":
            return ("n", Fraction(sum(1 for a in args if self.ev(a, c)[1])))
        if fn == "if":
            p = self._pct_ctx(args[1:])
            return self.ev(args[1] if self.ev(args[0], c)[1] else args[2], c, p)
        if fn == "abs":
            t, v = self.ev(args[0], c)
            return (t, abs(v))
        if fn == "round":
            t, v = self.ev(args[0], c)
            n = int(dec(args[1][1]))
            return (t, round_val(v, n, t == "p"))
        p = self._pct_ctx(args)
        vs = [self.ev(a, c, p) for a in args]
        t = "p" if any(x[0] == "p" for x in vs) else "n"
        xs = [x[1] for x in vs]
        if fn == "min":
            return (t, min(xs))
        if fn == "max":
            return (t, max(xs))
        if fn == "sum":
            return self.lim(c, (t, sum(xs, Fraction(0))))
        if fn == "avg":
            v = sum(xs, Fraction(0)) / len(xs)
            return self.lim(c, (t, v if c.exact else half_even(v)))
        if fn == "clamp":
            x, lo, hi = xs
            if lo > hi:
                raise EmployeeError("%s: clamp with lo > hi" % c.what)
            return (t, min(max(x, lo), hi))
        raise ValueError("no function %s" % fn)

    @staticmethod
    def points(tv):
        """Where a score is expected, a percent counts its points."""
        t, v = tv
        return v * 100 if t == "p" else v

    # ---- scoring one view (one rater, or everyone without raters) ----

    def item_score(self, item, facts):
        c = Ctx(facts, exact=False, what="item " + item["name"])
        if "score" in item:
            v = self.points(self.ev(item["score"], c))
        else:
            for cond, res in item["rules"]:
                if cond is None or self.ev(cond, c)[1]:
                    v = self.points(self.ev(res, c))
                    break
            else:
                raise EmployeeError("item %s: no rule matched" % item["name"])
        v = self.clamp(item, v)
        if v > item["full"]:
            raise EmployeeError("item %s: score %s is above its full score %s"
                                % (item["name"], v, item["full"]))
        return v

    def view(self, facts):
        """Exact scores of every node (name -> Fraction, None -> total) and
        the vetoes that held, in file order."""
        scores, vetoes = {}, []
        self.section_score(self.root, facts, scores, vetoes)
        return scores, sorted(vetoes)

    def section_score(self, sec, facts, scores, vetoes):
        ms = self.members(sec)
        for k in sec["kids"]:
            if k["kind"] == "group":
                for it in k["items"]:
                    scores[it["name"]] = self.item_score(it, facts)
            elif k["kind"] == "item":
                scores[k["name"]] = self.item_score(k, facts)
            else:
                self.section_score(k, facts, scores, vetoes)
        exact = not self.ed1
        kidv = {k["name"]: scores[k["name"]] for k in ms}
        if sec.get("score"):
            c = Ctx(facts, exact=exact, nodes=kidv, what="section %s" % sec["name"])
            v = self.points(self.ev(sec["score"], c))
            contrib = {k["name"]: scores[k["name"]] for k in ms}
        elif self.weighted(sec):
            contrib = {k["name"]: self.contribution(scores[k["name"]], k, sec["F"]) for k in ms}
            v = sum(contrib.values(), Fraction(0))
        else:
            contrib = dict(kidv)
            v = sum(contrib.values(), Fraction(0))
            if "base" in sec:
                v += dec(sec["base"])
        v = self.clamp(sec, v)
        for k in sec["kids"]:
            if k["kind"] == "group":
                scores[k["name"]] = sum((contrib[i["name"]] for i in k["items"]), Fraction(0))
        checked = not sec.get("rubric") or sec.get("max")
        if checked and sec["full"] not in (INF, -INF) and v > sec["full"]:
            raise EmployeeError("section %s: score above its full score" % sec["name"])
        for vt in sec.get("vetoes", []):
            c = Ctx(facts, exact=exact, nodes=kidv, what="veto")
            if self.ev(vt["cond"], c)[1]:
                v = Fraction(0)
                vetoes.append(self.veto_index(vt))
        scores[sec["name"]] = v

    def veto_index(self, vt):
        """Vetoes are reported in file order; a section's vetoes stand after
        its children, so this is their order in a walk children-first."""
        return [id(v) for v in self.vetoes].index(id(vt))

    # ---- one employee ----

    def employee(self, shared, own):
        """shared: fact -> value; own: rater -> {fact -> value}. Returns a dict
        like one line of `eval -f json` (exact values kept under "exact")."""
        R = self.round
        if self.raters:
            views = {}
            for r, w in self.raters:
                f = dict(shared)
                f.update(own.get(r, {}))
                views[r] = self.view(f)
            names = list(views[self.raters[0][0]][0].keys())
            exact = {}
            for n in names:
                tot = Fraction(0)
                for r, w in self.raters:
                    p = w * views[r][0][n]
                    tot += half_even(p) if self.ed1 else p
                exact[n] = tot
            # Edition 2: a veto that held only for a 0% rater is not reported
            held = sorted({x for r, w in self.raters if w > 0 or self.ed1_veto for x in views[r][1]})
        else:
            exact, held = self.view(shared)
            views = None
        rep = {n: half_away(v, R) for n, v in exact.items()}
        total = rep[None]
        out = {"total": total, "scores": {k["name"]: rep[k["name"]] for k in self.order},
               "vetoes": [self.reasons[i] for i in held]}
        # grade on reported values
        c = Ctx(shared, exact=False, nodes={k: v for k, v in rep.items() if k}, total=total,
                what="grade")
        grade = None
        if self.m.get("grade") is not None:
            for cond, res in self.m["grade"]:
                if cond is None or self.ev(cond, c)[1]:
                    grade = res[1]
                    break
            else:
                raise EmployeeError("grade: no rule matched")
            out["grade"] = grade
        outs = {}
        for o in self.m.get("outputs", []):
            c = Ctx(shared, exact=False, nodes={k: v for k, v in rep.items() if k}, total=total,
                    grade=grade, outputs=outs, what="output " + o["name"])
            if "score" in o:
                tv = self.ev(o["score"], c)
            else:
                for cond, res in o["rules"]:
                    if cond is None or self.ev(cond, c)[1]:
                        tv = self.ev(res, c)
                        break
                else:
                    raise EmployeeError("output %s: no rule matched" % o["name"])
            outs[o["name"]] = tv
        # a percent output in percent units (92.5), as computed (not rounded)
        out["outputs"] = {k: v[1] * 100 if v[0] == "p" else v[1] for k, v in outs.items()}
        out["output_types"] = {k: v[0] for k, v in outs.items()}
        if views:
            out["raters"] = {r: {"total": half_away(views[r][0][None], R),
                                 "scores": {k["name"]: half_away(views[r][0][k["name"]], R)
                                            for k in self.order},
                                 "vetoes": [self.reasons[i] for i in views[r][1]]}
                            for r, _ in self.raters}
        return out


    # ---- fact values ----

    def value(self, name, text, where):
        """A fact value as a fact file, CSV cell or test line writes it."""
        f = self.facts[name]
        t = f["type"]
        s = text.strip()
        if t == "text":
            return ("t", s)
        if t == "bool":
            low = s.lower()
            if low in ("true", "yes", "是"):
                return ("b", True)
            if low in ("false", "no", "否"):
                return ("b", False)
            raise EmployeeError("%s: %s is not a bool" % (where, s))
        s = fold(s)  # full-width digits (and ％) read as ASCII ones
        pct = s.endswith("%")
        if pct:
            if t != "percent":
                raise EmployeeError("%s: %% on a number" % where)
            s = s[:-1]
        v = dec(s)
        if t == "integer" and v.denominator != 1:
            raise EmployeeError("%s: not a whole number" % where)
        if t == "percent" and not pct and 0 < v <= 1 and not self.ed1:
            raise EmployeeError("%s: bare percent in (0, 1]" % where)
        if ("lo" in f and v < dec(f["lo"])) or ("hi" in f and v > dec(f["hi"])):
            raise EmployeeError("%s: %s out of range" % (where, s))
        return ("p", v / 100) if t == "percent" else ("n", v)

    def complete(self, given):
        """Defaults for facts not given; a fact without one is simply absent
        (reading it is then an error)."""
        out = dict(given)
        for f in self.m["facts"]:
            if f["name"] not in out and "default" in f:
                out[f["name"]] = self.value(f["name"], f["default"], "default")
        return out

    def show_values(self, cells):
        """The "show" values of one employee: each shown fact's shared value
        as (type, value), None where it is missing or cannot be read."""
        out = {}
        for n in self.shown:
            tv = None
            try:
                for h, text in cells:
                    if h == n and text.strip() != "":
                        tv = self.value(n, text, h)
                if tv is None and "default" in self.facts[n]:
                    tv = self.value(n, self.facts[n]["default"], "default")
            except EmployeeError:
                tv = None
            out[n] = tv
        return out

    def score(self, cells):
        """cells: [(header, text)] of one employee (CSV row or test facts)."""
        shared, own = {}, {}
        for h, text in cells:
            if text.strip() == "":
                continue
            if "@" in h:
                n, r = h.split("@", 1)
                own.setdefault(r, {})[n] = self.value(n, text, h)
            elif h in self.facts:
                shared[h] = self.value(h, text, h)
        shared = self.complete(shared)
        # "A fact without a default must be present for each employee"; with
        # raters, in each rater's view (own, shared or default)
        for f in self.m["facts"]:
            n = f["name"]
            if n in shared or n in self.show_only:
                continue
            if not self.raters or any(n not in own.get(r, {}) for r, _ in self.raters):
                raise EmployeeError("fact %s has no value" % n)
        return self.employee(shared, own)


def mul(a, b):
    """Product over the extended reals with 0 × ±∞ = 0."""
    if a == 0 or b == 0:
        return Fraction(0)
    if a in (INF, -INF) or b in (INF, -INF):
        return INF if (a > 0) == (b > 0) else -INF
    return a * b


def div(a, b):
    if b in (INF, -INF):
        return Fraction(0)
    if a in (INF, -INF):
        return INF if (a > 0) == (b > 0) else -INF
    return Fraction(a) / b


def round_val(v, n, pct):
    """round(x, n): half away from zero; a percent rounds in percent units."""
    if v in (INF, -INF):
        return v
    return half_away(v * 100, n) / 100 if pct else half_away(v, n)


def compare(op, a, b):
    x, y = a[1], b[1]
    return {"==": x == y, "!=": x != y, "<": x < y, "<=": x <= y, ">": x > y,
            ">=": x >= y}[op]


# ---- the CSV the employees come from, and the CSV eval writes ----

CSV_ARG = "../team.csv"  # the paths run.sh gives eval (from DIR/a)
FOLDER_ARG = "../facts"


def fold(s):
    """Full-width forms of ASCII (U+FF01..U+FF5E) folded, as names compare."""
    return "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in s)


def read_csv(path):
    """[(line the record starts on, cells)], the header first; a UTF-8 BOM
    is skipped, an empty line is a record with no cells."""
    f = open(path, encoding="utf-8-sig", newline="")
    r = csv.reader(f)
    out, prev = [], 0
    for row in r:
        out.append((prev + 1, row))
        prev = r.line_num
    return out


def guard(t):
    """A text cell that a spreadsheet would run as a formula gets a leading '."""
    return "'" + t if t[:1] in ("=", "+", "-", "@") else t


def typed_cell(tv):
    """A value in a CSV cell: a percent as 92.5%, a bool as true/false, text guarded."""
    if tv is None:
        return ""
    t, v = tv
    if t == "b":
        return "true" if v else "false"
    if t == "t":
        return guard(v)
    if t == "p":
        return show(v * 100) + "%"
    return show(v)


def csv_cells(model, ev, rid, shown, res):
    """The cells of one employee's row in `eval -f csv`: id, shown facts,
    every node, total, grade, outputs, error ("*" for any message)."""
    row = [guard(rid)] + [typed_cell(shown.get(n)) for n in ev.shown]
    n_nodes = len(ev.order) + 2 + len(model.get("outputs", []))
    if "error" in res:
        return row + [""] * n_nodes + ["*"]
    row += [show(res["scores"][k["name"]]) for k in ev.order]
    row += [show(res["total"]), guard(res.get("grade") or "")]
    for o in model.get("outputs", []):
        row.append(typed_cell((res["output_types"][o["name"]], res["outputs"][o["name"]] / 100
                               if res["output_types"][o["name"]] == "p" else
                               res["outputs"][o["name"]])))
    return row + [""]


def template_header(model, ev):
    """`rubric template`'s CSV header (docs/commands.md): the id fact first
    (a column `id` without one), the shown facts, then the others in
    declaration order; with raters, a fact an item reads gets a NAME@RATER
    column per rater, after its shared column when a grade rule or an output
    reads it or `show` shows it."""
    def facts_in(x, out):
        if isinstance(x, list):
            if len(x) == 2 and x[0] == "fact" and isinstance(x[1], str):
                out.add(x[1])
            for y in x:
                facts_in(y, out)
        elif isinstance(x, dict):
            for y in x.values():
                facts_in(y, out)
        return out
    items = set()

    def walk(nodes):
        for k in nodes:
            if k["kind"] == "item":
                facts_in([k.get("score"), k.get("rules")], items)
            walk(k.get("kids", []) + k.get("items", []))
    walk(model["kids"])
    shared = facts_in([model.get("grade"), model.get("outputs")], set())
    raters = [r for r, _ in model.get("raters", [])]
    idf = model.get("id")
    cols = [] if idf else ["id"]

    def add(n):
        if raters and n != idf and n in items:
            if n in shared or n in ev.shown:
                cols.append(n)
            cols.extend("%s@%s" % (n, r) for r in raters)
        else:
            cols.append(n)
    if idf:
        add(idf)
    for n in ev.shown:
        if n != idf:
            add(n)
    for f in model["facts"]:
        if f["name"] != idf and f["name"] not in ev.shown:
            add(f["name"])
    return cols


def show_json(shown):
    """The expected JSON "show" values: [type, value] or None (null)."""
    return {k: None if v is None else ["b", v[1]] if v[0] == "b" else ["t", v[1]]
            if v[0] == "t" else ["n", show(v[1] * 100 if v[0] == "p" else v[1])]
            for k, v in shown.items()}


def csv_header(model, ev):
    return (["id"] + list(ev.shown) + [k["name"] for k in ev.order] + ["total", "grade"]
            + [o["name"] for o in model.get("outputs", [])] + ["error"])


def breaches(model, results):
    """How many quotas the batch breaches: a grade's share of the employees
    scored (error lines excluded) above a `<=` quota or below a `>=` one;
    with no one scored the share is taken as 0 (LANGUAGE.md is silent; 0 of
    0 meets no `>=` quota above 0%)."""
    scored = [r for r in results if "error" not in r]
    n = 0
    for g, op, p in model.get("quotas", []):
        share = Fraction(sum(1 for r in scored if r.get("grade") == g), max(len(scored), 1))
        limit = dec(p) / 100
        n += share > limit if op == "<=" else share < limit
    return n


# ---- the same employees as a folder of fact files ----

FULL = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}


def widen(rng, s, chars):
    """s with some of the given characters typed full-width."""
    if rng.random() >= 0.25:
        return s
    return "".join(FULL[c] if c in chars and rng.random() < 0.7 else c for c in s)


def fact_line(rng, name, text, decl):
    """One `NAME = VALUE` line meaning what the CSV cell `text` means."""
    t = decl["type"] if decl else "text"
    v = text
    comment = ""
    if t in ("number", "integer", "percent"):
        v = widen(rng, v, "0123456789%")
        if rng.random() < 0.1:
            comment = rng.choice([" # 备注", "\t# 由上级评定", " ＃ 单位：次"])
    elif t == "bool":
        if v.isascii():
            v = rng.choice([v, v.upper(), v.lower(), v.capitalize()])
        if rng.random() < 0.1:
            comment = " # 核实"
    elif '"' not in v and (rng.random() < 0.3 or "#" in v or "＃" in v or v != v.strip()):
        v = '"%s"' % v
        if rng.random() < 0.2:
            comment = " # 文本"
    n = widen(rng, name, "0123456789_@")
    eq = rng.choice([" = ", " = ", "=", " ＝ ", "\t=\t", "= ", " =  ", "\u3000=\u00a0"])
    end = rng.choice(["", "", "", "", " ", "\u3000"]) if not comment else ""
    return rng.choice(["", "", "", " ", "\t", "\u3000"]) + n + eq + v + end + comment


def write_folder(folder, model, rows):
    """Writes each employee (cells, expectation) as FOLDER/NAME.facts, with
    the surface a person or an export gives fact files (＝, comments, blank
    lines, CRLF, a BOM, full-width digits, booleans in any case, quoted
    text, empty values, an undeclared name); returns the expectations in
    the order eval reads a folder (byte order of the names), each with its
    id and source."""
    import os
    import random
    import zlib
    rng = random.Random(zlib.crc32(model["text"].encode("utf-8")))
    os.makedirs(folder, exist_ok=True)
    decls = {f["name"]: f for f in model["facts"]}
    pool = ["张三", "李四", "王五", "zhao", "Qian", "E0", "孙七", "a-b", "_x", "Z", "周8", "e"]
    out = []
    for i, (cells, one) in enumerate(rows):
        base = "%s%d" % (rng.choice(pool), i)
        lines = []
        if rng.random() < 0.3:
            lines.append(rng.choice(["# 张三 2026年11月", "＃ 月度数据", "# exported from HR"]))
        body, plain = [], []
        for h, c in cells:
            c = c.strip()
            if c == "":
                if rng.random() < 0.3:
                    body.append(h + rng.choice([" =", " = ", "=", "＝"]))  # empty: missing
                continue
            if h in decls and h != model.get("id") and h not in model.get("show", []):
                plain.append((len(body), h, c))
            body.append(fact_line(rng, h, c, decls.get(h.split("@", 1)[0])))
        broken = plain and rng.random() < 0.04
        if broken:
            # a repeated name, or a line that is not NAME = VALUE: the
            # employee's error (the other lines are still read: id, show)
            at, h, c = rng.choice(plain)
            if rng.random() < 0.5:
                body.append(fact_line(rng, h, c, decls[h]))
            else:
                body[at] = "%s %s" % (h, c)
        if rng.random() < 0.3:
            rng.shuffle(body)
        for b in body:
            lines.append(b)
            if rng.random() < 0.08:
                lines.append(rng.choice(["", "   ", "# 以下为考核数据"]))
        if rng.random() < 0.08:
            lines.append("备注 = 无")  # undeclared: a warning only
        nl = "\r\n" if rng.random() < 0.15 else "\n"
        text = nl.join(lines) + (nl if rng.random() < 0.9 else "")
        enc = "utf-8"
        if rng.random() < 0.1:
            text = "\ufeff" + text
        elif rng.random() < 0.06:
            enc = "gb18030"  # what Excel and WPS write on Chinese Windows
        with open(os.path.join(folder, base + ".facts"), "w", encoding=enc, newline="") as f:
            f.write(text)
        e = dict(one)
        del e["csv"]
        if broken:
            for k in ("ed2", "ed1", "ed1r"):
                if k in e:
                    e[k] = {"error": "a bad line"}
        e["source"] = "%s/%s.facts" % (FOLDER_ARG, base)
        if "id" not in model or dict(cells).get(model["id"], "").strip() == "":
            e["id"] = base  # no id fact, or none given: the file's base name
        out.append((base.encode("utf-8"), e))
    # not read: another extension, a fact file in a subfolder
    with open(os.path.join(folder, "说明.txt"), "w", encoding="utf-8") as f:
        f.write("完成率 = 1\n")
    os.makedirs(os.path.join(folder, "old"), exist_ok=True)
    with open(os.path.join(folder, "old", "x.facts"), "w", encoding="utf-8") as f:
        f.write("完成率 = 1\n")
    return [e for _, e in sorted(out, key=lambda x: x[0])]


# ---- the same employees as an Excel workbook ----

BOOK_ARG = "../team.xlsx"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def col_name(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def xml_text(t):
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def book_cell(rng, ref, text, decl, as_text):
    """One <c> meaning what the CSV cell `text` means: a plain decimal as a
    number cell (now and then with a binary double's noise, which Excel's
    15 significant digits remove), `92.5%` as 0.925 under a percent format,
    a bool as a boolean cell or text, anything else as an inline string."""
    import re
    t = decl["type"] if decl else "text"
    if not as_text and t in ("number", "integer", "percent") and \
            re.fullmatch(r"-?[0-9]+(\.[0-9]+)?%?", text):
        pct = text.endswith("%")
        v = Fraction(text.rstrip("%")) / (100 if pct else 1)
        stored = show(v)
        if rng.random() < 0.3:
            stored = "%.17g" % float(v)  # what a writer stores: 0.92500000000000004
        style = ' s="%d"' % rng.choice([1, 2]) if pct else ""
        return '<c r="%s"%s><v>%s</v></c>' % (ref, style, stored)
    if not as_text and t == "bool" and text.lower() in ("true", "false", "yes", "no", "是", "否") \
            and rng.random() < 0.5:
        return '<c r="%s" t="b"><v>%d</v></c>' % (ref, text.lower() in ("true", "yes", "是"))
    return '<c r="%s" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>' % (
        ref, xml_text(text))


def write_book(path, model, header, rows):
    """Writes the employees (cells, expectation) as a one-sheet workbook
    (zipfile, inline strings, styles 1 and 2 the built-in percent formats 10
    and 9), a title row above the header now and then; returns the
    expectations with source PATH:ROW (Excel's row number)."""
    import random
    import zipfile
    import zlib
    rng = random.Random(zlib.crc32(model["text"].encode("utf-8")) + 2)
    decls = {f["name"]: f for f in model["facts"]}
    heads = [h for h in header if h != ""]
    out, xrows = [], []
    r = 1
    if rng.random() < 0.4:  # a title, and a blank line, above the header
        xrows.append('<row r="1"><c r="A1" t="inlineStr"><is><t>月度绩效考核数据 2026年11月</t>'
                     '</is></c></row>')
        r = 2 + (rng.random() < 0.5)
    xrows.append('<row r="%d">%s</row>' % (r, "".join(
        '<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>' % (col_name(i), r, xml_text(h))
        for i, h in enumerate(heads))))
    for cells, one in rows:
        r += 1
        if rng.random() < 0.04:
            r += 1  # an empty row in the table: skipped
        vals = dict(cells)
        cs = []
        for i, h in enumerate(heads):
            text = vals.get(h, "").strip()
            if text == "":
                continue
            first = i == 0  # the id (or the id in its absence) as written: text
            cs.append(book_cell(rng, "%s%d" % (col_name(i), r), text,
                                decls.get(h.split("@", 1)[0]), first or h == model.get("id")))
        xrows.append('<row r="%d">%s</row>' % (r, "".join(cs)))
        e = dict(one)
        del e["csv"]
        e["source"] = "%s:%d" % (BOOK_ARG, r)
        out.append(e)
    parts = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.styles+xml"/></Types>',
        "_rels/.rels":
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="%s"><Relationship '
            'Id="rId1" Type="%s/officeDocument" Target="xl/workbook.xml"/></Relationships>'
            % (PKG_NS, REL_NS),
        "xl/workbook.xml":
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="%s" xmlns:r="%s"><sheets>'
            '<sheet name="考核" sheetId="1" r:id="rId1"/></sheets></workbook>' % (MAIN_NS, REL_NS),
        "xl/_rels/workbook.xml.rels":
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="%s"><Relationship '
            'Id="rId1" Type="%s/worksheet" Target="worksheets/sheet1.xml"/><Relationship '
            'Id="rId2" Type="%s/styles" Target="styles.xml"/></Relationships>'
            % (PKG_NS, REL_NS, REL_NS),
        "xl/styles.xml":
            '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="%s"><fonts count="1"><font/>'
            '</fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders>'
            '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0"/>'
            '<xf numFmtId="10" applyNumberFormat="1"/><xf numFmtId="9" applyNumberFormat="1"/>'
            '</cellXfs></styleSheet>' % MAIN_NS,
        "xl/worksheets/sheet1.xml":
            '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="%s"><sheetData>%s'
            '</sheetData></worksheet>' % (MAIN_NS, "".join(xrows)),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, text in parts.items():
            z.writestr(n, text)
    return out


# ---- prepare: the rubric with real expectations, and what eval must print ----

def jnum(x):
    return show(x) if isinstance(x, Fraction) else x


def encode(res):
    if "error" in res:
        return {"error": res["error"]}
    out = {"total": jnum(res["total"]), "scores": {k: jnum(v) for k, v in res["scores"].items()},
           "vetoes": res["vetoes"], "outputs": {k: ["t", v] if isinstance(v, str) else ["n", jnum(v)]
                       for k, v in res["outputs"].items()}}
    if "grade" in res:
        out["grade"] = res["grade"]
    if "raters" in res:
        out["raters"] = {r: {"total": jnum(x["total"]),
                             "scores": {k: jnum(v) for k, v in x["scores"].items()},
                             "vetoes": x["vetoes"]} for r, x in res["raters"].items()}
    return out


def run_one(ev, cells):
    try:
        return ev.score(cells)
    except EmployeeError as e:
        return {"error": str(e)}


def literal(v):
    if isinstance(v, Fraction):
        return show(v)
    return v if v.startswith('"') or v.endswith("%") else '"%s"' % v


def prepare(model_path, csv_path, rubric_path, expected_path, folder=None):
    model = json.load(open(model_path, encoding="utf-8"))
    ev2 = Evaluator(model)
    if ev2.check_errors:
        # `rubric check` must reject it (exit 1) with these codes; the
        # expectations only need to parse
        text = model["text"]
        for n in range(sum(len(t["expects"]) for t in model["tests"])):
            text = text.replace("⟦%d⟧" % n, "total == 0", 1)
        with open(rubric_path, "w", encoding="utf-8") as f:
            f.write(text)
        with open(expected_path, "w", encoding="utf-8") as f:
            json.dump({"check": sorted(ev2.check_errors)}, f)
        return sorted(ev2.check_errors)
    evs = {"ed2": ev2, "ed1": Evaluator(model, ed1=True)}
    if any(dec(w) == 0 for _, w in model.get("raters", [])):
        evs["ed1r"] = Evaluator(model, ed1=True, ed1_veto=False)
    rows = read_csv(csv_path)
    header = [fold(h.strip()) for h in rows[0][1]]
    book = []
    expected = {"employees": [], "tests": [], "folder": [], "book": [],
                "model_header": csv_header(model, ev2),
                "template": template_header(model, ev2)}
    id_col = header.index(model["id"]) if "id" in model and model["id"] in header else 0
    for line, row in rows[1:]:
        if all(c.strip() == "" for c in row):
            continue  # a row of empty cells (or an empty line) is skipped
        # the id fact's value; where it has none (an empty cell) or the row
        # cannot be read (wrong number of cells), the row's first cell
        first = row[0].strip() if row else ""
        rid = row[id_col].strip() if id_col < len(row) else ""
        if rid == "" or len(row) != len(header):
            rid = first
        if len(row) != len(header):
            # no cell of the row is read, so no shown fact could be read:
            # null, not its default (the row may have said otherwise;
            # docs/language.md decision 29, LANGUAGE.md "null where it
            # could not be read")
            res = {"error": "row has %d cell%s, the header has %d"
                     % (len(row), "" if len(row) == 1 else "s", len(header))}
            one = {k: res for k in evs}
            shown = {k: None for k in ev2.show_values([])}
            if ev2.shown:
                one["show"] = show_json(shown)
            one["csv"] = csv_cells(model, ev2, rid, shown, res)
            one.update(id=rid, source="%s:%d" % (CSV_ARG, line))
            expected["employees"].append(one)
            continue
        cells = [(h, c) for h, c in zip(header, row) if h != ""]
        raw = {k: run_one(ev, cells) for k, ev in evs.items()}
        one = {k: encode(v) for k, v in raw.items()}
        shown = ev2.show_values(cells)
        if ev2.shown:
            one["show"] = show_json(shown)
        one["csv"] = csv_cells(model, ev2, rid, shown, raw["ed2"])
        one.update(id=rid, source="%s:%d" % (CSV_ARG, line))
        expected["employees"].append(one)
        if folder and not any("\n" in c or '"' in c for _, c in cells):
            expected["folder"].append((cells, one))  # (a fact file has no such value)
        if folder:
            book.append((cells, one))
    # rubric explain -f json for one employee with an id of its own (no raters)
    ids = [e["id"] for e in expected["employees"]]
    pick = [e for e in expected["employees"] if ids.count(e["id"]) == 1 and e["id"]
            and not e["id"].startswith("-")]
    if pick and not model.get("raters"):
        e = pick[len(pick) // 2]
        expected["explain"] = {"id": e["id"], "ed2": e["ed2"], "full": {
            k["name"]: show(half_away(k["full"], ev2.round)) for k in ev2.order
            if k["kind"] != "group" and k["full"] not in (INF, -INF)}, "fullx": {
            k["name"]: str(k["full"]) for k in ev2.order
            if k["kind"] != "group" and k["full"] not in (INF, -INF)}}
    if folder:
        expected["folder"] = write_folder(folder, model, expected["folder"])
        expected["book"] = write_book(os.path.join(os.path.dirname(folder), "team.xlsx"), model,
                                      header, book)
    expected["breaches"] = breaches(model, [e["ed2"] for e in expected["employees"]])
    text = model["text"]
    n = 0
    import random
    import zlib
    rng = random.Random(zlib.crc32(text.encode("utf-8")) + 1)
    for t in model["tests"]:
        cells = list(t["facts"].items()) + list(t["rater_facts"].items())
        res = run_one(evs["ed2"], cells)
        res1 = run_one(evs["ed1"], cells)
        # now and then a test whose expectation is false: it must fail
        wrong = "error" not in res and rng.random() < 0.15
        wrong = wrong and rng.choice([i for i, x in enumerate(t["expects"])] + [None])
        expected["tests"].append({"name": t["name"],
                                  "fails": "error" in res or wrong is not False,
                                  "ed1_differs": encode(res) != encode(res1)})
        for i, x in enumerate(t["expects"]):
            w = x["write"]
            bad = wrong is not False and (wrong == i or (wrong is None and i == 0))
            if bad and x["kind"] == "total":
                v = res["total"] + 1
            elif bad and x["kind"] == "grade":
                v = '"不存在的等级"'
            elif bad:  # node or output: compared with == when the test writes it so
                v = None
                expected["tests"][-1]["fails"] = "error" in res
            if bad and v is not None:
                pass
            elif x["kind"] == "fact":  # the test's value (or the default), as a literal
                given = dict(cells).get(x["name"], evs["ed2"].facts[x["name"]].get("default"))
                tv = evs["ed2"].value(x["name"], given, "test")
                v = (('"%s"' % tv[1]) if tv[0] == "t" else ("true" if tv[1] else "false")
                     if tv[0] == "b" else show(tv[1] * 100) + "%" if tv[0] == "p" else
                     show(tv[1]))
            elif "error" in res:  # the test fails before any expectation
                v = '"?"' if x["kind"] == "grade" else Fraction(0)
            elif x["kind"] in ("total",):
                v = res["total"]
            elif x["kind"] == "grade":
                v = res["grade"]
            elif x["kind"] == "node":
                v = res["scores"][x["name"]]
            else:
                v = res["outputs"][x["name"]]
                if res["output_types"][x["name"]] == "p":
                    v = show(v) + "%"
            line = "%s %s %s%s" % (w[0], w[1], v if x["kind"] == "fact" else literal(v),
                                   w[2] if len(w) > 2 else "")
            text = text.replace("⟦%d⟧" % n, line, 1)
            n += 1
    with open(rubric_path, "w", encoding="utf-8") as f:
        f.write(text)
    with open(expected_path, "w", encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False)


# ---- compare ----

def same_num(a, b):
    if a is None or b is None:
        return a is b
    return Fraction(str(a)) == Fraction(str(b))


def diff_employee(exp, got):
    """What differs between the oracle's line and eval's, as short strings."""
    d = []
    if "error" in exp or "error" in got:
        if ("error" in exp) != ("error" in got):
            d.append("error: oracle %r, eval %r" % (exp.get("error"), got.get("error")))
        return d
    if not same_num(exp["total"], got.get("total")):
        d.append("total: oracle %s, eval %s" % (exp["total"], got.get("total")))
    if exp.get("grade") != got.get("grade"):
        d.append("grade: oracle %s, eval %s" % (exp.get("grade"), got.get("grade")))
    gs = got.get("scores", {})
    if list(gs.keys()) != list(exp["scores"].keys()):
        d.append("score names: oracle %s, eval %s" % (list(exp["scores"]), list(gs)))
    for k, v in exp["scores"].items():
        if not same_num(v, gs.get(k)):
            d.append("%s: oracle %s, eval %s" % (k, v, gs.get(k)))
    go = got.get("outputs", {})
    for k, (t, v) in exp["outputs"].items():
        g = go.get(k)
        if t == "t":
            ok = g == v
        else:
            ok = isinstance(g, (str, int)) and not (isinstance(g, str) and not g[:1].isdigit()
                                                    and g[:1] != "-") and same_num(v, g)
        if not ok:
            d.append("output %s: oracle %s, eval %s" % (k, v, go.get(k)))
    if exp["vetoes"] != got.get("vetoes", []):
        d.append("vetoes: oracle %s, eval %s" % (exp["vetoes"], got.get("vetoes", [])))
    if "raters" in exp:
        gr = got.get("raters", {})
        for r, x in exp["raters"].items():
            y = gr.get(r, {})
            if not same_num(x["total"], y.get("total")):
                d.append("rater %s total: oracle %s, eval %s" % (r, x["total"], y.get("total")))
            for k, v in x["scores"].items():
                if not same_num(v, y.get("scores", {}).get(k)):
                    d.append("rater %s %s: oracle %s, eval %s"
                             % (r, k, v, y.get("scores", {}).get(k)))
    return d


def diff_show(exp, got):
    """The "show" object: right after "source", every shown fact in order,
    each value of its type (None: null). Returns a message or ''."""
    keys = list(got.keys())
    if keys[:3] != ["id", "source", "show"]:
        return "show: keys %s (want id, source, show first)" % keys[:4]
    gs = got["show"]
    if list(gs.keys()) != list(exp.keys()):
        return "show names: oracle %s, eval %s" % (list(exp), list(gs))
    for k, tv in exp.items():
        g = gs[k]
        v = tv if tv is None else tv[1]
        if tv is None or tv[0] == "b":
            ok = g is v
        elif tv[0] == "t":
            ok = g == v
        else:
            ok = isinstance(g, (int, str)) and not isinstance(g, bool) and \
                (isinstance(g, int) or g[:1].isdigit() or g[:1] == "-") and same_num(v, g)
        if not ok:
            return "show %s: oracle %r, eval %r" % (k, v, g)
    return ""


def diff_where(e, g):
    """id and source of one JSON line."""
    d = []
    if g.get("id") != e["id"]:
        d.append("id: oracle %r, eval %r" % (e["id"], g.get("id")))
    if g.get("source") != e["source"]:
        d.append("source: oracle %r, eval %r" % (e["source"], g.get("source")))
    return d


def row_diffs(exp, rows, head, conv, d):
    """Appends to d (at most about six) the data rows of an eval table (rows,
    the header first) that differ from the oracle's cells, each cell passed
    through conv; an expected "*" (an error) matches any non-empty message."""
    for i, (e, r) in enumerate(zip(exp["employees"], rows[1:])):
        want = [conv(c) for c in e["csv"]]
        if want[-1] == "*":
            want[-1] = r[-1] if r[-1] else "(a message)"
        if r != want:
            bad = [(h, w, g) for h, w, g in zip(head, want, r) if w != g]
            d.append("row %d (%s): %s" % (i + 1, e["id"], "; ".join(
                "%s: oracle %r, eval %r" % x for x in bad[:4]) or "%d cells" % len(r)))
            if len(d) > 5:
                break


def compare_csv(exp, path):
    """`eval` without -f (CSV, standard output not a terminal) against the
    oracle's cells; an error cell is compared as empty or not."""
    model = exp["model_header"]
    text = open(path, encoding="utf-8", newline="").read()
    d = []
    if os.path.exists(path + ".bom") != text.startswith("\ufeff"):  # run with --bom or not
        d.append("a BOM %s" % ("missing (--bom)" if os.path.exists(path + ".bom") else
                               "without --bom"))
    rows = list(csv.reader(text.lstrip("\ufeff").splitlines(True)))
    rc = "none"
    if rows and rows[-1] and rows[-1][0].startswith("exit "):
        rc = rows.pop()[0]
    if not rows or rows[0] != model:
        return ["header: oracle %s, eval %s" % (model, rows[0] if rows else None)]
    if len(rows) - 1 != len(exp["employees"]):
        return ["%d rows, oracle %d" % (len(rows) - 1, len(exp["employees"]))]
    row_diffs(exp, rows, model, lambda c: c, d)
    # run.sh runs this one with --strict: a breached quota is exit status 1
    want_rc = "exit %d" % int(any("error" in e["ed2"] for e in exp["employees"])
                              or exp.get("breaches", 0) > 0)
    if rc != want_rc:
        d.append("--strict %s, oracle %s (%d quotas breached)" % (rc, want_rc,
                                                                 exp.get("breaches", 0)))
    try:
        said = sum(1 for l in open(path + ".err", encoding="utf-8")
                   if l.startswith(("quota ", "配额 ")) and l.rstrip().endswith("breached"))
    except OSError:
        said = exp.get("breaches", 0)
    if said != exp.get("breaches", 0):
        d.append("%d quota lines say breached, oracle %d" % (said, exp.get("breaches", 0)))
    return d


def compare_tsv(exp, path):
    """`eval -f tsv` of the CSV given on standard input (`-`, read as CSV
    since its first line has a comma and no `=`): the CSV's cells, with a tab
    or line break inside a cell turned into a space, no quoting."""
    lines = open(path, encoding="utf-8", newline="").read().split("\n")
    rc = "none"
    if lines and lines[-1] == "":
        lines.pop()
    if lines and lines[-1].startswith("exit "):
        rc = lines.pop()
    rows = [l.split("\t") for l in lines]
    head = exp["model_header"]
    flat = lambda c: c.replace("\r\n", " ").replace("\t", " ").replace("\n", " ").replace("\r", " ")
    if not rows or rows[0] != [flat(h) for h in head]:
        return ["header: oracle %s, eval %s" % (head, rows[0] if rows else None)]
    if len(rows) - 1 != len(exp["employees"]):
        return ["%d rows, oracle %d" % (len(rows) - 1, len(exp["employees"]))]
    d = []
    row_diffs(exp, rows, head, flat, d)
    want_rc = "exit %d" % int(any("error" in e["ed2"] for e in exp["employees"]))
    if rc != want_rc:
        d.append("%s, oracle %s" % (rc, want_rc))
    return d


def compare_explain(exp, path):
    """`rubric explain -f json --id ID`: the same total, grade and node
    scores as eval, each item's and section's full score (rounded like a
    score, or exact), and an error exactly when eval has one."""
    x = exp["explain"]
    try:
        got = json.loads(open(path, encoding="utf-8").read(), parse_float=str)
    except ValueError as err:
        return ["not one JSON object: %s" % err]
    want = x["ed2"]
    if "error" in want:
        return [] if got.get("error") else ["no error, oracle %r" % want["error"]]
    d = []
    if got.get("error") is not None:
        return ["error %r" % got["error"]]
    if got.get("id") != x["id"]:
        d.append("id %r, oracle %r" % (got.get("id"), x["id"]))
    if not same_num(want["total"], got.get("total")):
        d.append("total %s, oracle %s" % (got.get("total"), want["total"]))
    if want.get("grade") != got.get("grade"):
        d.append("grade %s, oracle %s" % (got.get("grade"), want.get("grade")))
    nodes = {}

    def walk(ns):
        for n in ns or []:
            nodes[n["name"]] = n
            walk(n.get("nodes"))
    walk(got.get("nodes"))
    for k, v in want["scores"].items():
        n = nodes.get(k, {})
        if not same_num(v, n.get("score")):
            d.append("%s score %s, oracle %s" % (k, n.get("score"), v))
        fx = Fraction(x["fullx"][k]) if k in x["full"] else None
        if k in x["full"] and not (same_num(x["full"][k], n.get("full")) or n.get("full") is not None
                                   and Fraction(str(n.get("full"))) in (fx, half_away(fx, 18))):
            d.append("%s full %s, oracle %s" % (k, n.get("full"), x["fullx"][k]))
    return d[:6]


def compare_folder(exp, path, key="folder"):
    """`eval -f json FOLDER` against the oracle's employees in byte order
    (key "book": `eval -f json team.xlsx` in row order)."""
    got = [json.loads(line, parse_float=str) for line in open(path, encoding="utf-8")
           if line.startswith("{")]
    want = exp[key]
    if len(got) != len(want):
        return ["%d employees, oracle %d" % (len(got), len(want))]
    d = []
    for e, g in zip(want, got):
        x = diff_employee(e["ed2"], g) + diff_where(e, g)
        if "show" in e:
            y = diff_show(e["show"], g)
            if y:
                x.append(y)
        if x:
            d.append("%s: %s" % (e["source"], "; ".join(x)))
            if len(d) > 5:
                break
    return d


def format_notes(got, exp):
    """Edition 2's JSON shape, reported apart from the values."""
    notes = []
    if "error" in got:
        return notes
    if "vetoes" in got and not got["vetoes"]:
        notes.append('"vetoes":[] printed though no veto held')
    for r, x in got.get("raters", {}).items():
        mine = exp.get("raters", {}).get(r, {}).get("vetoes", [])
        if x.get("vetoes", []) != mine:
            notes.append("rater %s vetoes: oracle %s, eval %s" % (r, mine, x.get("vetoes")))
    return notes


def compare_cmd(exp_path, eval_path, test_path, label, out=sys.stdout, csv_path=None,
                dir_path=None, tsv_path=None, book_path=None):
    exp = json.load(open(exp_path, encoding="utf-8"))
    got = [json.loads(line, parse_float=str) for line in open(eval_path, encoding="utf-8")
           if line.startswith("{")]
    differ = ed1 = fmt = 0
    lines = []
    # numbers as the design writes them: no exponent, no trailing zeros, no -0
    import re
    for i, line in enumerate(l for l in open(eval_path, encoding="utf-8") if l.startswith("{")):
        bad = []

        def num(t, bad=bad):
            if not re.fullmatch(r"-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?", t) or t == "-0":
                bad.append(t)
            return t
        json.loads(line, parse_float=num, parse_int=num)
        if bad:
            differ += 1
            lines.append("%s: employee %d: numbers written %s" % (label, i + 1, bad[:3]))
    if len(got) != len(exp["employees"]):
        lines.append("%s: eval printed %d employees, oracle %d"
                     % (label, len(got), len(exp["employees"])))
        differ += 1
    for i, (e, g) in enumerate(zip(exp["employees"], got)):
        d = diff_employee(e["ed2"], g) + diff_where(e, g)
        if d:
            differ += 1
            known = ""
            if "bare percent" in e["ed2"].get("error", "") and not diff_employee(e["ed1"], g):
                known = " [edition 1: a bare percent 0.5 or 1 read as 0.5% or 1%]"
            elif not diff_employee(e.get("ed1r", e["ed1"]), g):
                known = " [edition 1: early rounding]"
            elif not diff_employee(e["ed1"], g):
                known = " [edition 1: a veto held only for a 0% rater reported]"
            ed1 += bool(known)
            lines.append("%s: employee %d (%s)%s: %s" % (label, i + 1, g.get("id"), known,
                                                         "; ".join(d)))
        if "show" in e:
            d = diff_show(e["show"], g)
            if d:
                differ += 1
                lines.append("%s: employee %d (%s): %s" % (label, i + 1, g.get("id"), d))
        elif "show" in g:
            differ += 1
            lines.append("%s: employee %d: \"show\" without a show statement" % (label, i + 1))
        n = format_notes(g, e["ed2"])
        if n:
            fmt += 1
    # rubric test: the tests the oracle says fail (their employee is an error)
    said = open(test_path, encoding="utf-8").read()
    failed = {l.split('test "', 1)[1].split('"', 1)[0] for l in said.splitlines()
              if l.startswith("FAIL ")}
    for t in exp["tests"]:
        if (t["name"] in failed) != t["fails"]:
            differ += 1
            known = t["ed1_differs"]
            ed1 += known
            lines.append("%s: test %s: oracle %s, rubric test %s%s" % (
                label, t["name"], "fails" if t["fails"] else "passes",
                "fails" if t["name"] in failed else "passes",
                " [edition 1: a test's expectation]" if known else ""))
    last = ([l for l in said.splitlines() if l.endswith(" failed") and " passed, " in l]
            or [""])[-1]
    nf = sum(t["fails"] for t in exp["tests"])
    want = "%d passed, %d failed" % (len(exp["tests"]) - nf, nf)
    if last != want and not lines:
        differ += 1
        lines.append("%s: rubric test says %r, oracle %r" % (label, last, want))
    # eval's exit status: 1 when some employee could not be scored
    want_rc = int(any("error" in e["ed2"] for e in exp["employees"]))
    rc = [l for l in open(eval_path, encoding="utf-8") if l.startswith("exit ")]
    if rc and rc[-1].strip() != "exit %d" % want_rc:
        differ += 1
        lines.append("%s: eval -f json %s, oracle exit %d" % (label, rc[-1].strip(), want_rc))
    if csv_path:
        d = compare_csv(exp, csv_path)
        differ += len(d)
        lines += ["%s: eval -f csv: %s" % (label, x) for x in d]
    if tsv_path and os.path.exists(tsv_path):
        d = compare_tsv(exp, tsv_path)
        differ += len(d)
        lines += ["%s: eval -f tsv (standard input): %s" % (label, x) for x in d]
    if dir_path and os.path.exists(dir_path):
        d = compare_folder(exp, dir_path)
        differ += len(d)
        lines += ["%s: eval of the fact folder: %s" % (label, x) for x in d]
    ex_path = os.path.join(os.path.dirname(exp_path), "explain.json")
    if "explain" in exp and os.path.exists(ex_path):
        d = compare_explain(exp, ex_path)
        differ += len(d)
        lines += ["%s: explain --id %s: %s" % (label, exp["explain"]["id"], x) for x in d]
    tp = os.path.join(os.path.dirname(exp_path), "template.csv")
    if os.path.exists(tp):
        rows = list(csv.reader(open(tp, encoding="utf-8", newline="")))
        if rows != [exp["template"]]:
            differ += 1
            lines.append("%s: template: %s, oracle %s" % (label, rows, exp["template"]))
    if book_path and os.path.exists(book_path):
        d = compare_folder(exp, book_path, "book")
        differ += len(d)
        lines += ["%s: eval of team.xlsx: %s" % (label, x) for x in d]
    for l in lines:
        print(l, file=out)
    print("oracle: %d employees, %d tests, %d differ (%d edition-1), %d format"
          % (len(exp["employees"]), len(exp["tests"]), differ, ed1, fmt), file=out)
    return differ, ed1, fmt


def main(argv):
    if len(argv) == 5 and argv[0] == "prepare":
        prepare(argv[1], argv[2], argv[3], argv[4])
        return 0
    if argv and argv[0] == "prepare-dirs":  # DIR/model.json, DIR/team.csv -> DIR/a/r.rubric
        for d in argv[1:]:
            try:
                codes = prepare(d + "/model.json", d + "/team.csv", d + "/a/r.rubric",
                                d + "/expected.json", d + "/facts")
                # about one CSV in three also in GB18030, what Excel and WPS
                # save on Chinese Windows (read by the TSV run)
                import zlib
                text = open(d + "/team.csv", encoding="utf-8-sig", newline="").read()
                if not codes and zlib.crc32(text.encode("utf-8")) % 3 == 0:
                    with open(d + "/team.gb.csv", "w", encoding="gb18030", newline="") as f:
                        f.write(text)
                if codes:
                    with open(d + "/check.expect", "w", encoding="utf-8") as f:
                        print(" ".join(codes), file=f)
                else:
                    x = json.load(open(d + "/expected.json", encoding="utf-8")).get("explain")
                    if x:
                        with open(d + "/explain.id", "w", encoding="utf-8") as f:
                            f.write(x["id"])
            except Exception as e:  # the seed fails on the missing rubric; say why
                with open(d + "/oracle.out", "w", encoding="utf-8") as f:
                    print("oracle.py prepare failed: %r" % e, file=f)
        return 0
    if argv and argv[0] == "compare-dirs":  # DIR/eval.a, DIR/test.a -> DIR/oracle.out
        for d in argv[1:]:
            try:
                with open(d + "/oracle.out", "w", encoding="utf-8") as f:
                    r = compare_cmd(d + "/expected.json", d + "/eval.a", d + "/test.a",
                                    "seed " + d.rstrip("/").rsplit("/", 1)[-1], f,
                                    d + "/eval.csv", d + "/eval.dir", d + "/eval.tsv",
                                    d + "/eval.xlsx")
                print(d, *r)
            except Exception as e:
                print(d, "failed", repr(e).replace("\n", " "))
        return 0
    if len(argv) >= 4 and argv[0] == "compare":
        compare_cmd(argv[1], argv[2], argv[3], argv[4] if len(argv) > 4 else "")
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
