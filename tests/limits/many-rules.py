#!/usr/bin/env python3
"""`rubric check` on an item of thousands of repeated rules stays fast.

The shape comes from tests/mutate (seed 1, case 55: one rule line repeated
1,100 times): the unreachable warning used to name every earlier line, built
by copying a growing string (cubic in the rules), the boundary analysis tried
every pair of rules, and the checker copied the rule list at each rule. That
took 5 s on the optimised build and over 20 s under ASan.

Generated at 1x (1,100 rules) and 8x (8,800): each run must exit 0 with the
exact counts of warnings, name at most 10 earlier lines per warning (so the
output grows linearly: 8x output under 9x the bytes), and take under 10 s of
CPU time (user + system) for the 8x run on the sanitizer build, which needs
about 0.4 s when the machine is idle; a wall-clock limit of 60 s stops a hang.
CPU time, not wall time, so that a loaded machine does not fail the test.

usage: many-rules.py RUBRIC_BINARY
"""
import os
import re
import resource
import subprocess
import sys
import tempfile

CPU_LIMIT = 10.0


def rubric(n):
    lines = ['评分表 "重复规则" {', "    数据 完成率: 百分比 0..100", "    指标 业绩 {"]
    lines += ["        完成率 >= 90 -> 30"] * n
    lines += ["        完成率 >= 90 -> 20", "        否则 -> 0", "    }", "}", ""]
    return "\n".join(lines)


def run(binary, folder, name):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    env = dict(os.environ, LC_ALL="C.UTF-8")
    p = subprocess.run([binary, "check", name], cwd=folder, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=60, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return p, cpu


def main():
    binary = os.path.abspath(sys.argv[1])
    failed = []
    sizes = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in (1100, 8800):
            name = "r%d.rubric" % n
            with open(os.path.join(tmp, name), "w", encoding="utf-8") as f:
                f.write(rubric(n))
            try:
                p, cpu = run(binary, tmp, name)
            except subprocess.TimeoutExpired:
                failed.append("%d rules: over 60 s" % n)
                continue
            err = p.stderr.decode("utf-8", "replace")
            sizes[n] = len(p.stderr)
            # n + 1 rules repeat line 4 and never apply; else is reachable
            want = "r%d.rubric: 0 errors and %d warnings" % (n, 2 * n)
            codes = re.findall(r"\[([a-z-]+)\]$", err, re.M)
            longest = max(len(l) for l in err.splitlines())
            if p.returncode != 0:
                failed.append("%d rules: exit status %d" % (n, p.returncode))
            if err.splitlines()[-1] != want:
                failed.append("%d rules: last line %r, expected %r" % (n, err.splitlines()[-1], want))
            if codes.count("duplicate-rule") != n or codes.count("unreachable") != n or \
                    len(codes) != 2 * n:
                failed.append("%d rules: warnings %s" % (n, sorted(set(codes))))
            if err.count("and more match first (only the first 10 are listed)") != n - 10:
                failed.append("%d rules: expected %d warnings with a cut list" % (n, n - 10))
            if longest > 300:
                failed.append("%d rules: a line of %d bytes" % (n, longest))
            if cpu > CPU_LIMIT:
                failed.append("%d rules: %.1f s of CPU time, limit %.0f s" % (n, cpu, CPU_LIMIT))
            print("many-rules: %d rules: %.2f s CPU, %d bytes of warnings" % (n, cpu, len(p.stderr)))
    if len(sizes) == 2 and sizes[8800] > 9 * sizes[1100]:
        failed.append("output grew %.1fx for 8x the rules" % (sizes[8800] / sizes[1100]))
    for f in failed:
        print("FAIL many-rules: " + f)
    print("many-rules: %d passed, %d failed" % (1 if not failed else 0, 1 if failed else 0))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
