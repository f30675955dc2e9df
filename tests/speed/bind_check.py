#!/usr/bin/env python3
"""bind_check.py BINARY - a CSV cell's value, read by the column plans, checked
against an independent reading of the design (Python fractions).

The binder reads a plain CSV row's cells by quick paths chosen per column at
the header (src/eval_bind.c: a rating's one digit, numbers and percents eight
bytes at a time where the row goes on, a byte at a time at the row's end and
in rows that are not plain, 是/否) and hands whatever they decline to the
general reader (facts_value). Every edge of those paths is written here into
a cell, in three places: in the middle of a plain row (the 8-byte path), as
the row's last cell (the byte loop) and in a row with a quoted cell (not a
plain row: the cells path). For each, the oracle below says whether the row
is scored and with which exact value, or fails on that fact; the shown facts
of `rubric eval -f json` must say the same, to the last digit.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
from fractions import Fraction

RUBRIC = """rubric "绑定" {
    id 工号
    fact 工号: text
    fact 率: percent 0..100
    fact 分: number 0..100
    fact 大: number
    fact 负: number -50..50
    fact 数: integer >= 0
    fact 级: integer 1..5
    fact 是否: bool
    fact 备注: text
    show 率, 分, 大, 负, 数, 级, 是否, 备注
    section 总 {
        item 甲 max 100 { score 分 }
    }
}
"""

# fact -> (type, lo, hi, a good cell)
FACTS = {
    "率": ("percent", Fraction(0), Fraction(1), "95.73%"),
    "分": ("number", Fraction(0), Fraction(100), "86.5"),
    "大": ("number", None, None, "12"),
    "负": ("number", Fraction(-50), Fraction(50), "-3"),
    "数": ("integer", Fraction(0), None, "3"),
    "级": ("integer", Fraction(1), Fraction(5), "4"),
    "是否": ("bool", None, None, "是"),
    "备注": ("text", None, None, "备注文字"),
}
ORDER = list(FACTS)
READ = "分"  # the only fact a rule reads: the others are shown only, and may be missing

NUMBERS = [
    "0", "5", "86.5", "100", "100.0", "0086.50", "-0", "-0.0", "+5", ".5", "5.", "5..5", "5.5.5",
    "1e2", "86.5%", " 86.5", "86.5 ", "\t86.5\t", "86 .5", "\u300086.5", "８６．５", "9:5",
    "9/5", "5*5", "5?5", "5a", "99.99999", "99.999999", "1.2345678", "12.345678",
    "99.999999999999999999", "99.9999999999999999999", "100.000000000000000001", "100.1", "101",
    "12345678", "1234567890123456", "12345678901234567", "123456789012345678",
    "1234567890123456789", "12345678901234567890", "0.000000000000000001", "-5.5", "-50",
    "-50.0000001", "50", "50.0000000001", "", " ",
    # four digits (the SWAR's top lane alone) and five, with and without a point; a point first
    # or last in longer cells
    "1234", "9999", "12345", "12.34", "99.99", "123.45", "1.2345", "9999.9", "55.", ".55", "555.",
    # two digits, a point, two digits (one test for the whole shape) and near misses in each byte
    "86.25", "00.00", "99.99", "/6.25", ":6.25", "8/.25", "86:25", "86-25", "86.2/", "86.2:",
    "86. 5", "-6.25", "+6.25", "é.55", "8é.5", "86.é", "86.5%",
    # the other shapes (`86`, `100`, `86.5`) and near misses
    "00", "000", "99", "9.5", "99.9", "/6", "8:", "1/0", "10:", "86.:", "8/.5", "86-5", "86.5.",
    "é5", "8é", "8 ", " 8", "100.", "-86", "-8.5",
]
PERCENTS = [
    "95.73%", "100%", "100.00%", "0%", "0.0%", "00095.5%", "100.01%", "101%", "-0%", "-0.0%", "-1%",
    "+5%", ".5%", "5.%", "5%%", "%", "5", "50", "0", "0.5", "1", "1.5", "-0.5", " 95.73%", "95.73% ",
    "95.73 %", "95.73\t%", "\u300095%", "９５．７３％", "95.73％", "1e2%", "95.7.3%", "9:5%",
    "9/5%", "5*5%", "5?5%", "99.99999%", "99.999999%", "9.9999999%", "0.00000000000001%",
    "0.000000000000001%", "0.0000000000000001%", "0.00000000000000001%",
    "99.9999999999999999%", "99.99999999999999999%", "100.0000000000000001%", "1234567%", "",
    "12.34%", "99.99%", "1.234%", "12.345%", "10.00%", "100.0%", "55.%", ".55%", "5.5.%",
    "00.00%", "00.01%", "95.73$", "95.73&", "95.73é", "/5.73%", ":5.73%", "9/.73%", "95:73%",
    "95-73%", "95.7/%", "95.7:%", "é.55%", "95.7%%", "-5.73%",
    "00%", "000%", "99%", "9.5%", "99.9%", "/6%", "8:%", "86$", "86&", "1/0%", "100&", "86.:%",
    "86-5%", "86.5&", "é%", "8é%", "86%%", "-86%", "-8.5%", "8.%",
]
INTEGERS = [
    "0", "1", "3", "5", "6", "9", "12", "007", "05", "3.0", "3.00", "3.5", "3.", ".0", "-0", "-1",
    "+3", " 3", "3 ", "５", "5.0", "9999999999999999", "99999999999999999", "1e1", "3%", "", "a",
    "0.0", "1.0000000000000001", "1234", "12345", "12.00", "123.00", "12.01",
    "12", "100", "1/", "9.0", "99.0", "9.5", "99.5", "12.10",
]
BOOLS = [
    "是", "否", " 是", "否 ", "\u3000是", "true", "TRUE", "True", "yes", "Yes", "no", "NO", "false",
    "False", "y", "1", "0", "是是", "", " ", "真",
]
TEXTS = ["abc", "  a b  ", "", " ", "\u3000文\u3000", "x"]

CASES = {
    "率": PERCENTS, "分": NUMBERS, "大": NUMBERS, "负": NUMBERS, "数": INTEGERS, "级": INTEGERS,
    "是否": BOOLS, "备注": TEXTS,
}

SPACES = " \t\u00a0" + "".join(chr(c) for c in range(0x2000, 0x200B)) + "\u3000"


def fold(s):
    """Full-width ASCII to ASCII, the ideographic space to a space."""
    return "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E
                   else " " if c == "\u3000" else c for c in s)


def oracle(fact, cell, quoted):
    """(True, value) when the cell is read (value None: missing, which a
    shown fact that nothing reads may be), (False, None) when the row fails
    on this fact (a bad value, or missing when it is read)."""
    typ, lo, hi, _ = FACTS[fact]
    t = cell if quoted else cell.strip(SPACES)  # a quoted cell is not trimmed
    if not t:
        return (False, None) if fact == READ else (True, None)
    if typ == "text":
        return True, t
    t = t.strip(SPACES)
    if not t:
        return (False, None) if fact == READ else (True, None)
    f = fold(t).strip(SPACES)
    if typ == "bool":
        if f.lower() in ("true", "yes") or f == "是":
            return True, True
        if f.lower() in ("false", "no") or f == "否":
            return True, False
        return False, None
    sign = f.endswith("%")
    if sign:
        f = f[:-1].rstrip(" \t")
        if typ != "percent":
            return False, None
    m = re.fullmatch(r"(-?)([0-9]+)(?:\.([0-9]+))?", f)
    if not m:
        return False, None
    frac = m.group(3) or ""
    if len(frac) > (16 if typ == "percent" else 18):
        return False, None
    d = Fraction(int(m.group(2) + frac), 10 ** len(frac))
    if m.group(1):
        d = -d
    if typ == "integer" and d.denominator != 1:
        return False, None
    if typ == "percent":
        if not sign and 0 < d <= 1:
            return False, None  # ambiguous
        d /= 100
    if (lo is not None and d < lo) or (hi is not None and d > hi):
        return False, None
    return True, d


def csv_cell(s, quote):
    return '"' + s.replace('"', '""') + '"' if quote else s


def shown(raw, fact):
    """A shown fact's value from the raw JSON text, exactly (no float)."""
    m = re.search('"' + fact + '":(null|true|false|"(?:[^"\\\\]|\\\\.)*"|-?[0-9.]+)', raw)
    v = m.group(1)
    if v == "null":
        return None
    if v in ("true", "false"):
        return v == "true"
    if v.startswith('"'):
        return json.loads(v)
    return Fraction(v)


def main():
    binary = os.path.abspath(sys.argv[1])
    failures = checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        rub = os.path.join(tmp, "b.rubric")
        with open(rub, "w", encoding="utf-8") as f:
            f.write(RUBRIC)
        for fact, cells in CASES.items():
            others = [x for x in ORDER if x != fact]
            layouts = {
                "middle": (["工号", fact] + others, False),
                "last": (["工号"] + others + [fact], False),
                "quoted": (["工号", fact] + others, True),
            }
            for layout, (cols, quote) in layouts.items():
                lines = [",".join(cols)]
                for i, cell in enumerate(cells):
                    row = []
                    for c in cols:
                        if c == "工号":
                            row.append("R%d" % (i + 1))
                        elif c == fact:
                            row.append(csv_cell(cell, quote))
                        else:
                            row.append(FACTS[c][3])
                    lines.append(",".join(row))
                path = os.path.join(tmp, "t.csv")
                with open(path, "w", encoding="utf-8") as f:
                    f.write("\n".join(lines) + "\n")
                out = subprocess.run([binary, "eval", "-f", "json", rub, path],
                                     capture_output=True, env=dict(os.environ, LC_ALL="C.UTF-8"))
                got = out.stdout.decode("utf-8").splitlines()
                if len(got) != len(cells):
                    print("FAIL %s %s: %d lines for %d rows" % (fact, layout, len(got), len(cells)))
                    failures += 1
                    continue
                for cell, raw in zip(cells, got):
                    checked += 1
                    ok, want = oracle(fact, cell, quote)
                    line = json.loads(raw)
                    err = line.get("error")
                    if ok:
                        v = shown(raw, fact)
                        if FACTS[fact][0] == "percent" and want is not None:
                            want = want * 100  # shown in percent units
                        if err is not None or v != want or type(v) is not type(want):
                            print("FAIL %s %s %r: want %r, got %s" % (fact, layout, cell, want, raw))
                            failures += 1
                    elif err is None or not (err.startswith("fact %s:" % fact) or
                                             err == "fact %s is missing" % fact):
                        print("FAIL %s %s %r: want an error on %s, got %s"
                              % (fact, layout, cell, fact, raw))
                        failures += 1
    print("bind_check: %d cells checked, %d failed" % (checked, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
