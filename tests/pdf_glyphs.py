#!/usr/bin/env python3
"""pdf_glyphs.py: every character a PDF draws has a glyph in the font it is
drawn with (not pdftotext, which shows the right text where the page shows
boxes).

    python3 tests/pdf_glyphs.py report.pdf [TEXT ...]

Reads libharu's output (Type0 fonts, Identity-H, CID = Unicode code point,
a CIDToGIDMap stream, the TrueType file embedded as FontFile2): for every
string shown with Tj, each CID is mapped to its glyph id, and the glyph must
be in the embedded font with an outline (libharu leaves the glyphs it did
not use empty; glyph 0 is the missing-glyph box).  Each TEXT given must be
drawn (its characters, in order, within one page's text).  Prints one line
per problem; exit 1 when there is any.  Needs python3-fonttools."""
import io
import re
import sys
import zlib

from fontTools.ttLib import TTFont

SPACES = {0x20, 0xA0, 0x202F, 0x2009, 0x200B, 0x3000}


def main():
    data = open(sys.argv[1], 'rb').read()
    objs = {int(m.group(1)): m.group(2) for m in re.finditer(rb'(\d+) 0 obj(.*?)endobj', data, re.S)}

    def stream(n):
        o = objs[n]
        m = re.search(rb'stream\r?\n(.*)\r?\nendstream', o, re.S)
        raw = m.group(1) if m else b''
        return zlib.decompress(raw) if b'/FlateDecode' in o else raw

    def ref(o, key):
        m = re.search(rb'/' + key + rb'\s+(\d+) 0 R', o)
        return int(m.group(1)) if m else None

    fonts = {}

    def font(n):
        if n in fonts:
            return fonts[n]
        o = objs[n]
        name = re.search(rb'/BaseFont\s*/([^\s/]+)', o).group(1).decode()
        desc = int(re.search(rb'/DescendantFonts\s*\[\s*(\d+) 0 R', o).group(1))
        d = objs[desc]
        gmap = ref(d, b'CIDToGIDMap')
        cid2gid = stream(gmap) if gmap else None
        fd = objs[ref(d, b'FontDescriptor')]
        tt = TTFont(io.BytesIO(stream(ref(fd, b'FontFile2'))), lazy=True)
        fonts[n] = (name, cid2gid, tt, tt['glyf'], tt.getGlyphOrder())
        return fonts[n]

    problems = []
    drawn = []
    pages = [n for n, o in objs.items() if re.search(rb'/Type\s*/Page\b', o)]
    for pno, pn in enumerate(sorted(pages), 1):
        po = objs[pn]
        res = po
        r = ref(po, b'Resources')
        if r:
            res = objs[r]
        fm = re.search(rb'/Font\s*<<(.*?)>>', res, re.S)
        fres = {k.decode(): int(v) for k, v in re.findall(rb'/(\w+)\s+(\d+) 0 R', fm.group(1))} if fm else {}
        cm = re.search(rb'/Contents\s+(\d+) 0 R', po)
        if not cm:
            continue
        content = stream(int(cm.group(1)))
        cur = None
        text = []
        for m in re.finditer(rb'/(\w+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>\s*Tj', content):
            if m.group(1):
                cur = fres.get(m.group(1).decode())
                continue
            if cur is None:
                continue
            name, cid2gid, tt, glyf, order = font(cur)
            hx = m.group(2)
            for i in range(0, len(hx) - 3, 4):
                cid = int(hx[i:i + 4], 16)
                text.append(chr(cid))
                if cid in SPACES:
                    continue
                gid = cid2gid[2 * cid] << 8 | cid2gid[2 * cid + 1] if cid2gid and 2 * cid + 1 < len(cid2gid) else cid
                g = glyf[order[gid]] if 0 < gid < len(order) else None
                if g is None or g.numberOfContours == 0:
                    problems.append('page %d: %s (U+%04X) drawn with %s has no glyph%s' % (
                        pno, chr(cid), cid, name, ' (glyph 0, the box)' if gid == 0 else ''))
        drawn.append(''.join(text))
    for want in sys.argv[2:]:
        w = want.replace(' ', '')
        if not any(w in t.replace(' ', '').replace('\u00a0', '') for t in drawn):
            problems.append('"%s" is not drawn on any page' % want)
    seen = set()
    for p in problems:
        if p not in seen:
            print(p)
            seen.add(p)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
