#!/bin/sh
# attr_sql.sh: run tests/data/attr/paths.sql with sqlite3 on the fixture and
# check that its paths give the same attribution as journeys built in C
# (tests/attr_sqlcheck).  TAP; skips when sqlite3 is missing.
srcdir=${top_srcdir:-.}
builddir=${top_builddir:-.}
d="$srcdir/tests/data/attr"
if ! command -v sqlite3 >/dev/null 2>&1; then
    echo "1..1"; echo "ok 1 # SKIP sqlite3 not installed (apt-get install sqlite3)"; exit 0
fi
out=$(mktemp "${TMPDIR:-/tmp}/attr_paths.XXXXXX") || exit 1
trap 'rm -f "$out"' EXIT
if ! sqlite3 :memory: -cmd ".read $d/schema.sql" \
        -cmd ".import --csv --skip 1 $d/touchpoints.csv touchpoints" \
        -cmd ".import --csv --skip 1 $d/opportunities.csv opportunities" \
        -cmd "UPDATE touchpoints SET opportunity_id = NULL WHERE opportunity_id = ''" \
        -cmd ".headers on" -cmd ".mode csv" < "$d/paths.sql" > "$out"; then
    echo "1..1"; echo "not ok 1 - sqlite3 ran paths.sql"; exit 1
fi
exec ${VALGRIND} "$builddir/tests/attr_sqlcheck" "$d" "$out"
