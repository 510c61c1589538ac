#!/bin/bash
# deliver_smtp.sh: `revreport send` against a real SMTP server on 127.0.0.1
# (Debian's python3-aiosmtpd, tests/data/deliver/smtpd.py): the message
# arrives whole, with the envelope recipients; refused recipient, failed
# authentication, a server that never answers and a closed port each give a
# clear message, a non-zero exit and keep report.eml (TAP).
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
pyok() { while IFS= read -r l; do case "$l" in "ok - "*) ok 0 "${l#ok - }";; "not ok - "*) ok 1 "${l#not ok - }";; *) echo "# $l";; esac; done; }
# start a server: name, extra args; sets port
start() {
  mkdir -p "$tmp/$1"
  "$PY" "$data/smtpd.py" "$tmp/$1" "$tmp/$1.port" "${@:2}" 2>"$tmp/$1.log" & pids+=($!)
  for i in $(seq 100); do [ -s "$tmp/$1.port" ] && break; sleep 0.1; done
  port=$(cat "$tmp/$1.port" 2>/dev/null || echo 1)
}
mail=(--set "mail.from=Kestrel Reports <reports@kestrel.example>" --set mail.starttls=false --set mail.timeout=3
      --set mail.retry_window=0)
send() { "$REVREPORT" send -i "$samples" --month 2026-10 --quiet "${mail[@]}" "$@" >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/rc"; }
rc() { cat "$tmp/rc"; }

# 1. delivery with AUTH
start box auth
send -o "$tmp/o1" --set "mail.to=CEO <ceo@kestrel.example>, cfo@kestrel.example" --set mail.bcc=board@kestrel.example \
  --set "mail.smtp_url=smtp://127.0.0.1:$port" --set mail.user=rr --set "mail.password_file=$tmp/pw"
ok $(( $(rc) != 5 )) "a missing password file: exit 5"
printf 's3cret\n' >"$tmp/pw"; chmod 644 "$tmp/pw"
send -o "$tmp/o1" --set "mail.to=CEO <ceo@kestrel.example>, cfo@kestrel.example" --set mail.bcc=board@kestrel.example \
  --set "mail.smtp_url=smtp://127.0.0.1:$port" --set mail.user=rr --set "mail.password_file=$tmp/pw"
ok $(( $(rc) != 5 )) "a password file readable by others is refused: exit 5"
grep -q "chmod 600" "$tmp/err"; ok $? "... saying chmod 600"
chmod 600 "$tmp/pw"
send -o "$tmp/o1" --set "mail.to=CEO <ceo@kestrel.example>, cfo@kestrel.example" --set mail.bcc=board@kestrel.example \
  --set "mail.smtp_url=smtp://127.0.0.1:$port" --set mail.user=rr --set "mail.password_file=$tmp/pw"
ok $(( $(rc) != 0 )) "send with AUTH exits 0"
[ -s "$tmp/box/1.eml" ]; ok $? "the server received one message"
cmp -s "$tmp/box/1.eml" "$tmp/o1/report.eml"; ok $? "received bytes equal report.eml"
printf 'from reports@kestrel.example\nrcpt ceo@kestrel.example\nrcpt cfo@kestrel.example\nrcpt board@kestrel.example\n' >"$tmp/env.want"
cmp -s "$tmp/box/1.env" "$tmp/env.want"; ok $? "envelope: sender, To recipients and the Bcc"
! grep -qi "board@" "$tmp/box/1.eml"; ok $? "the Bcc address is not in the message"
[ -s "$data/checkeml.py" ] && pyok < <("$PY" "$data/checkeml.py" "$tmp/box/1.eml" "$tmp/o1/report.pdf" 1 2>&1)

# 2. failed authentication (password from the environment)
REVREPORT_SMTP_PASSWORD=wrong send -o "$tmp/o2" --set mail.to=ceo@kestrel.example \
  --set "mail.smtp_url=smtp://127.0.0.1:$port" --set mail.user=rr
ok $(( $(rc) != 5 )) "wrong password: exit 5"
grep -q "authentication failed" "$tmp/err"; ok $? "... 'authentication failed'"
! grep -q "wrong\|d3Jvbmc\|AHJy" "$tmp/err"; ok $? "... the password appears nowhere in the message"
[ -s "$tmp/o2/report.eml" ]; ok $? "... report.eml kept"
[ ! -e "$tmp/box/2.eml" ]; ok $? "... nothing delivered"

# 3. a refused recipient
start plain
send -o "$tmp/o3" --set "mail.to=ceo@kestrel.example, refused@kestrel.example" --set "mail.smtp_url=smtp://127.0.0.1:$port"
ok $(( $(rc) != 5 )) "refused recipient: exit 5"
grep -q "refused recipient <refused@kestrel.example>: 550" "$tmp/err"; ok $? "... names the recipient and the 550 reply"
[ ! -e "$tmp/plain/1.eml" ]; ok $? "... nothing delivered to the others either"
[ -s "$tmp/o3/report.eml" ]; ok $? "... report.eml kept"

# 4. a server that accepts the connection and never answers
"$PY" "$data/silent.py" "$tmp/silent.port" & pids+=($!)
for i in $(seq 100); do [ -s "$tmp/silent.port" ] && break; sleep 0.1; done
t0=$(date +%s)
send -o "$tmp/o4" --set mail.to=ceo@kestrel.example --set "mail.smtp_url=smtp://127.0.0.1:$(cat "$tmp/silent.port")"
t1=$(date +%s)
ok $(( $(rc) != 4 )) "silent server: exit 4"
grep -q "did not answer within 3 s" "$tmp/err"; ok $? "... says it timed out"
[ $((t1 - t0)) -lt 30 ]; ok $? "... within the timeout ($((t1 - t0)) s)"

# 5. a closed port
"$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' >"$tmp/closed"
send -o "$tmp/o5" --set mail.to=ceo@kestrel.example --set "mail.smtp_url=smtp://127.0.0.1:$(cat "$tmp/closed")"
ok $(( $(rc) != 4 )) "closed port: exit 4"
grep -q "cannot connect" "$tmp/err"; ok $? "... 'cannot connect'"

# 6. STARTTLS is required by default: a server without it is refused, nothing sent in clear
"$REVREPORT" send -i "$samples" --month 2026-10 --quiet -o "$tmp/o6" --set "mail.from=r@kestrel.example" \
  --set mail.to=ceo@kestrel.example --set "mail.smtp_url=smtp://127.0.0.1:$(cat "$tmp/plain.port")" --set mail.timeout=3 --set mail.retry_window=0 2>"$tmp/err"
ok $(( $? != 4 )) "no STARTTLS offered while required: exit 4"
grep -q "TLS" "$tmp/err"; ok $? "... says TLS failed"
[ ! -e "$tmp/plain/1.eml" ]; ok $? "... nothing delivered"

# 7. send without mail.to
"$REVREPORT" send -i "$samples" --month 2026-10 --quiet -o "$tmp/o7" 2>"$tmp/err"
ok $(( $? != 5 )) "send without mail.to: exit 5"

echo "1..$n"
[ $fail -eq 0 ]
