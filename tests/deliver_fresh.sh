#!/bin/bash
# deliver_fresh.sh: the freshness gate (docs/delivery.md "Fresh inputs").  The
# samples end 2026-10-31: the November run must not reach leadership as a
# collapse.  send/archive refuse it (exit 7, naming each file and its last
# date); report shows a banner on page 1 of the HTML and the PDF (TAP).
set -u
: "${REVREPORT:?}" "${top_srcdir:?}"
samples="$top_srcdir/samples"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0; fail=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail+1)); fi; }
export SOURCE_DATE_EPOCH=1796104800   # 2026-12-01 06:00 UTC
mail=(--set mail.to=cmo@kestrel.example --set mail.from=reports@kestrel.example --set mail.starttls=false
      --set mail.timeout=2 --set mail.retry_window=0)
# a closed port: a send that passes the gate fails to connect (exit 4), never silently succeeds
closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

"$REVREPORT" send -i "$samples" --month 2026-11 -o "$tmp/s" --quiet "${mail[@]}" \
  --set "mail.smtp_url=smtp://127.0.0.1:$closed" 2>"$tmp/err"
ok $(( $? != 7 )) "send of November with exports ending 2026-10-31: exit 7"
for f in opportunities.csv leads.csv touchpoints.csv spend.csv; do
  grep -q "$f (latest activity 2026-10-31)" "$tmp/err"; ok $? "... names $f and its last date"
done
grep -q "do not cover 2026-11, which runs to 2026-11-30" "$tmp/err"; ok $? "... and the period's end"
[ ! -e "$tmp/s/report.pdf" ] && [ ! -e "$tmp/s/report.eml" ]; ok $? "... and writes nothing"

"$REVREPORT" send -i "$samples" --month 2026-11 -o "$tmp/s2" --quiet "${mail[@]}" --allow-stale \
  --set "mail.smtp_url=smtp://127.0.0.1:$closed" 2>"$tmp/err"
ok $(( $? != 4 )) "--allow-stale: past the gate (the closed port then gives exit 4)"
grep -q "Stale data" "$tmp/s2/report.html"; ok $? "... and the report carries the banner"
"$REVREPORT" send -i "$samples" --month 2026-11 -o "$tmp/s3" --quiet "${mail[@]}" --set report.allow_stale=true \
  --set "mail.smtp_url=smtp://127.0.0.1:$closed" 2>/dev/null
ok $(( $? != 4 )) "report.allow_stale = true does the same"
"$REVREPORT" send -i "$samples" --month 2026-11 -o "$tmp/s4" --quiet "${mail[@]}" --set report.max_data_age_days=31 \
  --set "mail.smtp_url=smtp://127.0.0.1:$closed" 2>/dev/null
ok $(( $? != 4 )) "report.max_data_age_days = 31 tolerates a 30-day gap"
"$REVREPORT" send -i "$samples" --month 2026-11 -o "$tmp/s5" --quiet "${mail[@]}" --set report.max_data_age_days=-1 \
  --set "mail.smtp_url=smtp://127.0.0.1:$closed" 2>"$tmp/err"
ok $(( $? != 5 )) "report.max_data_age_days = -1: exit 5"

"$REVREPORT" archive -i "$samples" --quarter 2026Q4 --into "$tmp/a" --quiet 2>"$tmp/err"
ok $(( $? != 7 )) "archive of 2026Q4 (inputs end in October): exit 7"
[ -z "$(ls -A "$tmp/a/2026" 2>/dev/null | grep -v '^\.Q4\.lock$')" ]; ok $? "... and no quarter folder"

# an open opportunity's expected close date in the future is not activity
cp -r "$samples" "$tmp/in"
echo 'OPP-999999,ACC-00001,Future deal,new_business,Proposal,false,false,50000,USD,40,Pipeline,2026-10-30,2026-12-20,Ann Lee,Webinars,CMP-016' \
  >>"$tmp/in/opportunities.csv"
"$REVREPORT" send -i "$tmp/in" --month 2026-11 -o "$tmp/s6" --quiet "${mail[@]}" \
  --set "mail.smtp_url=smtp://127.0.0.1:$closed" 2>"$tmp/err"
ok $(( $? != 7 )) "an open deal expected to close 2026-12-20 does not make November fresh"
grep -q "opportunities.csv (latest activity 2026-10-31)" "$tmp/err"; ok $? "... opportunities.csv still ends 2026-10-31"

# report (interactive): a banner on page 1 of both, exit 0
"$REVREPORT" -i "$samples" --month 2026-11 -o "$tmp/r" --quiet 2>"$tmp/err"
ok $? "report of November: exit 0"
grep -q '<aside class="rr-banner" role="alert">Stale data: the exports do not cover the whole period, which runs to 2026-11-30. opportunities.csv ends 2026-10-31;' "$tmp/r/report.html"
ok $? "... the HTML opens with the banner"
awk '/rr-banner/{b=NR} /rr-toc/{t=NR} END{exit !(b && t && b < t)}' "$tmp/r/report.html"; ok $? "... before the contents"
if command -v pdftotext >/dev/null; then
  pdftotext -f 1 -l 1 "$tmp/r/report.pdf" - | tr '\n' ' ' >"$tmp/p1"
  grep -q "Stale data: the exports do not cover" "$tmp/p1"; ok $? "... the PDF's page 1 (the cover) carries it"
  grep -q "spend.csv ends 2026-10-31" "$tmp/p1"; ok $? "... naming the files"
else
  ok 0 "# SKIP pdftotext missing"; ok 0 "# SKIP pdftotext missing"
fi
"$REVREPORT" -i "$samples" --month 2026-11 -o "$tmp/j" --quiet --lang ja 2>/dev/null
grep -q 'データが古い' "$tmp/j/report.html"; ok $? "... in the report's language (ja)"

# a covered period: no banner
"$REVREPORT" -i "$samples" --month 2026-10 -o "$tmp/o" --quiet
! grep -q "<aside class=\"rr-banner\"" "$tmp/o/report.html"; ok $? "October (covered): no banner"
"$REVREPORT" send -i "$samples" --month 2026-10 -o "$tmp/o2" --quiet "${mail[@]}" \
  --set "mail.smtp_url=smtp://127.0.0.1:$closed" 2>/dev/null
ok $(( $? != 4 )) "send of October passes the gate"

echo "1..$n"
[ $fail -eq 0 ]
