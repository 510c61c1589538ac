#!/bin/bash
# secure_xml.sh: report.xml is well-formed and valid against docs/figures.xsd
# whatever the data holds (C0 controls in company, channel and campaign
# names; tiny ratios; a lower-case currency), and the archived PDF's XMP is
# well-formed with "Procter & Gamble" (issue 19 item 4, TAP).  Checked
# independently with xmllint(1).
set -u
: "${REVREPORT:?}" "${top_srcdir:?}"
n=0; fail=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail+1)); fi; }
skip() { n=$((n+1)); echo "ok $n - # SKIP $1"; }
command -v xmllint >/dev/null || { echo "1..0 # SKIP xmllint missing (libxml2-utils)"; exit 0; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
xsd="$top_srcdir/docs/figures.xsd"
export SOURCE_DATE_EPOCH=1793491200
unset REVREPORT_XSD                      # checked here with xmllint, independently
in="$tmp/in"; cp -r "$top_srcdir/tests/data/mini" "$in"; rm -f "$in"/expected-*
# C0 controls (and an escape sequence) in a channel and a campaign name
sed -i "s/Paid Search/Paid\x01Search\x1b[2J/g" "$in"/*.csv
sed -i "s/Brand search/Brand\x02 search\x7f/" "$in/campaigns.csv"
# a huge spend: ROI about 3.7e-06
echo "2026-10-20,Paid Social,C4,2700000000,USD" >>"$in/spend.csv"
"$REVREPORT" -i "$in" --month 2026-10 -o "$tmp/out" --currency usd --quiet \
  --set "report.company=Procter & Gamble <ctl>$(printf '\x01\x0b\x1f')" 2>"$tmp/err"; rc=$?
ok $rc "a report with control characters in names renders (exit $rc)"
x="$tmp/out/report.xml"
xmllint --noout "$x" 2>/dev/null; ok $? "report.xml is well-formed"
xmllint --noout --schema "$xsd" "$x" 2>"$tmp/v"; ok $? "report.xml validates against docs/figures.xsd ($(tail -1 "$tmp/v"))"
! grep -qE 'value="[^"]*[eE][-+]?[0-9]' "$x"; ok $? "no value in exponent notation"
grep -q 'currency="USD"' "$x" && ! grep -q 'unit="usd"' "$x"; ok $? "--currency usd is written USD"
grep -q 'company="Procter &amp; Gamble &lt;ctl&gt;' "$x"; ok $? "the company is escaped, not dropped"
"$REVREPORT" -i "$in" --month 2026-10 -o "$tmp/o2" --currency 'US$' --quiet 2>/dev/null; rc=$?
[ "$rc" -eq 2 ]; ok $? "--currency 'US\$' is a usage error (exit $rc, 2 expected)"
"$REVREPORT" -i "$in" --month 2026-10 -o "$tmp/o2" --currency ABC --quiet 2>/dev/null; rc=$?
[ "$rc" -eq 2 ]; ok $? "--currency ABC (not ISO 4217) is a usage error (exit $rc)"

# the archived PDF's XMP metadata
"$REVREPORT" archive -i "$in" --quarter 2026Q4 --into "$tmp/arc" --quiet \
  --set "report.company=Procter & Gamble <b>$(printf '\x01')" 2>/dev/null
pdf="$tmp/arc/2026/Q4/report.pdf"
if [ ! -f "$pdf" ]; then
  "$REVREPORT" archive -i "$in" --quarter 2026Q4 --into "$tmp/arc" --quiet --allow-stale \
    --set "report.company=Procter & Gamble <b>$(printf '\x01')" 2>"$tmp/aerr"
fi
if command -v pdfinfo >/dev/null && [ -f "$pdf" ]; then
  pdfinfo -meta "$pdf" >"$tmp/xmp" 2>/dev/null
  xmllint --noout "$tmp/xmp" 2>/dev/null; ok $? "the archived PDF's XMP is well-formed XML"
  grep -q "Procter &amp; Gamble &lt;b&gt;" "$tmp/xmp"; ok $? "the company is escaped in the XMP"
  grep -q "pdfaid:part='1' pdfaid:conformance='B'" "$tmp/xmp"; ok $? "the XMP still claims PDF/A-1b"
else
  skip "pdfinfo missing or archive not written ($(head -c 200 "$tmp/aerr" 2>/dev/null))"; skip "pdfinfo"; skip "pdfinfo"
fi
echo "1..$n"
[ "$fail" -eq 0 ]
