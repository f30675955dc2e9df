#!/usr/bin/python3
"""Workbook checks for tests/xlsx/check.sh, with openpyxl (Debian's python3).

  roundtrip.py same CSV XLSX        -f xlsx output holds the cells of -f csv
  roundtrip.py fill TEMPLATE OUT N  fill a template workbook's columns with N
                                    valid employees, as a manager typing in
                                    Excel would (the cells take their column's
                                    format), and save it as OUT
  roundtrip.py fillcsv TEMPLATE OUT N   the same for the CSV template
  roundtrip.py template XLSX        the template's notes, validations, formats
  roundtrip.py bomb OUT [lie]       a workbook whose shared strings unpack to
                                    300 MiB (lie: its headers claim 1 KiB)
Exits 1 and says why when a check fails.
"""
import csv
import re
import struct
import sys
import zipfile
from decimal import Decimal

import openpyxl


def fail(msg):
    print("FAIL " + msg)
    sys.exit(1)


def shown(value, fmt):
    """A cell's value as the CSV writes it (numbers to 15 significant digits,
    as a spreadsheet shows them)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        d = Decimal(repr(value))
        pct = "%" in fmt
        if pct:
            d = d.scaleb(2)
        d = Decimal(format(d, ".15g")).normalize()
        text = format(d, "f")
        return text + ("%" if pct else "")
    return str(value)


def same(csv_path, xlsx_path):
    with open(csv_path, encoding="utf-8-sig", newline="") as f:
        want = list(csv.reader(f))
    ws = openpyxl.load_workbook(xlsx_path).active
    got = [[shown(c.value, c.number_format) for c in row] for row in ws.iter_rows()]
    if len(got) != len(want):
        fail("%s has %d rows, the CSV %d" % (xlsx_path, len(got), len(want)))
    for r, (g, w) in enumerate(zip(got, want), 1):
        # the CSV guards text that starts like a formula with a '; a workbook needs no guard
        w = [c[1:] if c[:2] in ("'=", "'+", "'-", "'@") else c for c in w]
        if g != w:
            fail("%s row %d: %s, the CSV has %s" % (xlsx_path, r, g, w))
        for c in ws[r]:
            if c.data_type == "f":
                fail("%s %s is a formula" % (xlsx_path, c.coordinate))
    if ws.freeze_panes != "A2":
        fail("%s: the header is not frozen (%s)" % (xlsx_path, ws.freeze_panes))
    if not ws.auto_filter.ref or not ws.auto_filter.ref.startswith("A1:"):
        fail("%s: no autofilter over the table (%s)" % (xlsx_path, ws.auto_filter.ref))
    # CJK-aware widths: a column is at least as wide as its header counts
    for c in ws[1]:
        width = sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(c.value))
        dim = ws.column_dimensions[c.column_letter].width
        if dim is None or dim < width:
            fail("%s: column %s (%s) is %s wide, its header needs %d" %
                 (xlsx_path, c.column_letter, c.value, dim, width))


def sample(header, note, fmt, i):
    """A valid value for a column, from its note (type and range)."""
    kind = note.split("类型 type: ")[1].split("\n")[0] if "类型 type: " in note else "文本 text"
    rng = note.split("范围 range: ")[1].split("\n")[0] if "范围 range: " in note else ""
    lo = hi = None
    if ".." in rng:
        lo, hi = rng.split("..")
    elif rng.startswith(">= "):
        lo = rng[3:]
    elif rng.startswith("<= "):
        hi = rng[3:]
    if kind.startswith("百分比"):
        lo = Decimal(lo.rstrip("%")) if lo else Decimal(0)
        hi = Decimal(hi.rstrip("%")) if hi else lo + 100
        return float((lo + (hi - lo) * Decimal(i % 4 + 1) / 5) / 100)  # a fraction, shown as %
    if kind.startswith("是/否"):
        return "是" if i % 2 else "否"
    if kind.startswith("整数") or kind.startswith("数字"):
        lo = Decimal(lo) if lo else Decimal(0)
        hi = Decimal(hi) if hi else lo + 10
        v = lo + (hi - lo) * Decimal(i % 4 + 1) / 5
        return int(v) if kind.startswith("整数") else float(v)
    if header in ("工号", "id"):
        return "%05d" % (i + 1)
    # a text fact whose description lists its words (5S检查等级:优/良/中/差,
    # 职业素养等级 A/B/C/D) takes one of them, as a manager would write
    desc = note.split("\n")[0] if "\n" in note else ""  # a note's first line is its description
    words = re.search(r"([^\s:：/]+(?:\s*/\s*[^\s:：/]+)+)", desc)
    if words:
        choices = [w.strip() for w in words.group(1).split("/")]
        return choices[i % len(choices)]
    return "文本%d" % i


def fill(template, out, n):
    wb = openpyxl.load_workbook(template)
    ws = wb.active
    for c in ws[1]:
        fmt = ws.column_dimensions[c.column_letter].number_format
        note = c.comment.text if c.comment else ""
        for i in range(n):
            cell = ws.cell(2 + i, c.column, sample(c.value, note, fmt, i))
            cell.number_format = fmt  # what Excel does when typing into a formatted column
    wb.save(out)


def fillcsv(template, out, n, notes_from):
    with open(template, encoding="utf-8-sig", newline="") as f:
        header = next(csv.reader(f))
    notes = {c.value: (c.comment.text if c.comment else "")
             for c in openpyxl.load_workbook(notes_from).active[1]}
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for i in range(n):
            row = []
            for h in header:
                v = sample(h, notes[h], "", i)
                if isinstance(v, float) and "百分比" in notes[h]:
                    v = "%s%%" % format((Decimal(repr(v)) * 100).normalize(), "f")
                row.append(v)
            w.writerow(row)


def template(path):
    ws = openpyxl.load_workbook(path).active
    if ws.freeze_panes != "A2":
        fail("%s: the header is not frozen" % path)
    dv = {}
    for v in ws.data_validations.dataValidation:
        for rng in str(v.sqref).split():
            dv[rng.split(":")[0].rstrip("0123456789")] = v
    for c in ws[1]:
        note = c.comment.text if c.comment else None
        if not note or "类型 type" not in note and c.value != "id":
            fail("%s: header %s has no note with its type" % (path, c.value))
        fmt = ws.column_dimensions[c.column_letter].number_format
        if "文本" in note and fmt != "@":
            fail("%s: text column %s is formatted %s, not @" % (path, c.value, fmt))
        if "百分比" in note and fmt != "0.00%":
            fail("%s: percent column %s is formatted %s" % (path, c.value, fmt))
        v = dv.get(c.column_letter)
        if "是/否" in note and (not v or v.type != "list" or "是" not in v.formula1):
            fail("%s: bool column %s has no 是/否 list" % (path, c.value))
        if "整数" in note and (not v or v.type != "whole"):
            fail("%s: integer column %s has no whole-number validation" % (path, c.value))
        if "范围" in note and "百分比" in note and (not v or v.type != "decimal"):
            fail("%s: percent column %s has no decimal validation" % (path, c.value))


def bomb(out, lie):
    rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>')
    book = ('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
    brels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
             '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
             'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
             '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
             'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    sheet = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             'spreadsheetml/2006/main"><sheetData/></worksheet>')
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("_rels/.rels", rels)
        z.writestr("xl/workbook.xml", book)
        z.writestr("xl/_rels/workbook.xml.rels", brels)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        with z.open("xl/sharedStrings.xml", "w") as f:
            f.write(b"<sst><si><t>")
            block = b" " * (1 << 20)
            for _ in range(300):
                f.write(block)
            f.write(b"</t></si></sst>")
    if lie:  # both headers claim 1 KiB unpacked
        data = bytearray(open(out, "rb").read())
        name = b"xl/sharedStrings.xml"
        pos = 0
        while (pos := data.find(name, pos)) >= 0:
            if data[pos - 30:pos - 26] == b"PK\x03\x04":
                data[pos - 30 + 22:pos - 30 + 26] = struct.pack("<I", 1024)
            elif data[pos - 46:pos - 42] == b"PK\x01\x02":
                data[pos - 46 + 24:pos - 46 + 28] = struct.pack("<I", 1024)
            pos += len(name)
        open(out, "wb").write(bytes(data))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "same":
        same(sys.argv[2], sys.argv[3])
    elif cmd == "fill":
        fill(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif cmd == "fillcsv":
        fillcsv(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
    elif cmd == "template":
        template(sys.argv[2])
    elif cmd == "bomb":
        bomb(sys.argv[2], len(sys.argv) > 3)
    else:
        fail("unknown command " + cmd)
