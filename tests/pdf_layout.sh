#!/bin/bash
# pdf_layout.sh: the PDF's layout checked from its text (TAP), on the sample
# reports in en, ru, ja, zh (month) and en (quarter):
#   - every KPI tile's label, value and note is in the PDF whole (never cut);
#   - no word is split over two lines (every word of the PDF text is a word
#     of the HTML text) and no line starts with a currency sign or a unit
#     that belongs to the number before it ("68,3 тыс. / $");
#   - CJK lines follow kinsoku: no line starts with closing punctuation,
#     small kana or ー, and no katakana word is split over two lines;
#   - a section heading whose intro leads to a chart is on the chart's page.
set -u
: "${REVREPORT:?}" "${top_srcdir:?}"
n=0; fail=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail+1)); fi; }
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
command -v "$PY" >/dev/null || { echo "1..0 # SKIP python3 not installed"; exit 0; }
command -v pdftotext >/dev/null && command -v pdfimages >/dev/null ||
  { echo "1..0 # SKIP poppler-utils not installed"; exit 0; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
in="$top_srcdir/samples"; [ -f "$in/opportunities.csv" ] || in="$top_srcdir/tests/data/mini"
export LC_ALL=C.UTF-8 TZ=UTC SOURCE_DATE_EPOCH=1793512800
cat >"$tmp/check.py" <<'PYEOF'
import html.parser, re, subprocess, sys
what, out, lang = sys.argv[1], sys.argv[2], sys.argv[3]
pdf = out + '/report.pdf'
cjk = lang in ('ja', 'zh')
def run(*a): return subprocess.run(a, capture_output=True, text=True, check=True).stdout
def ok(cond, msg, detail=''):
    print(('ok' if cond else 'not ok') + ' - %s: %s' % (what, msg))
    if not cond and detail: print('# ' + detail.replace('\n', '\n# ')[:1500])
    return cond

class H(html.parser.HTMLParser):
    """Text of the report.html: KPI texts, section titles and the kinds of
    their blocks, all words."""
    def __init__(s):
        super().__init__(); s.stack = []; s.kpi = []; s.cur = None; s.sections = []
        s.words = set(); s.skip = 0
    def handle_starttag(s, tag, a):
        c = dict(a).get('class') or ''
        s.stack.append((tag, c))
        if tag in ('svg', 'style', 'script'): s.skip += 1
        if c in ('rr-kpi-label', 'rr-kpi-value', 'rr-kpi-note'): s.cur = ''
        if c == 'rr-section-title': s.sections.append(['', []]); s.cur = None
        elif s.sections and c == 'rr-para' and len(s.stack) <= 4: s.sections[-1][1].append('p')
        elif s.sections and c == 'rr-chart-block': s.sections[-1][1].append('chart')
        elif s.sections and tag == 'table' and 'rr-chart' not in ''.join(x[1] for x in s.stack):
            s.sections[-1][1].append('table')
    def handle_endtag(s, tag):
        while s.stack:
            t, c = s.stack.pop()
            if t in ('svg', 'style', 'script'): s.skip -= 1
            if c in ('rr-kpi-label', 'rr-kpi-value', 'rr-kpi-note') and s.cur is not None:
                s.kpi.append(s.cur); s.cur = None
            if t == tag: break
    def handle_data(s, d):
        if s.skip: return
        for w in d.split(): s.words.add(w)
        if s.cur is not None: s.cur += d
        if s.stack and s.stack[-1][1] == 'rr-section-title': s.sections[-1][0] += d
        if s.stack and s.stack[-1][1] == 'rr-chart-caption' and s.sections and len(s.sections[-1]) == 2:
            s.sections[-1].append(d)           # the caption of the section's first chart
h = H(); h.feed(open(out + '/report.html', encoding='utf-8').read())
norm = lambda t: re.sub(r'\s+', '', t.replace('\u00a0', ' ').replace('\u202f', ' '))
pages = run('pdftotext', '-raw', pdf, '-').split('\f')

# 1. KPI tiles complete (page 1 holds the summary tiles; a last row may go on)
text = norm(' '.join(pages[0:3]))
missing = [k for k in h.kpi if norm(k) not in text]
ok(len(h.kpi) >= 6 and not missing, '%d KPI tile texts complete in the PDF' % len(h.kpi), repr(missing))

# lines of the PDF, by page, from the bbox layout (one <line> per drawn line)
bbox = run('pdftotext', '-bbox-layout', pdf, '-')
lines = []          # (page, block, [words])
heights = []        # of each line's tallest word
for pi, page in enumerate(bbox.split('<page ')[1:]):
    for bi, blk in enumerate(page.split('<block ')[1:]):
        for ln in blk.split('<line ')[1:]:
            wl = re.findall(r'<word [^>]*yMin="([\d.]+)" [^>]*yMax="([\d.]+)">([^<]*)</word>', ln)
            ws = [html.unescape(m[2]) for m in wl]
            if ws: lines.append((pi + 1, bi, ws))
            if ws: heights.append(max(float(m[1]) - float(m[0]) for m in wl))

# 2. no word split over two lines; no number's unit at the start of a line
if not cjk:
    furniture = set(run('pdftotext', '-f', '2', '-l', '2', pdf, '-').split())
    bad = sorted({w for _, _, ws in lines for w in ws if w not in h.words and w not in furniture
                  and not re.fullmatch(r'[\d/!]+|\(\w+\)', w) and not w.endswith('\u2026')})
    ok(not bad, 'every word of the PDF is a whole word of the report', ' '.join(bad[:40]))
units = ('$', '\u20ac', '\u20bd', '\u00a5', '%', 'тыс.', 'млн', 'млрд', 'K', 'M', '万', '亿')
bad = ['p%d: %s' % (p, ' '.join(ws)) for p, _, ws in lines if ws[0] in units]
ok(not bad, 'no line starts with a currency sign or unit', '\n'.join(bad[:10]))

# 3. kinsoku
if cjk:
    kata = lambda c: '\u30a0' <= c <= '\u30ff' and c not in '\u30fb'
    nostart = set('、。，．：；！？）」』】〉》ーぁぃぅぇぉっゃゅょァィゥェォッャュョ々')
    bad = []
    for (p1, b1, w1), (p2, b2, w2) in zip(lines, lines[1:]):
        if (p1, b1) != (p2, b2): continue
        a, b = w1[-1][-1], w2[0][0]
        if b in nostart or (kata(a) and kata(b)):
            bad.append('p%d: ...%s / %s...' % (p1, w1[-1][-6:], w2[0][:6]))
    ok(not bad, 'no line starts with closing punctuation, small kana or ー; no katakana word split',
       '\n'.join(bad[:10]))

# 4. a heading and its intro stay with the chart they lead to
imgs = {}
for l in run('pdfimages', '-list', pdf).splitlines()[2:]:
    f = l.split()
    if f and f[2] == 'image': imgs[int(f[0])] = imgs.get(int(f[0]), 0) + 1
bad = []
for title, kinds, *cap in h.sections:
    rest = [k for k in kinds if k != 'p']
    if not rest or rest[0] != 'chart' or kinds.index('chart') > 1: continue
    key = norm(title)
    pg = [p for (p, _, ws), ht in zip(lines, heights) if p > 1 and ht >= 14     # 18 pt headings
          and key.startswith(norm(''.join(ws)))]
    if pg and not (imgs.get(pg[0]) and cap and norm(cap[0])[:40] in norm(pages[pg[0] - 1])):
        bad.append('%s (page %d)' % (title, pg[0]))
ok(not bad, 'every heading that leads to a chart is on the chart\'s page', '\n'.join(bad))

# 4b. a short CJK header stays whole (CJK may break between any characters,
#     but "商/談" or "MQL単/価" is not a header a reader expects)
if lang == 'ja':
    raw = '\n'.join(pages)
    miss = [h for h in ('MQL単価', 'SQL単価', '商談獲得単価') if h not in raw]
    ok(not miss, 'short Japanese table headers are not broken over lines', repr(miss))

# 5. a note on a table (rounding) stays with that table: when it opens a page
#    (its table filled the page before), that page before has no room left
#    for it (the note used to be kept with the next block, leaving it behind)
notes = {'en': 'Figures are rounded', 'ru': 'Цифры округлены'}
if lang in notes:
    words = []   # (page, yMin, yMax, text) of every word, top-down coordinates
    pg = 0
    for l in run('pdftotext', '-bbox', pdf, '-').splitlines():
        if '<page ' in l: pg += 1
        m = re.search(r'yMin="([0-9.]+)" xMax="[0-9.]+" yMax="([0-9.]+)">([^<]*)<', l)
        if m: words.append((pg, float(m.group(1)), float(m.group(2)), m.group(3)))
    bad = []
    first = notes[lang].split()[0]
    for p in range(2, pg + 1):
        body = sorted((w for w in words if w[0] == p and 60 < w[1] < 770), key=lambda w: (w[1], 0))
        if not body or body[0][3] != first: continue
        nxt = ' '.join(w[3] for w in body[:len(notes[lang].split())])
        if not nxt.startswith(notes[lang]): continue
        prev = [w[2] for w in words if w[0] == p - 1 and 60 < w[1] < 770]
        if prev and max(prev) < 770 - 60: bad.append('page %d (page %d ends at y=%.0f)' % (p, p - 1, max(prev)))
    ok(not bad, 'a rounding note opens a page only when its table filled the page before', ', '.join(bad))
PYEOF
for run in "en --month 2026-10" "ru --month 2026-10" "ja --month 2026-10" "zh --month 2026-10" "en --quarter 2026Q3"; do
  set -- $run; lang=$1; shift
  o="$tmp/$lang$1"
  "$REVREPORT" -i "$in" "$@" --lang "$lang" -o "$o" --quiet; r=$?
  ok $r "$lang $*: report renders"
  [ $r -eq 0 ] || continue
  while IFS= read -r line; do
    case "$line" in
      "ok - "*) ok 0 "${line#ok - }" ;;
      "not ok - "*) ok 1 "${line#not ok - }" ;;
      *) echo "$line" ;;
    esac
  done < <("$PY" "$tmp/check.py" "$lang $*" "$o" "$lang" 2>&1)
done
echo "1..$n"
[ "$fail" -eq 0 ]
