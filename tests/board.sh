#!/bin/bash
# board.sh: page 1 and the recommended actions (issue 21) (TAP).
# Every <action> of report.xml cites figures that are in report.xml with the
# same value, says a number, and follows its documented rule (docs/board.md);
# page 1 states the quarter's status in colour and in words.
set -u
: "${REVREPORT:?}" "${top_srcdir:?}"
n=0; fail=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail+1)); fi; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1793491200
in="$top_srcdir/samples"

"$REVREPORT" -i "$in" --month 2026-10 -o "$tmp/a" --quiet; ok $? "sample report renders"
check() {   # check.py XML [shift cap]: prints one line per failed check, nothing when all hold
python3 - "$@" <<'PY'
import sys, re, xml.etree.ElementTree as ET
ns = {'f': 'urn:revreport:figures:1'}
root = ET.parse(sys.argv[1]).getroot()
figs = {}
for g in root.iterfind('f:figures/f:figure', ns):
    a = g.attrib
    figs[(a['metric'], a['period'], a.get('channel'), a.get('campaign'), a.get('model'))] = a.get('value')
acts = root.findall('f:actions/f:action', ns)
if len(acts) < 2: print('fewer than two actions: %d' % len(acts))
for act in acts:
    rule, text = act.get('rule'), act.find('f:text', ns).text or ''
    cites = act.findall('f:cite', ns)
    if not cites: print('%s cites nothing' % rule)
    if not re.search(r'\d', text): print('%s says no number' % rule)
    for c in cites:
        a = c.attrib
        k = (a['metric'], a['period'], a.get('channel'), a.get('campaign'), a.get('model'))
        if k not in figs: print('%s cites %s, not in report.xml' % (rule, k))
        elif figs[k] != a.get('value'): print('%s cites %s = %s, report.xml has %s' % (rule, k, a.get('value'), figs[k]))
    if rule == 'budget_shift':
        v = {c.get('metric') + ('@' + c.get('channel') if c.get('channel') else ''): float(c.get('value')) for c in cites}
        names = [c.get('channel') for c in cites if c.get('metric') == 'spend_t3m']
        fr, to = names[0], names[1]
        cpo = lambda ch: v['spend_t3m@' + ch] / v['new_business_opportunities_t3m@' + ch]
        if not cpo(fr) >= 1.5 * cpo(to): print('budget_shift: %s is not half again as costly as %s' % (fr, to))
        want = int(0.2 * v['spend_t3m@' + fr] / 3 / 100) * 100
        if len(sys.argv) > 2: want = min(want, float(sys.argv[2]))
        if abs(v['budget_shift_amount@' + fr] - want) > 0.01:
            print('budget_shift amount %s, rule gives %s' % (v['budget_shift_amount@' + fr], want))
    if rule == 'coverage_gap':
        v = {c.get('metric'): float(c.get('value')) for c in cites}
        if not v['pipeline_coverage'] < v['required_coverage']: print('coverage_gap without a gap')
    if rule == 'sla_misses':
        v = {c.get('metric'): float(c.get('value')) for c in cites}
        if not v['sla_met_share'] < 0.9: print('sla_misses at or above the goal')
PY
}
res=$(check "$tmp/a/report.xml"); [ -z "$res" ]; ok $? "every action cites figures of report.xml with their values and follows its rule${res:+: $res}"
grep -c '<action rule=' "$tmp/a/report.xml" > "$tmp/n"
[ "$(cat "$tmp/n")" -le 4 ]; ok $? "at most four actions ($(cat "$tmp/n"))"
xmllint --noout --schema "$top_srcdir/docs/figures.xsd" "$tmp/a/report.xml" 2>/dev/null; ok $? "report.xml with actions is valid against docs/figures.xsd"
# the bound on the amount moved
"$REVREPORT" -i "$in" --month 2026-10 -o "$tmp/b" --quiet --set board.shift_max=5000; ok $? "report with board.shift_max=5000"
res=$(check "$tmp/b/report.xml" 5000); [ -z "$res" ]; ok $? "the budget shift is bounded by board.shift_max${res:+: $res}"
grep -q 'metric="budget_shift_amount" period="2026-10" channel="[^"]*" unit="USD" value="5000.0000"' "$tmp/b/report.xml"
ok $? "budget_shift_amount = 5000"
# a goal the channels meet: no SLA action
"$REVREPORT" -i "$in" --month 2026-10 -o "$tmp/c" --quiet --set board.sla_goal=0.5; ok $? "report with board.sla_goal=0.5"
! grep -q 'rule="sla_misses"' "$tmp/c/report.xml"; ok $? "no SLA action when every channel meets the goal"
grep -q 'rule="sla_misses"' "$tmp/a/report.xml"; ok $? "an SLA action at the default goal (Paid Search 83%)"
# page 1: status in colour and in words, in four languages
for l in en ja zh ru; do
  "$REVREPORT" -i "$in" --month 2026-10 --lang $l -o "$tmp/$l" --quiet
  grep -Eq '<p class="rr-status rr-status-(good|warn|bad)"><strong class="rr-status-word">[^<]+</strong>' "$tmp/$l/report.html"
  ok $? "$l: page 1 states the status in colour and in words"
  python3 - "$tmp/$l/report.html" <<'PY'
import sys, re
s = open(sys.argv[1], encoding='utf-8').read()
sec = s[s.index('rr-section-summary'):]
sec = sec[:sec.index('</section>')]
order = [sec.find('rr-status'), sec.find('rr-subhead'), sec.find('rr-kpis')]
sys.exit(0 if -1 not in order and order == sorted(order) else 1)
PY
  ok $? "$l: page 1 reads status, what to do, then the tiles"
done
echo "1..$n"
[ $fail -eq 0 ]
