#!/bin/bash
# input_malformed.sh: revreport on every case of tests/malformed/ (truncated
# quote, wrong column count, invalid UTF-8, NUL bytes, empty file, header
# only, binary garbage, a profile with a syntax error, an unknown encoding,
# rejected rows and a data warning with and without --strict, ambiguous
# dates, options naming what does not exist) and on a 1 MB
# field: the documented exit code, a located message or a warning, no crash,
# and no report written when the run fails.  CI runs it under ASan+UBSan.
set -u
: "${REVREPORT:?}" "${top_srcdir:?}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0; fail=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail+1)); fi; }
run_case() {   # run_case NAME INPUT-DIR EXPECT-FILE
    local name=$1 in=$2 exp=$3 want args="" sre="" xre="" out="$tmp/out-$1"
    want=$(sed -n 's/^exit=//p' "$exp"); args=$(sed -n 's/^args=//p' "$exp")
    sre=$(sed -n 's/^stderr=//p' "$exp"); xre=$(sed -n 's/^xml=//p' "$exp")
    # shellcheck disable=SC2086
    "$REVREPORT" -i "$in" --month 2026-10 -o "$out" --quiet $args >"$tmp/so" 2>"$tmp/se"; local rc=$?
    [ "$rc" -eq "$want" ]; ok $? "$name: exit $want (got $rc) $(head -c 200 "$tmp/se" | tr '\n' ' ')"
    if [ "$want" -ne 0 ]; then
        [ ! -e "$out" ]; ok $? "$name: nothing written"
        grep -Eq -- "$sre" "$tmp/se"; ok $? "$name: message says so"
    else
        [ -s "$out/report.xml" ] && [ -s "$out/report.pdf" ]; ok $? "$name: report written"
        if [ -n "$xre" ]; then grep -Eq -- "$xre" "$out/report.xml"; ok $? "$name: warning in report.xml"; fi
    fi
}
for d in "$top_srcdir"/tests/malformed/*/; do
    c=$(basename "$d")
    run_case "$c" "$d/in" "$d/EXPECT"
done
# options that name what does not exist: usage errors (exit 2) naming the option
while IFS='|' read -r args re; do
    "$REVREPORT" -i "$top_srcdir/tests/malformed/rejected_rows/in" --month 2026-10 -o "$tmp/opt" --quiet $args 2>"$tmp/se"
    rc=$?
    [ $rc -eq 2 ] && grep -Eq -- "$re" "$tmp/se" && [ ! -e "$tmp/opt" ]
    ok $? "$args: exit 2 (got $rc), $(head -c 160 "$tmp/se")"
done <<'OPTS'
--date-order=xyz|--date-order 'xyz': expected dmy, mdy or ymd
--profile=meta.csv|--profile 'meta.csv': expected FILE=NAME
--profile=meta.csv=nosuch|--profile meta.csv=nosuch: no such profile
--profile=absent.csv=meta_ads|--profile absent.csv=meta_ads: no file absent.csv in
--encoding=CP-NOPE|--encoding CP-NOPE: unknown encoding
--set=input.date_order=xyz|input.date_order\) "xyz": expected dmy, mdy, ymd or auto
OPTS
# a 1 MB field, canonical and in an export: read, no crash
mkdir -p "$tmp/big"
big=$(head -c 1048576 /dev/zero | tr '\0' x)
{ echo "opportunity_id,account_id,name,is_closed,is_won,amount,created_date,close_date"
  echo "O1,A1,\"$big\",true,true,100,2026-09-01,2026-10-02"; } >"$tmp/big/opportunities.csv"
{ echo "Campaign name,Day,Amount spent (USD)"; echo "$big,2026-10-02,5"; } >"$tmp/big/meta.csv"
printf 'exit=0\nxml=metric="spend" period="2026-10" unit="USD" value="5.0000"\n' >"$tmp/big.expect"
run_case big_field "$tmp/big" "$tmp/big.expect"
echo "1..$n"
[ $fail -eq 0 ]
