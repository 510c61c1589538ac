#!/bin/bash
# input_exports.sh: every export fixture of tests/data/exports/ (one per
# profile and per encoding / number / date variant, made by make-fixtures.sh)
# gives the same report.xml figures as the same data written canonically.
# Per case: folder A = base/ + the export, folder B = base/ + canonical/*.csv;
# the figures of both reports must be identical, and the export must have
# been read through the expected profile with every data row used.
set -u
: "${REVREPORT:?}" "${top_srcdir:?}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0; fail=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail+1)); fi; }
export SOURCE_DATE_EPOCH=1793491200
ex="$top_srcdir/tests/data/exports"
figs() { grep '<figure ' "$1" | grep -v ' file="' | sort; }
stat_of() {   # stat_of REPORT METRIC FILE -> value
    grep "metric=\"$2\"" "$1" | grep -F "file=\"$3\"" | sed -E 's/.*value="([0-9.]+)".*/\1/' | sed 's/\.0*$//'
}
# case  profile  rows-used  footer-rows  extra options
while read -r case profile used footer opts; do
    d="$ex/$case"
    exp=$(cd "$d" && ls | grep -v '^canonical$')
    table=$(ls "$d/canonical")
    [ -d "$tmp/$case" ] && case="$case+"   # a second run of a case, with options
    mkdir -p "$tmp/$case/A" "$tmp/$case/B"
    for f in "$ex"/base/*.csv; do
        [ "$(basename "$f")" = "$table" ] && continue
        cp "$f" "$tmp/$case/A/"; cp "$f" "$tmp/$case/B/"
    done
    cp "$d/$exp" "$tmp/$case/A/"
    cp "$d/canonical/$table" "$tmp/$case/B/"
    [ "$opts" = - ] && opts=
    # shellcheck disable=SC2086
    "$REVREPORT" -i "$tmp/$case/A" --month 2026-10 -o "$tmp/$case/outA" --quiet $opts 2>"$tmp/errA"
    ok $? "$case: export renders $(head -c 300 "$tmp/errA")"
    "$REVREPORT" -i "$tmp/$case/B" --month 2026-10 -o "$tmp/$case/outB" --quiet 2>"$tmp/errB"
    ok $? "$case: canonical equivalent renders $(head -c 300 "$tmp/errB")"
    ra="$tmp/$case/outA/report.xml" rb="$tmp/$case/outB/report.xml"
    grep -qF "<td>$exp</td><td>$profile</td>" "$tmp/$case/outA/report.html" 2>/dev/null ||
        grep -qF ">$profile<" "$tmp/$case/outA/report.html"
    ok $? "$case: read through profile $profile"
    u=$(stat_of "$ra" input_rows_used "$exp"); r=$(stat_of "$ra" input_rows_rejected "$exp")
    fo=$(stat_of "$ra" input_rows_footer "$exp")
    [ "$u" = "$used" ] && [ "$r" = 0 ] && [ "$fo" = "$footer" ]
    ok $? "$case: $used rows used (got ${u:-none}), none rejected (${r:-none}), $footer footer rows (${fo:-none})"
    nf=$(figs "$ra" | wc -l)
    figs "$ra" >"$tmp/fa"; figs "$rb" >"$tmp/fb"
    diff "$tmp/fb" "$tmp/fa" >"$tmp/diff"; r=$?
    [ "$nf" -gt 50 ] || r=1
    ok $r "$case: the $nf figures equal the canonical equivalent's"
    [ $r -eq 0 ] || sed 's/^/# /' "$tmp/diff" | head -20
done <<'CASES'
salesforce_cp932 salesforce_opportunities 4 3 -
salesforce_cp1252 salesforce_opportunities 3 1 -
hubspot_deals_gb18030 hubspot_deals 4 0 -
hubspot_deals_pipelines hubspot_deals 4 0 -
hubspot_contacts_utf8 hubspot_contacts 4 0 -
google_ads_utf16 google_ads 5 2 -
linkedin_cp1251 linkedin_ads 4 1 -
meta_bom_nbsp meta_ads 4 1 -
linkedin_cp1251 linkedin_ads 4 1 --encoding=campaign_performance_report.csv=CP1251
hubspot_deals_gb18030 hubspot_deals 4 0 --encoding=GB18030
meta_bom_nbsp meta_ads 4 1 --profile=Meta-Ads-Oct-2026.csv=meta_ads --date-order=dmy
google_ads_default google_ads 3 2 -
meta_default meta_ads 3 0 -
amocrm_deals_utf8 amocrm_deals 4 0 -
bitrix24_deals_cp1251 bitrix24_deals 3 0 -
yandex_direct_utf8 yandex_direct 4 1 -
yahoo_japan_cp932 yahoo_japan_ads 4 1 -
baidu_gb18030 baidu 4 1 -
google_ads_ja_utf8 google_ads 3 2 -
google_ads_zh_utf8 google_ads 3 2 -
bitrix24_latin_cp1251 bitrix24_deals 7 0 -
baidu_gbk_names baidu 3 1 -
CASES
# the same export downloaded twice ("Campaign report (1).csv"): read once, with
# a warning, so the figures equal one copy's; a copy with one byte changed
# is a different file and is read
d="$ex/google_ads_utf16"; exp=$(cd "$d" && ls | grep -v '^canonical$')
mkdir -p "$tmp/twice"; cp "$ex"/base/*.csv "$tmp/twice/"; rm -f "$tmp/twice/$(ls "$d/canonical")"
cp "$d/$exp" "$tmp/twice/"; cp "$d/$exp" "$tmp/twice/${exp%.csv} (1).csv"
"$REVREPORT" -i "$tmp/twice" --month 2026-10 -o "$tmp/twice-out" --quiet 2>"$tmp/err"
ok $? "the same export twice: renders $(head -c 200 "$tmp/err")"
figs "$tmp/twice-out/report.xml" >"$tmp/f2"; figs "$tmp/google_ads_utf16/outA/report.xml" >"$tmp/f1"
diff -q "$tmp/f1" "$tmp/f2" >/dev/null; ok $? "the same export twice: the figures of one copy"
grep -qF "${exp%.csv} (1).csv and $exp hold the same bytes: read once" "$tmp/twice-out/report.xml"
ok $? "the same export twice: a warning names both files"
# a Salesforce report without an Opportunity ID column: the profile reads the
# name as the id; two accounts' "Renewal 2026" are two deals, a repeated row
# (same name and account) is one
mkdir -p "$tmp/noid"; cp "$ex"/base/*.csv "$tmp/noid/"; rm -f "$tmp/noid/opportunities.csv"
printf '%s\r\n' '"Opportunity Owner","Account Name","Opportunity Name","Stage","Amount Currency","Amount","Close Date","Created Date"' \
  '"Ann","Acme Corp","Renewal 2026","Closed Won","USD","10,000.00","10/5/2026","9/1/2026"' \
  '"Bob","Globex","Renewal 2026","Closed Won","USD","20,000.00","10/14/2026","9/2/2026"' \
  '"Bob","Globex","Renewal 2026","Closed Won","USD","20,000.00","10/14/2026","9/2/2026"' >"$tmp/noid/Opportunity Report.csv"
"$REVREPORT" -i "$tmp/noid" --month 2026-10 -o "$tmp/noid-out" --quiet 2>"$tmp/err"
ok $? "Salesforce report without an id column: renders $(head -c 200 "$tmp/err")"
grep -q '<figure metric="won_revenue" period="2026-10" unit="USD" value="30000.0000"/>' "$tmp/noid-out/report.xml"
ok $? "without an id column: Acme's and Globex's 'Renewal 2026' both count (30,000), the repeated row once"
grep -qF "Opportunity Report.csv has no opportunity id column: deals are told apart by their name and account" \
  "$tmp/noid-out/report.xml"; ok $? "without an id column: the notes say how deals are told apart"
echo "1..$n"
[ $fail -eq 0 ]
