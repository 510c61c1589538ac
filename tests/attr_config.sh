#!/bin/bash
# attr_config.sh: attribution.* settings (TAP).  A value that is not acceptable
# (unknown model, malformed custom weights, half-life <= 0, Markov order outside
# 1..4, leads_as_null not a boolean, sourced_by not first_touch / lead_source)
# is a configuration error: the message names the place (settings file and line,
# or --set), the key and the value, the exit status is 5, and the previous
# report is left untouched.  Good values are accepted and used.
set -u
: "${REVREPORT:?}" "${top_srcdir:?}"
mini="$top_srcdir/tests/data/mini"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0; fail=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail+1)); fi; }
run() { "$REVREPORT" "$@" >"$tmp/stdout" 2>"$tmp/stderr"; echo $? >"$tmp/rc"; }
rc() { cat "$tmp/rc"; }
has() { grep -qF -- "$1" "$tmp/stderr"; }

# bad NAME PATTERN... -- ARGS: run with ARGS into an output folder holding a previous report
bad() {
  local name=$1; shift
  local pats=()
  while [ "$1" != -- ]; do pats+=("$1"); shift; done; shift
  rm -rf "$tmp/out"; mkdir -p "$tmp/out"; echo previous >"$tmp/out/report.html"; echo previous >"$tmp/out/report.xml"
  run -i "$mini" --month 2026-10 -o "$tmp/out" "$@"
  ok $(( $(rc) != 5 )) "$name: exit 5 (configuration error)"
  local p all=0
  for p in "${pats[@]}"; do has "$p" || { all=1; echo "# missing in stderr: $p"; }; done
  ok $all "$name: message names place, key and value"
  [ $all -eq 0 ] || sed 's/^/#   /' "$tmp/stderr"
  [ "$(cat "$tmp/out/report.html")" = previous ] && [ "$(cat "$tmp/out/report.xml")" = previous ] && \
    [ "$(ls -A "$tmp/out" | wc -l)" -eq 2 ] && [ -z "$(ls -A "$tmp" | grep staging)" ]
  ok $? "$name: previous report untouched, nothing written"
}
valid="valid models: first, last, linear, time_decay, u_shaped, w_shaped, full_path, j_shaped, inverse_j, custom, markov, shapley"

# ---- attribution.model: --set and settings file ----
bad "model --set typo" "revreport: --set: field 'attribution.model': unknown attribution model \"markv\"" \
    '(did you mean "markov"?)' "$valid" -- --set attribution.model=markv
bad "model --set transposed, other case" 'unknown attribution model "Shapely" (did you mean "shapley"?)' "$valid" \
    -- --set attribution.model=Shapely
bad "model --set far from any name" 'unknown attribution model "position_based"; valid models:' -- \
    --set attribution.model=position_based
printf '# attribution settings\n\nattribution.half_life_days = 14\nattribution.model = w-shaped\n' >"$tmp/bad.conf"
bad "model in a settings file" "revreport: $tmp/bad.conf:4: field 'attribution.model'" \
    'unknown attribution model "w-shaped" (did you mean "w_shaped"?)' "$valid" -- --config "$tmp/bad.conf"
# --set wins over the file: a good --set value repairs a bad file line
run -i "$mini" --month 2026-10 -o "$tmp/fixed" --config "$tmp/bad.conf" --set attribution.model=w_shaped --quiet
ok $(( $(rc) != 0 )) "--set attribution.model=w_shaped overrides the bad file value"
grep -q 'model="w_shaped"' "$tmp/fixed/report.xml"; ok $? "and the report uses it"
bad "model empty" 'unknown attribution model ""' -- --set attribution.model=

# ---- attribution.custom_weights ----
w="expected five weights FT,LC,OC,CW,middle in percent, each 0 or more, summing to 100"
bad "weights: four numbers" "--set: field 'attribution.custom_weights'" "$w" 'got 4 in "30,30,30,10"' -- \
    --set attribution.custom_weights=30,30,30,10
bad "weights: six numbers" 'got more than five in "30,20,20,10,10,10"' -- \
    --set attribution.custom_weights=30,20,20,10,10,10
bad "weights: not a number" 'weight 3 (OC) is not a number: "3O"' -- --set attribution.custom_weights=30,30,3O,0,10
bad "weights: negative" 'weight 4 (CW) is negative: "-10"' -- --set attribution.custom_weights=40,40,30,-10,0
bad "weights: all zero" '"0,0,0,0,0" sums to 0' -- --set attribution.custom_weights=0,0,0,0,0
bad "weights: fractions, not percent" '"0.3,0.3,0.3,0,0.1" sums to 1' -- \
    --set attribution.custom_weights=0.3,0.3,0.3,0,0.1
bad "weights: sum 99.5" '"30,30,30,0,9.5" sums to 99.5' -- --set attribution.custom_weights=30,30,30,0,9.5
printf 'attribution.custom_weights = 30;30;30;0;10\n' >"$tmp/w.conf"
bad "weights in a settings file" "$tmp/w.conf:1: field 'attribution.custom_weights'" 'weight 1 (FT) is not a number: "30;30;30;0;10"' \
    -- --config "$tmp/w.conf"
# good weights are used: 100,0,0,0,0 is first touch (O1 10000 to Brand search, O2 5500 to the
# LinkedIn campaign); spaces around the numbers and decimals summing to exactly 100 are fine
run -i "$mini" --month 2026-10 -o "$tmp/w1" --quiet --set "attribution.custom_weights= 100, 0 ,0,0,0"
ok $(( $(rc) != 0 )) "weights 100,0,0,0,0 accepted"
grep -q 'metric="attributed_revenue" period="2026-10" campaign="Brand search" model="custom" unit="USD" value="10000.0000"' \
  "$tmp/w1/report.xml"; ok $? "custom 100,0,0,0,0 gives Brand search all of O1 (= first touch)"
run -i "$mini" --month 2026-10 -o "$tmp/w2" --quiet --set attribution.custom_weights=33.3333,33.3333,33.3334,0,0
ok $(( $(rc) != 0 )) "weights with decimals summing to exactly 100 accepted"

# ---- the other attribution.* settings ----
bad "half-life 0" "--set: field 'attribution.half_life_days': expected a number of days greater than 0, got \"0\"" -- \
    --set attribution.half_life_days=0
bad "half-life negative" 'greater than 0, got "-7"' -- --set attribution.half_life_days=-7
bad "half-life not a number" "field 'attribution.half_life_days': expected a number, got \"7d\"" -- \
    --set attribution.half_life_days=7d
bad "Markov order 0" "field 'attribution.markov_order': expected a whole number from 1 to 4, got \"0\"" -- \
    --set attribution.markov_order=0
bad "Markov order 5" 'expected a whole number from 1 to 4, got "5"' -- --set attribution.markov_order=5
bad "Markov order 1.5" "field 'attribution.markov_order': expected a whole number, got \"1.5\"" -- \
    --set attribution.markov_order=1.5
bad "Markov states unknown" "field 'attribution.markov_states': expected channelattribution or collapsed, got \"collapse\" (did you mean \"collapsed\"?)" -- \
    --set attribution.markov_states=collapse
# forecast.* settings: the same rule (issue 17: horizon 24 silently gave 12)
bad "forecast.horizon 24" "revreport: --set: field 'forecast.horizon': expected a whole number of months from 1 to 12, got \"24\"" -- \
    --set forecast.horizon=24
bad "forecast.horizon 0" 'from 1 to 12, got "0"' -- --set forecast.horizon=0
bad "forecast.weighting unknown" "field 'forecast.weighting': expected crm or stage_win_rate, got \"stage\"" -- \
    --set forecast.weighting=stage
"$REVREPORT" --list-settings >"$tmp/ls" 2>&1
grep -q "forecast.horizon.*1 to 12" "$tmp/ls"; ok $? "--list-settings gives forecast.horizon's range (1 to 12)"
bad "leads_as_null not a boolean" "field 'attribution.leads_as_null': expected true or false, got \"maybe\"" -- \
    --set attribution.leads_as_null=maybe
printf 'attribution.sourced_by = first-touch\n' >"$tmp/s.conf"
bad "sourced_by in a settings file" "$tmp/s.conf:1: field 'attribution.sourced_by'" \
    'expected first_touch or lead_source, got "first-touch" (did you mean "first_touch"?)' -- --config "$tmp/s.conf"
bad "sourced_by unknown" 'expected first_touch or lead_source, got "crm"' -- --set attribution.sourced_by=crm
bad "account_matches negative" "field 'attribution.account_matches': expected a number of opportunities, 0 (no limit) or more, got -3" -- \
    --set attribution.account_matches=-3

# ---- attribution.account_matches: a touch on an account with more open opportunities than the limit ----
acc="$tmp/acc"; mkdir -p "$acc"
{ echo "opportunity_id,account_id,is_closed,is_won,amount,created_date,close_date"
  for i in 1 2 3 4; do echo "R$i,RESELLER,true,true,1000,2026-0$i-02,2026-10-1$i"; done; } >"$acc/opportunities.csv"
{ echo "timestamp,channel,account_id,opportunity_id"; echo "2026-03-20T00:00:00Z,Events,RESELLER,"; } >"$acc/touchpoints.csv"
for lang in en ja; do
  run -i "$acc" --month 2026-10 -o "$tmp/acc-$lang" --lang $lang --quiet --set attribution.account_matches=2
  ok $(( $(rc) != 0 )) "$lang: account_matches = 2 report renders"
done
grep -q "1 touchpoint without an opportunity_id fell in the windows of more than 2 opportunities of their account (e.g. RESELLER); each joined only the 2 created nearest to it" "$tmp/acc-en/report.html"
ok $? "en: the data-quality note says how many touchpoints were limited, the limit and an account"
grep -q "A touchpoint matched by account joins at most 2 opportunities, those created nearest to it" "$tmp/acc-en/report.html"
ok $? "en: the methodology states the limit in force"
grep -q "商談IDのないタッチポイント1件が、同じ取引先の2件を超える商談の期間に該当しました（例：RESELLER）" "$tmp/acc-ja/report.html"
ok $? "ja: the note in Japanese"
grep -q 'metric="attributed_revenue" period="2026-10" channel="Events" model="linear" unit="USD" value="2000.0000"' "$tmp/acc-en/report.xml"
ok $? "report.xml: the Events touch credits two deals (R3 created 2026-03-02, R4 2026-04-02), 2 x 1000"
bad "paths_separator empty" "field 'attribution.paths_separator': expected a separator" -- \
    --set attribution.paths_separator=
# good values of every key together
printf 'attribution.model = markov\nattribution.half_life_days = 3.5\nattribution.markov_order = 4\n%s\n%s\n' \
  'attribution.leads_as_null = yes' 'attribution.sourced_by = lead_source' >"$tmp/good.conf"
run -i "$mini" --month 2026-10 -o "$tmp/good" --quiet --config "$tmp/good.conf"
ok $(( $(rc) != 0 )) "good values of every attribution setting are accepted"
# lead_source: Web / Event are not channels, nothing is sourced in October
grep -q 'metric="marketing_sourced_revenue" period="2026-10" unit="USD" value="0.0000"' "$tmp/good/report.xml"
ok $? "sourced_by = lead_source is used"
# leads_as_null at the report level: contact ids are interned only with it (they group the
# touchpoints of leads without an opportunity into null paths); YTD Markov, Paid Search =
# 15500 x 9/53 (worked by hand in tests/test_attr_report.c), 3100 without the null paths;
# worked over every deal type of mini (attribution.deal_types = all; the default is new business)
run -i "$mini" --month 2026-10 -o "$tmp/ln" --quiet --set attribution.leads_as_null=true --set attribution.deal_types=all
grep -q 'metric="attributed_revenue" period="FY2026-YTD" channel="Paid Search" model="markov" unit="USD" value="2632.0755"' "$tmp/ln/report.xml"
ok $? "leads_as_null = true: the contacts' null paths change YTD Markov (Paid Search 15500 x 9/53)"
run -i "$mini" --month 2026-10 -o "$tmp/nln" --quiet --set attribution.deal_types=all
grep -q 'metric="attributed_revenue" period="FY2026-YTD" channel="Paid Search" model="markov" unit="USD" value="3100.0000"' "$tmp/nln/report.xml"
ok $? "leads_as_null = false (default): no null paths from leads (Paid Search 3100)"
# report.xml records the settings behind its figures (issue 17: two runs with different
# settings gave the same metric and model with different values and nothing said why)
for k in 'attribution.model" value="markov' 'attribution.half_life_days" value="3.5' \
         'attribution.markov_order" value="4' 'attribution.markov_states" value="channelattribution' \
         'attribution.custom_weights" value="30,30,30,0,10' 'attribution.sourced_by" value="lead_source' \
         'attribution.leads_as_null" value="true' 'lookback_days" value="365' 'forecast.horizon" value="3'; do
  grep -q "<setting key=\"$k\"/>" "$tmp/good/report.xml"; ok $? "report.xml <settings>: $k"
done
run -i "$mini" --month 2026-10 -o "$tmp/set2" --quiet --lookback-days 30 --set attribution.markov_states=collapsed \
    --set attribution.custom_weights=40,20,20,10,10 --set forecast.horizon=6
for k in 'lookback_days" value="30' 'attribution.markov_states" value="collapsed' \
         'attribution.custom_weights" value="40,20,20,10,10' 'forecast.horizon" value="6'; do
  grep -q "<setting key=\"$k\"/>" "$tmp/set2/report.xml"; ok $? "report.xml <settings> of another run: $k"
done
if command -v xmllint >/dev/null 2>&1; then
  xmllint --noout --schema "$top_srcdir/docs/figures.xsd" "$tmp/set2/report.xml" 2>/dev/null
  ok $? "report.xml with <settings> is valid against docs/figures.xsd"
fi
# paths.csv is an input of its own (issue 17): listed in report.xml with its records, bytes and
# SHA-256, and no "not a canonical file ... ignored" note
ar="$top_srcdir/tests/data/attr_report"
run -i "$ar" --month 2026-10 -o "$tmp/pc" --quiet
want_sha=$(sha256sum "$ar/paths.csv" | cut -d' ' -f1); want_bytes=$(wc -c <"$ar/paths.csv" | tr -d ' ')
grep -q "<file name=\"paths.csv\" rows=\"2\" rows-used=\"2\" rows-skipped=\"0\" bytes=\"$want_bytes\" sha256=\"$want_sha\"/>" "$tmp/pc/report.xml"
ok $? "report.xml lists paths.csv: 2 records, $want_bytes bytes, its SHA-256"
grep -q "paths.csv: not a canonical file" "$tmp/pc/report.xml" "$tmp/pc/report.html"
ok $(( ! $? )) "no 'paths.csv: not a canonical file ... ignored' note"
# an unknown key near a known one
run -i "$mini" --month 2026-10 -o "$tmp/k" --set attribution.modle=linear
ok $(( $(rc) != 2 )) "unknown key on --set: usage error (exit 2)"
has "unknown setting 'attribution.modle'; did you mean 'attribution.model'?"; ok $? "unknown key: closest key suggested"
echo "1..$n"
[ "$fail" -eq 0 ]
