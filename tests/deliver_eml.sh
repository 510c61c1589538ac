#!/bin/bash
# deliver_eml.sh: report.eml checked by an independent MIME parser (Python's
# email package) and xmllint; size limit; reproducibility; the run lock (TAP).
set -u
: "${REVREPORT:?}" "${top_srcdir:?}"
samples="$top_srcdir/samples"
check="$top_srcdir/tests/data/deliver/checkeml.py"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0; fail=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail+1)); fi; }
PY=python3; [ -x /usr/bin/python3 ] && PY=/usr/bin/python3
export SOURCE_DATE_EPOCH=1793512800   # 2026-11-01 06:00 UTC
mail=(--set "mail.to=CEO <ceo@kestrel.example>, cfo@kestrel.example" --set "mail.from=Kestrel Reports <reports@kestrel.example>"
      --set "mail.cc=cmo@kestrel.example" --set "mail.reply_to=analytics@kestrel.example")
# python's checks print TAP lines without numbers: renumber them
pyok() { while IFS= read -r l; do case "$l" in "ok - "*) ok 0 "${l#ok - }";; "not ok - "*) ok 1 "${l#not ok - }";; *) echo "# $l";; esac; done; }

"$REVREPORT" -i "$samples" --month 2026-10 -o "$tmp/a" --quiet "${mail[@]}" 2>"$tmp/err"
ok $? "report with mail.to set renders"
[ -s "$tmp/a/report.eml" ]; ok $? "report.eml written beside report.pdf"
[ "$(ls -A "$tmp/a" | sort | tr '\n' ' ')" = "report.eml report.html report.pdf report.xml " ]
ok $? "nothing else left in the folder (no lock or staging files)"
pyok < <("$PY" "$check" "$tmp/a/report.eml" "$tmp/a/report.pdf" 1 2>&1)
grep -q "^Cc: cmo@kestrel.example" "$tmp/a/report.eml"; ok $? "Cc header"
grep -q "^Reply-To: analytics@kestrel.example" "$tmp/a/report.eml"; ok $? "Reply-To header"

# the same inputs and options give the same bytes
"$REVREPORT" -i "$samples" --month 2026-10 -o "$tmp/b" --quiet "${mail[@]}"
cmp -s "$tmp/a/report.eml" "$tmp/b/report.eml"; ok $? "report.eml is byte-identical on a second run"

# over the size limit: the PDF is left out and the bodies say so
"$REVREPORT" -i "$samples" --month 2026-10 -o "$tmp/c" --quiet "${mail[@]}" --set mail.max_bytes=700000
ok $? "report with a 700 KB limit renders"
sz=$(stat -c %s "$tmp/c/report.eml"); [ "$sz" -le 700000 ]; ok $? "message within the limit ($sz bytes)"
pyok < <("$PY" "$check" "$tmp/c/report.eml" "$tmp/c/report.pdf" 0 2>&1)
"$REVREPORT" -i "$samples" --month 2026-10 -o "$tmp/d" --quiet "${mail[@]}" --set mail.max_bytes=20000 2>"$tmp/err"
[ $? -eq 5 ]; ok $? "too large even without the PDF: exit 5"
grep -q "even without the PDF" "$tmp/err"; ok $? "... and says so"
[ ! -e "$tmp/d/report.pdf" ]; ok $? "... and writes nothing"

# without mail.to no e-mail; mail.to without mail.from is a configuration error
"$REVREPORT" -i "$samples" --month 2026-10 -o "$tmp/e" --quiet; [ ! -e "$tmp/e/report.eml" ]
ok $? "no mail.to, no report.eml"
"$REVREPORT" -i "$samples" --month 2026-10 -o "$tmp/f" --quiet --set mail.to=a@b.example 2>"$tmp/err"
[ $? -eq 5 ] && grep -q "mail.from" "$tmp/err"; ok $? "mail.to without mail.from: exit 5 naming mail.from"

# the lock: a second run on the same output folder fails at once, clearly
mkdir -p "$tmp/l"
flock "$tmp/l" sleep 3 & holder=$!
for i in $(seq 50); do flock -n "$tmp/l" true 2>/dev/null || break; sleep 0.1; done
"$REVREPORT" -i "$samples" --month 2026-10 -o "$tmp/l" --quiet 2>"$tmp/err"
rc=$?
wait "$holder"
[ $rc -eq 4 ]; ok $? "a concurrent run on the same folder exits 4"
grep -q "another revreport run" "$tmp/err"; ok $? "... saying another run is writing it"
[ ! -e "$tmp/l/report.pdf" ]; ok $? "... and writes nothing"
"$REVREPORT" -i "$samples" --month 2026-10 -o "$tmp/l" --quiet; ok $? "the folder is free again once the other run ended"

echo "1..$n"
[ $fail -eq 0 ]
