#!/bin/bash
# pdf_fonts.sh: every glyph drawn in the PDF has its outline embedded (TAP).
# libharu 2.3.0 subsets TrueType fonts but follows composite glyphs one level
# only; src/pdf.c completes the closure.  This test decompresses each
# embedded FontFile2 and checks that every component referenced by an
# embedded composite glyph is itself embedded (non-empty), for reports in
# English, Russian (DejaVu Bold builds е/ё from components) and Chinese
# (WenQuanYi / Droid build most hanzi from components); and that the fonts'
# ToUnicode maps are valid (pdftotext extracts the title without a warning).
set -u
: "${REVREPORT:?}" "${top_srcdir:?}"
n=0; fail=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail+1)); fi; }
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
command -v "$PY" >/dev/null || { echo "1..0 # SKIP python3 not installed"; exit 0; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
in="$top_srcdir/samples"; [ -f "$in/opportunities.csv" ] || in="$top_srcdir/tests/data/mini"
cat >"$tmp/check.py" <<'PYEOF'
import re, struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
objs = {}
for m in re.finditer(rb'(\d+) 0 obj(.*?)endobj', data, re.S):
    objs[int(m.group(1))] = m.group(2)
refs = set()
for body in objs.values():
    for m in re.finditer(rb'/FontFile2 (\d+) 0 R', body):
        refs.add(int(m.group(1)))
bad = 0
fonts = 0
for r in sorted(refs):
    body = objs[r]
    s = body.index(b'stream') + 6
    if body[s:s+2] == b'\r\n': s += 2
    elif body[s:s+1] == b'\n': s += 1
    raw = body[s:body.rindex(b'endstream')]
    font = zlib.decompress(raw) if b'/FlateDecode' in body[:s] else raw
    ntab = struct.unpack('>H', font[4:6])[0]
    tabs = {}
    for i in range(ntab):
        tag, _, off, ln = struct.unpack('>4sIII', font[12+16*i:28+16*i])
        tabs[tag] = (off, ln)
    head = tabs[b'head'][0]
    longloc = struct.unpack('>h', font[head+50:head+52])[0]
    numg = struct.unpack('>H', font[tabs[b'maxp'][0]+4:tabs[b'maxp'][0]+6])[0]
    lo = tabs[b'loca'][0]
    if longloc: loca = struct.unpack('>%dI' % (numg+1), font[lo:lo+4*(numg+1)])
    else: loca = [2*x for x in struct.unpack('>%dH' % (numg+1), font[lo:lo+2*(numg+1)])]
    gl = tabs[b'glyf'][0]
    fonts += 1
    used = comps = 0
    for g in range(numg):
        a, b = loca[g], loca[g+1]
        if b - a < 10: continue
        used += 1
        if struct.unpack('>h', font[gl+a:gl+a+2])[0] >= 0: continue
        p = gl + a + 10
        while True:
            flags, comp = struct.unpack('>HH', font[p:p+4])
            p += 4 + (4 if flags & 1 else 2)
            p += 2 if flags & 8 else 4 if flags & 0x40 else 8 if flags & 0x80 else 0
            comps += 1
            if comp >= numg or loca[comp+1] - loca[comp] < 10:
                bad += 1
                print('# glyph %d: component %d has no outline' % (g, comp))
            if not flags & 0x20: break
    print('# font object %d: %d glyphs embedded, %d components checked' % (r, used, comps))
print('# %d embedded TrueType fonts' % fonts)
sys.exit(1 if bad or not fonts else 0)
PYEOF
for lang in en ru zh ja; do
  if [ "$lang" = zh ] || [ "$lang" = ja ]; then
    fc-list 2>/dev/null | grep -qiE "wqy|droid|ipag" || { n=$((n+1)); echo "ok $n # SKIP no CJK font for $lang"; continue; }
  fi
  "$REVREPORT" -i "$in" --month 2026-10 --lang "$lang" -o "$tmp/$lang" --quiet; ok $? "$lang report renders"
  "$PY" "$tmp/check.py" "$tmp/$lang/report.pdf" >"$tmp/$lang.out" 2>&1; r=$?
  ok $r "$lang: every component of every embedded composite glyph is embedded"
  sed -n '1,6p' "$tmp/$lang.out"
  # the fonts' /ToUnicode maps are real ToUnicode CMaps (libharu writes a
  # code -> CID map there; src/pdf.c replaces it): no reader warning, and the
  # text comes back out as written
  if command -v pdftotext >/dev/null; then
    pdftotext "$tmp/$lang/report.pdf" "$tmp/$lang.txt" 2>"$tmp/$lang.err"
    ! grep -q "ToUnicode" "$tmp/$lang.err"; ok $? "$lang: pdftotext reads the ToUnicode maps without a warning"
    case $lang in
      en) want="Revenue marketing report" ;; ru) want="Отчёт о маркетинге и" ;;
      zh) want="营销与营收月度报告" ;; ja) want="レベニューマーケティング月次報告" ;;
    esac
    grep -qF "$want" "$tmp/$lang.txt"; ok $? "$lang: the title extracts from the PDF as \"$want\""
  fi
done
echo "1..$n"
[ "$fail" -eq 0 ]
