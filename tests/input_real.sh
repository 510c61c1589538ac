#!/bin/bash
# input_real.sh: exports as the tools write them by default, and the export
# mistakes that gave wrong figures with exit 0 (issue 16).  Each case writes
# a small export (made-up values, the tools' real column layouts and
# title/footer lines) into base/ and checks the figure it must give, the note
# it must carry, or the located error it must stop with.
set -u
: "${REVREPORT:?}" "${top_srcdir:?}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0; fail=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail+1)); fi; }
export SOURCE_DATE_EPOCH=1793491200
ex="$top_srcdir/tests/data/exports"
# fig REPORT METRIC -> the October 2026 value of a report-wide figure
fig() { grep "metric=\"$2\" period=\"2026-10\"" "$1" | grep -v ' file="' | head -1 | sed -E 's/.*value="([-0-9.]+)".*/\1/'; }
# folder NAME [TABLE-TO-DROP]: base files (fx, opportunities) without the canonical TABLE
folder() { rm -rf "$tmp/$1"; mkdir -p "$tmp/$1"; cp "$ex"/base/*.csv "$tmp/$1/"; [ -n "${2:-}" ] && rm -f "$tmp/$1/$2.csv"; :; }
run() { "$REVREPORT" -i "$tmp/$1" --month 2026-10 -o "$tmp/$1.out" --quiet "${@:2}" 2>"$tmp/$1.err"; }

# ---- 9225.225 is 9225.225: the decimal mark is decided per column, from all its values
folder dec opportunities
printf '%s\n' 'Record ID,Deal Name,Deal Stage,Amount,Close Date,Create Date,Associated Company,Deal currency code' \
  '1,A,Closed won,9225.225,2026-10-05,2026-09-01,Acme,USD' \
  '2,B,Closed won,1500.5,2026-10-06,2026-09-01,Globex,USD' \
  '3,C,Closed won,1234,2026-10-07,2026-09-01,Initech,USD' >"$tmp/dec/hubspot-crm-exports-deals.csv"
run dec; ok $? "decimal: renders $(head -c 200 "$tmp/dec.err")"
[ "$(fig "$tmp/dec.out/report.xml" won_revenue)" = 11959.7250 ]
ok $? "decimal: 9225.225 + 1500.5 + 1234 = 11959.725 won (was 9,225,225 + ...: got $(fig "$tmp/dec.out/report.xml" won_revenue))"
# a column whose every amount fits both readings: read, and said
folder dec2 opportunities
printf '%s\n' 'Record ID,Deal Name,Deal Stage,Amount,Close Date,Create Date,Associated Company,Deal currency code' \
  '1,A,Closed won,"1,250",2026-10-05,2026-09-01,Acme,USD' >"$tmp/dec2/hubspot-crm-exports-deals.csv"
run dec2; ok $? "decimal undecided: renders"
grep -q 'no amount of column amount tells whether its mark is a decimal or a thousands separator' "$tmp/dec2.out/report.xml"
ok $? "decimal undecided: the notes say so"
# a column with both a decimal point and a decimal comma: a located error
folder dec3 opportunities
printf '%s\n' 'Record ID,Deal Name,Deal Stage,Amount,Close Date,Create Date,Associated Company,Deal currency code' \
  '1,A,Closed won,"1,234.50",2026-10-05,2026-09-01,Acme,USD' '2,B,Closed won,"99,5",2026-10-05,2026-09-01,Acme,USD' \
  >"$tmp/dec3/hubspot-crm-exports-deals.csv"
run dec3; r=$?; [ $r -ne 0 ] && grep -q 'hubspot-crm-exports-deals.csv:3.*decimal comma, but line 2' "$tmp/dec3.err"
ok $? "decimal: point and comma in one column is an error naming both lines (exit $r) $(head -c 200 "$tmp/dec3.err")"

# ---- a duplicated column name: equal values are read (Google Ads' Currency code), different ones are an error
folder dup opportunities
printf '%s\n' 'Record ID,Deal Name,Deal Stage,Amount,Close Date,Create Date,Associated Company,Amount' \
  '1,A,Closed won,3.10,2026-10-05,2026-09-01,Acme,22500' >"$tmp/dup/hubspot-crm-exports-deals.csv"
run dup; r=$?
[ $r -ne 0 ] && grep -q 'hubspot-crm-exports-deals.csv:2:8: field .amount.*"Amount" twice (columns 4 and 8)' "$tmp/dup.err"
ok $? "duplicated Amount with different values: a located error (exit $r) $(head -c 200 "$tmp/dup.err")"
folder dup2 spend
printf '%s\n' 'Campaign report' '1 October 2026 - 31 October 2026' 'Campaign,Day,Currency code,Cost,Currency code' \
  'Brand,2026-10-01,USD,100.00,USD' 'Brand,2026-10-02,USD,50.00,USD' 'Total: Account,--,USD,150.00,USD' \
  >"$tmp/dup2/Campaign report.csv"
run dup2; ok $? "Currency code twice with equal values: renders $(head -c 200 "$tmp/dup2.err")"
[ "$(fig "$tmp/dup2.out/report.xml" spend)" = 150.0000 ]; ok $? "Currency code twice: spend 150"

# ---- more fields than the header (an unquoted comma in a name): rejected, located, not shifted
folder wide opportunities
printf '%s\n' 'Record ID,Deal Name,Deal Stage,Amount,Close Date,Create Date,Associated Company' \
  '1,A,Closed won,1000,2026-10-05,2026-09-01,Acme' '2,Smith, Jones and Co,Closed won,500,2026-10-05,2026-09-01,Acme' \
  >"$tmp/wide/hubspot-crm-exports-deals.csv"
run wide; ok $? "more fields than the header: renders"
[ "$(fig "$tmp/wide.out/report.xml" won_revenue)" = 1000.0000 ]; ok $? "more fields than the header: the row is not read shifted"
grep -q 'line 3: 8 fields where the header has 7' "$tmp/wide.out/report.xml"
ok $? "more fields than the header: the rejected row is named with its line"
run wide --strict; r=$?; [ $r -ne 0 ]; ok $? "more fields than the header: --strict stops (exit $r)"

# ---- footers by their shape: "Total Home Care" and "TotalEnergies SE" are rows
folder foot spend
printf '%s\n' 'Campaign report' 'October 1, 2026 - October 31, 2026' 'Campaign,Day,Currency code,Cost' \
  'Total Home Care,2026-10-01,USD,100.00' 'TotalEnergies SE,2026-10-02,USD,20.00' 'Brand,2026-10-03,USD,3.00' \
  'Total: Campaigns,--,USD,123.00' 'Total: Account,--,USD,123.00' >"$tmp/foot/Campaign report.csv"
run foot; ok $? "footers: renders"
[ "$(fig "$tmp/foot.out/report.xml" spend)" = 123.0000 ]
ok $? "footers: Total Home Care and TotalEnergies SE are read (spend 123, got $(fig "$tmp/foot.out/report.xml" spend))"
grep -q 'metric="input_rows_footer".*value="2' "$tmp/foot.out/report.xml"; ok $? "footers: the two Total: rows are footers"

# ---- --date-order dmy does not override a profile's own order (LinkedIn: M/D/YYYY)
folder li spend
cp "$ex/linkedin_cp1251/campaign_performance_report.csv" "$tmp/li/"
run li --date-order dmy; ok $? "--date-order dmy with LinkedIn: renders"
grep -q 'metric="input_rows_used" [^>]*file="campaign_performance_report.csv"[^>]*value="4' "$tmp/li.out/report.xml" ||
  grep -q 'metric="input_rows_used" [^>]*value="4[^>]*file="campaign_performance_report.csv"' "$tmp/li.out/report.xml"
ok $? "--date-order dmy with LinkedIn: the profile's M/D/YYYY wins, every row used"

# ---- the checksum of an export is its own SHA-256
folder sha spend
cp "$ex/google_ads_utf16/Campaign report.csv" "$tmp/sha/"
run sha; want=$(sha256sum "$tmp/sha/Campaign report.csv" | cut -d' ' -f1)
grep -q "<file name=\"Campaign report.csv\" [^>]*sha256=\"$want\"" "$tmp/sha.out/report.xml"
ok $? "an export's SHA-256 in report.xml is the file's ($want)"

# ---- the unknown-channel warning counts each row once
folder ch
printf '%s\n' 'Record ID,Lifecycle Stage,Create Date,Original Source' '1,lead,2026-10-01,ZZ_NOWHERE' \
  '2,lead,2026-10-02,ZZ_NOWHERE' >"$tmp/ch/hubspot-crm-exports-contacts.csv"
run ch; ok $? "unknown channel: renders"
grep -q 'hubspot-crm-exports-contacts.csv: 2 rows with a channel the channel map does not know' "$tmp/ch.out/report.xml"
ok $? "unknown channel: 2 rows counted (was 4) $(grep -o 'rows with a channel[^<]*' "$tmp/ch.out/report.xml" | head -1)"

# ---- deal types as the CRMs write them; unknown ones noted with counts
folder type opportunities
printf '%s\n' '"Opportunity Name","Account Name","Stage","Amount","Close Date","Created Date","Type","Amount Currency"' \
  '"A","Acme","Closed Won","1000","10/15/2026","9/1/2026","New Customer","USD"' \
  '"B","Globex","Closed Won","2000","10/6/2026","9/1/2026","Existing Customer - Upgrade","USD"' \
  '"C","Initech","Closed Won","4000","10/7/2026","9/1/2026","Partner Resale","USD"' \
  '"D","Hooli","Closed Won","8000","10/8/2026","9/1/2026","Partner Resale","USD"' >"$tmp/type/Opportunity Report.csv"
run type; ok $? "types: renders $(head -c 200 "$tmp/type.err")"
[ "$(fig "$tmp/type.out/report.xml" new_customers)" = 1 ]
ok $? "types: New Customer is a new customer (got $(fig "$tmp/type.out/report.xml" new_customers))"
grep -q 'Opportunity Report.csv: 2 deals have a type that is not new business, expansion or renewal: &quot;Partner Resale&quot; (2)' "$tmp/type.out/report.xml"
ok $? "types: Partner Resale is noted with its count"

# ---- empty amounts, open deals without a close date, close before created: kept, noted
folder keep opportunities
printf '%s\n' 'Record ID,Deal Name,Deal Stage,Amount,Close Date,Create Date,Associated Company' \
  '1,A,Closed won,1000,2026-10-05,2026-09-01,Acme' '2,B,Appointment scheduled,,,2026-10-02,Globex' \
  '3,C,Appointment scheduled,700,,2026-10-03,Initech' '4,D,Closed won,300,2026-10-01,2026-10-09,Hooli' \
  >"$tmp/keep/hubspot-crm-exports-deals.csv"
run keep; ok $? "kept deals: renders $(head -c 200 "$tmp/keep.err")"
grep -q 'metric="input_rows_used" [^>]*file="hubspot-crm-exports-deals.csv"[^>]*value="4' "$tmp/keep.out/report.xml"
ok $? "kept deals: all 4 rows used (empty amount, no close date, close before created)"
[ "$(fig "$tmp/keep.out/report.xml" won_revenue)" = 1300.0000 ]; ok $? "kept deals: won 1300"
[ "$(fig "$tmp/keep.out/report.xml" open_opportunities)" = 2 ]; ok $? "kept deals: 2 open (got $(fig "$tmp/keep.out/report.xml" open_opportunities))"
for w in '1 deals have no amount (the first at line 3): read as 0' '2 open deals have no close date (the first at line 3)' \
         '1 deals close before they were created (the first at line 5'; do
    grep -qF "$w" "$tmp/keep.out/report.xml"; ok $? "kept deals: noted: $w"
done

# ---- HubSpot custom pipeline stages: never silently open
folder stage opportunities
printf '%s\n' 'Record ID,Deal Name,Deal Stage,Amount,Close Date,Create Date,Associated Company' \
  '1,A,Closed: won,1000,2026-10-05,2026-09-01,Acme' '2,B,Closed: lost,500,2026-10-06,2026-09-01,Globex' \
  '3,C,Closed: abandoned,700,2026-10-07,2026-09-01,Initech' '4,D,Signed by legal,300,2026-10-08,2026-09-01,Hooli' \
  '5,E,Signed by legal,200,2026-10-09,2026-09-01,Umbrella' '6,F,Contract Sent,900,2026-11-09,2026-09-01,Stark' \
  >"$tmp/stage/hubspot-crm-exports-deals.csv"
run stage; ok $? "stages: renders"
[ "$(fig "$tmp/stage.out/report.xml" won_revenue)" = 1000.0000 ]
ok $? "stages: 'Closed: won' is won (1000; was 0, got $(fig "$tmp/stage.out/report.xml" won_revenue))"
[ "$(fig "$tmp/stage.out/report.xml" lost_deals)" = 2 ]; ok $? "stages: 'Closed: lost' and 'Closed: abandoned' are lost"
grep -qF '2 deals have a stage the profile does not know and whose words say neither won, lost nor closed: &quot;Signed by legal&quot; (2); read as open' "$tmp/stage.out/report.xml"
ok $? "stages: the unknown stage is listed with its count"
run stage --stage 'Signed by legal=won'; ok $? "stages: --stage renders"
[ "$(fig "$tmp/stage.out/report.xml" won_revenue)" = 1500.0000 ]; ok $? "stages: --stage 'Signed by legal=won' makes them won (1500)"
! grep -q 'does not know and whose words' "$tmp/stage.out/report.xml"; ok $? "stages: named, they are no longer listed"
run stage --stage 'Signed by legal=maybe'; r=$?; [ $r -eq 2 ]; ok $? "stages: --stage with another meaning is a usage error (exit $r)"

# ---- the same report in two files (UTF-16 for Excel and UTF-8): counted once, noted
folder twin spend
cp "$ex/google_ads_utf16/Campaign report.csv" "$tmp/twin/"
iconv -f UTF-16 -t UTF-8 "$ex/google_ads_utf16/Campaign report.csv" >"$tmp/twin/Campaign report (1).csv"
folder one spend; cp "$ex/google_ads_utf16/Campaign report.csv" "$tmp/one/"
run twin; ok $? "overlap: renders $(head -c 200 "$tmp/twin.err")"
run one
[ "$(fig "$tmp/twin.out/report.xml" spend)" = "$(fig "$tmp/one.out/report.xml" spend)" ]
ok $? "overlap: spend of both files = spend of one ($(fig "$tmp/twin.out/report.xml" spend) vs $(fig "$tmp/one.out/report.xml" spend))"
grep -qF 'Campaign report.csv: 5 rows repeat rows of Campaign report (1).csv' "$tmp/twin.out/report.xml"
ok $? "overlap: noted, naming both files"
# two ranges that share days: the shared days once, the others each
folder range spend
printf '%s\n' 'Campaign,Day,Currency code,Cost' 'Brand,2026-10-01,USD,10.00' 'Brand,2026-10-02,USD,20.00' >"$tmp/range/a.csv"
printf '%s\n' 'Campaign,Day,Currency code,Cost' 'Brand,2026-10-02,USD,20.00' 'Brand,2026-10-03,USD,40.00' >"$tmp/range/b.csv"
run range; [ "$(fig "$tmp/range.out/report.xml" spend)" = 70.0000 ]; ok $? "overlap: ranges sharing a day: 10 + 20 + 40"

# ---- default downloads without a Day column: the range of the title lines / Reporting starts..ends
folder gall spend
printf '%s\n' 'Campaign report' 'All time' 'Campaign,Currency code,Cost' 'Brand,USD,100.00' >"$tmp/gall/Campaign report.csv"
run gall; r=$?
[ $r -ne 0 ] && grep -q 'Campaign report.csv:4.*"All time" and has no Day column.*Segment > Time > Day' "$tmp/gall.err"
ok $? "Google Ads 'All time' without Day: a located error naming Segment > Time > Day (exit $r) $(head -c 160 "$tmp/gall.err")"
folder gspan spend
printf '%s\n' 'Account report' 'September 1, 2026 - October 31, 2026' 'Account,Currency code,Cost' 'Acme Ads,EUR,"6,100.00"' \
  'Total: Account,EUR,"6,100.00"' >"$tmp/gspan/Account report.csv"
run gspan; ok $? "Google Ads account report over two months: renders $(head -c 160 "$tmp/gspan.err")"
[ "$(fig "$tmp/gspan.out/report.xml" spend)" = 3348.0000 ]
ok $? "Google Ads over two months: October has its 31 of 61 days (3100 EUR x 1.08 = 3348, got $(fig "$tmp/gspan.out/report.xml" spend))"
grep -q 'Account report.csv: 1 rows give spend for a date range over more than one month' "$tmp/gspan.out/report.xml"
ok $? "Google Ads over two months: noted"
folder mspan spend
printf '\357\273\277%s\n' 'Reporting starts,Reporting ends,Ad name,Amount spent (EUR)' >"$tmp/mspan/meta.csv"
printf '%s\n' '28/9/2026,4/10/2026,Ad one,70.00' >>"$tmp/mspan/meta.csv"
run mspan; ok $? "Meta week across two months: renders"
[ "$(fig "$tmp/mspan.out/report.xml" spend)" = 43.2000 ]
ok $? "Meta week across two months: October has 4 of 7 days (40 EUR x 1.08 = 43.2, got $(fig "$tmp/mspan.out/report.xml" spend))"
folder mnone spend
printf '\357\273\277%s\n' 'Reporting starts,Reporting ends,Campaign name,Amount spent (EUR)' >"$tmp/mnone/meta.csv"
echo 'No data available.' >>"$tmp/mnone/meta.csv"
run mnone; ok $? "Meta 'No data available.': renders"
grep -q 'metric="input_rows_rejected" [^>]*file="meta.csv"[^>]*value="0' "$tmp/mnone.out/report.xml" &&
  grep -q 'meta.csv: no data rows' "$tmp/mnone.out/report.xml"
ok $? "Meta 'No data available.': an empty export, not a rejected row"

# ---- no silent wrong number: a file left out or rows rejected are on page 1 (HTML, PDF) and in report.xml
folder quote spend
printf '\357\273\277%s\n' 'Reporting starts,Reporting ends,Campaign name,Day,Amount spent (EUR)' >"$tmp/quote/Meta.csv"
printf '%s\n' '2026-10-01,2026-10-31,"Autumn "Sale",2026-10-01,10' '2026-10-01,2026-10-31,Brand,2026-10-02,5' >>"$tmp/quote/Meta.csv"
printf '%s\n' 'Record ID,Deal Name,Deal Stage,Amount,Close Date,Create Date,Associated Company' \
  '1,A,Closed won,1000,2026-10-05,2026-09-01,Acme' '2,B,Closed won,1O0,2026-10-05,2026-09-01,Acme' \
  >"$tmp/quote/hubspot-crm-exports-deals.csv"
rm -f "$tmp/quote/opportunities.csv"
run quote; ok $? "a stray quote: renders $(head -c 200 "$tmp/quote.err")"
grep -q 'Meta.csv: cannot be read from line 2: malformed CSV' "$tmp/quote.out/report.xml"
ok $? "a stray quote: the located reason, not 'no export profile matches'"
grep -q 'metric="input_file_left_out" [^>]*file="Meta.csv"' "$tmp/quote.out/report.xml"; ok $? "a file left out: in report.xml"
grep -A3 'class="rr-banner"' "$tmp/quote.out/report.html" | grep -q 'Meta.csv was left out; hubspot-crm-exports-deals.csv: 1 of 2 rows rejected'
ok $? "a file left out and rows rejected: the banner of page 1 (HTML) says so"
if command -v pdftotext >/dev/null; then
    pdftotext -l 1 "$tmp/quote.out/report.pdf" - | tr '\n' ' ' | grep -q 'Meta.csv was left out'
    ok $? "a file left out: page 1 of the PDF says so"
else echo "ok $((n=n+1)) - # SKIP pdftotext not installed"; fi
run quote --strict; r=$?; [ $r -ne 0 ]; ok $? "a file left out: --strict stops (exit $r)"

# ---- Salesforce Data Export / Data Loader: API field names, ISO-8859-1, NUL bytes in a rich-text field
folder sfapi opportunities
printf '%s\n' '"Id","AccountId","Name","StageName","IsClosed","IsWon","Amount","CloseDate","CreatedDate","CurrencyIsoCode","LeadSource","ForecastCategoryName","Description"' \
  '"0061","0011","Caf\351 Cr\350me","Closed Won","true","true","1500.50","2026-10-05","2026-09-01T10:00:00.000Z","USD","Web","Closed","notes X"' \
  '"0062","0012","Open one","Prospecting","false","false","700","2026-11-30","2026-10-01T10:00:00.000Z","USD","Web","Pipeline","a"' \
  | sed 's/notes X/notes \x00 here/' >"$tmp/sfapi/Opportunity.csv"
run sfapi; ok $? "Salesforce Data Export: renders $(head -c 200 "$tmp/sfapi.err")"
[ "$(fig "$tmp/sfapi.out/report.xml" won_revenue)" = 1500.5000 ]; ok $? "Salesforce Data Export: won 1500.50 (got $(fig "$tmp/sfapi.out/report.xml" won_revenue))"
grep -q 'Opportunity.csv: 1 NUL bytes inside quoted fields (rich text) were dropped' "$tmp/sfapi.out/report.xml"
ok $? "Salesforce Data Export: the NUL byte is dropped with a note"

echo "1..$n"
[ $fail -eq 0 ]
