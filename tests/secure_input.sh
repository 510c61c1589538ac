#!/bin/bash
# secure_input.sh: hostile inputs (issue 19 items 6 and 8, TAP): links out of
# the input folder are refused unless input.follow_links allows them and
# nothing of the target is echoed; FIFOs and devices are refused at once
# (inputs and profiles); a 100 kB name is refused quickly; terminal escape
# sequences from cells are shown escaped in errors.
set -u
: "${REVREPORT:?}" "${top_srcdir:?}"
n=0; fail=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail+1)); fi; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1793491200
fresh() { rm -rf "$tmp/in"; cp -r "$top_srcdir/tests/data/mini" "$tmp/in"; rm -f "$tmp/in"/expected-*; }
run() { timeout 20 "$REVREPORT" -i "$tmp/in" --month 2026-10 -o "$tmp/out" --quiet "$@" >"$tmp/stdout" 2>"$tmp/err"; echo $? >"$tmp/rc"; }
rc() { cat "$tmp/rc"; }
printf 'root:$6$SECRETHASH.abc:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n' >"$tmp/shadow"

# --- 6. links out of the input folder -------------------------------------
fresh; ln -s "$tmp/shadow" "$tmp/in/leak.csv"
run
[ "$(rc)" -eq 3 ]; ok $? "an export that links out of the input folder is refused (exit $(rc), 3 expected)"
grep -q "outside the input folder" "$tmp/err"; ok $? "the error says the link leaves the folder"
! grep -q SECRET "$tmp/err" "$tmp/stdout"; ok $? "nothing of the target is echoed"
fresh; mv "$tmp/in/leads.csv" "$tmp/leads.csv"; cp "$tmp/shadow" "$tmp/leads.csv"; ln -s "$tmp/leads.csv" "$tmp/in/leads.csv"
run
[ "$(rc)" -eq 3 ] && ! grep -q SECRET "$tmp/err"; ok $? "a canonical file linking out is refused too, nothing echoed"
fresh; mkdir "$tmp/in/real"; mv "$tmp/in/campaigns.csv" "$tmp/in/real/"; ln -s real/campaigns.csv "$tmp/in/campaigns.csv"
run
[ "$(rc)" -eq 0 ]; ok $? "a link that stays inside the input folder is read (exit $(rc))"
fresh; cp "$tmp/in/leads.csv" "$tmp/leads2.csv"; rm "$tmp/in/leads.csv"; ln -s "$tmp/leads2.csv" "$tmp/in/leads.csv"
run --set input.follow_links=true
[ "$(rc)" -eq 0 ]; ok $? "input.follow_links = true reads a link out of the folder (exit $(rc))"
fresh; cp "$tmp/shadow" "$tmp/in/leads.csv"
run
! grep -q SECRET "$tmp/err"; ok $? "a header that is no CSV header is not echoed in the missing-column error"
grep -q "lead_id" "$tmp/err"; ok $? "... the missing column is named"

# --- terminal escapes in errors -------------------------------------------
fresh; sed -i "2s/10000/1\x1b]0;pwned\x07\x1b[2J/" "$tmp/in/opportunities.csv"
run --strict
! grep -q $'\x1b' "$tmp/err"; ok $? "no raw ESC from a cell reaches the terminal (exit $(rc))"
grep -q '\\x1B' "$tmp/err"; ok $? "the escape is shown as \\x1B"

# --- 8. FIFOs, devices, bounded reads, long names -------------------------
fresh; rm "$tmp/in/leads.csv"; mkfifo "$tmp/in/leads.csv"
s=$(date +%s); run; e=$(date +%s)
[ "$(rc)" -eq 3 ] && [ $((e - s)) -lt 15 ]; ok $? "a FIFO as an input is refused at once (exit $(rc), $((e - s)) s)"
grep -q "named pipe" "$tmp/err"; ok $? "the error says it is a named pipe"
fresh; mkfifo "$tmp/in/x.profile"
s=$(date +%s); run; e=$(date +%s)
[ "$(rc)" -ne 124 ] && [ "$(rc)" -ne 0 ] && [ $((e - s)) -lt 15 ]; ok $? "a FIFO as a profile does not hang (exit $(rc))"
fresh; ln -s /dev/zero "$tmp/in/zero.profile"
s=$(date +%s); run; e=$(date +%s)
[ "$(rc)" -ne 124 ] && [ "$(rc)" -ne 0 ] && [ $((e - s)) -lt 15 ]; ok $? "a profile linked to /dev/zero does not loop (exit $(rc))"
fresh; name=$(head -c 100000 /dev/zero | tr '\0' 'X')
echo "2026-10-16,$name,C1,10,USD" >>"$tmp/in/spend.csv"
s=$(date +%s%N); run; e=$(date +%s%N)
[ "$(rc)" -eq 3 ] && [ $(( (e - s) / 1000000 )) -lt 5000 ]; ok $? "a 100 kB channel name is refused quickly (exit $(rc), $(( (e - s) / 1000000 )) ms)"
grep -q "field 'channel'" "$tmp/err" && [ "$(wc -c <"$tmp/err")" -lt 1000 ]; ok $? "the error names the field and does not echo the name"
echo "1..$n"
[ "$fail" -eq 0 ]
