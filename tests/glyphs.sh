#!/bin/bash
# glyphs.sh: every name in the data renders (TAP).
#   bash tests/glyphs.sh        (make check sets REVREPORT, top_srcdir)
# The sample data with channel and campaign names in Japanese, simplified
# Chinese, Russian, Thai, Hindi, Arabic and Hebrew, reported in en, ja, zh
# and ru: tests/pdf_glyphs.py reads the PDF's embedded fonts and checks that
# every character drawn has a glyph in the font it is drawn with (pdftotext
# would show the right text where the page shows boxes), and that the names
# are drawn.  A character no installed font has is a data-quality warning
# naming the text, its file and line and a Debian font package.
set -u
: "${REVREPORT:=./revreport}" "${top_srcdir:=.}"
export SOURCE_DATE_EPOCH=1793491200
n=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
py=/usr/bin/python3
[ -x "$py" ] || py=python3
have_ft=1
"$py" -c 'import fontTools' 2>/dev/null || have_ft=0

data="$tmp/mixed"
cp -r "$top_srcdir/samples" "$data"
rm -f "$data"/README*
ja="Google広告 ブランド"; zh="百度推广 营销活动"; ru="Яндекс Директ — бренд"
for f in "$data"/*.csv; do
  sed -i "s/\bEvents\b/$ja/g; s/\bWebinars\b/$zh/g; s/\bContent\b/$ru/g" "$f"
done
# campaign names in scripts that need other fonts
sed -i 's/^CMP-010,[^,]*,/CMP-010,แคมเปญสัมมนา,/; s/^CMP-016,[^,]*,/CMP-016,वेबिनार अभियान,/;
        s/^CMP-019,[^,]*,/CMP-019,حملة المحتوى,/; s/^CMP-020,[^,]*,/CMP-020,קמפיין תוכן,/' "$data/campaigns.csv"
for lang in en ja zh ru; do
  out="$tmp/$lang"
  "$REVREPORT" -i "$data" --month 2026-10 --lang "$lang" -o "$out" >"$tmp/$lang.log" 2>&1
  ok $? "$lang: report with ja, zh, ru, th, hi, ar, he names runs"
  if [ $have_ft = 0 ]; then skip "python3-fonttools not installed"; continue; fi
  res=$("$py" "$top_srcdir/tests/pdf_glyphs.py" "$out/report.pdf" "$ja" "$zh" "$ru" 2>&1)
  ok $? "$lang: every character drawn in the PDF has a glyph, and the three names are drawn"
  [ -n "$res" ] && echo "$res" | head -20 | sed 's/^/# /'
  # the Japanese name's Han in a Japanese font in a Japanese report, the Chinese in a Chinese font
  grep -q "IPAGothic" <(pdffonts "$out/report.pdf" 2>/dev/null); ok $? "$lang: IPAGothic embedded (kana in the data)"
  grep -q "WenQuanYi" <(pdffonts "$out/report.pdf" 2>/dev/null); ok $? "$lang: WenQuanYi embedded (simplified Chinese in the data)"
done

# a character no installed font has: a located data-quality warning
cp="U+1F99C"; ch=$'\xf0\x9f\xa6\x9c'   # 🦜
if [ -n "$(fc-list ":charset=1f99c" 2>/dev/null)" ]; then
  skip "an installed font has $cp"
else
  sed -i "s/^CMP-011,[^,]*,/CMP-011,Parrot $ch Summit,/" "$data/campaigns.csv"
  line=$(grep -n "^CMP-011," "$data/campaigns.csv" | cut -d: -f1)
  "$REVREPORT" -i "$data" --month 2026-10 -o "$tmp/box" >"$tmp/box.log" 2>&1
  ok $? "a name with a character no font has: the report runs"
  grep -qF "campaigns.csv:$line: \"Parrot $ch Summit\" has $ch ($cp), which no installed font has" "$tmp/box/report.html" "$tmp/box.log"
  ok $? "the data-quality note names the text, campaigns.csv:$line and the character"
  grep -qF "apt-get install fonts-symbola" "$tmp/box/report.html"; ok $? "... and a font package"
fi
echo "1..$n"
