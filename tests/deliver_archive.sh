#!/bin/bash
# deliver_archive.sh: `revreport archive` and `revreport verify` (TAP).
# Checked independently with sha256sum(1) and diff/cmp: the manifest, the
# copies of the inputs, byte-identical archives from two runs, no overwrite.
set -u
: "${REVREPORT:?}" "${top_srcdir:?}"
samples="$top_srcdir/samples"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0; fail=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail+1)); fi; }
export SOURCE_DATE_EPOCH=1793512800
arc() { "$REVREPORT" archive -i "$samples" --quiet "$@" >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/rc"; }
rc() { cat "$tmp/rc"; }

arc --quarter 2026Q3 --into "$tmp/a"
ok $(( $(rc) != 0 )) "archive 2026Q3 exits 0"
q="$tmp/a/2026/Q3"
for f in report.pdf report.html report.xml MANIFEST.sha256; do [ -s "$q/$f" ]; ok $? "archive holds $f"; done
(cd "$samples" && ls *.csv) >"$tmp/want"; (cd "$q/inputs" && ls) >"$tmp/got"
cmp -s "$tmp/want" "$tmp/got"; ok $? "inputs/ holds every input CSV"
same=0; for f in $(cat "$tmp/want"); do cmp -s "$samples/$f" "$q/inputs/$f" || same=1; done
ok $same "the copies are byte-identical to the inputs"
(cd "$q" && sha256sum -c --quiet MANIFEST.sha256); ok $? "sha256sum -c accepts the manifest"
(cd "$q" && find . -type f ! -name MANIFEST.sha256 | sed 's|^\./||' | sort) >"$tmp/files"
cut -c67- "$q/MANIFEST.sha256" >"$tmp/listed"
cmp -s "$tmp/files" "$tmp/listed"; ok $? "the manifest lists every file, sorted"
ls -A "$tmp/a/2026" | grep -q staging; ok $(( $? == 0 )) "no staging folder left"
grep -q 'period="2026Q3"' "$q/report.xml"; ok $? "report.xml is the 2026Q3 report"
"$REVREPORT" verify "$q" >"$tmp/vout"; ok $? "verify: a fresh archive passes"
grep -q "11 files match" "$tmp/vout"; ok $? "verify counts the 11 files"

# reproducible: a second archive elsewhere is identical file by file
arc --quarter 2026Q3 --into "$tmp/b"
diff -r "$q" "$tmp/b/2026/Q3" >/dev/null; ok $? "two runs give byte-identical archives (diff -r)"
if command -v pdfinfo >/dev/null; then
  pdfinfo "$q/report.pdf" >"$tmp/info" 2>&1
  grep -q "^CreationDate: *Sun Nov  1 06:00:00 2026" "$tmp/info"; ok $? "PDF creation date from SOURCE_DATE_EPOCH"
  grep -q "^Title: *Quarterly revenue marketing report" "$tmp/info"; ok $? "PDF title set"
else
  ok 0 "# SKIP pdfinfo missing"; ok 0 "# SKIP pdfinfo missing"
fi

# the archival PDF: PDF/A-1b identification, sRGB output intent, fonts embedded
if command -v pdfinfo >/dev/null && command -v pdffonts >/dev/null; then
  pdfinfo -meta "$q/report.pdf" >"$tmp/meta" 2>"$tmp/metaerr"
  grep -q "pdfaid:part='1' pdfaid:conformance='B'" "$tmp/meta"; ok $? "XMP metadata claims PDF/A-1b"
  [ ! -s "$tmp/metaerr" ]; ok $? "poppler reads the PDF without a warning"
  grep -aq "/OutputIntents" "$q/report.pdf"; ok $? "an output intent"
  pdffonts "$q/report.pdf" 2>/dev/null | awk 'NR>2 && $(NF-4) != "yes" {bad=1} END {exit bad}'; ok $? "every font embedded"
  ! grep -aq "/SMask" "$q/report.pdf"; ok $? "no soft masks (transparency is not allowed in PDF/A-1)"
  arc --quarter 2026Q3 --into "$tmp/att" --set archive.attach_inputs=true
  pdfdetach -list "$tmp/att/2026/Q3/report.pdf" >"$tmp/att.list" 2>&1
  grep -q "^$(ls "$samples"/*.csv | wc -l) embedded files" "$tmp/att.list"; ok $? "archive.attach_inputs: every CSV attached"
  pdfdetach -save 3 -o "$tmp/att3" "$tmp/att/2026/Q3/report.pdf" 2>/dev/null
  cmp -s "$tmp/att3" "$samples/$(ls "$samples" | grep '\.csv$' | sed -n 3p)"; ok $? "... an attachment extracts to the same bytes"
  ! grep -q "pdfaid" <(pdfinfo -meta "$tmp/att/2026/Q3/report.pdf" 2>/dev/null); ok $? "... and no PDF/A-1 claim then"
else
  for i in 1 2 3 4 5 6 7 8; do ok 0 "# SKIP poppler-utils missing"; done
fi

# PDF/A-1b clause by clause (tests/data/deliver/checkpdfa.py; no validator in Debian 12)
PY=python3; [ -x /usr/bin/python3 ] && PY=/usr/bin/python3
pyok() { while IFS= read -r l; do case "$l" in "ok - "*) ok 0 "${l#ok - }";; "not ok - "*) ok 1 "${l#not ok - }";; *) echo "# $l";; esac; done; }
pyok < <("$PY" "$top_srcdir/tests/data/deliver/checkpdfa.py" "$q/report.pdf" 2>&1)
arc --quarter 2026Q3 --into "$tmp/pj" --lang ja
pyok < <("$PY" "$top_srcdir/tests/data/deliver/checkpdfa.py" "$tmp/pj/2026/Q3/report.pdf" 2>&1 | sed 's/^\(not \)\{0,1\}ok - /&ja: /')
# without the sRGB profile there is no output intent: then no PDF/A claim at all
arc --quarter 2026Q3 --into "$tmp/pn" --set archive.icc_profile=/nonexistent/sRGB.icc
ok $(( $(rc) != 0 )) "archive.icc_profile missing: the archive is still written"
pyok < <("$PY" "$top_srcdir/tests/data/deliver/checkpdfa.py" "$tmp/pn/2026/Q3/report.pdf" noclaim 2>&1)

# never overwrite
before=$(sha256sum "$q/MANIFEST.sha256")
arc --quarter 2026Q3 --into "$tmp/a"
ok $(( $(rc) != 4 )) "a second archive of 2026Q3 is refused: exit 4"
grep -q "already archived" "$tmp/err"; ok $? "... saying it is already archived"
[ "$before" = "$(sha256sum "$q/MANIFEST.sha256")" ]; ok $? "... and the archive is unchanged"
arc --quarter 2026Q3 --into "$tmp/a" --force
ok $(( $(rc) != 0 )) "--force replaces it"
prev=$(ls -d "$tmp/a/2026/"Q3.previous-* 2>/dev/null | head -1)
[ -n "$prev" ] && [ -s "$prev/MANIFEST.sha256" ]; ok $? "... keeping the earlier one as Q3.previous-*"
"$REVREPORT" verify --quiet "$prev"; ok $? "... which still verifies"

# verify finds tampering, missing and extra files
cp -r "$q" "$tmp/t"
printf 'x' >>"$tmp/t/report.pdf"
"$REVREPORT" verify "$tmp/t" >"$tmp/vout" 2>"$tmp/err"; ok $(( $? != 3 )) "verify: a changed file exits 3"
grep -q "^MISMATCH report.pdf" "$tmp/vout"; ok $? "... naming report.pdf"
rm "$tmp/t/inputs/fx.csv"; echo note >"$tmp/t/notes.txt"
"$REVREPORT" verify "$tmp/t" >"$tmp/vout" 2>"$tmp/err"
grep -q "^MISSING inputs/fx.csv" "$tmp/vout"; ok $? "verify: a missing file is named"
grep -q "^EXTRA notes.txt" "$tmp/vout"; ok $? "verify: a file not in the manifest is named"
grep -q "3 problems" "$tmp/err"; ok $? "verify: counts 3 problems"
"$REVREPORT" verify "$tmp" 2>/dev/null; ok $(( $? != 4 )) "verify: a folder without a manifest exits 4"

# checksums instead of copies
arc --quarter 2026Q3 --into "$tmp/c" --set archive.inputs=checksums
ok $(( $(rc) != 0 )) "archive.inputs=checksums"
[ ! -e "$tmp/c/2026/Q3/inputs" ]; ok $? "... no copies"
(cd "$samples" && sha256sum *.csv) >"$tmp/sums"
cmp -s "$tmp/sums" "$tmp/c/2026/Q3/inputs.sha256"; ok $? "... inputs.sha256 equals sha256sum of the inputs"

# modes: CRM exports are not for every account on the server (archive.file_mode)
umask 022
arc --quarter 2026Q3 --into "$tmp/m"
bad=$(find "$tmp/m/2026/Q3" -type f ! -perm 0640 | head -1); [ -z "$bad" ]; ok $? "archived files are 0640 (not 0644)${bad:+: $bad}"
bad=$(find "$tmp/m/2026/Q3" -type d ! -perm 0750 | head -1); [ -z "$bad" ]; ok $? "archived folders are 0750${bad:+: $bad}"
arc --quarter 2026Q3 --into "$tmp/m6" --set archive.file_mode=0600
[ "$(stat -c %a "$tmp/m6/2026/Q3/inputs/leads.csv") $(stat -c %a "$tmp/m6/2026/Q3/inputs")" = "600 700" ]
ok $? "archive.file_mode = 0600: files 600, folders 700"
arc --quarter 2026Q3 --into "$tmp/m7" --set archive.file_mode=0755; ok $(( $(rc) != 5 )) "archive.file_mode = 0755 (execute bits): exit 5"
# no lock file left behind (the year folder itself is locked)
[ -z "$(ls -A "$tmp/m/2026" | grep -v '^Q3$')" ]; ok $? "nothing but Q3 in the year folder (no .Q3.lock)"
# mail configured: report.eml (the recipients' addresses) is not archived
arc --quarter 2026Q3 --into "$tmp/e1" --set mail.to=ceo@kestrel.example --set mail.from=r@kestrel.example
[ ! -e "$tmp/e1/2026/Q3/report.eml" ] && ! grep -q "report.eml" "$tmp/e1/2026/Q3/MANIFEST.sha256"; ok $? "with mail.to set, no report.eml in the archive"
# --force swaps the two folders in one step: Q3 never disappears
if command -v strace >/dev/null && strace -f -o /dev/null true 2>/dev/null; then
  strace -f -e trace=rename,renameat,renameat2 -o "$tmp/trace" "$REVREPORT" archive -i "$samples" --quiet \
    --quarter 2026Q3 --into "$tmp/m" --force 2>/dev/null
  grep -q 'renameat2(.*"\.Q3\.staging-[0-9]*", .*"Q3", RENAME_EXCHANGE) = 0' "$tmp/trace"; ok $? "--force: one renameat2(RENAME_EXCHANGE) puts the new Q3 in place"
  ! grep -E 'rename(at2?)?\(.*"Q3", .*previous' "$tmp/trace" | grep -qv staging; ok $? "... the old one is never moved away first"
  "$REVREPORT" verify --quiet "$tmp/m/2026/Q3" && "$REVREPORT" verify --quiet "$(ls -d "$tmp/m/2026/"Q3.previous-* | head -1)"
  ok $? "... both the new Q3 and Q3.previous-* verify"
else
  for i in 1 2 3; do ok 0 "# SKIP strace cannot trace here"; done
fi

# usage errors
arc --month 2026-10 --into "$tmp/d"; ok $(( $(rc) != 2 )) "archive of a month: exit 2"
"$REVREPORT" archive -i "$samples" --quarter 2026Q3 2>/dev/null; ok $(( $? != 2 )) "archive without --into: exit 2"
"$REVREPORT" -i "$samples" --into "$tmp/e" 2>/dev/null; ok $(( $? != 2 )) "--into outside archive: exit 2"

echo "1..$n"
[ $fail -eq 0 ]
