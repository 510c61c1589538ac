#!/bin/sh
# make-fixtures.sh: writes the export fixtures of tests/input_exports.sh from
# the UTF-8 sources in src/, in the encoding each export case is about.
#   cd tests/data/exports && ./make-fixtures.sh     (the outputs are committed)
# Case = folder <case>/ holding the export (named as the tool names it) and
# canonical/<table>.csv, the same data written as docs/inputs.md describes.
set -eu
cd "$(dirname "$0")"
mk() {   # mk CASE FILE ENCODING TABLE [crlf]
    mkdir -p "$1/canonical"
    if [ "${5:-}" = crlf ]; then sed 's/$/\r/' "src/$1.csv"; else cat "src/$1.csv"; fi |
        iconv -f UTF-8 -t "$3" > "$1/$2"
    cp "src/$1.canonical" "$1/canonical/$4.csv"
}
mk salesforce_cp932      "Opportunities Report.csv"  CP932     opportunities
mk salesforce_cp1252     "Opportunity Pipeline.csv"  CP1252    opportunities
mk hubspot_deals_gb18030 "hubspot-crm-exports-deals.csv" GB18030 opportunities
mk hubspot_deals_pipelines "hubspot-crm-exports-all-deals.csv" UTF-8 opportunities
mk hubspot_contacts_utf8 "hubspot-crm-exports-contacts.csv" UTF-8 leads crlf
# Excel "Unicode text": UTF-16LE with BOM, TAB, CRLF (iconv -t UTF-16 would pick the byte order)
mk google_ads_utf16      "Campaign report.csv"       UTF-16LE  spend crlf
printf '\377\376' | cat - "google_ads_utf16/Campaign report.csv" > google_ads_utf16/tmp && \
    mv google_ads_utf16/tmp "google_ads_utf16/Campaign report.csv"
mk linkedin_cp1251       "campaign_performance_report.csv" CP1251 spend
mk meta_bom_nbsp         "Meta-Ads-Oct-2026.csv"     UTF-8     spend
# the tools of the report's other languages (issue 16): Russian CRMs and ads, Japanese and Chinese ads
mk amocrm_deals_utf8     "amocrm_export_leads.csv"   UTF-8     opportunities
mk bitrix24_deals_cp1251 "DEAL_20261102.csv"         CP1251    opportunities crlf
mk yandex_direct_utf8    "yandex_direct_report.csv"  UTF-8     spend
mk yahoo_japan_cp932     "yahoo_campaign_report.csv" CP932     spend crlf
mk baidu_gb18030         "baidu_campaign_report.csv" GB18030   spend
mk google_ads_ja_utf8    "Campaign report ja.csv"    UTF-8     spend
mk google_ads_zh_utf8    "Campaign report zh.csv"    UTF-8     spend
# code pages the header decides (the byte statistics alone chose CP1252 / not GB2312)
mk bitrix24_latin_cp1251 "DEAL_20261103.csv"         CP1251    opportunities crlf
mk baidu_gbk_names       "baidu_report_gbk.csv"      GBK       spend
# the tools' default downloads (issue 16): Google Ads without a Day column (the range in the
# title lines, Currency code twice, a campaign named "Total Home Care"), Meta Ads Manager without
# a Day column (Reporting starts/ends, D/M/YYYY, age/gender breakdown rows, 8-decimal amounts)
mk google_ads_default    "Campaign report (2).csv"   UTF-8     spend
mk meta_default          "Meta-Ads-default.csv"      UTF-8     spend
