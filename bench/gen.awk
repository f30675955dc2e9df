# gen.awk - random but valid employees for rubrics/客户考核评分表.rubric.
#
#   mawk -f bench/gen.awk -v rows=N [-v facts=M -v dir=DIR] [-v seed=S]
#
# Prints a CSV with the rubric's header and N rows on standard output, and,
# when facts=M is given, writes M fact files DIR/E0000001.facts ... (DIR must
# exist). The generator is our own MINSTD LCG on exact integers, not awk's
# rand(), so every awk (mawk, gawk, busybox) writes the same bytes for the
# same seed. Values lean towards the rubric's thresholds (80, 85, 90, 100)
# so that every rule of every item fires.

# An integer in 0 .. n-1 (n small). One LCG step gives 31 random bits,
# spent a few at a time: the big modulo is what makes awk slow here.
function rnd(n,   v) {
    if (left < n) {
        lcg = (lcg * 48271) % 2147483647    # < 2^47: exact in a double
        pool = lcg; left = 2147483647
    }
    v = pool % n
    pool = (pool - v) / n
    left = int(left / n)
    return v
}

# A percent or a 0..100 score: a third of the time exactly on a threshold,
# else anywhere in 76..100, with 0, 1 or 2 decimals.
function pct(   t, v, d) {
    if (rnd(3) == 0) {
        t = rnd(5)
        return t == 0 ? 80 : t == 1 ? 85 : t == 2 ? 90 : t == 3 ? 100 : 79
    }
    v = 76 + rnd(24)
    d = rnd(4)
    if (d == 0) return v
    if (d == 1) return v "." (1 + rnd(9))
    return v "." rnd(10) (1 + rnd(9))   # last digit never 0, as a person types
}

function yesno() { return rnd(4) == 0 ? "否" : "是" }

function name(   s) {
    s = SURNAME[1 + rnd(NS)] GIVEN[1 + rnd(NG)]
    if (rnd(2)) s = s GIVEN[1 + rnd(NG)]
    return s
}

# Fills F[1..16] with one employee, in HEADER order.
function employee(i,   k) {
    F[1] = sprintf("E%07d", i)
    F[2] = name()
    F[3] = pct() "%"                    # 完成率
    F[4] = pct() "%"                    # 信息利用率
    F[5] = rnd(3) == 0 ? 0 : rnd(6)     # 新客户数
    F[6] = (rnd(3) == 0 ? 100 : pct()) "%"  # 回访完成率
    F[7] = pct()                        # 满意度 (a number, not a percent)
    F[8] = yesno(); F[9] = yesno(); F[10] = yesno()
    F[11] = rnd(3) ? 0 : rnd(4)         # 流失数
    for (k = 12; k <= 16; k++)          # 行为 levels 1..5, mostly 3..5
        F[k] = rnd(4) ? 3 + rnd(3) : 1 + rnd(2)
}

BEGIN {
    if (rows == "") rows = 1000
    if (facts == "") facts = 0
    if (seed == "") seed = 20261101
    lcg = seed % 2147483646 + 1

    NS = split("王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 林 罗 高", SURNAME, " ")
    NG = split("伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀 霞 平 刚 桂 英 华 玉 兰", GIVEN, " ")
    NH = split("工号 姓名 完成率 信息利用率 新客户数 回访完成率 满意度 投诉2小时响应 投诉3日内解决 投诉全部解决 流失数 以客户为中心等级 服务细致等级 指挥等级 承担责任等级 职业化等级", HEADER, " ")

    line = HEADER[1]
    for (k = 2; k <= NH; k++) line = line "," HEADER[k]
    print line
    for (i = 1; i <= rows; i++) {
        employee(i)
        line = F[1]
        for (k = 2; k <= NH; k++) line = line "," F[k]
        print line
    }

    # Fact files: the first M employees of the CSV again, so the folder
    # and the CSV must score alike; in the shape HR staff write them, a
    # comment, then the two halves of the form under their own headings.
    lcg = seed % 2147483646 + 1; left = 0
    for (i = 1; i <= facts; i++) {
        employee(i)
        f = dir "/" F[1] ".facts"
        printf "# %s 客服专员 2026年11月 客户考核评分表(月度)\n", F[2] > f
        print "工号 = " F[1] > f
        print "姓名 = " F[2] > f
        print "" > f
        print "# 业绩考核" > f
        for (k = 3; k <= 11; k++) print HEADER[k] " = " F[k] > f
        print "" > f
        print "# 行为考核(上级评定,1–5级)" > f
        for (k = 12; k <= 16; k++) print HEADER[k] " = " F[k] > f
        close(f)
    }
}
