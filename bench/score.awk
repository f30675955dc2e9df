# score.awk - rubrics/客户考核评分表.rubric hand-written in awk, the peer that
# `rubric eval` is measured against.
#
#   mawk -F, -f bench/score.awk team.csv      prints id,total,grade per row
#
# Columns are found by their header names, as rubric does. Cells are plain
# (no RFC 4180 quoting), which is what bench/gen.awk writes.
#
# Exactness. Every item scores a whole number of points, so with
#   P = the 业绩 items' contributions except 客户投诉处理 (each item
#       contributes its own points, 孤儿客户流失数 twice its points),
#   C = 客户投诉处理's points (0, 10, 20 or 30; it contributes C/3),
#   B = the sum of the five 行为 items,
# the exact total is 0.8 (P + C/3) + 0.2 B, so 300 × total is the integer
#   N = 240 P + 80 C + 60 B
# and the reported total is N/3 hundredths rounded half away from zero,
# computed on integers below 2^53. rubric holds 业绩考核 to 18 decimals
# (56.666…67), an error below 10^-17; as N/3 is never a whole number plus
# one half, that error can never move the rounding, and the two agree.
# Fact values are compared with integer thresholds only: a decimal with at
# most 15 significant digits is on the same side of an integer once read
# as a double, so float comparisons are exact for these inputs.

# A cell that is not in these tables is an error for that row.
BEGIN {
    split("是 true yes TRUE YES True Yes", t, " "); for (i in t) BOOL[t[i]] = 1
    split("否 false no FALSE NO False No", t, " "); for (i in t) BOOL[t[i]] = 0
    for (i = 1; i <= 5; i++) LEVEL[i ""] = 4 * i  # level N scores 4N points
}

# The reported total as rubric prints it: no trailing zeros, no point if whole.
function fmt(h,   f) {
    f = h % 100
    if (f == 0) return (h - f) / 100
    if (f % 10 == 0) return (h - f) / 100 "." f / 10
    return (h - f) / 100 "." (f < 10 ? "0" f : f)
}

NR == 1 {
    sub(/^\357\273\277/, "")    # UTF-8 BOM
    for (i = 1; i <= NF; i++) col[$i] = i
    c_id = col["工号"]; c_wc = col["完成率"]; c_xx = col["信息利用率"]
    c_xk = col["新客户数"]; c_hf = col["回访完成率"]; c_my = col["满意度"]
    c_t2 = col["投诉2小时响应"]; c_t3 = col["投诉3日内解决"]; c_tq = col["投诉全部解决"]
    c_ls = col["流失数"]; c_l1 = col["以客户为中心等级"]; c_l2 = col["服务细致等级"]
    c_l3 = col["指挥等级"]; c_l4 = col["承担责任等级"]; c_l5 = col["职业化等级"]
    print "id,total,grade"
    next
}

{
    # "92%" + 0 is 92: awk reads the leading number of a cell
    v = $c_wc + 0; P  = v >= 90 ? 20 : v >= 85 ? 10 : v >= 80 ? 5 : 0
    v = $c_xx + 0; P += v >= 90 ? 20 : v >= 85 ? 10 : 0
    P += $c_xk >= 1 ? 10 : 0
    v = $c_hf + 0; P += v == 100 ? 10 : v >= 90 ? 5 : 0
    v = $c_my + 0; P += v >= 90 ? 20 : v >= 85 ? 10 : v >= 80 ? 5 : 0
    P += $c_ls == 0 ? 10 : 0    # 5 points, weight 10% of a 5-point item: twice

    if (!($c_t2 in BOOL && $c_t3 in BOOL && $c_tq in BOOL)) { print $c_id ",,,bad bool"; next }
    C = 10 * (BOOL[$c_t2] + BOOL[$c_t3] + BOOL[$c_tq])  # 30 - 10 × count(not …)

    if (!($c_l1 in LEVEL && $c_l2 in LEVEL && $c_l3 in LEVEL && $c_l4 in LEVEL && $c_l5 in LEVEL)) {
        print $c_id ",,,bad level"; next
    }
    B = LEVEL[$c_l1] + LEVEL[$c_l2] + LEVEL[$c_l3] + LEVEL[$c_l4] + LEVEL[$c_l5]

    N = 240 * P + 80 * C + 60 * B   # 300 × total
    N = 2 * N + 3                   # round N/3 half up: floor((2N + 3) / 6)
    h = (N - N % 6) / 6             # total in hundredths

    g = h >= 9000 ? "优秀" : h >= 7500 ? "良好" : h >= 6000 ? "合格" : "不合格"
    print $c_id "," fmt(h) "," g
}
