#!/bin/bash
# golden.sh: report.xml of the mini fixture against the golden file, and
# schema validation of it and of the sample report (TAP).
# Volatile fields: the generation date is pinned with SOURCE_DATE_EPOCH and
# the generator version is blanked.  Regenerate: RR_UPDATE_GOLDEN=1 make check
set -u
: "${REVREPORT:?}" "${top_srcdir:?}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0; fail=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail+1)); fi; }
skip() { n=$((n+1)); echo "ok $n # SKIP $1"; }
norm() { sed -E 's/generator="[^"]*"/generator=""/' "$1"; }
export SOURCE_DATE_EPOCH=1793491200   # 2026-11-01T00:00:00Z
golden="$top_srcdir/tests/data/mini/expected-2026-10.xml"
"$REVREPORT" -i "$top_srcdir/tests/data/mini" --month 2026-10 -o "$tmp/m" --company "Mini & Co" --quiet
ok $? "mini report renders"
if [ "${RR_UPDATE_GOLDEN:-}" = 1 ]; then norm "$tmp/m/report.xml" >"$golden"; fi
norm "$tmp/m/report.xml" | diff -u "$golden" - >"$tmp/diff"; r=$?
ok $r "report.xml matches tests/data/mini/expected-2026-10.xml"
[ $r -eq 0 ] || sed 's/^/# /' "$tmp/diff" | head -40
"$REVREPORT" -i "$top_srcdir/tests/data/mini" --month 2026-10 -o "$tmp/m2" --company "Mini & Co" --quiet
cmp -s "$tmp/m/report.xml" "$tmp/m2/report.xml"; ok $? "report.xml is reproducible byte for byte"
cmp -s "$tmp/m/report.html" "$tmp/m2/report.html"; ok $? "report.html is reproducible byte for byte"
cmp -s "$tmp/m/report.pdf" "$tmp/m2/report.pdf"; ok $? "report.pdf is reproducible byte for byte"
# the big-file path: touchpoints, leads and spend read in two halves on two
# threads (forced on small files, small reads) give the same figures as one sequential read
RR_CSV_SPLIT_MIN=1 RR_CSV_CHUNK=97 "$REVREPORT" -i "$top_srcdir/tests/data/mini" --month 2026-10 -o "$tmp/m3" --company "Mini & Co" --quiet
cmp -s "$tmp/m/report.xml" "$tmp/m3/report.xml"; ok $? "mini: report.xml read on two threads = read sequentially"
if [ -f "$top_srcdir/samples/opportunities.csv" ]; then
  "$REVREPORT" -i "$top_srcdir/samples" --month 2026-10 -o "$tmp/s1" --quiet
  RR_CSV_SPLIT_MIN=1 RR_CSV_CHUNK=4096 "$REVREPORT" -i "$top_srcdir/samples" --month 2026-10 -o "$tmp/s2" --quiet
  cmp -s "$tmp/s1/report.xml" "$tmp/s2/report.xml"; ok $? "sample: report.xml read on two threads = read sequentially"
  # a split read's checksum is computed on a thread of its own after the read
  # returns, and waited for by the appendix: the same pages, and sha256sum's sums
  cmp -s "$tmp/s1/report.pdf" "$tmp/s2/report.pdf"; ok $? "sample: report.pdf read on two threads = read sequentially"
  sums_ok=0
  for f in touchpoints leads spend opportunities; do
    want=$(sha256sum "$top_srcdir/samples/$f.csv" | cut -c1-64)
    grep -q "<file name=\"$f.csv\" [^>]*sha256=\"$want\"" "$tmp/s2/report.xml" || { echo "# $f.csv: not $want"; sums_ok=1; }
  done
  ok $sums_ok "sample read on two threads: report.xml's checksums are sha256sum's"
  RR_CSV_HASH_HOLD=1 RR_CSV_SPLIT_MIN=1 "$REVREPORT" -i "$top_srcdir/samples" --month 2026-10 -o "$tmp/s4" --quiet
  cmp -s "$tmp/s1/report.xml" "$tmp/s4/report.xml"; ok $? "sample: the sums all left to the appendix (RR_CSV_HASH_HOLD=1): same report.xml"
  RR_CSV_LIBCSV=1 "$REVREPORT" -i "$top_srcdir/samples" --month 2026-10 -o "$tmp/s3" --quiet
  cmp -s "$tmp/s1/report.xml" "$tmp/s3/report.xml"; ok $? "sample: report.xml with the fast line splitter = with libcsv alone"
fi
if command -v xmllint >/dev/null; then
  xmllint --noout --schema "$top_srcdir/docs/figures.xsd" "$tmp/m/report.xml" 2>"$tmp/x"; ok $? "mini report.xml is valid against docs/figures.xsd"
  if [ -d "$top_srcdir/samples" ] && [ -f "$top_srcdir/samples/opportunities.csv" ]; then
    "$REVREPORT" -i "$top_srcdir/samples" --month 2026-10 -o "$tmp/s" --quiet
    ok $? "sample report renders"
    xmllint --noout --schema "$top_srcdir/docs/figures.xsd" "$tmp/s/report.xml" 2>"$tmp/x"; ok $? "sample report.xml is valid"
    "$REVREPORT" -i "$top_srcdir/samples" --quarter 2026Q3 -o "$tmp/q" --quiet
    xmllint --noout --schema "$top_srcdir/docs/figures.xsd" "$tmp/q/report.xml" 2>"$tmp/x"; ok $? "quarterly report.xml is valid"
  else
    skip "no samples/"
  fi
else
  skip "xmllint not installed (apt-get install libxml2-utils)"
fi
echo "1..$n"
[ "$fail" -eq 0 ]
