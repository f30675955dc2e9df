#!/usr/bin/env python3
"""fast_check.py - the expected output of four fast-path golden cases, worked out
again with Python fractions from the design (LANGUAGE.md: "Scoring
semantics"), not from the program: tests/speed/fast-steps (61 items in one
section, a yes/no item, a group) and tests/speed/fast-grid (table items whose
rule the grid of code_table_seg finds, with the values that send it back to
the binary search, a rule-less gap, a total no grade rule takes),
tests/speed/fast-int (integer facts' grids, whose marked cells need no test;
a section's contribution kept with its rounding, and one that leaves 2^120,
which falls back) and tests/speed/fast-round (a group's, section's and total's reported value just
below 10^20, and reaching it: the fast path's rounding falls back to the exact
path, which words the error). Each case's .out (standard output), .err (standard error)
and .code (exit status) must be exactly what this script computes.

    python3 tests/speed/fast_check.py      (run by make test)

Prints one line per difference and `fast_check: N cases, N rows, N differ`;
exits 1 when any differs.
"""
import csv
import io
import os
import re
import sys
from fractions import Fraction as F

HERE = os.path.dirname(os.path.abspath(__file__))


def number(text):
    """A CSV cell as an exact number: 12.5, -3, 92% (its fraction)."""
    if text.endswith("%"):
        return F(text[:-1]) / 100
    return F(text)


def rounded(x, places=2):
    """x rounded half away from zero to `places` decimals (an exact Fraction)."""
    scale = 10**places
    m = abs(x) * scale
    q = int(m)  # floor of a non-negative number
    if m - q >= F(1, 2):
        q += 1
    return F(q if x >= 0 else -q, scale)


def text(x):
    """A reported number as rubric prints it: no trailing zeros, no exponent."""
    sign = "-" if x < 0 else ""
    x = abs(x)
    whole = int(x)
    frac = x - whole
    digits = ""
    while frac:
        frac *= 10
        d = int(frac)
        digits += str(d)
        frac -= d
        if len(digits) > 18:
            raise ValueError("not a short decimal")
    return sign + str(whole) + ("." + digits if digits else "")


def line_of(rubric_text, needle):
    for n, line in enumerate(rubric_text.splitlines(), 1):
        if needle in line:
            return n
    raise ValueError(needle)


def csv_line(cells):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue()


class Failure(Exception):
    """An employee that cannot be scored: its message, and the rubric line."""

    def __init__(self, message, line=None):
        super().__init__(message)
        self.message = message
        self.line = line


def first_rule(rules, value):
    for cond, points in rules:
        if cond is None or cond(value):
            return points
    return None


def boolean(row, name):
    v = row[name]
    if v == "":
        raise Failure("fact %s is missing" % name)
    if v not in ("是", "否"):
        raise Failure('fact %s: expected 是/否 (true/false), got "%s"' % (name, v))
    return v == "是"


# ---- fast-steps: 多项 (61 items, points mode in a 50% section), 是非 ----


def steps_case():
    rubric_path = os.path.join(HERE, "fast", "多项.rubric")
    rubric = open(rubric_path, encoding="utf-8").read()
    # item 项N max 1 { 数 >= K -> 1  else -> 0 }: the thresholds as written
    items = re.findall(r"item (项\d+) max 1 \{\s*数 >= (\d+) -> 1\s*else -> 0\s*\}", rubric)
    if len(items) != 61:
        raise SystemExit("fast_check: 多项.rubric: %d items of the expected shape" % len(items))
    line_two = line_of(rubric, "item 两项")
    names = ["多项"] + [n for n, _ in items] + ["是非", "组", "两项", "率档"]
    rows = list(csv.DictReader(open(os.path.join(HERE, "fast", "多项.csv"), encoding="utf-8")))
    out = [csv_line(["id"] + names + ["total", "grade", "error"])]
    err = ["fast/多项.rubric: 1 warning; rubric check fast/多项.rubric shows it\n"]
    failed = False
    for n, row in enumerate(rows, 2):
        try:
            # facts first: a missing or unreadable one fails the employee
            a, b = boolean(row, "甲"), boolean(row, "乙")
            count = number(row["数"])
            rate = number(row["率"])
            marks = [F(1) if count >= int(k) else F(0) for _, k in items]
            many = sum(marks)  # points mode: the sum, full score 61
            two = 10 * (int(a) + int(b)) - 3  # score 10 * count(甲, 乙) - 3
            if two > 10:
                raise Failure(
                    "item 两项: score %s is above its full score 10" % text(F(two)), line_two
                )
            band = first_rule(
                [(lambda r: r >= F(90, 100), F(3)), (lambda r: r >= F(50, 100), F(3, 2)),
                 (None, F(0))], rate)
            # 是非 weight 50% max 30, group 组 weight 100%: 两项 60% of 10, 率档 40% of 3
            c_two = F(two) / 10 * F(60, 100) * 30
            c_band = band / 3 * F(40, 100) * 30
            group = c_two + c_band
            yes_no = group
            total = many / 61 * F(50, 100) * 100 + yes_no / 30 * F(50, 100) * 100
            values = [many] + marks + [yes_no, group, F(two), band, total]
            out.append(csv_line([row["工号"]] + [text(rounded(v)) for v in values] + ["", ""]))
        except Failure as f:
            failed = True
            out.append(csv_line([row["工号"]] + [""] * (len(names) + 2) + [f.message]))
            where = " (rule at fast/多项.rubric:%d)" % f.line if f.line else ""
            err.append("fast/多项.csv:%d: error: %s%s\n" % (n, f.message, where))
    return "fast-steps", "".join(out), "".join(err), 1 if failed else 0


# ---- fast-grid: 网格 (the grids of table items) ----


def grid_case():
    rubric_path = os.path.join(HERE, "fast", "网格.rubric")
    rubric = open(rubric_path, encoding="utf-8").read()
    line_band = line_of(rubric, "item 分档")
    line_grade = line_of(rubric, 'total >= 90 -> "优秀"')  # the grade block's first rule
    rating = [(lambda v, k=k: v == k, F(4 * k)) for k in (5, 4, 3, 2, 1)]
    score = [(lambda v: v >= 90, F(30)), (lambda v: v > 80, F(20)), (lambda v: v >= 60, F(10)),
             (lambda v: v < 10, F(0))]
    rate = [(lambda v: v >= F(90, 100), F(3)), (lambda v: v >= F(85, 100), F(2)),
            (lambda v: v >= F(80, 100), F(1)), (None, F(0))]
    times = [(lambda v: v == 0, F(7)), (lambda v: v <= 2, F(3)), (None, F(0))]
    big = [(lambda v: v >= 1000, F(3)), (lambda v: v >= 1, F(1)), (None, F(0))]
    names = ["甲", "等级分", "分档", "率档", "乙", "次档", "大档"]
    rows = list(csv.DictReader(open(os.path.join(HERE, "fast", "网格.csv"), encoding="utf-8")))
    out = [csv_line(["id"] + names + ["total", "grade", "error"])]
    # check's two [gap] warnings: 分档 between 10 and 60, the grade between 40 and 60
    err = ["fast/网格.rubric: 2 warnings; rubric check fast/网格.rubric shows them\n"]
    failed = False
    for n, row in enumerate(rows, 2):
        try:
            level, points, share = number(row["等级"]), number(row["分"]), number(row["率"])
            count, large = number(row["次"]), number(row["大"])
            s_level = first_rule(rating, level)
            s_points = first_rule(score, points)
            if s_points is None:
                raise Failure("item 分档: no rule matched (分 = %s)" % text(points), line_band)
            s_rate = first_rule(rate, share)
            s_count = first_rule(times, count)
            s_big = first_rule(big, large)
            # weighted sections of 100: score / full x weight x 100
            a = s_level / 20 * 50 + s_points / 30 * 30 + s_rate / 3 * 20
            b = s_count / 7 * 70 + s_big / 3 * 30
            total = a * F(60, 100) + b * F(40, 100)
            shown = rounded(total)  # the grade reads the reported total
            grade = ("优秀" if shown >= 90 else "合格" if shown >= 60 else
                     "不合格" if shown < 40 else None)
            if grade is None:  # 40 <= total < 60: no grade rule holds
                raise Failure("grade: no rule matched (total = %s)" % text(shown), line_grade)
            values = [a, s_level, s_points, s_rate, b, s_count, s_big, total]
            out.append(
                csv_line([row["工号"]] + [text(rounded(v)) for v in values] + [grade, ""])
            )
        except Failure as f:
            failed = True
            out.append(csv_line([row["工号"]] + [""] * (len(names) + 2) + [f.message]))
            err.append("fast/网格.csv:%d: error: %s (rule at fast/网格.rubric:%d)\n" %
                       (n, f.message, f.line))
    return "fast-grid", "".join(out), "".join(err), 1 if failed else 0


# ---- fast-int: 整数 (integer facts' grids; a section's contribution kept) ----


def int_case():
    level = [(lambda v, k=k: v == k, F(p)) for k, p in ((5, 30), (4, 20), (3, 12), (2, 5),
                                                       (1, 1))]
    tens = [(lambda v: v == 10, F(9)), (lambda v: v == 20, F(5)), (lambda v: v > 20, F(1)),
            (None, F(0))]
    count = [(lambda v: v == 0, F(7)), (None, F(2))]
    names = ["大", "大分", "整", "级分", "十档", "次档"]
    rows = list(csv.DictReader(open(os.path.join(HERE, "fast", "整数.csv"), encoding="utf-8")))
    out = [csv_line(["id"] + names + ["total", "grade", "error"])]
    err = []
    failed = False
    for n, row in enumerate(rows, 2):
        try:
            for name in ("级", "十", "次"):  # integer facts: a fraction is not read
                if number(row[name]).denominator != 1:
                    raise Failure('fact %s: expected a whole number, got "%s"' % (name, row[name]))
            big = number(row["甲"])  # score 甲 (18 places: exact here)
            s_level = first_rule(level, number(row["级"]))
            s_tens = first_rule(tens, number(row["十"]))
            s_count = first_rule(count, number(row["次"]))
            # 整 weighted (full 100): score / full x weight x 100
            whole = s_level / 30 * 40 + s_tens / 9 * 30 + s_count / 7 * 30
            total = big + whole  # the rubric in points mode: the sections' sum
            values = [big, big, whole, s_level, s_tens, s_count, total]
            out.append(csv_line([row["工号"]] + [text(rounded(v)) for v in values] + ["", ""]))
        except Failure as f:
            failed = True
            out.append(csv_line([row["工号"]] + [""] * (len(names) + 2) + [f.message]))
            err.append("fast/整数.csv:%d: error: %s\n" % (n, f.message))
    return "fast-int", "".join(out), "".join(err), 1 if failed else 0


# ---- fast-round: 大数 (sums whose reported value reaches 10^20) ----


def round_case():
    rubric = open(os.path.join(HERE, "fast", "大数.rubric"), encoding="utf-8").read()
    line_section = line_of(rubric, "section 合计")
    names = ["合计", "组", "项甲", "项乙"]
    rows = list(csv.DictReader(open(os.path.join(HERE, "fast", "大数.csv"), encoding="utf-8")))
    out = [csv_line(["id"] + names + ["total", "grade", "error"])]
    err = []
    failed = False
    for n, row in enumerate(rows, 2):
        a, b = number(row["甲"]), number(row["乙"])  # score 甲, score 乙: exact at 18 places
        group = a + b  # points: the sum, in the group, its section and the rubric alike
        values = [group, group, a, b, group]
        shown = [rounded(v) for v in values]
        # every number is rounded once, in the nodes' order, the total last; one that
        # reaches 10^20 fails the employee, reported as the total's (the section's line)
        if any(abs(v) >= 10**20 for v in shown):
            failed = True
            message = "total: a number reached 10^20 in size"
            out.append(csv_line([row["工号"]] + [""] * (len(names) + 2) + [message]))
            err.append("fast/大数.csv:%d: error: %s (rule at fast/大数.rubric:%d)\n" %
                       (n, message, line_section))
            continue
        out.append(csv_line([row["工号"]] + [text(v) for v in shown] + ["", ""]))
    return "fast-round", "".join(out), "".join(err), 1 if failed else 0


def main():
    cases = [steps_case(), grid_case(), int_case(), round_case()]
    rows = differ = 0
    for name, want_out, want_err, want_code in cases:
        base = os.path.join(HERE, name)
        got_out = open(base + ".out", encoding="utf-8").read()
        got_err = open(base + ".err", encoding="utf-8").read()
        code_path = base + ".code"
        got_code = int(open(code_path).read()) if os.path.exists(code_path) else 0
        rows += want_out.count("\n") - 1
        w, g = want_out.splitlines(), got_out.splitlines()
        for i in range(max(len(w), len(g))):
            a = w[i] if i < len(w) else "(none)"
            b = g[i] if i < len(g) else "(none)"
            if a != b:
                differ += 1
                print("%s.out line %d:\n  want %s\n  have %s" % (name, i + 1, a, b))
        if want_err != got_err:
            differ += 1
            print("%s.err differs:\n--- want\n%s--- have\n%s" % (name, want_err, got_err))
        if want_code != got_code:
            differ += 1
            print("%s.code: want %d, have %d" % (name, want_code, got_code))
    print("fast_check: %d cases, %d rows, %d differ" % (len(cases), rows, differ))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
