#!/bin/bash
# attr_campaign.sh: Markov and Shapley per campaign in the report (TAP).
# tests/data/attr_campaign (worked by hand in tests/test_attr_report.c): the campaign
# table and report.xml use Markov over campaign states.  A generated journey over 21
# campaigns of one channel: Shapley stays defined per channel but not per campaign
# (exact limit 20): report.xml says why, and the campaign table shows linear and says
# so in its caption, in every language.
set -u
: "${REVREPORT:?}" "${top_srcdir:?}"
fix="$top_srcdir/tests/data/attr_campaign"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0; fail=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail+1)); fi; }
skip() { n=$((n+1)); echo "ok $n # SKIP $1"; }
xsd() { if command -v xmllint >/dev/null; then xmllint --noout --schema "$top_srcdir/docs/figures.xsd" "$1" 2>/dev/null; ok $? "$2"; else skip "xmllint not installed"; fi; }
fig() { grep -qF -- "$1" "$2"; }

# ---- attr_campaign, default model Markov ----
"$REVREPORT" -i "$fix" --month 2026-03 -o "$tmp/mk" --quiet --set attribution.model=markov --set roi.min_spend=0   # ROI on 2000 of spend is asked for
ok $? "attr_campaign report with attribution.model = markov renders"
x="$tmp/mk/report.xml"
fig '<figure metric="attributed_revenue" period="2026-03" campaign="Search" model="markov" unit="USD" value="3428.5714" deal_types="new_business"/>' "$x"
ok $? "report.xml: Markov per campaign, Search (P1) = 24000/7"
fig '<figure metric="attributed_revenue" period="2026-03" campaign="Email two" model="markov" unit="USD" value="6857.1429" deal_types="new_business"/>' "$x"
ok $? "report.xml: Markov per campaign, Email two (E2) = 48000/7"
fig '<figure metric="attributed_revenue" period="2026-03" campaign="Email one" model="shapley" unit="USD" value="3000.0000" deal_types="new_business"/>' "$x"
ok $? "report.xml: Shapley per campaign, Email one (E1) = 9000/3"
fig '<figure metric="attributed_pipeline" period="2026-03" campaign="Email one" model="markov" unit="USD" value="2000.0000" deal_types="new_business"/>' "$x"
ok $? "report.xml: campaign pipeline under the default model (Markov), Email one = 2000"
fig '<figure metric="roi" period="2026-03" campaign="Search" model="markov" unit="ratio" value="0.7142857143" deal_types="new_business"/>' "$x"
ok $? "report.xml: campaign ROI under Markov, Search (24000/7 - 2000) / 2000"
fig '<figure metric="attributed_revenue" period="2026-03" channel="Email" model="markov" unit="USD" value="9600.0000" deal_types="new_business"/>' "$x"
ok $? "report.xml: Markov per channel, Email = 9600 (not the sum of its campaigns)"
xsd "$x" "attr_campaign report.xml is valid against docs/figures.xsd"
h="$tmp/mk/report.html"
grep -q "Markov model: top campaigns by revenue, March 2026" "$h"; ok $? "campaign table caption names Markov"
grep -q "linear model" "$h"; ok $(( ! $? )) "no linear fallback said in the caption"

# ---- 21 campaigns on one won journey: Shapley per campaign by its closed form ----
# (issue 17: it was undefined above 20 campaign states, the table fell back to linear)
g="$tmp/g"; mkdir -p "$g"
{ echo "campaign_id,name,channel"; for i in $(seq -w 1 21); do echo "K$i,Campaign $i,Email"; done; } >"$g/campaigns.csv"
{ echo "opportunity_id,account_id,name,type,stage,is_closed,is_won,amount,currency,probability,forecast_category,created_date,close_date,owner,lead_source,campaign_id"
  echo "Z1,B1,Many campaigns,new_business,Closed Won,true,true,21000,USD,100,Closed,2026-02-01,2026-03-25,Ana,,"; } >"$g/opportunities.csv"
{ echo "touchpoint_id,timestamp,channel,campaign_id,contact_id,account_id,opportunity_id,milestone"
  for i in $(seq -w 1 21); do echo "z$i,2026-03-$i""T10:00:00Z,Email,K$i,P1,B1,Z1,"; done; } >"$g/touchpoints.csv"
for lang in en ja; do
  "$REVREPORT" -i "$g" --month 2026-03 -o "$tmp/s-$lang" --lang $lang --quiet --set attribution.model=shapley
  ok $? "$lang: 21-campaign report with attribution.model = shapley renders"
done
x="$tmp/s-en/report.xml"
fig '<figure metric="attributed_revenue" period="2026-03" channel="Email" model="shapley" unit="USD" value="21000.0000" deal_types="new_business"/>' "$x"
ok $? "report.xml: Shapley per channel defined (one channel)"
fig '<figure metric="attributed_revenue" period="2026-03" campaign="Campaign 07" model="shapley" unit="USD" value="1000.0000" deal_types="new_business"/>' "$x"
ok $? "report.xml: Shapley per campaign defined over 21 campaigns (21000/21 each)"
fig '<figure metric="attributed_revenue" period="2026-03" campaign="Campaign 07" model="markov" unit="USD" value="1000.0000" deal_types="new_business"/>' "$x"
ok $? "report.xml: Markov per campaign defined (a chain of 21 states, each RE 1: 21000/21)"
grep -q 'metric="attributed_revenue" period="2026-03" campaign="Campaign 07" model="shapley"[^>]*defined="false"' "$x"
ok $(( ! $? )) "report.xml: no undefined Shapley per campaign"
xsd "$x" "21-campaign report.xml is valid against docs/figures.xsd"
grep -q "Shapley model: top campaigns by revenue, March 2026" "$tmp/s-en/report.html"
ok $? "en: the campaign table is Shapley's, no linear fallback"
# ---- Shapley per channel: an open journey over 21 channels ----
# the revenue and the pipeline are both defined (closed form at any size)
o="$tmp/o"; mkdir -p "$o"
{ echo "opportunity_id,account_id,name,type,stage,is_closed,is_won,amount,currency,probability,forecast_category,created_date,close_date,owner,lead_source,campaign_id"
  echo "W1,B1,Won,new_business,Closed Won,true,true,10000,USD,100,Closed,2026-02-01,2026-03-20,Ana,,"
  echo "P1,B2,Open,new_business,Proposal,false,false,50000,USD,50,Pipeline,2026-03-02,2026-05-30,Ana,,"; } >"$o/opportunities.csv"
{ echo "touchpoint_id,timestamp,channel,campaign_id,contact_id,account_id,opportunity_id,milestone"
  echo "w1,2026-02-10T10:00:00Z,Email,,C1,B1,W1,"
  echo "w2,2026-03-10T10:00:00Z,Webinars,,C1,B1,W1,"
  for i in $(seq -w 1 21); do echo "p$i,2026-03-$i""T09:00:00Z,Channel $i,,C2,B2,P1,"; done; } >"$o/touchpoints.csv"
"$REVREPORT" -i "$o" --month 2026-03 -o "$tmp/o-out" --quiet --set attribution.model=shapley
ok $? "report with an open journey over 21 channels renders"
x="$tmp/o-out/report.xml"
fig '<figure metric="attributed_revenue" period="2026-03" channel="Email" model="shapley" unit="USD" value="5000.0000" deal_types="new_business"/>' "$x"
ok $? "report.xml: Shapley revenue per channel defined (two channels on the won journey: 5,000 each)"
grep -q 'metric="attributed_pipeline" period="2026-03" channel="Channel 07" model="shapley" unit="USD" value="2380.9524"' "$x"
ok $? "report.xml: Shapley pipeline per channel over 21 channels: 50000/21"
xsd "$x" "open-journey report.xml is valid against docs/figures.xsd"

# ---- 1600 campaigns on one won journey: Markov per campaign is over its limit ----
# (a first-order chain of 1601 states and 1600 campaigns to remove: above 1500 states
# only 64 removals are solved); the channel is still computed, the campaign table
# falls back to linear and says why in the report's language
m="$tmp/m"; mkdir -p "$m"
{ echo "campaign_id,name,channel"; for i in $(seq 1 1600); do echo "K$i,Campaign $i,Email"; done; } >"$m/campaigns.csv"
{ echo "opportunity_id,account_id,name,type,stage,is_closed,is_won,amount,currency,probability,forecast_category,created_date,close_date,owner,lead_source,campaign_id"
  echo "Z1,B1,Many campaigns,new_business,Closed Won,true,true,16000,USD,100,Closed,2026-02-01,2026-03-25,Ana,,"; } >"$m/opportunities.csv"
{ echo "touchpoint_id,timestamp,channel,campaign_id,contact_id,account_id,opportunity_id,milestone"
  for i in $(seq 1 1600); do printf "z%d,2026-03-%02dT%02d:%02d:00Z,Email,K%d,P1,B1,Z1,\n" $i $((1 + i / 100)) $(( (i / 60) % 24 )) $((i % 60)) $i; done; } >"$m/touchpoints.csv"
for lang in en ja zh ru; do
  "$REVREPORT" -i "$m" --month 2026-03 -o "$tmp/m-$lang" --lang $lang --quiet --set attribution.model=markov
  ok $? "$lang: 1600-campaign report with attribution.model = markov renders"
done
x="$tmp/m-en/report.xml"
fig '<figure metric="attributed_revenue" period="2026-03" channel="Email" model="markov" unit="USD" value="16000.0000" deal_types="new_business"/>' "$x"
ok $? "report.xml: Markov per channel still defined (one channel)"
fig 'campaign="Campaign 7" model="markov" unit="USD" defined="false" reason="Markov model: 1601 states and 1600 channels to remove; the exact computation handles at most 1500 states, or 64 channels above that"' "$x"
ok $? "report.xml: Markov per campaign undefined, with the reason (1601 states, 1600 removals)"
grep -q "Markov could not be computed per campaign (the chain has 1601 states and 1600 channels or campaigns to remove; the exact computation handles at most 1500 states, or 64 channels or campaigns above that), so this table shows the Linear model" "$tmp/m-en/report.html"
ok $? "en: the campaign table's caption says why it shows linear"
grep -q "マルコフをキャンペーン別に算出できなかったため（状態数が1601、除去するチャネルまたはキャンペーンが1600件あります。厳密計算は1500状態まで" "$tmp/m-ja/report.html"
ok $? "ja: the reason in Japanese, not English"
grep -q "（链有1601个状态，需移除的渠道或营销活动有1600个；精确计算最多支持1500个状态" "$tmp/m-zh/report.html"
ok $? "zh: the reason in Chinese"
grep -q "(в цепи 1601 состояний и 1600 каналов или кампаний для исключения; точный расчёт возможен не более чем для 1500 состояний" "$tmp/m-ru/report.html"
ok $? "ru: the reason in Russian"

# ---- a month without won journeys: the Markov note in the report's language ----
for lang in en ja zh ru; do
  "$REVREPORT" -i "$fix" --month 2026-04 -o "$tmp/nw-$lang" --lang $lang --quiet --set attribution.model=markov
  ok $? "$lang: attr_campaign in April (no won journey) renders"
done
grep -q "Markov could not be computed: no won opportunity with touches in the period." "$tmp/nw-en/report.html"
ok $? "en: Markov undefined, and why"
grep -q "マルコフを算出できませんでした：この期間にタッチのある受注商談がありません。" "$tmp/nw-ja/report.html"
ok $? "ja: the reason in Japanese (it was English)"
grep -q "无法计算马尔可夫模型：本期没有带触点的赢单商机。" "$tmp/nw-zh/report.html"
ok $? "zh: the reason in Chinese"
grep -q "Марковскую модель рассчитать не удалось: в периоде нет выигранных сделок с касаниями." "$tmp/nw-ru/report.html"
ok $? "ru: the reason in Russian"
echo "1..$n"
[ "$fail" -eq 0 ]
