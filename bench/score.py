#!/usr/bin/env python3
"""score.py - rubrics/客户考核评分表.rubric hand-written in Python, a peer that
`rubric eval` is measured against.

    python3 bench/score.py team.csv      prints id,total,grade per row

The csv module reads the file (RFC 4180 quoting, columns found by header
name); fact values are read as Decimal, so thresholds compare exactly; the
total is integer arithmetic: 300 x total = 240 P + 80 C + 60 B (see
score.awk for the derivation), rounded to hundredths half away from zero.
"""
import csv
import sys
from decimal import Decimal

TRUE = {"是": 1, "true": 1, "yes": 1, "否": 0, "false": 0, "no": 0}
LEVEL = {"1": 4, "2": 8, "3": 12, "4": 16, "5": 20}


def pct(s):
    return Decimal(s[:-1] if s.endswith("%") else s)


def fmt(h):
    """The reported total as rubric prints it: no trailing zeros."""
    q, f = divmod(h, 100)
    if f == 0:
        return str(q)
    if f % 10 == 0:
        return "%d.%d" % (q, f // 10)
    return "%d.%02d" % (q, f)


def main(path):
    out = sys.stdout
    with open(path, newline="", encoding="utf-8-sig") as fh:
        rows = csv.reader(fh)
        head = next(rows)
        c = {name.strip(): i for i, name in enumerate(head)}
        i_id, i_wc, i_xx, i_xk, i_hf, i_my = (c["工号"], c["完成率"], c["信息利用率"],
                                              c["新客户数"], c["回访完成率"], c["满意度"])
        i_t2, i_t3, i_tq, i_ls = c["投诉2小时响应"], c["投诉3日内解决"], c["投诉全部解决"], c["流失数"]
        i_lv = [c[n] for n in ("以客户为中心等级", "服务细致等级", "指挥等级", "承担责任等级", "职业化等级")]
        d80, d85, d90, d100 = Decimal(80), Decimal(85), Decimal(90), Decimal(100)
        buf = ["id,total,grade\n"]
        for r in rows:
            v = pct(r[i_wc])
            p = 20 if v >= d90 else 10 if v >= d85 else 5 if v >= d80 else 0
            v = pct(r[i_xx])
            p += 20 if v >= d90 else 10 if v >= d85 else 0
            p += 10 if int(r[i_xk]) >= 1 else 0
            v = pct(r[i_hf])
            p += 10 if v == d100 else 5 if v >= d90 else 0
            v = Decimal(r[i_my])
            p += 20 if v >= d90 else 10 if v >= d85 else 5 if v >= d80 else 0
            p += 10 if int(r[i_ls]) == 0 else 0
            try:
                cp = 10 * (TRUE[r[i_t2].lower()] + TRUE[r[i_t3].lower()] + TRUE[r[i_tq].lower()])
                b = sum(LEVEL[r[i]] for i in i_lv)
            except KeyError as e:
                buf.append("%s,,,bad value %s\n" % (r[i_id], e))
                continue
            n = 240 * p + 80 * cp + 60 * b      # 300 x total
            h = (2 * n + 3) // 6                # n/3 rounded half up, in hundredths
            g = "优秀" if h >= 9000 else "良好" if h >= 7500 else "合格" if h >= 6000 else "不合格"
            buf.append("%s,%s,%s\n" % (r[i_id], fmt(h), g))
            if len(buf) >= 8192:
                out.write("".join(buf))
                buf.clear()
        out.write("".join(buf))


if __name__ == "__main__":
    main(sys.argv[1])
