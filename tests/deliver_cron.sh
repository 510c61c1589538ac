#!/bin/bash
# deliver_cron.sh: packaging/crontab.example as shipped, run the way Debian
# 12's cron runs it (on the server's clock, CRON_TZ ignored), with a fake
# clock (REVREPORT_NOW).  A Tokyo server at "0 6 1 * *" is still the last day
# of the month in UTC: the run must send last month in report.timezone, or
# refuse; it must never send the month before (issue: the CMO got September's
# report for October).  The archive line runs monthly and archives each
# fiscal quarter once (TAP).
set -u
: "${REVREPORT:?}" "${top_srcdir:?}"
samples="$top_srcdir/samples"
data="$top_srcdir/tests/data/deliver"
cron="$top_srcdir/packaging/crontab.example"
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"; }
trap cleanup EXIT
n=0; fail=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail+1)); fi; }
PY=python3; [ -x /usr/bin/python3 ] && PY=/usr/bin/python3
if [ ! -e /usr/share/zoneinfo/Asia/Tokyo ]; then echo "1..1"; echo "ok 1 # SKIP tzdata is not installed"; exit 0; fi
unset SOURCE_DATE_EPOCH REVREPORT_SMTP_PASSWORD

# the two jobs of the example, as shipped
grep -v '^[[:space:]]*#' "$cron" | grep -v '^[[:space:]]*$' | grep -v '^[A-Z_]*=' >"$tmp/jobs"
ok $(( $(wc -l <"$tmp/jobs") != 2 )) "the example has two jobs"
! grep -q '^CRON_TZ' "$cron"; ok $? "the example does not rely on CRON_TZ (Debian's cron ignores it)"
send_line=$(grep ' send ' "$tmp/jobs"); arch_line=$(grep ' archive ' "$tmp/jobs")
[ "$(echo "$send_line" | awk '{print $1,$2,$3,$4,$5}')" = "0 6 1 * *" ]; ok $? "send: 06:00 on the 1st"
[ "$(echo "$arch_line" | awk '{print $1,$2,$3,$4,$5}')" = "0 7 5 * *" ]; ok $? "archive: 07:00 on the 5th of every month"

# a state folder laid out as docs/delivery.md says, and a mail server on loopback
state="$tmp/state"; mkdir -p "$state/exports" "$state/out" "$state/archive" "$tmp/etc"
cp "$samples"/*.csv "$state/exports/"
have_smtp=0
if "$PY" -c "import aiosmtpd" 2>/dev/null; then
  mkdir -p "$tmp/box"
  "$PY" "$data/smtpd.py" "$tmp/box" "$tmp/port" 2>"$tmp/smtpd.log" & pids+=($!)
  for i in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
  [ -s "$tmp/port" ] && have_smtp=1
fi
port=$(cat "$tmp/port" 2>/dev/null || echo 1)
conf() {   # conf [extra lines...]: the settings file of the example
  { echo "mail.from = Kestrel Reports <reports@kestrel.example>"
    echo "mail.to = cmo@kestrel.example"
    echo "mail.smtp_url = smtp://127.0.0.1:$port"
    echo "mail.starttls = false"
    echo "mail.retry_window = 0"
    for l in "$@"; do echo "$l"; done; } >"$tmp/etc/revreport.conf"
}
# run a job line (fields 6..) as cron would, at the server-local time $2 in zone $1
job() {
  local zone=$1 when=$2 line=$3
  local now; now=$(TZ=$zone date -d "$when" +%s)
  local cmd; cmd=$(echo "$line" | cut -d' ' -f6- | sed -e "s|/usr/local/bin/revreport|$REVREPORT|" \
        -e "s|/etc/revreport/revreport.conf|$tmp/etc/revreport.conf|" -e "s|/var/lib/revreport|$state|g")
  (cd "$state" && env TZ="$zone" REVREPORT_NOW="$now" bash -c "$cmd") >"$tmp/out" 2>"$tmp/err"
  echo $? >"$tmp/rc"
}
rc() { cat "$tmp/rc"; }
period() { grep -o 'period="[^"]*"' "$1" | head -1; }

# 1. Tokyo server, report.timezone = Asia/Tokyo: 2026-11-01 06:00 JST is 2026-10-31 21:00 UTC
conf "report.timezone = Asia/Tokyo"
job Asia/Tokyo "2026-11-01 06:00" "$send_line"
ok $(( $(rc) != 0 )) "Tokyo server, report.timezone = Asia/Tokyo: the job succeeds"
[ "$(period "$state/out/monthly/report.xml")" = 'period="2026-10"' ]; ok $? "... with October's report (not September's)"
if [ $have_smtp = 1 ]; then
  subj=$("$PY" -c 'import email,sys
from email.header import decode_header, make_header
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
print(str(make_header(decode_header(m["Subject"]))))' "$tmp/box/1.eml" 2>/dev/null)
  case "$subj" in *"October 2026"*) ok 0 "... e-mailed: the subject names October 2026";;
    *) ok 1 "... e-mailed: the subject names October 2026 (got '$subj')";; esac
else ok 0 "# SKIP python3-aiosmtpd missing"; fi

# 2. the same server with report.timezone left at UTC: still October 31st in UTC -> refused, nothing sent
rm -rf "$state/out/monthly" "$state/out/monthly.sent"; rm -f "$tmp/box/"*
conf
job Asia/Tokyo "2026-11-01 06:00" "$send_line"
ok $(( $(rc) != 5 )) "Tokyo server, report.timezone = UTC: refused (exit 5), not September"
grep -q "ambiguous now: it is 2026-10-31 21:00 in UTC (report.timezone) but already 2026-11-01 06:00 on this server's clock" "$tmp/err"
ok $? "... saying why"
[ ! -e "$state/out/monthly/report.xml" ] && [ -z "$(ls "$tmp/box")" ]; ok $? "... nothing written, nothing sent"

# 3. a UTC server and a zone behind UTC: 06:00 UTC on the 1st is still Oct 31 in Los Angeles
conf "report.timezone = America/Los_Angeles"
job UTC "2026-11-01 06:00" "$send_line"
ok $(( $(rc) != 5 )) "UTC server, report.timezone = America/Los_Angeles at 06:00 UTC: refused"
grep -q "already 2026-11-01 06:00 in UTC" "$tmp/err"; ok $? "... 'already November in UTC'"
job UTC "2026-11-01 09:00" "$send_line"
ok $(( $(rc) != 0 )) "... at 09:00 UTC (01:00 in Los Angeles) it runs"
[ "$(period "$state/out/monthly/report.xml")" = 'period="2026-10"' ]; ok $? "... October"

# 4. an unknown zone is a configuration error, not silently UTC
conf "report.timezone = Asia/Tokio"
job UTC "2026-11-01 09:00" "$send_line"
ok $(( $(rc) != 5 )) "report.timezone = Asia/Tokio (typo): exit 5"
grep -q "not a time zone of this system" "$tmp/err"; ok $? "... saying so"

# 5. the archive line: monthly, each fiscal quarter once
conf "report.timezone = Asia/Tokyo"
job Asia/Tokyo "2026-10-05 07:00" "$arch_line"
ok $(( $(rc) != 0 )) "archive on 2026-10-05: exit 0"
[ -s "$state/archive/2026/Q3/MANIFEST.sha256" ]; ok $? "... 2026Q3 archived"
before=$(sha256sum "$state/archive/2026/Q3/MANIFEST.sha256")
job Asia/Tokyo "2026-11-05 07:00" "$arch_line"
ok $(( $(rc) != 0 )) "archive on 2026-11-05 (Q3 already archived): exit 0"
[ "$before" = "$(sha256sum "$state/archive/2026/Q3/MANIFEST.sha256")" ]; ok $? "... and the archive unchanged"
# a fiscal year from February (report.fiscal_year_start, was only an option): Q3 of FY2027 is Aug-Oct 2026
conf "report.timezone = Asia/Tokyo" "report.fiscal_year_start = 2"
job Asia/Tokyo "2026-11-05 07:00" "$arch_line"
ok $(( $(rc) != 0 )) "report.fiscal_year_start = 2: the run on 2026-11-05 archives"
grep -q 'period="2027Q3"' "$state/archive/2027/Q3/report.xml" 2>/dev/null; ok $? "... FY2027 Q3 (Aug-Oct 2026), in the month after it ended"

# every unit's Documentation= names a file `make install` installs ($(docdir) = /usr/local/share/doc/revreport)
for u in "$top_srcdir"/packaging/*.service; do
  for d in $(grep '^Documentation=' "$u" | sed 's/^Documentation=//'); do
    f=${d#file:///usr/local/share/doc/revreport/}
    grep -q "^dist_doc_DATA = .*$f" "$top_srcdir/Makefile.am"; ok $? "$(basename "$u"): Documentation= $f is installed (dist_doc_DATA)"
  done
done
[ -e "$top_srcdir/packaging/revreport-archive.timer" ] && grep -q '^OnCalendar=\*-\*-05 ' "$top_srcdir/packaging/revreport-archive.timer"
ok $? "a systemd timer for the quarterly archive, monthly on the 5th"

echo "1..$n"
[ $fail -eq 0 ]
