#!/bin/bash
# kill.sh: kill revreport with SIGKILL at random points while it writes its
# outputs; the previous report must stay whole (byte-identical) or be
# replaced by a whole new one, never a mix of the two sets or a partial file
# (the commit swaps the staging folder and the output folder in one
# renameat2), and the next run must clean up what the killed run left in its
# staging folder (TAP).
set -u
: "${REVREPORT:?}" "${top_srcdir:?}"
n=0; fail=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail+1)); fi; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
in="$top_srcdir/samples"; [ -f "$in/opportunities.csv" ] || in="$top_srcdir/tests/data/mini"
out="$tmp/out"
export SOURCE_DATE_EPOCH=1793491200
# two different complete reports: A (September) and B (October)
"$REVREPORT" -i "$in" --month 2026-09 -o "$tmp/A" --quiet; ok $? "report A renders"
"$REVREPORT" -i "$in" --month 2026-10 -o "$tmp/B" --quiet; ok $? "report B renders"
sums() { (cd "$1" && sha256sum report.html report.pdf report.xml 2>/dev/null); }
A=$(sums "$tmp/A"); B=$(sums "$tmp/B")
[ "$A" != "$B" ]; ok $? "A and B differ"
cp -r "$tmp/A" "$out"
# how long a full run takes, to spread the kills over it
t0=$(date +%s%N); "$REVREPORT" -i "$in" --month 2026-10 -o "$tmp/timing" --quiet; t1=$(date +%s%N)
span=$(( (t1 - t0) / 1000 )); [ "$span" -gt 0 ] || span=1000
bad=0; killed=0; seen_b=0
RANDOM=42
for i in $(seq 1 25); do
  "$REVREPORT" -i "$in" --month 2026-10 -o "$out" --quiet &
  pid=$!
  delay=$(( RANDOM * span * 5 / 4 / 32768 ))     # microseconds, up to 1.25 x a run
  sleep "$(awk -v d="$delay" 'BEGIN { printf "%.6f", d / 1e6 }')"
  kill -KILL "$pid" 2>/dev/null && killed=$((killed+1))
  wait "$pid" 2>/dev/null
  now=$(sums "$out")
  if [ "$now" = "$B" ]; then seen_b=$((seen_b+1)); cp "$tmp/A"/report.* "$out/"; elif [ "$now" != "$A" ]; then bad=$((bad+1)); fi
  for f in "$out"/*; do case "$(basename "$f")" in report.html|report.pdf|report.xml|.revreport-staging-*) ;; *) bad=$((bad+1));; esac; done
done
ok $bad "after $killed kills at random points the report was always whole: the previous one or the new one ($seen_b times new)"
"$REVREPORT" -i "$in" --month 2026-10 -o "$out" --quiet; ok $? "a run after the kills succeeds"
[ "$(sums "$out")" = "$B" ]; ok $? "and writes the new report"
left=$(( $(ls -A "$out" | grep -c staging) + $(ls -A "$tmp" | grep -c staging) ))
[ "$left" -eq 0 ]; ok $? "staging folders of killed runs are cleaned up ($left left)"
echo "1..$n"
[ "$fail" -eq 0 ]
