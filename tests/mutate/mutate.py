#!/usr/bin/env python3
"""Black-box mutation run of every command a user can type.

Takes the rubrics, fact files, CSVs and workbooks of the repository as seeds,
mutates them (bytes, tokens of the language in both spellings, full-width
operators, repeated and nested lines, long unary and parenthesis runs, other
encodings, trailing empty CSV rows) and runs the sanitizer build of rubric on
them with every command: check, eval in every format, explain, fmt, test,
render, report, diff and template. A finding is a death by signal, an exit
status other than 0, 1 or 2, a sanitizer report, or a run longer than the
time limit; each is kept with its files and command line under the work
folder so it replays by hand.

Unlike the libFuzzer harnesses (tests/fuzz/) this goes through main(): the
argument parsing, the output files, the order of reading and writing. With
--valgrind N every Nth case also runs the plain build under valgrind.

  mutate.py RUBRIC_SAN [--seconds S | --cases N] [--seed K] [--work DIR]
            [--valgrind N --plain RUBRIC]

Exit status 0 when nothing was found, 1 with findings, 2 on a usage error.
"""

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import time

TOP = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

# tokens a user types, in both spellings, and the characters a Chinese input
# method or a spreadsheet puts in their place
TOKENS = [
    "rubric", "评分表", "section", "部分", "group", "分组", "item", "项目", "fact", "事实",
    "score", "得分", "weight", "权重", "max", "满分", "else", "否则", "grade", "等级",
    "output", "输出", "test", "测试", "expect", "期望", "veto", "否决", "rater", "评价人",
    "round", "保留", "id", "base", "基础分", "floor", "保底", "cap", "封顶", "show", "显示",
    "and", "且", "or", "或", "not", "非", "in", "total", "min", "max(", "sum(", "count(",
    "round(", "abs(", "integer", "number", "percent", "text", "bool", "true", "false",
    "是", "否", "->", "→", "＞＝", ">=", "<=", "＜＝", "==", "!=", "≠", "≥", "≤", "<", ">",
    "％", "%", "..", "…", "：", ":", "，", ",", "；", ";", "（", "）", "(", ")", "{", "}",
    "「", "」", "“", "”", '"', "'", "`", "@", "@自评", "#", "//", "/*", "*/", "\n", "\r\n",
    "\t", "\u00a0", "\u3000", "\ufeff", "0", "1", "-1", "0.5", "100", "99.999999999999999999",
    "1e309", "340282366920938463463374607431768211457", "1/3", "-0", "00", "１２３",
    "完成率", "满意度", "工号", "姓名", "部门", "=", "+", "-", "*", "/",
]
BAD_BYTES = [b"\xff", b"\xc3", b"\xe4\xb8", b"\x00", b"\xef\xbb\xbf", b"\xb9\xa4\xba\xc5",
             b"\x80\x80", b"\xed\xa0\x80", b"\xf4\x90\x80\x80"]


def seeds():
    """The repository's inputs, grouped by kind."""
    kinds = {"rubric": [], "facts": [], "csv": [], "xlsx": []}
    for root in ("rubrics", "examples", "tests"):
        for d, subdirs, files in os.walk(os.path.join(TOP, root)):
            subdirs[:] = [s for s in subdirs if s not in ("corpus", "fuzz")]
            for f in files:
                ext = f.rsplit(".", 1)[-1]
                if ext in kinds:
                    p = os.path.join(d, f)
                    if os.path.isfile(p) and not os.path.islink(p) and \
                            os.path.getsize(p) < 200000:
                        kinds[ext].append(p)
    for k in kinds:
        kinds[k].sort()
    return kinds


def lines_of(b):
    return b.split(b"\n")


def mutate(rng, data, others, text=True):
    """One to four mutations of data (bytes); others: seeds to splice from."""
    for _ in range(rng.randint(1, 4)):
        n = len(data)
        m = rng.randrange(13)
        pos = rng.randint(0, n)
        if m == 0 and n:  # flip a byte
            i = rng.randrange(n)
            data = data[:i] + bytes([data[i] ^ (1 << rng.randrange(8))]) + data[i + 1:]
        elif m == 1 and n:  # delete a range
            j = min(n, pos + rng.randint(1, 64))
            data = data[:pos] + data[j:]
        elif m == 2:  # insert a token
            data = data[:pos] + rng.choice(TOKENS).encode() + data[pos:]
        elif m == 3:  # insert bad bytes
            data = data[:pos] + rng.choice(BAD_BYTES) + data[pos:]
        elif m == 4 and n:  # duplicate a range
            j = min(n, pos + rng.randint(1, 200))
            data = data[:j] + data[pos:j] * rng.randint(1, 8) + data[j:]
        elif m == 5:  # repeat a line many times (a list of 300+ rules, outputs, rows)
            ls = lines_of(data)
            i = rng.randrange(len(ls))
            ls[i:i + 1] = [ls[i]] * rng.choice([2, 10, 300, 1100])
            data = b"\n".join(ls)
        elif m == 6:  # nest a line in braces or parentheses
            ls = lines_of(data)
            i = rng.randrange(len(ls))
            k = rng.choice([1, 5, 70, 300])
            if rng.random() < 0.5:
                ls[i] = b"(" * k + ls[i] + b")" * k
            else:
                ls[i] = b"-" * k + ls[i].lstrip()
            data = b"\n".join(ls)
        elif m == 7 and others:  # splice a piece of another seed
            o = open(rng.choice(others), "rb").read()
            if o:
                a = rng.randrange(len(o))
                data = data[:pos] + o[a:a + rng.randint(1, 400)] + data[pos:]
        elif m == 8 and text:  # another encoding of the whole text
            try:
                data = data.decode("utf-8").encode(rng.choice(["gb18030", "utf-16", "utf-8-sig"]))
            except (UnicodeError, LookupError):
                pass
        elif m == 9:  # trailing empty CSV rows, as Excel writes below a range
            data = data + rng.choice([b",,\n", b",,,\r\n", b"\n", b" , ,\n"]) * rng.randint(1, 5)
        elif m == 10:  # a long name or number
            data = data[:pos] + rng.choice([b"9", b"\xe5\x90\x8d", b"a", b"0."]) * \
                rng.choice([40, 300, 5000]) + data[pos:]
        elif m == 11:  # swap two lines
            ls = lines_of(data)
            if len(ls) > 1:
                i, j = rng.randrange(len(ls)), rng.randrange(len(ls))
                ls[i], ls[j] = ls[j], ls[i]
                data = b"\n".join(ls)
        elif m == 12 and n:  # truncate
            data = data[:rng.randint(0, n)]
    return data[:300000]


def facts_for(rng, rubric, kinds):
    """Facts that belong with the rubric when there are any, else any."""
    d = os.path.dirname(rubric)
    near = [p for k in ("csv", "facts", "xlsx") for p in kinds[k] if os.path.dirname(p) == d]
    base = os.path.splitext(os.path.basename(rubric))[0]
    ex = os.path.join(TOP, "examples", base)
    if os.path.isdir(ex):
        near += [os.path.join(ex, "team.csv")]
        near += [os.path.join(ex, "facts", f) for f in sorted(os.listdir(os.path.join(ex, "facts")))]
    if near and rng.random() < 0.8:
        return rng.choice(near)
    return rng.choice(kinds[rng.choice(["csv", "csv", "facts", "xlsx"])])


def one_case(rng, kinds, case_dir):
    """Write a case's files; returns the argument lists to run on them."""
    os.makedirs(case_dir)
    rub = rng.choice(kinds["rubric"])
    rdata = open(rub, "rb").read()
    if rng.random() < 0.75:
        rdata = mutate(rng, rdata, kinds["rubric"])
    open(os.path.join(case_dir, "a.rubric"), "wb").write(rdata)
    src = facts_for(rng, rub, kinds)
    ext = src.rsplit(".", 1)[-1]
    fdata = open(src, "rb").read()
    if rng.random() < 0.6:
        fdata = mutate(rng, fdata, kinds[ext], text=ext != "xlsx")
    fname = "in." + ext
    open(os.path.join(case_dir, fname), "wb").write(fdata)
    facts = [fname]
    if rng.random() < 0.15:  # a folder of fact files
        os.makedirs(os.path.join(case_dir, "team"))
        for i in range(rng.randint(1, 4)):
            f = rng.choice(kinds["facts"])
            d = open(f, "rb").read()
            if rng.random() < 0.5:
                d = mutate(rng, d, kinds["facts"])
            open(os.path.join(case_dir, "team", "%d.facts" % i), "wb").write(d)
        facts = ["team"]
    if rng.random() < 0.1:
        facts.append(fname)  # the same employees twice
    r = "a.rubric"
    runs = [["check", r], ["fmt", r]]
    fmt = rng.choice(["json", "csv", "tsv", "table"])
    runs.append(["eval", "-f", fmt, r] + facts)
    pick = rng.randrange(9)
    if pick == 0:
        runs.append(["explain", r] + facts[:1])
    elif pick == 1:
        runs.append(["test", r])
    elif pick == 2:
        runs.append(["render", "-f", rng.choice(["md", "html"]), r])
    elif pick == 3:
        runs.append(["report", "-o", "out.html", r] + facts)
    elif pick == 4:
        other = mutate(rng, rdata, kinds["rubric"])
        open(os.path.join(case_dir, "b.rubric"), "wb").write(other)
        runs.append(["diff", r, "b.rubric"] + facts)
    elif pick == 5:
        runs.append(["template", "-f", "xlsx", "-o", "t.xlsx", r])
    elif pick == 6:
        runs.append(["eval", "-f", "xlsx", "-o", "out.xlsx", r] + facts)
    elif pick == 7:
        runs.append(["fmt", "--check", r])
    else:
        runs.append(["eval", "--lang", "zh", "-f", fmt, r] + facts)
    return runs


SAN_MARKS = (b"AddressSanitizer", b"runtime error:", b"LeakSanitizer", b"UndefinedBehaviorSanitizer")


def run(cmd, cwd, limit):
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1:abort_on_error=0",
               UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1", LC_ALL="C.UTF-8")
    try:
        p = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, timeout=limit, env=env)
    except subprocess.TimeoutExpired:
        return "hang (over %d s)" % limit
    if p.returncode < 0:
        return "killed by signal %s" % signal.Signals(-p.returncode).name
    if any(m in p.stderr for m in SAN_MARKS):
        line = next(l for l in p.stderr.splitlines() if any(m in l for m in SAN_MARKS))
        return "sanitizer: " + line.decode("utf-8", "replace")[:200]
    if p.returncode not in (0, 1, 2):
        return "exit status %d" % p.returncode
    return None


def main():
    ap = argparse.ArgumentParser(usage=__doc__)
    ap.add_argument("rubric")
    ap.add_argument("--seconds", type=float)
    ap.add_argument("--cases", type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", default=os.path.join(TOP, "build", "mutate"))
    ap.add_argument("--limit", type=int, default=20, help="seconds a run may take")
    ap.add_argument("--valgrind", type=int, default=0)
    ap.add_argument("--plain")
    a = ap.parse_args()
    if not a.seconds and not a.cases:
        ap.error("give --seconds or --cases")
    if a.valgrind and not a.plain:
        ap.error("--valgrind needs --plain (a build without sanitizers)")
    bin_ = os.path.abspath(a.rubric)
    plain = os.path.abspath(a.plain) if a.plain else None
    kinds = seeds()
    rng = random.Random(a.seed)
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    start = time.time()
    cases = runs = findings = vg = 0
    while True:
        if a.cases and cases >= a.cases:
            break
        if a.seconds and time.time() - start >= a.seconds:
            break
        d = os.path.join(a.work, "case")
        shutil.rmtree(d, ignore_errors=True)
        argvs = one_case(rng, kinds, d)
        cases += 1
        found = []
        for argv in argvs:
            runs += 1
            why = run([bin_] + argv, d, a.limit)
            if why:
                found.append((argv, why))
            if a.valgrind and cases % a.valgrind == 0:
                vg += 1
                why = run(["valgrind", "-q", "--error-exitcode=99", "--leak-check=no", plain] + argv,
                          d, a.limit * 10)
                if why:
                    found.append((["valgrind"] + argv, why))
        if found:
            findings += 1
            keep = os.path.join(a.work, "finding-%d-%d" % (a.seed, cases))
            os.rename(d, keep)
            with open(os.path.join(keep, "WHY"), "w") as f:
                for argv, why in found:
                    f.write("rubric %s\n  %s\n" % (" ".join(argv), why))
            for argv, why in found:
                print("FINDING %s: rubric %s: %s" % (keep, " ".join(argv), why))
    took = time.time() - start
    print("mutate: %d cases, %d runs (%d under valgrind) in %.0f s, seed %d: %d findings"
          % (cases, runs, vg, took, a.seed, findings))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
