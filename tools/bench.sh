#!/bin/sh
# bench.sh: revreport's throughput benchmark (`make bench` runs it from the
# build directory).
#
#   make bench                        # the issue's enterprise year (~1.1 GB)
#   BENCH_SCALE=20 make bench         # a smaller run (the sample's mix, 24 months)
#   BENCH_GEN="--months 12 --scale 60 --touches 11.5" make bench   # any gensample options
#   BENCH_DIR=/big/disk make bench    # where the temporary data goes
#   BENCH_KEEP=1 make bench           # keep the generated data and report
#
# By default it generates an enterprise-size year with tools/gensample
# (--months 12 --scale 120 --touches 11.5 --spend-rows-per-day 1700: about
# 10.4M touchpoints, 1.05M leads, 157k opportunities, 5.1M keyword-level spend
# rows, 1.1 GB of CSV), then times (1) a plain read of the input files (after
# a warm-up read, so both runs read from the page cache), (1b) libcsv alone
# on one core, (1c) DuckDB's channel x month GROUP BY over touchpoints.csv
# (npm @duckdb/node-api; skipped when it cannot be installed) and (2) one
# revreport run on the same files, and prints rows per file, MB/s, the ratios
# and revreport's peak memory.  Only the shell, coreutils and awk are needed;
# /usr/bin/time -v is used for peak memory when present.
set -u

if [ -n "${BENCH_GEN:-}" ]; then
    GEN_OPTS=$BENCH_GEN
elif [ -n "${BENCH_SCALE:-}" ]; then
    GEN_OPTS="--scale $BENCH_SCALE"
else
    GEN_OPTS="--months 12 --scale 120 --touches 11.5 --spend-rows-per-day 1700"
fi
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}}
GEN=${GENSAMPLE:-./tools/gensample}
REV=${REVREPORT:-./revreport}
MONTH=${BENCH_MONTH:-2026-10}
TIME=${BENCH_TIME:-/usr/bin/time}

now() { date +%s.%N; }
# elapsed seconds between two `now` stamps, and MB/s for a byte count
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
mbps() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.1f", n / 1e6 / s; else print "inf" }'; }

if [ ! -x "$GEN" ]; then
    echo "bench: $GEN not found (run from the build directory after make)" >&2
    exit 1
fi

work=$(mktemp -d "$BENCH_DIR/rr-bench.XXXXXX") || exit 1
cleanup() {
    if [ "${BENCH_KEEP:-0}" = 1 ]; then
        echo "bench: kept $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
data=$work/input
out=$work/output
mkdir -p "$data" "$out"

echo "bench: $(nproc 2> /dev/null || echo '?') cores; load average $(cut -d' ' -f1-3 /proc/loadavg 2> /dev/null) (other work on the machine skews the times; see docs/performance.md)"
echo "bench: generating ($GEN_OPTS) into $data"
t0=$(now)
"$GEN" --out "$data" $GEN_OPTS || { echo "bench: gensample failed" >&2; exit 1; }
t1=$(now)
echo "bench: generated in $(elapsed "$t0" "$t1") s"

files=$(ls "$data"/*.csv)
bytes=$(cat $files | wc -c)
echo
echo "rows per file (data rows, header excluded):"
for f in $files; do
    n=$(wc -l < "$f")
    sz=$(wc -c < "$f")
    printf '  %-20s %12d rows %10.1f MB\n' "$(basename "$f")" $((n - 1)) "$(awk -v b="$sz" 'BEGIN { print b / 1e6 }')"
done
printf '  %-20s %12s      %10.1f MB\n' total "" "$(awk -v b="$bytes" 'BEGIN { print b / 1e6 }')"

# (1) plain read: warm the page cache, then time a second read
cat $files > /dev/null
t0=$(now)
cat $files > /dev/null
t1=$(now)
read_s=$(elapsed "$t0" "$t1")
echo
echo "plain read:  $read_s s  $(mbps "$bytes" "$read_s") MB/s"

# (1b) libcsv alone, one core (tools/csvcount)
CSVCOUNT=${CSVCOUNT:-./tools/csvcount}
csv_s=
if [ -x "$CSVCOUNT" ]; then
    t0=$(now)
    "$CSVCOUNT" $files > /dev/null
    t1=$(now)
    csv_s=$(elapsed "$t0" "$t1")
    echo "libcsv alone (1 core): $csv_s s  $(mbps "$bytes" "$csv_s") MB/s"
fi

# (1d) the SHA-256 of the files revreport reads, one core (csvcount --sha256:
# revreport's own code): a floor under every run, since the appendix and the
# archive's manifest print it
sha_s=
if [ -x "$CSVCOUNT" ]; then
    big=$(ls "$data"/opportunities.csv "$data"/touchpoints.csv "$data"/leads.csv "$data"/spend.csv 2> /dev/null)
    t0=$(now)
    "$CSVCOUNT" --sha256 $big > /dev/null
    t1=$(now)
    sha_s=$(elapsed "$t0" "$t1")
    echo "SHA-256 of the four big files (1 core): $sha_s s  $(mbps "$bytes" "$sha_s") MB/s"
fi

# (1c) DuckDB: channel x month GROUP BY over touchpoints.csv (npm @duckdb/node-api)
duck_s=
duck_cpu=
dload_s=
srcdir=${top_srcdir:-$(dirname "$0")/..}
duckdir=${BENCH_DUCKDB_DIR:-$BENCH_DIR/rr-bench-duckdb}
if command -v node > /dev/null && command -v npm > /dev/null; then
    if [ ! -d "$duckdir/node_modules/@duckdb/node-api" ]; then
        mkdir -p "$duckdir" && (cd "$duckdir" && npm install --silent --no-audit --no-fund @duckdb/node-api > /dev/null 2>&1)
    fi
    if [ -d "$duckdir/node_modules/@duckdb/node-api" ]; then
        cp "$srcdir/tools/duckdb_groupby.mjs" "$duckdir/"
        node "$duckdir/duckdb_groupby.mjs" "$data/touchpoints.csv" > /dev/null 2>&1      # warm-up
        if [ -x "$TIME" ] && "$TIME" -f "%U" true > /dev/null 2>&1; then
            duck=$("$TIME" -f "%U %S" -o "$work/duck-cpu.txt" node "$duckdir/duckdb_groupby.mjs" "$data/touchpoints.csv" 2> /dev/null)
            duck_cpu=$(awk '{ printf "%.2f", $1 + $2 }' "$work/duck-cpu.txt" 2> /dev/null)
        else
            duck=$(node "$duckdir/duckdb_groupby.mjs" "$data/touchpoints.csv" 2> /dev/null)
        fi
        duck_s=${duck%% *}
        tp=$(wc -c < "$data/touchpoints.csv")
        [ -n "$duck_s" ] && echo "DuckDB GROUP BY (touchpoints.csv, $(awk -v b="$tp" 'BEGIN { printf "%.0f", b / 1e6 }') MB): $duck_s s${duck_cpu:+ (process CPU, node included: $duck_cpu core-seconds)}"
        # the same engine loading every column of the files revreport reads
        big=$(ls "$data"/opportunities.csv "$data"/touchpoints.csv "$data"/leads.csv "$data"/spend.csv 2> /dev/null)
        dload=$(node "$duckdir/duckdb_groupby.mjs" --load $big 2> /dev/null)
        dload_s=${dload%% *}
        [ -n "$dload_s" ] && echo "DuckDB loading every column of opportunities, touchpoints, leads, spend: $dload_s s"
    else
        echo "DuckDB: @duckdb/node-api could not be installed, skipped"
    fi
else
    echo "DuckDB: node/npm not found, skipped"
fi

# (2) revreport
rev_s=
peak=
cpu_s=
if [ ! -x "$REV" ]; then
    echo "revreport:   $REV not found, skipped"
else
    log=$work/revreport.log
    tv=$work/time.txt
    if [ -x "$TIME" ] && "$TIME" -v true > /dev/null 2>&1; then
        t0=$(now)
        REVREPORT_TIMINGS=1 "$TIME" -v -o "$tv" "$REV" --input "$data" --month "$MONTH" --output "$out" > "$log" 2>&1
        rc=$?
        t1=$(now)
        peak=$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$tv")
        cpu_s=$(awk -F: '/User time|System time/ { c += $2 } END { printf "%.2f", c }' "$tv")
    else
        # no GNU time: sample VmHWM from /proc while it runs
        t0=$(now)
        REVREPORT_TIMINGS=1 "$REV" --input "$data" --month "$MONTH" --output "$out" > "$log" 2>&1 &
        pid=$!
        peak=0
        while kill -0 "$pid" 2> /dev/null; do
            v=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2> /dev/null)
            [ -n "$v" ] && [ "$v" -gt "$peak" ] && peak=$v
            sleep 0.05
        done
        wait "$pid"
        rc=$?
        t1=$(now)
    fi
    rev_s=$(elapsed "$t0" "$t1")
    if [ "$rc" -ne 0 ]; then
        echo "revreport:   failed (exit $rc) after $rev_s s; last lines of its output:"
        tail -n 5 "$log" | sed 's/^/    /'
        rev_s=
    else
        echo "revreport:   $rev_s s  $(mbps "$bytes" "$rev_s") MB/s"
        ratio=$(awk -v a="$rev_s" -v b="$read_s" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "inf" }')
        echo "ratio:       revreport / plain read = ${ratio}x"
        [ -n "$csv_s" ] && echo "ratio:       revreport / libcsv alone = $(awk -v a="$rev_s" -v b="$csv_s" 'BEGIN { printf "%.2f", a / b }')x"
        [ -n "$duck_s" ] && echo "ratio:       revreport (whole report, all files) / DuckDB GROUP BY = $(awk -v a="$rev_s" -v b="$duck_s" 'BEGIN { printf "%.2f", a / b }')x  (goal < 1.0)"
        [ -n "$dload_s" ] && echo "ratio:       revreport (whole report) / DuckDB loading the same files = $(awk -v a="$rev_s" -v b="$dload_s" 'BEGIN { printf "%.2f", a / b }')x"
    fi
    # the reads alone (REVREPORT_TIMINGS: one line per file): every field typed
    # and checked, every id interned; the checksums run beside them
    read_rev=$(awk '/timing: .*\.csv / { for (i = 1; i <= NF; i++) if ($(i + 1) == "s") { t += $i; break } } END { if (t > 0) printf "%.3f", t }' "$log")
    if [ -n "$rev_s" ] && [ -n "$read_rev" ]; then
        echo
        echo "where revreport's time goes (the floor under the goal):"
        echo "  reading its input files (typed, checked, interned; checksums beside): $read_rev s$( [ -n "$duck_s" ] && awk -v a="$read_rev" -v b="$duck_s" 'BEGIN { printf " = %.2fx DuckDB GROUP BY", a / b }')"
        [ -n "$sha_s" ] && [ -n "$duck_s" ] && echo "  SHA-256 of the four big files alone, 1 core: $sha_s s = $(awk -v a="$sha_s" -v b="$duck_s" 'BEGIN { printf "%.2f", a / b }')x DuckDB GROUP BY's wall time"
        [ -n "$cpu_s" ] && echo "  CPU: $cpu_s core-seconds over $rev_s s ($(awk -v c="$cpu_s" -v w="$rev_s" 'BEGIN { printf "%.2f", c / w }') cores busy on average)"
    fi
    [ -n "$peak" ] && echo "peak memory: $(awk -v k="$peak" 'BEGIN { printf "%.1f MB", k / 1024 }') (revreport max RSS)"
fi
exit 0
