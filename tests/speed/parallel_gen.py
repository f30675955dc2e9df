#!/usr/bin/env python3
"""CSV files that stress `rubric eval -j N` (tests/speed/parallel.sh).

usage: parallel_gen.py DIR

Writes into DIR, for rubrics/客户考核评分表.rubric:
  mixed.csv     an unknown column, quoted names and notes holding line breaks
                (LF and CRLF) and "" escapes, empty rows, rows with too few or
                too many cells, bad values, a row with text after its closing
                quote, a row with bytes that are not UTF-8, the first rows
                unreadable (so the header's warnings come late)
  bom.csv       mixed.csv's rows after a UTF-8 byte order mark
  crlf.csv      the rows with CRLF line ends
  gb.csv        the rows in GB18030 (what Excel on Chinese Windows saves)
  late.csv      ASCII for its first 200 KiB, Chinese only after (the encoding
                is decided late), quoted line breaks throughout
  unclosed.csv  ends inside a quoted cell
  team/         300 fact files: bad lines, unknown names (warnings), a BOM,
                GB18030, CRLF, quoted values, and a folder named zz.facts
and for tests/eval/quota/配额.rubric:
  quota.csv     2,000 scores, some bad, for the quota lines and --strict
The rows come from a fixed seed: every run writes the same bytes.
"""
import os
import random
import sys

HEADER = ("工号,姓名,完成率,信息利用率,新客户数,回访完成率,满意度,投诉2小时响应,"
          "投诉3日内解决,投诉全部解决,流失数,以客户为中心等级,服务细致等级,指挥等级,"
          "承担责任等级,职业化等级,备注")
SURNAMES = "张王李赵刘陈杨黄周吴"
GIVEN = "伟芳娜磊洋静敏强军杰"


def good_cells(rng, i):
    pct = lambda: "%d%%" % rng.randint(60, 100)
    yn = lambda: rng.choice(["是", "否"])
    lvl = lambda: str(rng.randint(1, 5))
    return ["E%05d" % i, rng.choice(SURNAMES) + rng.choice(GIVEN), pct(), pct(),
            str(rng.randint(0, 5)), pct(), "%d.%d" % (rng.randint(60, 99), rng.randint(0, 9)),
            yn(), yn(), yn(), str(rng.randint(0, 2)), lvl(), lvl(), lvl(), lvl(), lvl(), ""]


def quote(s):
    return '"' + s.replace('"', '""') + '"'


def rows(rng, n, bad_first=5, ascii_until=0):
    """n rows as byte strings (UTF-8), without their line ends."""
    out = []
    size = 0
    for i in range(n):
        c = good_cells(rng, i)
        if size < ascii_until:
            c[1] = "name%d" % i
            c[7:10] = [rng.choice(["true", "false"]) for _ in range(3)]
        k = rng.randrange(40)
        if i < bad_first:
            c = c[:3]                  # too few cells: the reader's error, the header not mapped yet
        elif i < 2 * bad_first:
            c[2] = "abc"                                   # bad percent
        elif k == 0:
            c[1] = quote(c[1] + "\n第二行")                 # a line break in a name
        elif k == 1:
            c[16] = quote('说 "好"\r\n再说\n三行')          # CRLF, LF and "" in a note
        elif k == 2:
            c = c[:10]                                     # too few cells
        elif k == 3:
            c = c + ["多"]                                  # too many
        elif k == 4:
            c[5] = "0.5"                                   # ambiguous percent
        elif k == 5:
            c[6] = "１００"                                  # full-width digits
        elif k == 6:
            c[4] = "-1"                                    # out of range
        elif k == 7:
            out.append(b"")                                # an empty row before it
        elif k == 8:
            c[16] = '"收到" 后面'                           # text after the closing quote
        elif k == 9:
            c[3] = ""                                      # a missing fact
        elif k == 10 and size >= ascii_until:
            line = ",".join(c).encode() + b"\xff\xfe"      # not UTF-8
            out.append(line)
            size += len(line)
            continue
        elif k == 11:
            c[16] = quote("\n\n\n")                        # only line breaks
        line = ",".join(c)
        line = line.encode("ascii", "replace") if size < ascii_until else line.encode()
        out.append(line)
        size += len(line) + 1
    return out


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def main():
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    rng = random.Random(20261203)
    body = rows(rng, 3000)
    head = HEADER.encode()
    mixed = b"\n".join([head] + body) + b"\n"
    write(os.path.join(d, "mixed.csv"), mixed)
    write(os.path.join(d, "bom.csv"), b"\xef\xbb\xbf" + mixed)
    write(os.path.join(d, "crlf.csv"), b"\r\n".join([head] + body) + b"\r\n")
    # GB18030: the rows that are UTF-8 (not the deliberately bad ones)
    gb = [r.decode().encode("gb18030") for r in [head] + body if not r.endswith(b"\xff\xfe")]
    write(os.path.join(d, "gb.csv"), b"\n".join(gb) + b"\n")
    # an ASCII header (its columns are not the rubric's facts: warnings, and
    # every row misses its facts): the encoding is undecided until a name
    # holds Chinese, 200 KiB in
    ascii_head = ",".join("c%d" % i for i in range(17)).encode()
    late = rows(random.Random(7), 4000, bad_first=0, ascii_until=200 * 1024)
    write(os.path.join(d, "late.csv"), b"\n".join([ascii_head] + late) + b"\n")
    write(os.path.join(d, "unclosed.csv"),
          b"\n".join([head] + body[:500]) + b'\nE9,"never closed,1\n2,3\n')
    names = HEADER.split(",")[:16]
    team = os.path.join(d, "team")
    os.makedirs(os.path.join(team, "zz.facts"), exist_ok=True)  # cannot be read
    for i in range(300):
        c = good_cells(rng, i)
        lines = ["# 第 %d 位" % i] + ["%s = %s" % (n, v) for n, v in zip(names, c)]
        k = rng.randrange(12)
        if k == 0:
            lines.append("备注 = 无")                           # not a fact: a warning
        elif k == 1:
            lines[3] = "完成率 75%"                              # not NAME = VALUE
        elif k == 2:
            lines[2] = '姓名 = "没有闭合'                        # unclosed quote
        elif k == 3:
            lines[4] = "信息利用率 = abc"                        # bad value
        elif k == 4:
            del lines[6]                                       # a missing fact
        elif k == 5:
            lines.append("完成率 = 80%")                         # given twice
        eol = "\r\n" if k == 6 else "\n"
        data = (eol.join(lines) + eol).encode("gb18030" if k == 7 else "utf-8")
        if k == 8:
            data = b"\xef\xbb\xbf" + data
        if k == 9:
            data = data.replace(b"=", b"= \xff", 1)            # not UTF-8 nor GB18030
        write(os.path.join(team, "%s-%03d.facts" % (c[1], i)), data)
    q = ["工号,分"]
    for i in range(2000):
        v = rng.randrange(105)
        q.append("Q%d,%s" % (i, "x" if v > 100 else v))
    write(os.path.join(d, "quota.csv"), ("\n".join(q) + "\n").encode())


main()
