#!/bin/bash
# lint.sh: the style rules a machine can check (TAP): no sprintf, strcpy,
# strcat, strtok, atoi or atof in our C code (docs/style.md, rule 10), and no
# build product tracked in git.
set -u
: "${top_srcdir:?}"
n=0; fail=0
ok() { n=$((n+1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail+1)); fi; }
hits=$(grep -nE '\b(sprintf|strcpy|strcat|strtok|atoi|atof)\s*\(' \
  "$top_srcdir"/src/*.c "$top_srcdir"/tools/*.c "$top_srcdir"/include/revreport/*.h 2>/dev/null)
[ -n "$hits" ] && echo "$hits" | sed 's/^/# /'
ok $([ -z "$hits" ]; echo $?) "no forbidden string/number function in src/, tools/, include/"
if git -C "$top_srcdir" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  bins=$(git -C "$top_srcdir" ls-files | while read -r f; do
    [ -f "$top_srcdir/$f" ] && head -c 4 "$top_srcdir/$f" | grep -q 'ELF' && echo "$f"; done)
  [ -n "$bins" ] && echo "$bins" | sed 's/^/# tracked binary: /'
  ok $([ -z "$bins" ]; echo $?) "no compiled binary tracked in git"
else
  n=$((n+1)); echo "ok $n # SKIP not a git checkout"
fi
echo "1..$n"
[ "$fail" -eq 0 ]
