#!/bin/bash
# secure_fs.sh: revreport in folders other users may write (issue 19, TAP):
# staging cleanup never follows a link nor removes what a run did not make;
# lock files are never followed through a link nor overwritten when they are
# another file's hard link.
set -u
: "${REVREPORT:?}" "${top_srcdir:?}"
n=0; fail=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail+1)); fi; }
skip() { n=$((n+1)); echo "ok $n - # SKIP $1"; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
in="$top_srcdir/tests/data/mini"
export SOURCE_DATE_EPOCH=1793491200
dead=999999999                       # above pid_max: never a live process

# --- 1. leftover-staging cleanup never follows a link ---------------------
mkdir -p "$tmp/victim" "$tmp/rep"
echo precious >"$tmp/victim/keep.txt"
ln -s "$tmp/victim" "$tmp/rep/.revreport-staging-out-$dead"
"$REVREPORT" -i "$in" --month 2026-09 -o "$tmp/rep/out" --quiet; ok $? "a run beside a planted staging symlink succeeds"
[ -f "$tmp/victim/keep.txt" ]; ok $? "the folder the planted symlink points to is untouched"
# a real folder with the staging name but not made by a run (no marker): left alone
mkdir "$tmp/rep/.revreport-staging-out-$((dead-1))"; echo mine >"$tmp/rep/.revreport-staging-out-$((dead-1))/notes.txt"
"$REVREPORT" -i "$in" --month 2026-09 -o "$tmp/rep/out" --quiet
[ -f "$tmp/rep/.revreport-staging-out-$((dead-1))/notes.txt" ]; ok $? "a staging-named folder without the run's marker is left alone"
# the same in the archive's year folder
mkdir -p "$tmp/arc/2026" "$tmp/victim2"; echo precious >"$tmp/victim2/keep.txt"
ln -s "$tmp/victim2" "$tmp/arc/2026/.Q3.staging-$dead"
"$REVREPORT" archive -i "$in" --quarter 2026Q3 --into "$tmp/arc" --quiet; ok $? "archive beside a planted staging symlink succeeds"
[ -f "$tmp/victim2/keep.txt" ]; ok $? "the archive's cleanup did not follow the symlink"
# a killed archive's staging folder (it holds the marker) is cleaned by the next run
mkdir -p "$tmp/arc/2026/.Q2.staging-$dead/inputs"; : >"$tmp/arc/2026/.Q2.staging-$dead/.revreport-stage"
echo x >"$tmp/arc/2026/.Q2.staging-$dead/inputs/leads.csv"; echo x >"$tmp/arc/2026/.Q2.staging-$dead/report.pdf"
"$REVREPORT" archive -i "$in" --quarter 2026Q2 --into "$tmp/arc" --quiet
[ ! -e "$tmp/arc/2026/.Q2.staging-$dead" ]; ok $? "a killed archive's staging folder is removed by the next run"
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
  mkdir -p "$tmp/arc/2026/.Q1.staging-$dead"; : >"$tmp/arc/2026/.Q1.staging-$dead/.revreport-stage"
  echo theirs >"$tmp/arc/2026/.Q1.staging-$dead/theirs.txt"; chown -R nobody "$tmp/arc/2026/.Q1.staging-$dead"
  "$REVREPORT" archive -i "$in" --quarter 2026Q1 --into "$tmp/arc" --quiet
  [ -f "$tmp/arc/2026/.Q1.staging-$dead/theirs.txt" ]; ok $? "a staging folder owned by another user is left alone"
else
  skip "not root: cannot make a folder owned by another user"
fi

# --- 2. locks: never through a link, never a hard-linked file ------------
mkdir -p "$tmp/arc2/2026"; echo "do not touch" >"$tmp/conf"
# (the archive locks the year folder itself since the delivery work: a planted
# .Q3.lock is never opened at all)
ln -s "$tmp/conf" "$tmp/arc2/2026/.Q3.lock"
"$REVREPORT" archive -i "$in" --quarter 2026Q3 --into "$tmp/arc2" --quiet 2>"$tmp/err"; rc=$?
[ "$(cat "$tmp/conf")" = "do not touch" ]; ok $? "the symlink's target is not overwritten"
[ -L "$tmp/arc2/2026/.Q3.lock" ] && [ "$(readlink "$tmp/arc2/2026/.Q3.lock")" = "$tmp/conf" ]; ok $? "the planted link is left as it was"
rm -rf "$tmp/arc2/2026/Q3"
rm "$tmp/arc2/2026/.Q3.lock"; ln -s "$tmp/nowhere.conf" "$tmp/arc2/2026/.Q3.lock"
"$REVREPORT" archive -i "$in" --quarter 2026Q3 --into "$tmp/arc2" --quiet 2>/dev/null
[ ! -e "$tmp/nowhere.conf" ]; ok $? "a dangling lock symlink creates no file where it points"
rm "$tmp/arc2/2026/.Q3.lock"; ln "$tmp/conf" "$tmp/arc2/2026/.Q3.lock"
"$REVREPORT" archive -i "$in" --quarter 2026Q3 --into "$tmp/arc2" --quiet 2>/dev/null
[ "$(cat "$tmp/conf")" = "do not touch" ]; ok $? "a lock file hard-linked to another file is not overwritten"
rm "$tmp/arc2/2026/.Q3.lock"
rm -rf "$tmp/arc2/2026/Q3"
"$REVREPORT" archive -i "$in" --quarter 2026Q3 --into "$tmp/arc2" --quiet; ok $? "with the planted links gone the archive is written"
[ ! -e "$tmp/arc2/2026/.Q3.lock" ]; ok $? "and no lock file is left behind"

echo "1..$n"
[ "$fail" -eq 0 ]
