#!/usr/bin/env python3
"""Cross-check of the forms in rubrics/ against an independent reading of the design.

For each form below, the employees of its CSV in tests/forms/ are scored here from the
rules of LANGUAGE.md alone (exact fractions, item bodies in 18-place decimals, weighted
contributions score / full x weight x F, base/floor/cap/veto in that order, raters as
the exact weighted sum, one rounding half away from zero for reporting, grades and
outputs on the reported values), then compared with `rubric eval -f json`: every id,
shown fact, score, total, grade, output and veto, and which rows are errors (with a
word of the error each must name).  Standard library only.

usage: check.py RUBRIC_BINARY        (run from the source folder or anywhere)
"""
import csv
import io
import json
import os
import re
import subprocess
import sys
from fractions import Fraction as F

TOP = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
Q18 = F(1, 10**18)


class Bad(Exception):
    """An employee who cannot be scored; the text is a word the error must contain."""


# ---- arithmetic of the design ----

def q18(x):
    """An item body's * and / result: 18 places, half to even."""
    n = x / Q18
    fl = n.numerator // n.denominator
    rest = n - fl
    if rest > F(1, 2) or (rest == F(1, 2) and fl % 2 == 1):
        fl += 1
    return fl * Q18


def mul(a, b):
    return q18(a * b)


def div(a, b, item):
    if b == 0:
        raise Bad('item %s: division by zero' % item)
    return q18(F(a) / b)


def report(x, places):
    """Half away from zero to `places`, as the reports print it."""
    scale = 10**places
    n = abs(x) * scale
    fl = n.numerator // n.denominator
    if n - fl >= F(1, 2):
        fl += 1
    return F(fl if x >= 0 else -fl, scale)


# ---- reading a CSV as the design says ----

SPACES = ' \t\u00a0\u3000' + ''.join(chr(c) for c in range(0x2000, 0x200b))


def fold(s):
    return ''.join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else
                   (' ' if c == '\u3000' else c) for c in s)


def read_csv(path):
    data = open(path, 'rb').read()
    if data.startswith(b'\xef\xbb\xbf'):
        data = data[3:]
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError:
        text = data.decode('gb18030')
    # a line ends at LF: CR LF and CR CR LF (a CRLF file saved again as CRLF) alike
    text = re.sub('\r+\n', '\n', text)
    rows = list(csv.reader(io.StringIO(text, newline='')))
    header = [fold(h.strip(SPACES)) for h in rows[0]]
    out = []
    for line, cells in enumerate(rows[1:], start=2):
        if not any(c.strip(SPACES) for c in cells):
            continue
        out.append((line, header, [c.strip(SPACES) for c in cells]))
    return out


QUOTES = {'"': '"', '\u201c': '\u201d', '\u300c': '\u300d'}


def read_facts(folder):
    """The *.facts files of folder in byte order of their names, each as
    (path, keys, values, quoted, bad): NAME = VALUE lines, '#' comments."""
    out = []
    names = sorted((n for n in os.listdir(folder) if n.endswith('.facts') and not n.startswith('.')),
                   key=lambda n: n.encode())
    for n in names:
        data = open(os.path.join(folder, n), 'rb').read()
        if data.startswith(b'\xef\xbb\xbf'):
            data = data[3:]
        try:
            text = data.decode('utf-8')
        except UnicodeDecodeError:
            text = data.decode('gb18030')
        keys, values, quoted, bad = [], [], [], None
        for line in re.sub('\r+\n', '\n', text).split('\n'):
            t = line.strip(SPACES)
            if not t or t[0] in '#\uff03':
                continue
            eq = [i for i in (t.find('='), t.find('\uff1d')) if i >= 0]
            if not eq:
                bad = bad or 'expected NAME = VALUE'
                continue
            key = fold(t[:min(eq)].strip(SPACES))
            val = t[min(eq) + 1:].strip(SPACES)
            q = bool(val) and val[0] in QUOTES
            if q:
                val = val[1:val.index(QUOTES[val[0]], 1)]
            else:
                val = re.split('[#\uff03]', val)[0].strip(SPACES)
            if key in keys:
                bad = bad or 'fact %s is given twice' % key
                continue
            keys.append(key)
            values.append(val)
            quoted.append(q)
        out.append((n, keys, values, quoted, bad))
    return out


NUM = re.compile(r'^-?[0-9]+(\.[0-9]+)?$')


def value(fact, spec, text):
    """A cell's value (a percent as its fraction) or Bad naming the fact."""
    kind, lo, hi = spec[0], spec[1], spec[2]
    t = fold(text).strip(SPACES)
    if kind == 'text':
        return text
    if kind == 'bool':
        if t.lower() in ('true', 'yes') or t == '是':
            return True
        if t.lower() in ('false', 'no') or t == '否':
            return False
        raise Bad('fact %s: expected' % fact)
    pct = t.endswith('%')
    if pct:
        if kind != 'percent':
            raise Bad('fact %s' % fact)
        t = t[:-1]
    if not NUM.match(t):
        raise Bad('fact %s: expected' % fact)
    v = F(t)
    if kind == 'integer' and v.denominator != 1:
        raise Bad('fact %s: expected a whole number' % fact)
    if kind == 'percent':
        if not pct and 0 < v <= 1:
            raise Bad('fact %s: %s is ambiguous' % (fact, t))
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise Bad('fact %s: %s%s is out of the declared range' % (fact, t, '%' if kind == 'percent' else ''))
    return v / 100 if kind == 'percent' else v


def employee(facts, header, cells, raters=None, shown=()):
    """{rater or None: {fact: value}} for one CSV row; Bad for a bad row or a
    missing fact without a default (a shown fact nothing reads may be missing)."""
    if len(cells) != len(header):
        raise Bad('row has %d cell%s, the header has %d'
                  % (len(cells), '' if len(cells) == 1 else 's', len(header)))
    given = {}
    for h, c in zip(header, cells):
        name, _, rater = h.partition('@')
        if name not in facts or c == '':
            continue
        given[(name, rater or None)] = value(name, facts[name], c)
    views = {}
    for r in (raters or [None]):
        view = {}
        for name, spec in facts.items():
            if (name, r) in given:
                view[name] = given[(name, r)]
            elif (name, None) in given:
                view[name] = given[(name, None)]
            elif len(spec) > 3:
                view[name] = spec[3]
            elif name in shown:
                view[name] = None  # shown only: may be missing
            else:
                raise Bad('fact %s is missing' % name) if r is None else \
                    Bad('fact %s has no value for rater %s' % (name, r))
        views[r] = view
    return views


def need(view, name):
    v = view[name]
    if v is None:
        raise Bad('fact %s' % name)
    return v


def first(item, rules):
    """Hit policy FIRST over (condition, thunk) pairs."""
    for cond, val in rules:
        if cond:
            return val()
    raise Bad('item %s: no rule matched' % item)


def weighted(children, f=100):
    """Exact Σ score / full × weight × F over (score, full, weight)."""
    return sum((F(s) / full * w * f for s, full, w in children), F(0))


def clamp(x, lo=None, hi=None):
    if lo is not None and x < lo:
        x = lo
    if hi is not None and x > hi:
        x = hi
    return x


PC = F(1, 100)

# ---- the forms ----


def sales(v):
    g = lambda n: need(v, n)
    r, hk, xk, ml, my = g('销售额完成率'), g('回款率'), g('新客户数'), g('毛利率'), g('客户满意度')
    s = {}
    s['销售额达成'] = first('销售额达成', [
        (r >= 1, lambda: F(100)),
        (r >= F(80, 100), lambda: min(r, F(1)) * 100),
        (r >= F(60, 100), lambda: mul(min(r, F(80, 100)), 50)),
        (True, lambda: F(0))])
    s['回款达成'] = first('回款达成', [(hk >= F(95, 100), lambda: F(100)), (hk >= F(90, 100), lambda: F(80)),
                               (hk >= F(80, 100), lambda: F(60)), (True, lambda: F(0))])
    s['新客户开发'] = min(xk * 20, F(100))
    s['毛利达成'] = first('毛利达成', [(ml >= F(25, 100), lambda: F(100)), (ml >= F(15, 100), lambda: F(60)),
                               (True, lambda: F(0))])
    s['满意度评价'] = my
    s['KPI指标'] = weighted([(s['销售额达成'], 100, F(40, 100)), (s['回款达成'], 100, F(25, 100)),
                           (s['新客户开发'], 100, F(15, 100)), (s['毛利达成'], 100, F(10, 100)),
                           (s['满意度评价'], 100, F(10, 100))])
    s['推荐人才'] = 2 * g('推荐人才数')
    s['内部培训'] = g('内训次数')
    s['加分项'] = clamp(s['推荐人才'] + s['内部培训'], hi=5)
    total = s['KPI指标'] + s['加分项']
    vetoes = []
    if g('重大客户投诉'):
        vetoes.append('发生重大客户投诉，当月绩效为0')
        total = F(0)
    return s, total, vetoes


def sales_after(s, total, v):
    t = total
    grade = 'S' if t >= 95 else 'A' if t >= 85 else 'B' if t >= 70 else 'C' if t >= 60 else 'D'
    coef = {'S': F(15, 10), 'A': F(12, 10), 'B': F(1), 'C': F(8, 10)}.get(grade, F(0))
    return grade, {'提成系数': coef}


def admin(v):
    g = lambda n: need(v, n)
    s = {}
    s['迟到'] = -2 * g('迟到次数')
    s['早退'] = -2 * g('早退次数')
    s['旷工'] = -10 * g('旷工天数')
    s['未打卡'] = -max(g('未打卡次数') - 2, 0)
    vetoes = []
    s['考勤纪律'] = clamp(20 + s['迟到'] + s['早退'] + s['旷工'] + s['未打卡'], lo=0)
    if g('旷工天数') >= 3:
        s['考勤纪律'] = F(0)
        vetoes.append('旷工3天及以上, 考勤纪律记0分')
    s['文件差错'] = -2 * g('文件差错数')
    s['纪要延误'] = -3 * g('纪要延误次数')
    s['超预算采购'] = F(-5) if g('采购超预算') else F(0)
    s['上级评定'] = -g('上级扣分')
    s['工作质量'] = clamp(40 + s['文件差错'] + s['纪要延误'] + s['超预算采购'] + s['上级评定'], lo=0)
    my = g('满意度')
    s['满意度调查'] = F(0) if my >= 90 else F(-5) if my >= 80 else F(-10)
    s['被投诉'] = -5 * g('被投诉次数')
    s['服务满意度'] = clamp(20 + s['满意度调查'] + s['被投诉'], lo=0)
    s['逾期事项'] = -4 * g('逾期事项数')
    s['执行力'] = clamp(20 + s['逾期事项'], lo=0)
    s['合理化建议'] = 2 * g('建议采纳数')
    s['表扬'] = F(3) if g('通报表扬') else F(0)
    s['加分项'] = clamp(s['合理化建议'] + s['表扬'], hi=5)
    total = s['考勤纪律'] + s['工作质量'] + s['服务满意度'] + s['执行力'] + s['加分项']
    return s, total, vetoes


def admin_after(s, t, v):
    return ('优秀' if t >= 95 else '良好' if t >= 85 else '合格' if t >= 70 else '不合格'), {}


def workshop(v):
    g = lambda n: need(v, n)
    s = {}
    s['产量'] = min(mul(div(g('实际产量'), g('计划产量'), '产量'), 100), F(100))
    hg = g('合格率')
    s['质量'] = first('质量', [(hg >= F(995, 1000), lambda: F(100)), (hg >= F(98, 100), lambda: F(80)),
                           (hg >= F(95, 100), lambda: F(60)), (True, lambda: F(0))])
    vetoes = []
    s['生产指标'] = weighted([(s['产量'], 100, F(1, 2)), (s['质量'], 100, F(1, 2))])
    if g('批量质量事故'):
        s['生产指标'] = F(0)
        vetoes.append('出现批量质量事故，生产指标记0分')
    lv = g('五S等级')
    s['五S检查'] = first('五S检查', [(lv == '优', lambda: F(100)), (lv == '良', lambda: F(80)),
                                 (lv == '中', lambda: F(60)), (lv == '差', lambda: F(30))])
    s['设备保养'] = F(100) if g('按时保养') else F(50)
    s['出勤'] = max(100 - 10 * g('缺勤天数'), 0)
    s['现场管理'] = weighted([(s['五S检查'], 100, F(50, 100)), (s['设备保养'], 100, F(20, 100)),
                          (s['出勤'], 100, F(30, 100))])
    total = weighted([(s['生产指标'], 100, F(70, 100)), (s['现场管理'], 100, F(30, 100))])
    if g('安全事故'):
        total = F(0)
        vetoes.append('发生安全事故，当月考核为0')
    return s, total, vetoes


def workshop_after(s, t, v):
    return ('优' if t >= 90 else '良' if t >= 80 else '中' if t >= 60 else '差'), {}


def degree360(v):
    g = lambda n: need(v, n)
    s = {}
    s['业绩'] = g('工作业绩')
    s['领导'] = g('领导力') * 20
    s['协作'] = g('沟通协作')
    lv = g('职业素养')
    s['素养'] = first('素养', [(lv == 'A', lambda: F(10)), (lv == 'B', lambda: F(8)),
                           (lv == 'C', lambda: F(6)), (lv == 'D', lambda: F(3))])
    cq = g('出勤率')
    s['考勤'] = F(10) if cq >= F(95, 100) else F(6) if cq >= F(90, 100) else F(0)
    s['素养与纪律'] = weighted([(s['素养'], 10, F(10, 100)), (s['考勤'], 10, F(10, 100))])
    total = weighted([(s['业绩'], 100, F(40, 100)), (s['领导'], 100, F(25, 100)),
                      (s['协作'], 10, F(15, 100))]) + s['素养与纪律']
    vetoes = []
    if g('违纪'):
        total = F(0)
        vetoes.append('有违纪记录,本季度评价为0')
    return s, total, vetoes


def degree360_after(s, t, v):
    grade = '卓越' if t >= 90 else '优秀' if t >= 80 else '称职' if t >= 65 else '待改进'
    return grade, {'评价分差': abs(s['业绩'] - 80)}


def rnd(v):
    g = lambda n: need(v, n)
    s = {}
    s['里程碑达成'] = min(mul(div(g('里程碑按期'), g('里程碑总数'), '里程碑达成'), 100), F(100))
    s['缺陷控制'] = max(100 - 5 * g('缺陷数') - 20 * g('严重缺陷数'), 0)
    pr = g('评审通过率')
    s['代码评审'] = first('代码评审', [(pr >= F(95, 100), lambda: F(100)), (pr >= F(85, 100), lambda: F(80)),
                                 (pr >= F(70, 100), lambda: F(60)), (True, lambda: F(0))])
    s['进度'] = weighted([(s['里程碑达成'], 100, F(30, 100))])
    s['质量'] = weighted([(s['缺陷控制'], 100, F(40, 100)), (s['代码评审'], 100, F(30, 100))])
    s['项目交付'] = s['进度'] + s['质量']
    s['专利'] = F(40) if g('专利申请') else F(0)
    s['技术分享'] = min(g('分享次数') * 15, F(30))
    s['文档'] = F(30) if g('文档完备') else F(0)
    # a section's score expression is exact: (…) * 0.9 is not rounded
    s['技术贡献'] = (s['专利'] + s['技术分享'] + s['文档']) * (1 if g('角色') == '负责人' else F(9, 10))
    s['协作'] = g('协作分')
    s['团队协作'] = s['协作']
    total = weighted([(s['项目交付'], 100, F(50, 100)), (s['技术贡献'], 100, F(30, 100)),
                      (s['团队协作'], 100, F(20, 100))])
    vetoes = []
    if g('线上事故') and g('角色') == '负责人':
        total = F(0)
        vetoes.append('负责人所负责项目发生线上事故')
    return s, total, vetoes


def rnd_after(s, t, v):
    grade = 'A' if t >= 90 else 'B' if t >= 80 else 'C' if t >= 65 else 'D'
    coef = {'A': F(15, 10), 'B': F(12, 10), 'C': F(1)}.get(grade, F(6, 10))
    return grade, {'奖金系数': coef, '通过率': need(v, '评审通过率') * 100}


def rnd1(x, places):
    """round(x, n) inside an item: half away from zero."""
    return report(x, places)


def callcenter(v):
    g = lambda n: need(v, n)
    s = {}
    jt = g('接通率')
    s['接通'] = F(100) if jt >= F(95, 100) else F(80) if jt >= F(90, 100) else jt * 100
    # 100 - 5 * (x - 180) / 10: * exact here, / rounds to 18 places
    s['时长'] = clamp(100 - div(5 * (g('平均处理时长') - 180), 10, '时长'), 0, 100)
    s['质检'] = rnd1(div(g('质检1') + g('质检2') + g('质检3'), 3, '质检'), 1)
    s['一次解决'] = min(div(mul(g('一次解决率'), 100), F(90, 100), '一次解决'), F(100))
    s['满意'] = g('满意度') * 100
    s['效率'] = weighted([(s['接通'], 100, F(1, 2)), (s['时长'], 100, F(1, 2))])
    s['质量'] = weighted([(s['质检'], 100, F(1, 2)), (s['一次解决'], 100, F(3, 10)),
                        (s['满意'], 100, F(2, 10))])
    total = max(s['效率'] * F(4, 10) + s['质量'] * F(6, 10) - 2 * g('迟到次数'), F(0))
    if total > 100:
        raise Bad('above')
    return s, total, []


def callcenter_after(s, t, v):
    grade = 'A' if t >= 90 else 'B' if t >= 80 else 'C' if t >= 60 else 'D'
    coef = report(mul(div(t, 100, 'x'), F(12, 10)), 2)
    pay = '全额' if coef >= 1 else '按比例' if coef > 0 else '停发'
    return grade, {'绩效工资系数': coef, '发放方式': pay}


T, N, I, P, B = 'text', 'number', 'integer', 'percent', 'bool'
FORMS = [
    dict(rubric='销售人员月度KPI考核表', csv='销售KPI.csv', places=1, score=sales, after=sales_after,
         show=['姓名', '区域'],
         facts={'工号': (T, None, None), '姓名': (T, None, None), '区域': (T, None, None, '华东'),
                '销售额完成率': (P, 0, 300), '回款率': (P, 0, 100), '新客户数': (I, 0, None),
                '毛利率': (P, -100, 100), '客户满意度': (N, 0, 100), '重大客户投诉': (B, None, None, False),
                '推荐人才数': (I, 0, None, F(0)), '内训次数': (I, 0, None, F(0))},
         order=['KPI指标', '销售额达成', '回款达成', '新客户开发', '毛利达成', '满意度评价', '加分项',
                '推荐人才', '内部培训']),
    dict(rubric='行政人员月度考核表-扣分制', csv='行政扣分.csv', places=1, score=admin, after=admin_after,
         show=['姓名', '部门'],
         facts={'工号': (T, None, None), '姓名': (T, None, None), '部门': (T, None, None, '行政部'),
                '迟到次数': (I, 0, None, F(0)), '早退次数': (I, 0, None, F(0)), '旷工天数': (I, 0, 31, F(0)),
                '未打卡次数': (I, 0, None, F(0)), '文件差错数': (I, 0, None, F(0)),
                '纪要延误次数': (I, 0, None, F(0)), '采购超预算': (B, None, None, False),
                '上级扣分': (N, 0, 10, F(0)), '满意度': (N, 0, 100), '被投诉次数': (I, 0, None, F(0)),
                '逾期事项数': (I, 0, None, F(0)), '建议采纳数': (I, 0, None, F(0)),
                '通报表扬': (B, None, None, False)},
         order=['考勤纪律', '迟到', '早退', '旷工', '未打卡', '工作质量', '文件差错', '纪要延误', '超预算采购',
                '上级评定', '服务满意度', '满意度调查', '被投诉', '执行力', '逾期事项', '加分项', '合理化建议',
                '表扬']),
    dict(rubric='车间生产线月度考核表', csv='车间.csv', folder='车间-facts', places=2, score=workshop, after=workshop_after,
         show=['姓名', '班组'],
         facts={'工号': (T, None, None), '姓名': (T, None, None), '班组': (T, None, None),
                '计划产量': (N, 0, None), '实际产量': (N, 0, None), '合格率': (P, 0, 100),
                '五S等级': (T, None, None), '按时保养': (B, None, None), '缺勤天数': (I, 0, 31, F(0)),
                '安全事故': (B, None, None, False), '批量质量事故': (B, None, None, False)},
         order=['生产指标', '产量', '质量', '现场管理', '五S检查', '设备保养', '出勤']),
    dict(rubric='360度综合评价表', csv='360度.csv', places=2, score=degree360, after=degree360_after,
         show=['姓名'], raters=[('上级', F(60, 100)), ('同事', F(30, 100)), ('自评', F(10, 100))],
         facts={'工号': (T, None, None), '姓名': (T, None, None), '工作业绩': (N, 0, 100),
                '领导力': (I, 1, 5), '沟通协作': (N, 0, 10), '职业素养': (T, None, None),
                '出勤率': (P, 0, 100), '违纪': (B, None, None, False)},
         order=['业绩', '领导', '协作', '素养与纪律', '素养', '考勤']),
    dict(rubric='研发项目季度绩效考核表', csv='研发项目.csv', places=1, score=rnd, after=rnd_after,
         show=['姓名', '项目组', '角色'],
         facts={'工号': (T, None, None), '姓名': (T, None, None), '项目组': (T, None, None),
                '角色': (T, None, None, '成员'), '里程碑按期': (I, 0, 20), '里程碑总数': (I, 1, 20),
                '缺陷数': (I, 0, None), '严重缺陷数': (I, 0, None, F(0)), '评审通过率': (P, 0, 100),
                '专利申请': (B, None, None, False), '分享次数': (I, 0, None, F(0)),
                '文档完备': (B, None, None), '协作分': (N, 0, 100), '线上事故': (B, None, None, False)},
         order=['项目交付', '进度', '里程碑达成', '质量', '缺陷控制', '代码评审', '技术贡献', '专利', '技术分享',
                '文档', '团队协作', '协作']),
    dict(rubric='呼叫中心坐席月度考核表', csv='呼叫中心.csv', places=2, score=callcenter, after=callcenter_after,
         show=['姓名', '班组', '接通率'],
         facts={'工号': (T, None, None), '姓名': (T, None, None), '班组': (T, None, None, '一组'),
                '接通率': (P, 0, 100), '平均处理时长': (N, 0, None), '质检1': (N, 0, 100),
                '质检2': (N, 0, 100), '质检3': (N, 0, 100), '一次解决率': (P, 0, 100),
                '满意度': (P, 0, 100), '迟到次数': (I, 0, None, F(0))},
         order=['效率', '接通', '时长', '质量', '质检', '一次解决', '满意']),
]


def shown_json(form, k, v):
    """A shown fact as JSON writes it: a percent in percent units."""
    return v * 100 if v is not None and form['facts'][k][0] == 'percent' else v


def expected(form, header, cells, default_id=None, bad=None, quoted=None):
    """The JSON object the design gives for one row or fact file (numbers as
    Fractions); bad: a fact file's first bad line, quoted: which values were."""
    places = form['places']
    raters = form.get('raters')
    ident = dict(zip(header, cells)).get('工号') or (default_id if default_id is not None else
                                                    cells[0] if cells else '')
    out = {'id': ident}
    try:
        if bad:
            raise Bad(bad)
        for h, c, q in zip(header, cells, quoted or [False] * len(cells)):
            spec = form['facts'].get(h.partition('@')[0])
            if q and spec and spec[0] != 'text':
                raise Bad('fact %s: expected' % h)
        views = employee(form['facts'], header, cells, [r for r, _ in raters] if raters else None,
                         form['show'])
    except Bad as e:
        # the id and the shown facts are still read where they could be, defaults
        # filled in; a row none of whose cells could be read shows nothing
        out['show'] = {}
        row = dict(zip(header, cells)) if len(cells) == len(header) else None
        for k in form['show']:
            spec = form['facts'][k]
            try:
                v = value(k, spec, row[k]) if row is not None and row.get(k) else None
            except Bad:
                v = None
            if v is None and row is not None and not row.get(k) and len(spec) > 3:
                v = spec[3]
            out['show'][k] = shown_json(form, k, v)
        out['error'] = str(e)
        return out
    shared = views[None] if None in views else None
    if raters:
        # shared values: a cell without @ (or the default)
        shared = employee(form['facts'], header, cells, None, list(form['facts']))[None]
        shared = {k: val for k, val in shared.items()}
        for h, c in zip(header, cells):
            pass
    out['show'] = {k: shown_json(form, k, shared[k]) for k in form['show']}
    try:
        if raters:
            per = {}
            for r, w in raters:
                per[r] = form['score'](views[r])
            s = {k: sum((w * per[r][0][k] for r, w in raters), F(0)) for k in form['order']}
            total = sum((w * per[r][1] for r, w in raters), F(0))
            vetoes = []
            for r, w in raters:
                for x in per[r][2]:
                    if w > 0 and x not in vetoes:
                        vetoes.append(x)
        else:
            s, total, vetoes = form['score'](views[None])
        rs = {k: report(s[k], places) for k in form['order']}
        rt = report(total, places)
        grade, outputs = form['after'](rs, rt, shared)
    except Bad as e:
        out['error'] = str(e)
        return out
    out['total'] = rt
    out['grade'] = grade
    out['scores'] = rs
    if outputs:
        out['outputs'] = outputs
    if vetoes:
        out['vetoes'] = vetoes
    if raters:
        out['raters'] = {r: {'total': report(per[r][1], places),
                             'scores': {k: report(per[r][0][k], places) for k in form['order']}}
                         for r, _ in raters}
        for r, _ in raters:
            if per[r][2]:
                out['raters'][r]['vetoes'] = per[r][2]
    return out


def jnum(x):
    return F(x) if isinstance(x, (int, str)) else x


def main():
    binary = os.path.abspath(sys.argv[1])
    fails = 0
    checked = 0
    for form in FORMS:
        rubric = os.path.join('rubrics', form['rubric'] + '.rubric')
        data = os.path.join('tests', 'forms', form['csv'])
        proc = subprocess.run([binary, 'eval', '-f', 'json', rubric, data], cwd=TOP, capture_output=True,
                              env=dict(os.environ, LC_ALL='C.UTF-8'))
        got = [json.loads(line, parse_float=F, parse_int=F) for line in proc.stdout.decode().splitlines()]
        rows = read_csv(os.path.join(TOP, data))
        want_code = 0
        if len(got) != len(rows):
            print('FAIL %s: %d lines, %d rows' % (form['csv'], len(got), len(rows)))
            fails += 1
            continue
        for (line, header, cells), g in zip(rows, got):
            e = expected(form, header, cells)
            where = '%s:%d' % (form['csv'], line)
            checked += 1
            if g.get('source') != '%s:%d' % (data, line) or str(g.get('id')) != e['id']:
                print('FAIL %s: source/id %s %s' % (where, g.get('source'), g.get('id')))
                fails += 1
                continue
            if 'error' in e:
                want_code = 1
                if 'error' not in g or e['error'] not in g['error'] or g.get('show') != e['show']:
                    print('FAIL %s: expected an error naming "%s" showing %s, got %s' %
                          (where, e['error'], e['show'], g))
                    fails += 1
                continue
            g = {k: val for k, val in g.items() if k != 'source'}
            show = g.get('show', {})
            g['show'] = {k: (jnum(val) if isinstance(val, (int, F)) else val) for k, val in show.items()}
            if g != e:
                print('FAIL %s:' % where)
                for k in sorted(set(g) | set(e)):
                    if g.get(k) != e.get(k):
                        print('  %s: rubric %s, design %s' % (k, g.get(k), e.get(k)))
                fails += 1
        if form.get('folder'):
            folder = os.path.join('tests', 'forms', form['folder'])
            fp = subprocess.run([binary, 'eval', '-f', 'json', rubric, folder], cwd=TOP,
                                capture_output=True, env=dict(os.environ, LC_ALL='C.UTF-8'))
            fgot = [json.loads(line, parse_float=F, parse_int=F) for line in fp.stdout.decode().splitlines()]
            files = read_facts(os.path.join(TOP, folder))
            if len(fgot) != len(files):
                print('FAIL %s: %d lines, %d files' % (folder, len(fgot), len(files)))
                fails += 1
                files = []
            fcode = 0
            for (name, keys, values, quoted, bad), g in zip(files, fgot):
                e = expected(form, keys, values, default_id=name[:-len('.facts')], bad=bad, quoted=quoted)
                checked += 1
                where = '%s/%s' % (form['folder'], name)
                if g.get('source') != '%s/%s' % (folder, name) or str(g.get('id')) != e['id']:
                    print('FAIL %s: source/id %s %s' % (where, g.get('source'), g.get('id')))
                    fails += 1
                    continue
                if 'error' in e:
                    fcode = 1
                    if 'error' not in g or e['error'] not in g['error']:
                        print('FAIL %s: expected an error naming "%s", got %s' % (where, e['error'], g))
                        fails += 1
                    continue
                g = {k: val for k, val in g.items() if k != 'source'}
                if g != e:
                    print('FAIL %s:' % where)
                    for k in sorted(set(g) | set(e)):
                        if g.get(k) != e.get(k):
                            print('  %s: rubric %s, design %s' % (k, g.get(k), e.get(k)))
                    fails += 1
            if fp.returncode != fcode:
                print('FAIL %s: exit status %d, expected %d' % (folder, fp.returncode, fcode))
                fails += 1
        if proc.returncode != want_code:
            print('FAIL %s: exit status %d, expected %d' % (form['csv'], proc.returncode, want_code))
            fails += 1
    print('forms cross-check: %d employees (CSV rows and fact files) in %d forms, %d failed' % (checked, len(FORMS), fails))
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
