#!/bin/bash
# input_xlsx.sh: .xlsx exports, written in the test by openpyxl
# (tests/xlsx_make.py) from the UTF-8 sources of tests/data/exports/src/,
# give the same report.xml figures as the same data written canonically
# (the canonical files of input_exports.sh): numbers as numbers, dates as
# serials (built-in and custom formats, the 1900 and 1904 date systems),
# shared and inline strings, a sheet a profile names; and bad workbooks
# (corrupt zip, zip bomb, encrypted, a bad cell) stop with a located error
# and no report.  Skips (visibly) when no python3 with openpyxl is found.
set -u
: "${REVREPORT:?}" "${top_srcdir:?}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0; fail=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail+1)); fi; }
PY=
for p in python3 /usr/bin/python3; do
    if "$p" -c 'import openpyxl' 2>/dev/null; then PY=$p; break; fi
done
if [ -z "$PY" ]; then echo "1..0 # SKIP no python3 with openpyxl (apt-get install python3-openpyxl)"; exit 0; fi
export SOURCE_DATE_EPOCH=1793491200
ex="$top_srcdir/tests/data/exports"
mk() { "$PY" "$top_srcdir/tests/xlsx_make.py" "$@"; }
figs() { grep '<figure ' "$1" | grep -v ' file="' | sort; }
stat_of() {   # stat_of REPORT METRIC FILE -> value
    grep "metric=\"$2\"" "$1" | grep -F "file=\"$3\"" | sed -E 's/.*value="([0-9.]+)".*/\1/' | sed 's/\.0*$//'
}
# inputs: folder A = base/ + the workbook, B = base/ + the canonical table
setup() {   # setup NAME CASE -> $tmp/NAME/{A,B}
    local d="$ex/$2" table
    table=$(ls "$d/canonical")
    mkdir -p "$tmp/$1/A" "$tmp/$1/B"
    for f in "$ex"/base/*.csv; do
        [ "$(basename "$f")" = "$table" ] && continue
        cp "$f" "$tmp/$1/A/"; cp "$f" "$tmp/$1/B/"
    done
    cp "$d/canonical/$table" "$tmp/$1/B/"
}
# gads_sheet's profile: the built-in one, reading the sheet "Data" (a "Summary" sheet comes first)
sed 's/^name = google_ads$/name = google_ads_wb/' "$top_srcdir/profiles/google_ads.profile" >"$tmp/google_ads_wb.profile"
echo 'sheet = Data' >>"$tmp/google_ads_wb.profile"
# NAME CASE WORKBOOK PROFILE USED FOOTER | xlsx_make options || revreport options
while IFS='|' read -r spec mkopts runopts; do
    read -r name case wb profile used footer <<<"$spec"
    wb=${wb//+/ }
    setup "$name" "$case"
    # shellcheck disable=SC2086
    eval "mk \"\$tmp/$name/A/$wb\" \"$ex/src/$case.csv\" $mkopts"
    ok $? "$name: openpyxl writes the workbook"
    # shellcheck disable=SC2086
    eval "\"\$REVREPORT\" -i \"\$tmp/$name/A\" --month 2026-10 -o \"\$tmp/$name/outA\" --quiet $runopts" 2>"$tmp/errA"
    ok $? "$name: the workbook renders $(head -c 300 "$tmp/errA")"
    "$REVREPORT" -i "$tmp/$name/B" --month 2026-10 -o "$tmp/$name/outB" --quiet 2>"$tmp/errB"
    ok $? "$name: canonical equivalent renders $(head -c 300 "$tmp/errB")"
    ra="$tmp/$name/outA/report.xml" rb="$tmp/$name/outB/report.xml"
    grep -qF ">$profile<" "$tmp/$name/outA/report.html"
    ok $? "$name: read through profile $profile"
    u=$(stat_of "$ra" input_rows_used "$wb"); r=$(stat_of "$ra" input_rows_rejected "$wb")
    fo=$(stat_of "$ra" input_rows_footer "$wb")
    [ "$u" = "$used" ] && [ "$r" = 0 ] && [ "$fo" = "$footer" ]
    ok $? "$name: $used rows used (got ${u:-none}), none rejected (${r:-none}), $footer footer rows (${fo:-none})"
    nf=$(figs "$ra" | wc -l)
    figs "$ra" >"$tmp/fa"; figs "$rb" >"$tmp/fb"
    diff "$tmp/fb" "$tmp/fa" >"$tmp/diff"; r=$?
    [ "$nf" -gt 50 ] || r=1
    ok $r "$name: the $nf figures equal the canonical equivalent's"
    [ $r -eq 0 ] || sed 's/^/# /' "$tmp/diff" | head -20
done <<'CASES'
gads_shared google_ads_utf16 Campaign+report.xlsx google_ads 5 2|--sheet 'Campaign report' --num 'Cost,Impr.,Clicks,Conv.,Campaign ID' --date Day --date-format 14 --shared|
gads_inline_1904 google_ads_utf16 Campaign+report.xlsx google_ads 5 2|--num 'Cost,Impr.,Clicks,Conv.' --date Day --1904|
meta_dmy meta_bom_nbsp Meta-Ads-Oct-2026.xlsx meta_ads 4 1|--num 'Amount spent (EUR),Impressions,Reach' --decimal-comma --date Day --date-in dmy --date-format dd.mm.yyyy --shared|
hubspot_deals hubspot_deals_pipelines hubspot-crm-exports-all-deals.xlsx hubspot_deals 4 0|--num 'Record ID,Amount' --date 'Close Date,Create Date' --date-format 'yyyy-mm-dd h:mm' --shared|
salesforce_ja salesforce_cp932 Opportunities+Report.xlsx salesforce_opportunities 4 3|--num 'Amount,Probability (%),Age' --date 'Close Date,Created Date' --date-in mdy --date-format 'yyyy"年"m"月"d"日"' --shared|
hubspot_zh hubspot_deals_gb18030 hubspot-crm-exports-deals.xlsx hubspot_deals 4 0|--num 'Record ID,Amount' --date 'Close Date,Create Date' --date-format 'yyyy/m/d' --1904|
gads_sheet google_ads_utf16 Campaign+report.xlsx google_ads_wb 5 2|--sheet Data --before Summary --num Cost --date Day --shared|--profile "Campaign report.xlsx=$tmp/google_ads_wb.profile"
CASES

# ---- bad workbooks: a located error, a non-zero exit, no report ----
base="$tmp/bad"; mkdir -p "$base"; cp "$ex"/base/*.csv "$base/"
good="$tmp/good.xlsx"
mk "$good" "$ex/src/google_ads_utf16.csv" --num 'Cost' --date Day --sheet 'Campaign report' --shared
bad_case() {   # bad_case NAME WORKBOOK-FILE EXPECTED-TEXT [env]
    local d="$tmp/bad-$1"
    rm -rf "$d"; cp -r "$base" "$d"; cp "$2" "$d/Campaign report.xlsx"
    env ${4:-} "$REVREPORT" -i "$d" --month 2026-10 -o "$d.out" --quiet --strict 2>"$tmp/err"; rc=$?
    [ $rc -ne 0 ] && [ ! -e "$d.out/report.xml" ]
    ok $? "$1: exit $rc (non-zero), no report.xml"
    grep -qF -- "$3" "$tmp/err"
    ok $? "$1: the error says: $3 (got: $(head -c 300 "$tmp/err"))"
}
# a truncated download
head -c 2000 "$good" >"$tmp/trunc.xlsx"
bad_case corrupt "$tmp/trunc.xlsx" "Campaign report.xlsx: not a readable .xlsx workbook (a corrupt or truncated zip)"
# a zip bomb: the sheet padded with whitespace unzips past the bound (legal XML: read whole when the bound allows)
"$PY" - "$good" "$tmp/bomb.xlsx" <<'EOF'
import sys, zipfile
src = zipfile.ZipFile(sys.argv[1]); out = zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED)
for n in src.namelist():
    b = src.read(n)
    if n == 'xl/worksheets/sheet1.xml':
        b = b.replace(b'</worksheet>', b' ' * (3 << 20) + b'</worksheet>')
    out.writestr(n, b)
out.close()
EOF
bad_case zip_bomb "$tmp/bomb.xlsx" "part xl/worksheets/sheet1.xml unzips to 3" RR_XLSX_MAX_BYTES=1000000
d="$tmp/bomb-ok"; cp -r "$base" "$d"; cp "$tmp/bomb.xlsx" "$d/Campaign report.xlsx"
"$REVREPORT" -i "$d" --month 2026-10 -o "$d.out" --quiet 2>"$tmp/err"
ok $? "zip_bomb: the same workbook under the default bound is read $(head -c 200 "$tmp/err")"
# an encrypted workbook is an OLE2 compound file, not a zip
printf '\320\317\021\340\241\261\032\341' >"$tmp/enc.xlsx"; head -c 4000 /dev/zero >>"$tmp/enc.xlsx"
bad_case encrypted "$tmp/enc.xlsx" "a password-protected (encrypted) workbook or an old binary .xls"
# a cell that is no amount: its sheet and cell, as Excel names them
sed 's/\t250\.00\t/\tabc\t/' "$ex/src/google_ads_utf16.csv" >"$tmp/badcell.csv"
mk "$tmp/badcell.xlsx" "$tmp/badcell.csv" --num 'Cost' --date Day --sheet 'Campaign report' --shared
bad_case bad_cell "$tmp/badcell.xlsx" "Campaign report.xlsx: sheet 'Campaign report' cell F5: field 'amount': not an amount: \"abc\""
# without --strict the row is rejected, and the report names the cell
d="$tmp/bad-bad_cell"
"$REVREPORT" -i "$d" --month 2026-10 -o "$d.lenient" --quiet 2>/dev/null
grep -qF "sheet 'Campaign report' cell F5 (amount): not an amount" "$d.lenient/report.xml"
ok $? "bad_cell: without --strict the rejected row is named by its sheet and cell"
# a sheet the profile names that the workbook lacks
mkdir -p "$tmp/nosheet"
sed 's/^sheet = Data$/sheet = Campaigns/' "$tmp/google_ads_wb.profile" >"$tmp/nosheet/google_ads_wb.profile"
d="$tmp/nosheet/in"; cp -r "$base" "$d"; cp "$good" "$d/Campaign report.xlsx"
"$REVREPORT" -i "$d" --month 2026-10 -o "$tmp/nosheet/out" --quiet \
    --profile "Campaign report.xlsx=$tmp/nosheet/google_ads_wb.profile" 2>"$tmp/err"; rc=$?
[ $rc -ne 0 ] && grep -qF "no sheet 'Campaigns' in the workbook (its sheets: 'Campaign report')" "$tmp/err"
ok $? "a sheet the profile names and the workbook lacks: exit $rc, $(head -c 200 "$tmp/err")"
echo "1..$n"
[ $fail -eq 0 ]
