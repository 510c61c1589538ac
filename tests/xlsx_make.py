#!/usr/bin/python3
"""xlsx_make.py: write an .xlsx workbook with openpyxl from a UTF-8 CSV, as
the tools' "Download .xlsx" would hold it (tests/input_xlsx.sh).

  xlsx_make.py OUT.xlsx IN.csv [--sheet NAME] [--before NAME] [--num COLS]
      [--date COLS] [--date-in dmy|mdy|iso] [--date-format FMT|14]
      [--shared] [--1904] [--decimal-comma] [--delimiter C]

Rows of IN.csv are written as they are (title lines before the header and
total lines after it too); in the header's columns named by --num (comma
separated) values become numbers (grouping marks dropped), by --date dates
(date serials in the cell format FMT, or the built-in format 14).  --shared
writes strings to a shared strings table (openpyxl 3.0 writes inline
strings, <is><t>, as some tools do; Excel writes shared ones), --1904 uses the
1904 date system, --before adds a sheet in front of the data sheet.
"""
import csv
import datetime
import io
import re
import sys
import zipfile

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904


def arg(name, default=None):
    if name in sys.argv:
        return sys.argv[sys.argv.index(name) + 1]
    return default


def to_number(v, comma):
    s = v.strip('$€£¥ ').replace('\u00a0', '').replace('\u202f', '').replace(' ', '')
    s = s.replace('.', '').replace(',', '.') if comma else s.replace(',', '')
    try:
        f = float(s)
    except ValueError:
        return v
    return int(f) if re.fullmatch(r'-?\d+', s) else f


def to_date(v, order):
    v = v.strip()
    m = re.fullmatch(r'(\d{4})-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d)(?::(\d\d))?)?', v)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        hh, mm, ss = int(m[4] or 0), int(m[5] or 0), int(m[6] or 0)
    else:
        m = re.fullmatch(r'(\d{1,2})[./](\d{1,2})[./](\d{4})', v)
        if not m:
            return v
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        d, mo = (a, b) if order == 'dmy' else (b, a)
        hh = mm = ss = 0
    if hh or mm or ss:
        return datetime.datetime(y, mo, d, hh, mm, ss)
    return datetime.date(y, mo, d)


def main():
    out, src = sys.argv[1], sys.argv[2]
    text = open(src, encoding='utf-8-sig').read()
    delim = arg('--delimiter')
    if delim is None:
        delim = '\t' if '\t' in text else ';' if text.count(';') > text.count(',') else ','
    rows = list(csv.reader(io.StringIO(text), delimiter=delim))
    nums = set(filter(None, arg('--num', '').split(',')))
    dates = set(filter(None, arg('--date', '').split(',')))
    order = arg('--date-in', 'iso')
    fmt = arg('--date-format', 'yyyy-mm-dd')
    comma = '--decimal-comma' in sys.argv

    wb = openpyxl.Workbook()
    if '--1904' in sys.argv:
        wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = arg('--sheet', 'Sheet1')
    if arg('--before'):
        first = wb.create_sheet(arg('--before'), 0)
        first.append(['Summary of the export'])
        first.append(['Rows', len(rows)])
    header = None
    for r in rows:
        if header is None and (nums | dates) & set(r):
            header = r
            ws.append(r)
            continue
        if header is None or len(r) < len(header) // 2:
            ws.append(r)
            continue
        vals = []
        for k, v in enumerate(r):
            name = header[k] if k < len(header) else ''
            if v == '':
                vals.append(None)
            elif name in nums:
                vals.append(to_number(v, comma))
            elif name in dates:
                vals.append(to_date(v, order))
            else:
                vals.append(v)
        ws.append(vals)
        for k, v in enumerate(vals):
            if isinstance(v, (datetime.date, datetime.datetime)):
                c = ws.cell(row=ws.max_row, column=k + 1)
                c.number_format = 'mm-dd-yy' if fmt == '14' else fmt
    wb.save(out)
    if '--shared' in sys.argv:
        shared(out)


def shared(path):
    """Inline strings (what openpyxl 3.0 writes) -> a shared strings table,
    as Excel and most tools write them: the workbook is rewritten through
    zipfile, with the part's relationship and content type."""
    z = zipfile.ZipFile(path)
    parts = {n: z.read(n) for n in z.namelist()}
    z.close()
    table, index = [], {}

    def one(m):
        t = m[3]
        if t not in index:
            index[t] = len(table)
            table.append(t)
        return b'<c ' + m[1] + b't="s"' + m[2] + b'><v>' + str(index[t]).encode() + b'</v></c>'
    for n in list(parts):
        if n.startswith('xl/worksheets/') and n.endswith('.xml'):
            parts[n] = re.sub(rb'<c ([^>]*?)t="inlineStr"([^>]*)><is><t[^>]*>(.*?)</t></is></c>', one, parts[n])
    parts['xl/sharedStrings.xml'] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
        % (len(table), len(table)) + b''.join(b'<si><t xml:space="preserve">' + t + b'</t></si>' for t in table) +
        b'</sst>')
    parts['xl/_rels/workbook.xml.rels'] = parts['xl/_rels/workbook.xml.rels'].replace(
        b'</Relationships>', b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    parts['[Content_Types].xml'] = parts['[Content_Types].xml'].replace(
        b'</Types>', b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)


main()
