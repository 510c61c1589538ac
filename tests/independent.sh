#!/bin/bash
# independent.sh: every first figure of the sample report, recomputed by
# SQLite straight from the CSV files (no revreport code involved), compared
# with report.xml (TAP).  Covers won revenue, won/lost deals, win rate,
# opportunities and pipeline created, spend (total and per channel), target
# attainment, funnel counts, linear attribution, ROI and ROAS per channel
# (of new business, attribution.deal_types' default; ROI only on roi.min_spend
# = 5000 of spend or more), won revenue and deals by deal type, the pipeline
# and MQL plans with their attainment, and the same month last year.
set -u
: "${REVREPORT:?}" "${top_srcdir:?}"
n=0; fail=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail+1)); fi; }
if ! command -v sqlite3 >/dev/null; then echo "1..0 # SKIP sqlite3 not installed"; exit 0; fi
s="$top_srcdir/samples"
[ -f "$s/opportunities.csv" ] || { echo "1..0 # SKIP no samples/"; exit 0; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$REVREPORT" -i "$s" --month 2026-10 -o "$tmp/out" --quiet; ok $? "sample report renders"
# figures from report.xml as CSV: metric,period,channel,value (defined figures only)
sed -n 's/.*<figure metric="\([^"]*\)" period="\([^"]*\)"\( channel="\([^"]*\)"\)\?\( model="linear"\)\? unit="[^"]*" value="\([^"]*\)".*/\1,\2,\4,\6/p' \
  "$tmp/out/report.xml" | sed 's/&amp;/\&/g' >"$tmp/fig.csv"
[ -s "$tmp/fig.csv" ]; ok $? "figures extracted from report.xml ($(wc -l <"$tmp/fig.csv"))"
# the deal-type split: metric,period,deal_type,value
sed -n 's/.*<figure metric="\([^"]*\)" period="\([^"]*\)" deal_type="\([^"]*\)" unit="[^"]*" value="\([^"]*\)".*/\1,\2,\3,\4/p' \
  "$tmp/out/report.xml" >"$tmp/figdt.csv"
cat >"$tmp/q.sql" <<SQL
.mode csv
.import --csv $s/opportunities.csv opp
.import --csv $s/touchpoints.csv tp
.import --csv $s/spend.csv spend
.import --csv $s/targets.csv tgt
.import --csv $s/leads.csv leads
.import --csv $s/fx.csv fx
CREATE TABLE fig(metric, period, channel, value);
.import $tmp/fig.csv fig
-- deal-type figures go in the same table, the type in the channel column
.import $tmp/figdt.csv fig
-- amounts in USD: the latest rate at or before the month (USD = 1)
CREATE TABLE o AS SELECT opp.*, substr(close_date,1,7) AS cm, substr(created_date,1,7) AS crm,
  round(CAST(amount AS REAL) * CASE WHEN currency IN ('', 'USD') THEN 1.0 ELSE
    (SELECT CAST(rate AS REAL) FROM fx WHERE fx.currency = opp.currency AND fx.month <= substr(close_date,1,7)
     ORDER BY fx.month DESC LIMIT 1) END, 4) AS usd FROM opp;
CREATE TABLE s AS SELECT substr(date,1,7) AS m, channel, round(CAST(amount AS REAL) * CASE WHEN currency IN ('', 'USD') THEN 1.0 ELSE
    (SELECT CAST(rate AS REAL) FROM fx WHERE fx.currency = spend.currency AND fx.month <= substr(spend.date,1,7)
     ORDER BY fx.month DESC LIMIT 1) END, 4) AS usd FROM spend;
CREATE TABLE months AS SELECT DISTINCT period AS m FROM fig WHERE length(period) = 7 AND metric = 'won_revenue';
CREATE TABLE exp(metric, period, channel, value);
INSERT INTO exp SELECT 'won_revenue', m, '', (SELECT coalesce(sum(usd),0) FROM o WHERE is_won='true' AND cm=m) FROM months;
INSERT INTO exp SELECT 'won_deals', m, '', (SELECT count(*) FROM o WHERE is_won='true' AND cm=m) FROM months;
INSERT INTO exp SELECT 'lost_deals', m, '', (SELECT count(*) FROM o WHERE is_closed='true' AND is_won='false' AND cm=m) FROM months;
INSERT INTO exp SELECT 'win_rate', m, '', 1.0 * (SELECT count(*) FROM o WHERE is_won='true' AND cm=m) /
  (SELECT count(*) FROM o WHERE is_closed='true' AND cm=m) FROM months WHERE (SELECT count(*) FROM o WHERE is_closed='true' AND cm=m) > 0;
INSERT INTO exp SELECT 'opportunities_created', m, '', (SELECT count(*) FROM o WHERE crm=m) FROM months;
INSERT INTO exp SELECT 'pipeline_created', m, '', (SELECT coalesce(sum(usd),0) FROM o WHERE crm=m) FROM months;
INSERT INTO exp SELECT 'spend', m, '', (SELECT coalesce(sum(usd),0) FROM s WHERE s.m=months.m) FROM months;
INSERT INTO exp SELECT 'spend', m, channel, sum(usd) FROM s WHERE m IN (SELECT m FROM months) GROUP BY m, channel;
INSERT INTO exp SELECT 'revenue_target', month, '', CAST(revenue_target AS REAL) FROM tgt WHERE month IN (SELECT m FROM months);
INSERT INTO exp SELECT 'attainment', month, '', (SELECT coalesce(sum(usd),0) FROM o WHERE is_won='true' AND cm=month) / CAST(revenue_target AS REAL)
  FROM tgt WHERE month IN (SELECT m FROM months);
INSERT INTO exp SELECT 'leads', m, '', (SELECT count(*) FROM leads WHERE substr(created_at,1,7)=m) FROM months;
INSERT INTO exp SELECT 'mqls', m, '', (SELECT count(*) FROM leads WHERE substr(mql_at,1,7)=m) FROM months;
INSERT INTO exp SELECT 'sals', m, '', (SELECT count(*) FROM leads WHERE substr(sal_at,1,7)=m) FROM months;
INSERT INTO exp SELECT 'sqls', m, '', (SELECT count(*) FROM leads WHERE substr(sql_at,1,7)=m) FROM months;
-- journeys: explicit opportunity_id, or same account within [created - 365 days, end of close day]
CREATE TABLE j AS
  SELECT o.opportunity_id, o.usd, tp.channel FROM o JOIN tp ON tp.opportunity_id = o.opportunity_id
  UNION ALL
  SELECT o.opportunity_id, o.usd, tp.channel FROM o JOIN tp ON tp.opportunity_id = '' AND tp.account_id = o.account_id
   AND julianday(tp.timestamp) >= julianday(o.created_date) - 365 AND julianday(tp.timestamp) < julianday(o.close_date) + 1;
-- by deal type, every month of the report
INSERT INTO exp SELECT 'won_revenue', cm, type, sum(usd) FROM o WHERE is_won='true' AND cm IN (SELECT m FROM months) GROUP BY cm, type;
INSERT INTO exp SELECT 'won_deals', cm, type, count(*) FROM o WHERE is_won='true' AND cm IN (SELECT m FROM months) GROUP BY cm, type;
INSERT INTO exp SELECT 'win_rate', cm, type, 1.0 * sum(is_won='true') / count(*) FROM o WHERE is_closed='true' AND cm IN (SELECT m FROM months) GROUP BY cm, type;
-- plan vs actual of October 2026 and the same month last year
INSERT INTO exp SELECT 'pipeline_target', month, '', CAST(pipeline_target AS REAL) FROM tgt WHERE month = '2026-10';
INSERT INTO exp SELECT 'mql_target', month, '', CAST(mql_target AS REAL) FROM tgt WHERE month = '2026-10';
INSERT INTO exp SELECT 'pipeline_attainment', '2026-10', '', (SELECT sum(usd) FROM o WHERE crm='2026-10') / CAST(pipeline_target AS REAL) FROM tgt WHERE month = '2026-10';
INSERT INTO exp SELECT 'mql_attainment', '2026-10', '', (SELECT count(*) FROM leads WHERE substr(mql_at,1,7)='2026-10') / CAST(mql_target AS REAL) FROM tgt WHERE month = '2026-10';
INSERT INTO exp SELECT 'revenue_attainment', '2026-10', '', (SELECT sum(usd) FROM o WHERE is_won='true' AND cm='2026-10') / CAST(revenue_target AS REAL) FROM tgt WHERE month = '2026-10';
INSERT INTO exp SELECT 'won_revenue_yoy', '2026-10', '', (SELECT sum(usd) FROM o WHERE is_won='true' AND cm='2025-10');
INSERT INTO exp SELECT 'pipeline_created_yoy', '2026-10', '', (SELECT sum(usd) FROM o WHERE crm='2025-10');
INSERT INTO exp SELECT 'mqls_yoy', '2026-10', '', (SELECT count(*) FROM leads WHERE substr(mql_at,1,7)='2025-10');
-- attribution: new business only (attribution.deal_types = new_business, the default)
CREATE TABLE won AS SELECT opportunity_id, usd FROM o WHERE is_won='true' AND cm='2026-10' AND type='new_business';
CREATE TABLE credit AS SELECT j.channel, sum(j.usd / (SELECT count(*) FROM j j2 WHERE j2.opportunity_id = j.opportunity_id)) AS rev
  FROM j WHERE j.opportunity_id IN (SELECT opportunity_id FROM won) GROUP BY j.channel;
INSERT INTO exp SELECT 'attributed_revenue', '2026-10', channel, rev FROM credit;
INSERT INTO exp SELECT 'roi', '2026-10', c.channel, (c.rev - x.sp) / x.sp FROM credit c
  JOIN (SELECT channel, sum(usd) sp FROM s WHERE m='2026-10' GROUP BY channel) x ON x.channel = c.channel WHERE x.sp >= 5000;
INSERT INTO exp SELECT 'roas', '2026-10', c.channel, c.rev / x.sp FROM credit c
  JOIN (SELECT channel, sum(usd) sp FROM s WHERE m='2026-10' GROUP BY channel) x ON x.channel = c.channel WHERE x.sp >= 5000;
INSERT INTO exp SELECT 'no_touch_revenue', '2026-10', '', (SELECT coalesce(sum(usd),0) FROM won WHERE opportunity_id NOT IN (SELECT opportunity_id FROM j));
.mode list
.separator |
SELECT 'checked', count(*) FROM exp;
SELECT 'missing', e.metric, e.period, e.channel, e.value FROM exp e LEFT JOIN fig f
  ON f.metric = e.metric AND f.period = e.period AND f.channel = e.channel WHERE f.metric IS NULL;
SELECT 'differs', e.metric, e.period, e.channel, e.value, f.value FROM exp e JOIN fig f
  ON f.metric = e.metric AND f.period = e.period AND f.channel = e.channel
  WHERE abs(CAST(f.value AS REAL) - e.value) > 0.01 + 1e-9 * abs(e.value);
SQL
sqlite3 :memory: <"$tmp/q.sql" >"$tmp/res" 2>"$tmp/err"; ok $? "SQLite ran the independent computation"
[ -s "$tmp/err" ] && sed 's/^/# /' "$tmp/err" | head
checked=$(sed -n 's/^checked|//p' "$tmp/res")
[ "${checked:-0}" -gt 250 ]; ok $? "at least 250 figures recomputed (${checked:-0})"
! grep -q '^missing' "$tmp/res"; ok $? "every recomputed figure is in report.xml"
grep '^missing' "$tmp/res" | head -5 | sed 's/^/# /'
! grep -q '^differs' "$tmp/res"; ok $? "every figure equals SQLite's (within 0.01)"
grep '^differs' "$tmp/res" | head -10 | sed 's/^/# /'
# the ROI of a channel with less than roi.min_spend is not meaningful: not a number in report.xml
grep -q 'metric="roi" period="2026-10" channel="Email" model="linear" unit="ratio" defined="false" reason="spend below roi.min_spend' "$tmp/out/report.xml"
ok $? "Email's ROI on \$3,334 of spend is marked not meaningful"
# every attribution, ROI and CAC figure says which deal types it covers
bad=$(grep -E '<figure metric="(attributed_[a-z_]*|roi|roas|roi_trailing|cac|marketing_sourced_revenue|marketing_influenced_revenue|sales_sourced_revenue)"' "$tmp/out/report.xml" | grep -vc 'deal_types="')
[ "$bad" -eq 0 ]; ok $? "every attribution, ROI and CAC figure has deal_types ($bad without)"
for m in won_revenue attainment win_rate spend attributed_revenue roi mqls; do
  c=$(awk -F, -v m=$m '$1==m' "$tmp/fig.csv" | wc -l); [ "$c" -gt 0 ]; ok $? "report.xml has $m ($c figures)"
done
# samples/README.md's month table (computed by a script of its own) says
# what the report says: leads, MQLs, opportunities created, won revenue, for
# each month report.xml has (its 13-month series)
awk -F'|' '/^### / { on = /Month by month/ } on && /^\| 20[0-9][0-9]-[0-9][0-9] \|/ { gsub(/[ ,]/, ""); print $2, $3, $4, $5, $6 }' \
  "$top_srcdir/samples/README.md" >"$tmp/readme.txt"
[ "$(wc -l <"$tmp/readme.txt")" -eq 24 ]; ok $? "samples/README.md's month table has 24 months"
res=$(awk -F, 'NR == FNR { if ($3 == "") v[$1 "," $2] = $4; next }
  { split("leads mqls opportunities_created won_revenue", m, " ")
    for (i = 1; i <= 4; i++) { k = m[i] "," $1; if (!(k in v)) continue; n++; d = v[k] - $(i + 1)
      if (d > 0.5 || d < -0.5) printf "%s %s README %s report %s; ", m[i], $1, $(i + 1), v[k] } }
  END { printf "|%d", n }' "$tmp/fig.csv" FS=' ' "$tmp/readme.txt")
bad=${res%|*}; cmp=${res##*|}
[ -z "$bad" ] && [ "$cmp" -ge 52 ]; ok $? "samples/README.md's month table matches report.xml ($cmp figures)${bad:+: $bad}"
echo "1..$n"
[ "$fail" -eq 0 ]
