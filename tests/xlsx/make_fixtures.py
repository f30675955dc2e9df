#!/usr/bin/python3
"""Makes the workbook fixtures of tests/xlsx (see README.md there).

Run from tests/xlsx with Debian's python3 (python3-openpyxl) and LibreOffice
(libreoffice-calc-nogui) installed:  /usr/bin/python3 make_fixtures.py
openpyxl writes the sources into a temporary folder; LibreOffice (headless)
opens each and saves it again as .xlsx, so the checked-in file is what
LibreOffice writes (its cached formula results, shared strings, styles and
merged ranges), and exports the first sheet as CSV for the round trips.
nocache.xlsx is openpyxl's own output: openpyxl stores formulas without
results. The broken workbooks are made byte by byte with zipfile.
"""
import csv
import datetime
import os
import shutil
import struct
import subprocess
import tempfile
import zipfile

import openpyxl
from openpyxl.styles import Font

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))


def soffice(src, fmt, outdir):
    subprocess.run(["soffice", "--headless", "--convert-to", fmt, "--outdir", outdir, src],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def resave(src, name, tmp, csv_too=True):
    """LibreOffice opens src and writes HERE/name (.xlsx) and, if asked, the CSV."""
    out = os.path.join(tmp, "lo")
    os.makedirs(out, exist_ok=True)
    soffice(src, "xlsx:Calc MS Excel 2007 XML", out)
    base = os.path.splitext(os.path.basename(src))[0]
    shutil.copy(os.path.join(out, base + ".xlsx"), os.path.join(HERE, name + ".xlsx"))
    if csv_too:
        # 44 comma, 34 quote, 76 UTF-8, 1 first line; formatted text as shown
        soffice(os.path.join(HERE, name + ".xlsx"), 'csv:Text - txt - csv (StarCalc):44,34,76,1',
                out)
        shutil.copy(os.path.join(out, name + ".csv"), os.path.join(HERE, name + ".export.csv"))


def team(tmp):
    """The seed B team as an HR person types it: a title row, then the table;
    rates typed as 92% (LibreOffice makes them percent-formatted cells)."""
    src = os.path.join(tmp, "team.csv")
    with open(os.path.join(TOP, "examples/客户考核评分表/team.csv"), encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    with open(src, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["客户考核评分表 2026年11月"] + [""] * (len(rows[0]) - 1))
        for r in rows:
            w.writerow(r)
    out = os.path.join(tmp, "lo")
    os.makedirs(out, exist_ok=True)
    subprocess.run(["soffice", "--headless", "--infilter=CSV:44,34,76,1", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", out, src], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shutil.copy(os.path.join(out, "team.xlsx"), os.path.join(HERE, "team.xlsx"))
    soffice(os.path.join(HERE, "team.xlsx"), 'csv:Text - txt - csv (StarCalc):44,34,76,1', out)
    shutil.copy(os.path.join(out, "team.csv"), os.path.join(HERE, "team.export.csv"))


HEAD = ["工号", "姓名", "部门", "入职日期", "完成率", "达成率", "满意度", "客户评分", "投诉响应",
        "次数", "调整"]
PEOPLE = [
    # 工号, 姓名, 部门, 入职, 完成率, 达成率, 评分, 投诉响应, 次数
    ("00123", "张伟", "销售部", datetime.date(2019, 3, 1), 0.925, 92, (90, 95), True, 0),
    ("00124", "王芳", None, datetime.date(2021, 7, 15), 0.88, 88.5, (80, 85), False, 2),
    ("00125", "李娜", None, datetime.date(2020, 1, 2), 1.05, None, (70, 72), True, 1),
    ("01001", "刘洋", "客服部", datetime.date(2018, 11, 30), 0.795, 76, (60, 65), False, 3),
    ("01002", "陈静", None, datetime.date(2022, 2, 28), 0.9, 101, (99, 100), True, 0),
]


def kinds_sheet(ws, first, title=True, group_header=True):
    """The table of kinds.xlsx; rows start at `first`."""
    r = first
    if title:
        ws.cell(r, 1, "2026年11月 考核数据(示例)").font = Font(bold=True, size=14)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(HEAD))
        r += 2  # a title, then a blank row
    if group_header:
        # a two-row header: group titles over their columns, the rest merged down
        for c, h in enumerate(HEAD, 1):
            if h in ("完成率", "达成率", "满意度", "客户评分", "投诉响应", "次数"):
                continue
            ws.cell(r, c, h)
            ws.merge_cells(start_row=r, start_column=c, end_row=r + 1, end_column=c)
        ws.cell(r, 5, "业绩")
        ws.merge_cells(start_row=r, start_column=5, end_row=r, end_column=8)
        ws.cell(r, 9, "行为")
        ws.merge_cells(start_row=r, start_column=9, end_row=r, end_column=10)
        for c, h in enumerate(HEAD, 1):
            if h in ("完成率", "达成率", "满意度", "客户评分", "投诉响应", "次数"):
                ws.cell(r + 1, c, h)
        r += 2
    else:
        for c, h in enumerate(HEAD, 1):
            ws.cell(r, c, h)
        r += 1
    dept_start = None
    for i, (eid, name, dept, day, rate, reach, scores, resp, times) in enumerate(PEOPLE):
        if i == 3:
            r += 1  # a blank row inside the table: the sheet skips its number
        ws.cell(r, 1, eid).number_format = "@"
        ws.cell(r, 2, name)
        if dept:
            if dept_start is not None and dept_start[1] < r - 1:
                ws.merge_cells(start_row=dept_start[1], start_column=3, end_row=r - 1,
                               end_column=3)
            ws.cell(r, 3, dept)
            dept_start = (dept, r)
        d = ws.cell(r, 4, day)
        d.number_format = "yyyy-mm-dd"
        ws.cell(r, 5, rate).number_format = "0.0%"
        if reach is not None:  # an empty cell: a sparse row, the default applies
            ws.cell(r, 6, reach)
        ws.cell(r, 8, scores[0])
        ws.cell(r, 7, "=ROUND((H%d+%d)/2,1)" % (r, scores[1]))
        ws.cell(r, 9, resp)
        ws.cell(r, 10, times)
        ws.cell(r, 11, "=0.3-0.1-0.2")
        r += 1
    if dept_start is not None and dept_start[1] < r - 1:
        ws.merge_cells(start_row=dept_start[1], start_column=3, end_row=r - 1, end_column=3)
    for k in range(3):  # empty trailing rows that only carry a format
        for c in range(1, len(HEAD) + 1):
            ws.cell(r + k, c).number_format = "0.0%"


def kinds_csv():
    """The same employees as a flat CSV written straight from PEOPLE (not
    through any workbook): what eval on kinds.xlsx must agree with."""
    with open(os.path.join(HERE, "kinds.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEAD)
        dept = None
        for eid, name, d, day, rate, reach, scores, resp, times in PEOPLE:
            dept = d or dept
            sat = (scores[0] + scores[1]) / 2  # ROUND(..., 1) of a .0 or .5 value
            w.writerow([eid, name, dept, day.isoformat(), "%s%%" % (rate * 100),
                        "" if reach is None else reach, sat, scores[0], "是" if resp else "否",
                        times, 0])


def kinds(tmp):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "考核"
    kinds_sheet(ws, 1)
    second = wb.create_sheet("第二页")
    kinds_sheet(second, 1, title=False, group_header=False)
    src = os.path.join(tmp, "kinds.xlsx")
    wb.save(src)
    resave(src, "kinds", tmp)


def nocache(tmp):
    """openpyxl writes formulas without a cached result."""
    wb = openpyxl.Workbook()
    ws = wb.active
    kinds_sheet(ws, 1, title=False, group_header=False)
    wb.save(os.path.join(HERE, "nocache.xlsx"))


def divzero(tmp):
    """A formula whose cached result is #DIV/0! (LibreOffice computes it)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    kinds_sheet(ws, 1, title=False, group_header=False)
    ws["G3"] = "=H3/0"
    src = os.path.join(tmp, "divzero.xlsx")
    wb.save(src)
    resave(src, "divzero", tmp, csv_too=False)


REL = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
       'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
       'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
       '</Relationships>')
BOOK = ('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
BOOK_RELS = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
             '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
             'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
             '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
             'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
SHEET = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
         '2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>工号</t></is></c></row>'
         '<row r="2"><c r="A2" t="inlineStr"><is><t>E1</t></is></c></row></sheetData></worksheet>')


def package(name, parts):
    with zipfile.ZipFile(os.path.join(HERE, name), "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts:
            z.writestr(n, data)


def broken():
    with open(os.path.join(HERE, "notzip.xlsx"), "w", encoding="utf-8") as f:
        f.write("工号,姓名\nE1,张三\n")  # a CSV saved under an .xlsx name
    with open(os.path.join(HERE, "oldxls.xlsx"), "wb") as f:
        f.write(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))  # an OLE2 (.xls) header
    # a zip of XML that is no workbook
    package("randomxml.xlsx", [("a.xml", "<a><b>1</b></a>"), ("xl/c.xml", "<c/>")])
    # a worksheet with a DTD (the billion laughs)
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>'
              '</sheetData></worksheet>')
    package("doctype.xlsx", [("_rels/.rels", REL), ("xl/workbook.xml", BOOK),
                             ("xl/_rels/workbook.xml.rels", BOOK_RELS),
                             ("xl/worksheets/sheet1.xml", laughs),
                             ("xl/sharedStrings.xml", "<sst/>")])
    # a zip bomb's headers: the shared strings claim 3 GiB unpacked
    path = os.path.join(HERE, "bomb-declared.xlsx")
    package("bomb-declared.xlsx", [("_rels/.rels", REL), ("xl/workbook.xml", BOOK),
                                   ("xl/_rels/workbook.xml.rels", BOOK_RELS),
                                   ("xl/worksheets/sheet1.xml", SHEET),
                                   ("xl/sharedStrings.xml", " " * 1000)])
    data = bytearray(open(path, "rb").read())
    claim = struct.pack("<I", 3 << 30)
    name = b"xl/sharedStrings.xml"
    i = data.find(b"PK\x03\x04" + data[4:4])  # local headers: patch the one for name
    pos = 0
    while True:
        pos = data.find(name, pos)
        if pos < 0:
            break
        if data[pos - 30:pos - 26] == b"PK\x03\x04":  # local header: size at offset 22
            data[pos - 30 + 22:pos - 30 + 26] = claim
        elif data[pos - 46:pos - 42] == b"PK\x01\x02":  # central header: size at offset 24
            data[pos - 46 + 24:pos - 46 + 28] = claim
        pos += len(name)
    del i
    open(path, "wb").write(bytes(data))


STYLES = ('<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
          '2006/main"><numFmts count="3"><numFmt numFmtId="164" formatCode="0.00\\%"/>'
          '<numFmt numFmtId="165" formatCode="&quot;%&quot;0"/><numFmt numFmtId="166" '
          'formatCode="0.0%"/></numFmts><cellStyleXfs count="1"><xf numFmtId="9"/></cellStyleXfs>'
          '<cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="9"/><xf numFmtId="14"/>'
          '<xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/></cellXfs></styleSheet>')
BOOK_RELS_STYLES = BOOK_RELS.replace('</Relationships>', '<Relationship Id="rId3" '
                                     'Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                                     'relationships/styles" Target="styles.xml"/></Relationships>')


def numbers():
    """Stored values as a writer may store them, each read into a text fact:
    the reading rules without a spreadsheet's rounding in the way."""
    cells = [  # (stored <v>, cell type, style)
        ("5.5511151231257827E-17", "n", 0),   # formula noise: 0
        ("0.92000000000000004", "n", 1),      # built-in 9 (0%): 92%
        ("1.2345678901234567E-5", "n", 0),    # 15 digits, then 15 places
        ("123456789012345678", "n", 0),       # 15 significant digits
        ("-2.5", "n", 0),
        ("45000", "n", 2),                    # built-in 14, a date
        ("0", "b", 0),                        # a boolean
        ("#N/A", "e", 0),                     # a cached error
        ("ab", "str", 0),                     # a formula's text
        ("45000.5", "n", 2),                  # a date and time
        ("0.99999999999999999", "n", 0),      # rounds up to 1
        ("4.9999999999999999E-16", "n", 0),   # half away from zero at the 15th place
        ("12.5", "n", 3),                     # 0.00\% : an escaped %, no percent
        ("7", "n", 4),                        # "%"0 : a quoted %, no percent
        ("0.125", "n", 5),                    # 0.0% : a custom percent
        ("", "e", 0),                         # an error without its text
        ("1" + "0" * 500, "n", 0),            # too long to write out: read as stored
    ]
    rows = ['<row r="1"><c r="A1" t="inlineStr"><is><t>工号</t></is></c>'
            '<c r="B1" t="inlineStr"><is><t>值</t></is></c></row>']
    for i, (v, t, s) in enumerate(cells, 2):
        rows.append('<row r="%d"><c r="A%d" t="inlineStr"><is><t>N%d</t></is></c>'
                    '<c r="B%d" t="%s" s="%d"><v>%s</v></c></row>' % (i, i, i - 1, i, t, s, v))
    sheet = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             'spreadsheetml/2006/main"><sheetData>%s</sheetData></worksheet>' % "".join(rows))
    package("numbers.xlsx", [("_rels/.rels", REL), ("xl/workbook.xml", BOOK),
                             ("xl/_rels/workbook.xml.rels", BOOK_RELS_STYLES),
                             ("xl/worksheets/sheet1.xml", sheet), ("xl/styles.xml", STYLES),
                             ("xl/sharedStrings.xml", '<sst xmlns="http://schemas.openxmlformats'
                              '.org/spreadsheetml/2006/main"/>')])


def merges():
    """A merged range over the whole sheet right of column A, and 700 rows
    that each have a cell of their own: 16383 filled cells a row, past the
    limit of 10,000,000 after 611 rows (a few hundred bytes of XML each)."""
    rows = ['<row r="1"><c r="A1" t="inlineStr"><is><t>工号</t></is></c>'
            '<c r="B1" t="inlineStr"><is><t>值</t></is></c></row>',
            '<row r="2"><c r="A2" t="inlineStr"><is><t>E2</t></is></c>'
            '<c r="B2" t="inlineStr"><is><t>x</t></is></c></row>']
    for r in range(3, 703):
        rows.append('<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (r, r, r))
    sheet = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             'spreadsheetml/2006/main"><sheetData>%s</sheetData><mergeCells count="1">'
             '<mergeCell ref="B2:XFD1048576"/></mergeCells></worksheet>' % "".join(rows))
    package("merges.xlsx", [("_rels/.rels", REL), ("xl/workbook.xml", BOOK),
                            ("xl/_rels/workbook.xml.rels", BOOK_RELS),
                            ("xl/worksheets/sheet1.xml", sheet),
                            ("xl/sharedStrings.xml", "<sst/>")])


def main():
    tmp = tempfile.mkdtemp()
    try:
        team(tmp)
        kinds(tmp)
        kinds_csv()
        nocache(tmp)
        divzero(tmp)
        broken()
        numbers()
        merges()
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
