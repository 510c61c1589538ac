#!/usr/bin/env python3
"""checkpdfa.py PDF [claim|noclaim]: the PDF/A-1b clauses revreport implements,
each checked against the file's bytes (ISO 19005-1:2005; no validator is
packaged for Debian 12, see docs/delivery.md).  Prints TAP lines without
numbers ("ok - ..."/"not ok - ...").  With "noclaim", checks only that no
PDF/A identification is made.  The font program is read with fontTools."""
import io, re, sys, zlib

pdf = open(sys.argv[1], "rb").read()
mode = sys.argv[2] if len(sys.argv) > 2 else "claim"
def ok(cond, what): print(("ok - " if cond else "not ok - ") + what)

objs = {}
for m in re.finditer(rb"(?<![0-9])(\d+) 0 obj\s*(.*?)endobj", pdf, re.S):
    objs[int(m.group(1))] = m.group(2)
def stream(n):
    body = objs[n]
    d, _, rest = body.partition(b"stream")
    data = rest.lstrip(b"\r").lstrip(b"\n")
    data = data[: data.rfind(b"endstream")].rstrip(b"\r\n")
    m = re.search(rb"/Length (\d+)(?!\d| 0 R)", d)
    mi = re.search(rb"/Length (\d+) 0 R", d)
    if m: data = data[: int(m.group(1))]
    elif mi: data = data[: int(objs[int(mi.group(1))].strip())]
    if b"/FlateDecode" in d: data = zlib.decompress(data)
    return d, data
def ref(d, key):
    m = re.search(rb"/" + key + rb"\s+(\d+) 0 R", d)
    return int(m.group(1)) if m else None

meta = [n for n, b in objs.items() if b"/Type /Metadata" in b]
xmp = stream(meta[0])[1] if meta else b""
claims = b"pdfaid:part" in xmp
if mode == "noclaim":
    ok(not claims, "no PDF/A identification in the XMP metadata")
    ok(b"/OutputIntents" not in pdf, "no output intent either")
    sys.exit(0)

ok(re.match(rb"%PDF-1\.[0-7]\r?\n%[\x80-\xff]{4}", pdf) is not None,
   "6.1.2 header: %PDF-1.n, then a comment of four bytes above 127")
ok(b"/Encrypt" not in pdf, "6.1.3 no /Encrypt in the trailer")
trailer = pdf[pdf.rfind(b"trailer"):]
ok(re.search(rb"/ID\s*\[\s*<[0-9A-Fa-f]+>\s*<[0-9A-Fa-f]+>\s*\]", trailer) is not None, "6.1.3 the trailer has an /ID")
ok(b"/EmbeddedFiles" not in pdf, "6.1.7/6.9 no embedded files")
oi = [b for b in objs.values() if b"/GTS_PDFA1" in b and b"/OutputIntent" in b]
ok(len(oi) == 1 and ref(oi[0], b"DestOutputProfile") is not None,
   "6.2.2 one /GTS_PDFA1 output intent with a DestOutputProfile (device RGB is used)")
if oi and ref(oi[0], b"DestOutputProfile") is not None:
    d, icc = stream(ref(oi[0], b"DestOutputProfile"))
    ok(icc[36:40] == b"acsp" and icc[16:20] == b"RGB ", "6.2.2 the profile is an ICC RGB profile (" + str(len(icc)) + " bytes)")
else:
    ok(False, "6.2.2 the profile is an ICC RGB profile")
ok(b"/SMask" not in pdf and b"/Transparency" not in pdf, "6.4 no soft masks, no transparency groups")
ok(not re.search(rb"/(CA|ca)\s+0?\.\d", pdf), "6.4 no constant alpha below 1")
ok(b"/JavaScript" not in pdf and b"/Launch" not in pdf, "6.6 no JavaScript, no Launch actions")
ok(claims and re.search(rb"pdfaid:part=.1.", xmp) is not None and re.search(rb"pdfaid:conformance=.B.", xmp) is not None,
   "6.7.11 XMP identification pdfaid:part 1, conformance B")
ok(meta and b"/Filter" not in stream(meta[0])[0], "6.7.2 the metadata stream is not filtered")

# fonts: 6.3.4 embedded, 6.3.5 CIDSet naming exactly the CIDs in the font program
try:
    from fontTools.ttLib import TTFont
except ImportError:
    TTFont = None
cidfonts = [(n, b) for n, b in objs.items() if b"/Subtype /CIDFontType2" in b]
ok(len(cidfonts) > 0, "there are CIDFontType2 fonts (%d)" % len(cidfonts))
for n, b in cidfonts:
    name = re.search(rb"/BaseFont /([^\s/]+)", b).group(1).decode()
    desc = objs.get(ref(b, b"FontDescriptor"), b"")
    ff = ref(desc, b"FontFile2")
    ok(ff is not None, "6.3.4 %s is embedded (FontFile2)" % name)
    subset = re.match(r"[A-Z]{6}\+", name) is not None
    cs = ref(desc, b"CIDSet")
    ok(not subset or cs is not None, "6.3.5 %s (a subset) has a CIDSet" % name)
    if cs is None or ff is None or TTFont is None:
        if TTFont is None: print("ok - # SKIP python3-fonttools missing: CIDSet contents not checked")
        continue
    bits = stream(cs)[1]
    inset = {i for i in range(len(bits) * 8) if bits[i >> 3] & (0x80 >> (i & 7))}
    gmap = stream(ref(b, b"CIDToGIDMap"))[1]
    font = TTFont(io.BytesIO(stream(ff)[1]))
    glyf, order = font["glyf"], font.getGlyphOrder()
    def present(gid):
        if gid >= len(order): return False
        g = glyf[order[gid]]
        return gid == 0 or g.numberOfContours != 0
    want = {0} | {cid for cid in range(len(gmap) // 2)
                  if cid and (gmap[2 * cid] << 8 | gmap[2 * cid + 1]) and present(gmap[2 * cid] << 8 | gmap[2 * cid + 1])}
    # a CID whose glyph is a space has no outline but is in the font program: allow it either way
    blanks = {cid for cid in range(len(gmap) // 2) if (gmap[2 * cid] << 8 | gmap[2 * cid + 1]) and
              glyf[order[min(gmap[2 * cid] << 8 | gmap[2 * cid + 1], len(order) - 1)]].numberOfContours == 0}
    ok(want <= inset, "6.3.5 %s: every CID with a glyph in the font program is in the CIDSet (%d CIDs)" % (name, len(want)))
    extra = inset - want - blanks
    ok(not extra, "6.3.5 %s: the CIDSet names no CID the font program lacks%s" % (name, "" if not extra else " (e.g. %s)" % sorted(extra)[:5]))
