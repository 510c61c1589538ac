#!/bin/bash
# cli.sh: the command line and its error paths (TAP).
# Every bad input must give a message naming file, line, column and field,
# a non-zero exit, and leave the output folder as it was.
set -u
: "${REVREPORT:?}" "${top_srcdir:?}"
mini="$top_srcdir/tests/data/mini"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0; fail=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail+1)); fi; }
run() { "$REVREPORT" "$@" >"$tmp/stdout" 2>"$tmp/stderr"; echo $? >"$tmp/rc"; }
rc() { cat "$tmp/rc"; }

run --help;    ok $(( $(rc) != 0 )) "--help exits 0"
grep -q -- "--quarter" "$tmp/stdout"; ok $? "--help documents --quarter"
grep -q "Exit status" "$tmp/stdout"; ok $? "--help documents exit codes"
run --version; ok $(( $(rc) != 0 )) "--version exits 0"
grep -q "^revreport [0-9]" "$tmp/stdout"; ok $? "--version prints the version"
run --bogus;   ok $(( $(rc) != 2 )) "unknown option exits 2"
run -i "$mini" --month 2026-13 -o "$tmp/o"; ok $(( $(rc) != 2 )) "bad month exits 2"
grep -q "expected YYYY-MM" "$tmp/stderr"; ok $? "bad month says what is expected"
run -i "$mini" --month 2026-10 --quarter 2026Q4 -o "$tmp/o"; ok $(( $(rc) != 2 )) "two periods exit 2"
run -i "$mini" --paper a3 -o "$tmp/o"; ok $(( $(rc) != 2 )) "bad paper size exits 2"
run -i "$mini" --lang xx --month 2026-10 -o "$tmp/o"; ok $(( $(rc) != 2 )) "unknown language exits 2"

# a good run writes the three files and nothing else
run -i "$mini" --month 2026-10 -o "$tmp/good" --company "Mini & Co"
ok $(( $(rc) != 0 )) "mini report renders"
for f in report.html report.pdf report.xml; do
  [ -s "$tmp/good/$f" ]; ok $? "wrote $f"
done
[ "$(ls -A "$tmp/good" | wc -l)" -eq 3 ]; ok $? "no staging files left behind"
run -i "$mini" --quarter 2026Q4 -o "$tmp/q"; ok $(( $(rc) != 0 )) "quarterly report renders"
# a second run replaces the set and keeps files that are not the report's
cp -r "$tmp/good" "$tmp/again"; echo "mine" >"$tmp/again/notes.txt"
run -i "$mini" --month 2026-09 -o "$tmp/again" --company "Mini & Co"
ok $(( $(rc) != 0 )) "second run into the same folder"
[ "$(cat "$tmp/again/notes.txt")" = mine ]; ok $? "a foreign file in the output folder is kept"
grep -q 'period="2026-09"' "$tmp/again/report.xml"; ok $? "and the report set is the new one"
[ -z "$(ls -A "$tmp" | grep staging)" ]; ok $? "no staging folder left beside the output folder"

# error paths: copy the fixture, break one thing, check message, exit code, no output
bad() { # name, file, sed-expression, expected-exit, grep-pattern
  rm -rf "$tmp/in" "$tmp/out"; cp -r "$mini" "$tmp/in"; mkdir -p "$tmp/out"; echo previous >"$tmp/out/report.html"
  sed -i "$3" "$tmp/in/$2"
  run -i "$tmp/in" --month 2026-10 -o "$tmp/out"
  ok $(( $(rc) != $4 )) "$1: exit $4"
  grep -q -- "$5" "$tmp/stderr"; ok $? "$1: message names the place ($5)"
  [ "$(cat "$tmp/out/report.html")" = previous ] && [ ! -e "$tmp/out/report.pdf" ] && \
    [ "$(ls -A "$tmp/out" | wc -l)" -eq 1 ]
  ok $? "$1: previous report kept, nothing written"
}
bad "bad amount"    opportunities.csv '2s/,10000,/,10 000x,/' 3 "opportunities.csv:2:8: field 'amount': not an amount"
bad "bad date"      opportunities.csv '4s/2026-07-01/2026-02-30/' 3 "opportunities.csv:4:12: field 'created_date': not a date"
bad "bad boolean"   opportunities.csv '2s/,true,true,/,true,maybe,/' 3 ":2:7: field 'is_won': not a boolean"
bad "missing column" opportunities.csv '1s/close_date/closing/' 3 "opportunities.csv:1: field 'close_date': required column missing"
bad "short row"     touchpoints.csv '3s/,O1,opportunity_created$//' 3 "touchpoints.csv:3:7: expected 8 fields"
bad "bad timestamp" touchpoints.csv '2s/2026-07-10T09:00:00Z/2026-07-10T9am/' 3 "touchpoints.csv:2:2: field 'timestamp'"
bad "unclosed quote" campaigns.csv '3s/Data Leaders/"Data Leaders/' 3 "campaigns.csv:3"
bad "missing fx rate" fx.csv '/EUR/d' 3 "no exchange rate for EUR in 2026-10"
bad "unknown milestone" touchpoints.csv '2s/lead_created/lead_create/' 3 "field 'milestone': unknown milestone"
# spend.csv is read on a thread of its own beside the files before it: its error is still reported
# as in a sequential read, and an error in an earlier file wins over it
bad "bad spend amount" spend.csv '2s/,1000,/,1k0x,/' 3 "spend.csv:2:4: field 'amount': not an amount"
rm -rf "$tmp/in" "$tmp/out"; cp -r "$mini" "$tmp/in"
sed -i '2s/,1000,/,1k0x,/' "$tmp/in/spend.csv"; sed -i '2s/2026-07-10T09:00:00Z/2026-07-10T9am/' "$tmp/in/touchpoints.csv"
run -i "$tmp/in" --month 2026-10 -o "$tmp/out"
ok $(( $(rc) != 3 )) "errors in touchpoints.csv and spend.csv: exit 3"
grep -q "touchpoints.csv:2:2: field 'timestamp'" "$tmp/stderr" && ! grep -q "spend.csv" "$tmp/stderr"
ok $? "errors in touchpoints.csv and spend.csv: the first file's error (touchpoints) is reported, as read in order"
rm -rf "$tmp/in" "$tmp/out"; cp -r "$mini" "$tmp/in"; rm "$tmp/in/opportunities.csv"
run -i "$tmp/in" --month 2026-10 -o "$tmp/out"; ok $(( $(rc) != 3 )) "missing opportunities.csv: exit 3"
grep -q "opportunities.csv: required input file not found" "$tmp/stderr"; ok $? "missing file is named"
[ ! -e "$tmp/out/report.pdf" ]; ok $? "missing file: nothing written"
# a line break inside a quoted field keeps line numbers right
rm -rf "$tmp/in"; cp -r "$mini" "$tmp/in"
sed -i '2s/Acme platform/"Acme\nplatform"/' "$tmp/in/opportunities.csv"
sed -i '5s/2026-07-01/2026-07-xx/' "$tmp/in/opportunities.csv"
run -i "$tmp/in" --month 2026-10 -o "$tmp/out"
grep -q "opportunities.csv:5:12:" "$tmp/stderr"; ok $? "line numbers count newlines inside quoted fields"
# CRLF and a BOM are fine
rm -rf "$tmp/in"; cp -r "$mini" "$tmp/in"
sed -i 's/$/\r/' "$tmp/in/opportunities.csv"; printf '\357\273\277' | cat - "$mini/spend.csv" >"$tmp/in/spend.csv"
run -i "$tmp/in" --month 2026-10 -o "$tmp/crlf"; ok $(( $(rc) != 0 )) "CRLF and UTF-8 BOM accepted"
diff <(sed -n '/<figures>/,$p' "$tmp/good/report.xml") <(sed -n '/<figures>/,$p' "$tmp/crlf/report.xml") >/dev/null
ok $? "same figures from CRLF + BOM input"
# only opportunities: still renders, says what was left out
rm -rf "$tmp/in"; mkdir "$tmp/in"; cp "$mini/opportunities.csv" "$mini/fx.csv" "$tmp/in/"
run -i "$tmp/in" --month 2026-10 -o "$tmp/min"; ok $(( $(rc) != 0 )) "opportunities only: renders"
grep -q "spend.csv was not provided" "$tmp/min/report.xml"; ok $? "left-out sections are stated"
# a link to a file that is gone (an unmounted share) is an i/o error naming
# the link and its target, not a left-out section
rm -rf "$tmp/in" "$tmp/out"; cp -r "$mini" "$tmp/in"; rm -f "$tmp/in/leads.csv"
ln -s /nonexistent-share/leads.csv "$tmp/in/leads.csv"
run -i "$tmp/in" --month 2026-10 -o "$tmp/out"
ok $(( $(rc) != 4 )) "dangling leads.csv link: exit 4 (got $(rc))"
grep -q "leads.csv: is a link to /nonexistent-share/leads.csv, which cannot be opened" "$tmp/stderr"
ok $? "dangling link: named with its target"
[ ! -e "$tmp/out" ]; ok $? "dangling link: nothing written"
# an input folder that does not exist, or is a file, is named as such
run -i "$tmp/no-such-folder" --month 2026-10 -o "$tmp/out"
ok $(( $(rc) != 3 )) "missing input folder: exit 3 (got $(rc))"
grep -q "no-such-folder: input folder not found" "$tmp/stderr"; ok $? "missing input folder: said so"
run -i "$mini/opportunities.csv" --month 2026-10 -o "$tmp/out"
grep -q "opportunities.csv: not a folder" "$tmp/stderr"; ok $? "input that is a file: said so"
# the output folder keeps its mode (setgid, group) across runs; one its owner
# made read-only is refused and left as it is; a file is not a folder
rm -rf "$tmp/od"; mkdir "$tmp/od"; chmod 2750 "$tmp/od"
run -i "$mini" --month 2026-10 -o "$tmp/od"
ok $(( $(rc) != 0 )) "output folder with mode 2750: written"
[ "$(stat -c %a "$tmp/od")" = 2750 ]; ok $? "output folder keeps mode 2750 (now $(stat -c %a "$tmp/od"))"
chmod u-w,g-w "$tmp/od"; ino=$(stat -c %i "$tmp/od"); mode=$(stat -c %a "$tmp/od"); sum=$(cksum <"$tmp/od/report.xml")
run -i "$mini" --month 2026-09 -o "$tmp/od"
ok $(( $(rc) != 4 )) "read-only output folder: exit 4 (got $(rc))"
grep -q "output folder is read-only (mode $mode)" "$tmp/stderr"; ok $? "read-only output folder: said so (mode $mode)"
[ "$(stat -c %i "$tmp/od")" = "$ino" ] && [ "$(stat -c %a "$tmp/od")" = "$mode" ] && [ "$(cksum <"$tmp/od/report.xml")" = "$sum" ]
ok $? "read-only output folder: left as it was (same folder, mode, report)"
chmod 755 "$tmp/od"
: >"$tmp/plainfile"
run -i "$mini" --month 2026-10 -o "$tmp/plainfile"
ok $(( $(rc) != 4 )) "output path that is a file: exit 4 (got $(rc))"
grep -q "plainfile: is a file, not a folder" "$tmp/stderr"; ok $? "output path that is a file: said so"
# a period the inputs do not reach: a report, but one that says so first
run -i "$mini" --month 2031-05 -o "$tmp/empty-period"
ok $(( $(rc) != 0 )) "a period with no data: renders (exit $(rc))"
grep -q "nothing in the inputs falls in the report's period (2031-05 to 2031-05).*the inputs cover 20[0-9-]* to 20[0-9-]*" \
  "$tmp/empty-period/report.xml"; ok $? "a period with no data: the report says so, with the months the inputs cover"
! grep -q "nothing in the inputs falls" "$tmp/od/report.xml"; ok $? "a period with data: no such warning"
# leads appended twice: each repeated lead_id counted once, as a sequential
# read and a read in parts agree, with a warning naming the lines
rm -rf "$tmp/in"; cp -r "$top_srcdir/samples" "$tmp/in"; rm -f "$tmp/in"/README*
grep ",2026-10" "$top_srcdir/samples/leads.csv" | head -20 >>"$tmp/in/leads.csv"
for parts in 1 3; do
  RR_CSV_THREADS=$parts RR_CSV_SPLIT_MIN=1 run -i "$tmp/in" --month 2026-10 -o "$tmp/dup$parts"
  grep -q '<figure metric="leads" period="2026-10" unit="count" value="1233"/>' "$tmp/dup$parts/report.xml"
  ok $? "20 repeated October leads ($parts part(s)): October still has 1233 leads"
  grep -q "leads.csv: 20 rows repeat the lead_id of an earlier row (the first at line 20106" "$tmp/dup$parts/report.xml"
  ok $? "repeated leads ($parts part(s)): warning names the first repeat's line"
  grep -q '<file name="leads.csv" rows="[0-9]*" rows-used="[0-9]*" rows-skipped="20"' "$tmp/dup$parts/report.xml"
  ok $? "repeated leads ($parts part(s)): the file's line in the appendix counts them as skipped"
done
# a record quoted in an error shows bytes that are not UTF-8 as \xNN, never raw
run -i "$top_srcdir/tests/malformed/invalid_utf8/in" --month 2026-10 -o "$tmp/bad8"
grep -qF 'record: O1,A1,Caf\xE9 \xFF\xFE,' "$tmp/stderr" && iconv -f UTF-8 -t UTF-8 "$tmp/stderr" >/dev/null
ok $? "invalid UTF-8 in an error's record: shown as \\xNN, and the message is valid UTF-8"
# "paid  search" in spend.csv is the channel "Paid Search" of the other files:
# the figures equal the sample's, and the notes say which spelling was read as which
rm -rf "$tmp/in"; cp -r "$top_srcdir/samples" "$tmp/in"; rm -f "$tmp/in"/README*
sed -i '2,200s/,Paid Search,/,paid  search,/' "$tmp/in/spend.csv"
run -i "$tmp/in" --month 2026-10 -o "$tmp/fold"; ok $(( $(rc) != 0 )) "a channel spelt in lower case: renders"
run -i "$top_srcdir/samples" --month 2026-10 -o "$tmp/fold-base"
diff <(grep '<figure ' "$tmp/fold-base/report.xml") <(grep '<figure ' "$tmp/fold/report.xml") >/dev/null
ok $? "a channel spelt 'paid  search' in spend.csv: every figure equals the sample's"
grep -q "channel &quot;paid  search&quot; is read as &quot;Paid Search&quot;" "$tmp/fold/report.xml"
ok $? "a channel spelt otherwise: the notes say how it was read"
echo "1..$n"
[ "$fail" -eq 0 ]
