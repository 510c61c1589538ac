#!/bin/bash
# deliver_retry.sh: `revreport send` against local SMTP servers that fail:
# temporary failures are retried with backoff and the message arrives once;
# a period is never sent twice (sent-marker); a connection dropped after the
# final "." is a probable delivery, not a failure; 5xx ends at once; header
# and SMTP-command injection, long To: lines, credentials in the URL and AUTH
# in clear to a non-loopback address are refused (TAP).
set -u
: "${REVREPORT:?}" "${top_srcdir:?}"
samples="$top_srcdir/samples"
data="$top_srcdir/tests/data/deliver"
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"; }
trap cleanup EXIT
n=0; fail=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail+1)); fi; }
PY=python3; [ -x /usr/bin/python3 ] && PY=/usr/bin/python3
if ! "$PY" -c "import aiosmtpd" 2>/dev/null; then
  echo "1..1"; echo "ok 1 # SKIP python3-aiosmtpd is not installed"; exit 0
fi
export SOURCE_DATE_EPOCH=1793512800
unset REVREPORT_SMTP_PASSWORD
start() {   # start NAME MODE: a server; sets port
  mkdir -p "$tmp/$1"
  "$PY" "$data/smtpd.py" "$tmp/$1" "$tmp/$1.port" "$2" 2>"$tmp/$1.stderr" & pids+=($!)
  for i in $(seq 100); do [ -s "$tmp/$1.port" ] && break; sleep 0.1; done
  port=$(cat "$tmp/$1.port" 2>/dev/null || echo 1)
}
base=(--set "mail.from=Kestrel Reports <reports@kestrel.example>" --set mail.starttls=false --set mail.timeout=5
      --set mail.retry_delay=1 --set mail.retry_window=30)
send() { "$REVREPORT" send -i "$samples" --month 2026-10 --quiet "${base[@]}" "$@" >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/rc"; }
rc() { cat "$tmp/rc"; }
count() { ls "$tmp/$1" 2>/dev/null | grep -c '\.eml$'; }
lines() { grep -c "$2" "$tmp/$1/log" 2>/dev/null; }

# 1. fails twice (451 after DATA), then accepts: exactly one message
start flaky flaky
t0=$(date +%s)
send -o "$tmp/o1" --set mail.to=cmo@kestrel.example --set "mail.smtp_url=smtp://127.0.0.1:$port"
t1=$(date +%s)
ok $(( $(rc) != 0 )) "a server failing twice with 451: send exits 0"
ok $(( $(count flaky) != 1 )) "... exactly one message delivered"
ok $(( $(lines flaky '^451') != 2 )) "... after two temporary refusals"
[ $((t1 - t0)) -ge 3 ] && [ $((t1 - t0)) -lt 25 ]; ok $? "... with backoff 1 s then 2 s ($((t1 - t0)) s in all)"
ls "$tmp/o1.sent/"2026-10-*.sent >/dev/null 2>&1; ok $? "... and a sent-marker for 2026-10 beside the output folder"
cmp -s "$tmp/flaky/1.eml" "$tmp/o1/report.eml"; ok $? "... the message received is report.eml"

# 2. the rerun (a second timer firing, a manual retry) sends nothing
send -o "$tmp/o1" --set mail.to=cmo@kestrel.example --set "mail.smtp_url=smtp://127.0.0.1:$port"
ok $(( $(rc) != 0 )) "rerun for the same period and recipients: exit 0"
ok $(( $(count flaky) != 1 )) "... still one message"
ok $(( $(lines flaky '^250') != 1 )) "... no second transaction"
"$REVREPORT" send -i "$samples" --month 2026-10 "${base[@]}" -o "$tmp/o1" --set mail.to=cmo@kestrel.example \
  --set "mail.smtp_url=smtp://127.0.0.1:$port" >/dev/null 2>"$tmp/err2"
grep -q "2026-10 was already sent to these recipients" "$tmp/err2"; ok $? "... saying it was already sent"
send -o "$tmp/o1" --set "mail.to=cmo@kestrel.example, cfo@kestrel.example" --set "mail.smtp_url=smtp://127.0.0.1:$port"
ok $(( $(rc) != 0 || $(count flaky) != 2 )) "another recipient list is another marker: sent"

# 3. greylisting: 450 on RCPT is temporary
start grey greylist
send -o "$tmp/o3" --set mail.to=cmo@kestrel.example --set "mail.smtp_url=smtp://127.0.0.1:$port"
ok $(( $(rc) != 0 )) "450 on RCPT (greylisting): retried, exit 0"
ok $(( $(count grey) != 1 || $(lines grey '^450') != 1 )) "... one 450, then one message"
start grey2 greylist
send -o "$tmp/o3b" --set mail.to=cmo@kestrel.example --set "mail.smtp_url=smtp://127.0.0.1:$port" --set mail.retry_window=0
ok $(( $(rc) != 4 )) "450 with mail.retry_window = 0: exit 4 (temporary), not 5"
grep -q "deferred recipient <cmo@kestrel.example>: 450" "$tmp/err"; ok $? "... 'deferred recipient' with the reply"
[ ! -e "$tmp/o3b.sent" ]; ok $? "... and no sent-marker"

# 4. the connection drops after the final ".": delivered, not failed, never twice
start drop drop
send -o "$tmp/o4" --set mail.to=cmo@kestrel.example --set "mail.smtp_url=smtp://127.0.0.1:$port"
ok $(( $(rc) != 0 )) "dropped after the final '.': exit 0 (the server has the message)"
grep -q "warning: .*probably delivered" "$tmp/err"; ok $? "... with a warning, even with --quiet"
ok $(( $(count drop) != 1 )) "... one message received"
send -o "$tmp/o4" --set mail.to=cmo@kestrel.example --set "mail.smtp_url=smtp://127.0.0.1:$port"
ok $(( $(rc) != 0 || $(count drop) != 1 )) "... a rerun sends no second copy"

# 5. 554 after DATA: permanent, exit 5 (docs), no retry
start rej reject
send -o "$tmp/o5" --set mail.to=cmo@kestrel.example --set "mail.smtp_url=smtp://127.0.0.1:$port"
ok $(( $(rc) != 5 )) "554 after DATA: exit 5"
grep -q "refused the message: 554" "$tmp/err"; ok $? "... 'refused the message' with the reply"
ok $(( $(lines rej '^554') != 1 )) "... tried once"

# 6. injection: a line break in a header value or an envelope address
start inj plain
send -o "$tmp/o6" --set $'mail.to=cmo@kestrel.example\nBcc: spy@evil.example' --set "mail.smtp_url=smtp://127.0.0.1:$port"
ok $(( $(rc) != 5 )) "LF in mail.to: exit 5"
grep -q "field 'mail.to': control character 0x0A" "$tmp/err"; ok $? "... naming mail.to and the character"
[ ! -e "$tmp/o6/report.eml" ]; ok $? "... nothing written"
send -o "$tmp/o6" --set mail.to=cmo@kestrel.example --set $'mail.from=r@kestrel.example>\r\nRCPT TO:<injected@evil.example' \
  --set "mail.smtp_url=smtp://127.0.0.1:$port"
ok $(( $(rc) != 5 )) "CR LF in mail.from (an SMTP command): exit 5"
[ ! -s "$tmp/inj/log" ] && [ "$(count inj)" = 0 ]; ok $? "... the server saw no transaction"
"$REVREPORT" -i "$samples" --month 2026-10 -o "$tmp/o6b" --quiet --set mail.from=r@kestrel.example \
  --set $'mail.subject=Report\r\nBcc: spy@evil.example' --set mail.to=cmo@kestrel.example 2>"$tmp/err"
ok $(( $? != 5 )) "CR LF in mail.subject: exit 5"
"$REVREPORT" -i "$samples" --month 2026-10 -o "$tmp/o6c" --quiet --set mail.from=r@kestrel.example \
  --set mail.to=cmo@kestrel.example --company $'Kestrel\r\nBcc: spy@evil.example' 2>/dev/null
"$PY" -c 'import email,sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
sys.exit(1 if m["Bcc"] is not None or "spy" in str(m["Subject"]) and "\n" in str(m["Subject"]) else 0)' "$tmp/o6c/report.eml"
ok $? "a line break in the company name never makes a header"

# 7. 40 recipients: folded, no line over 78, all 40 parsed back
to=$(for i in $(seq 40); do printf 'Recipient %d <recipient%d@kestrel.example>, ' "$i" "$i"; done)
"$REVREPORT" -i "$samples" --month 2026-10 -o "$tmp/o7" --quiet --set mail.from=r@kestrel.example --set "mail.to=$to"
awk '{ sub(/\r$/, ""); if (length($0) > 78) bad = 1 } END { exit bad }' "$tmp/o7/report.eml"; ok $? "40 recipients: no line over 78 octets"
got=$("$PY" -c 'import email,sys
from email.utils import getaddresses
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
print(len(getaddresses(m.get_all("To"))))' "$tmp/o7/report.eml")
[ "$got" = 40 ]; ok $? "... the folded To: holds the 40 addresses ($got)"

# 8. credentials
send -o "$tmp/o8" --set mail.to=cmo@kestrel.example --set "mail.smtp_url=smtp://rr:Hunter2pw@127.0.0.1:$port"
ok $(( $(rc) != 5 )) "a password inside mail.smtp_url: exit 5"
! grep -q "Hunter2pw" "$tmp/err" "$tmp/out"; ok $? "... and it is printed nowhere"
[ ! -e "$tmp/o8/report.eml" ]; ok $? "... refused before the report is built"
# AUTH in clear to a non-loopback address: refused before connecting.  A listener on
# this machine's own non-loopback address counts connections.
ip=$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -E '^[0-9.]+$' | grep -v '^127\.' | head -1)
if [ -n "$ip" ]; then
  "$PY" -c 'import socket,sys,threading
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind((sys.argv[1], 0)); s.listen(5)
open(sys.argv[2] + ".tmp", "w").write(str(s.getsockname()[1])); import os; os.rename(sys.argv[2] + ".tmp", sys.argv[2])
s.settimeout(20)
try:
    while True:
        c, _ = s.accept(); open(sys.argv[3], "a").write("connection\n"); c.sendall(b"220 x ESMTP\r\n"); c.close()
except Exception:
    pass' "$ip" "$tmp/ext.port" "$tmp/ext.log" & pids+=($!)
  for i in $(seq 100); do [ -s "$tmp/ext.port" ] && break; sleep 0.1; done
  printf 's3cret\n' >"$tmp/pw"; chmod 600 "$tmp/pw"
  send -o "$tmp/o9" --set mail.to=cmo@kestrel.example --set "mail.smtp_url=smtp://$ip:$(cat "$tmp/ext.port")" \
    --set mail.user=rr --set "mail.password_file=$tmp/pw"
  ok $(( $(rc) != 5 )) "mail.starttls = false + mail.user to $ip (not loopback): exit 5"
  grep -q "password in clear to $ip, which is not a loopback address; refused before connecting" "$tmp/err"; ok $? "... saying why"
  [ ! -s "$tmp/ext.log" ]; ok $? "... and no connection was made"
else
  for i in 1 2 3; do ok 0 "# SKIP no non-loopback address on this machine"; done
fi

echo "1..$n"
[ $fail -eq 0 ]
