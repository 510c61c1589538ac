#!/bin/sh
# scaling.sh: revreport's scaling benchmark (`make scaling` runs it from the
# build directory).  Not a timed test and not part of `make check`: it shows,
# as ratios measured in one run, whether every step of revreport grows
# linearly (or n log n) in every input dimension a user can grow.
#
#   make scaling                          # every dimension at 1x, 2x, 4x of a scale-5 year
#   SCALING_SCALE=10 make scaling         # a bigger base (gensample --scale)
#   SCALING_FACTORS="1 3 9" make scaling  # other factors (the first is the reference)
#   SCALING_REPEAT=3 make scaling         # best of 3 runs per point (noisy machine)
#   SCALING_DIMS="campaigns channels" make scaling   # only some dimensions
#   SCALING_DIR=/big/disk make scaling    # where the temporary data goes
#   SCALING_KEEP=1 make scaling           # keep the generated data, logs and results
#
# The base is `gensample --months 12 --scale N` (N = SCALING_SCALE, default 5).
# Each dimension grows one thing at factor f of SCALING_FACTORS (default 1 2 4),
# everything else staying as in the base (awk rewrites only columns of files
# without quoted fields, and only inserts whole lines elsewhere):
#
#   rows               gensample --scale N*f: every row count grows together
#   channels           channel of leads.csv and touchpoints.csv = Ch-<k mod C>, C = 250 f
#   campaigns          campaign_id of touchpoints.csv = TC-<k mod C>, C = 100 f
#                      (Markov / Shapley per campaign)
#   unused-campaigns   1000 f rows OLD-<i> in campaigns.csv, before the real ones
#   fx                 10000 f monthly rates of made-up currencies X<j> (2000-01..2026-12)
#                      in fx.csv; every 3rd spend row in EUR so conversions happen
#   channel-map        channel-map.csv of 5000 f entries src_<i>,Channel <i mod 7>, with a
#                      Google Ads campaign report of 20,000 rows (SCALING_EXPORT_ROWS)
#   targets-forecasts  120 f earlier months in targets.csv (one row per month is
#                      allowed) and 1000 f earlier submissions of the base months in
#                      forecasts.csv (the latest on or before the month counts)
#
# (k = the data row's index.)  Each point is one `REVREPORT_TIMINGS=1 revreport
# -i DIR --month 2026-10 -o OUT --quiet` run (the best of SCALING_REPEAT: the
# least wall time, and the least time of each step).  The attribution runs on
# a thread beside the funnel section, so "attribution (wait)" is only what is
# left of it after the funnel; their sum is one more step, "section funnel +
# attribution".  Per dimension it prints the total wall time at each factor
# and the ratio last/first, the step that grew the most from the first factor
# to the last (with its time at every factor; steps under 0.02 s at the last
# factor are noise and ignored), and a verdict:
#
#   linear        the total grows by at most 1.25 x the factor ratio (5x for
#                 4x/1x, 2.5x for 2x/1x and 4x/2x) between every pair of factors,
#                 and so does every step (plus 0.02 s of noise allowed)
#   SUPERLINEAR   otherwise, with the total or steps that grew too much, worst
#                 first.  A step that is superlinear only between the smaller
#                 factors is marked (a size threshold, such as the two-thread
#                 read of big files, or the caches); a larger SCALING_SCALE or
#                 more factors tell these apart.
#
# The total alone would hide a step that grows badly under others that stay
# (charts, HTML, PDF), hence the steps; every pair of factors, because a
# dimension can cross a threshold where another algorithm takes over (a big
# step at 2x, a small one at 4x).  Exit status 0 always (a benchmark, not a
# test); the last line is "scaling: N dimensions, M superlinear".  Only the
# shell, coreutils and awk are needed.
set -u

SCALE=${SCALING_SCALE:-5}
FACTORS=${SCALING_FACTORS:-"1 2 4"}
REPEAT=${SCALING_REPEAT:-1}
DIMS=${SCALING_DIMS:-"rows channels campaigns unused-campaigns fx channel-map targets-forecasts"}
EXPORT_ROWS=${SCALING_EXPORT_ROWS:-20000}
SCALING_DIR=${SCALING_DIR:-${TMPDIR:-/tmp}}
GEN=${GENSAMPLE:-./tools/gensample}
REV=${REVREPORT:-./revreport}
MONTH=${SCALING_MONTH:-2026-10}
NOISE=0.02          # steps under this many seconds at the last factor are noise
PAIR="section funnel + attribution"   # the two steps that run side by side

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
mul() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.10g", a * b }'; }

for x in "$GEN" "$REV"; do
    if [ ! -x "$x" ]; then
        echo "scaling: $x not found (run from the build directory after make)" >&2
        exit 1
    fi
done
set -- $FACTORS
if [ $# -lt 2 ]; then
    echo "scaling: SCALING_FACTORS needs at least two factors (got '$FACTORS')" >&2
    exit 1
fi
for f in $FACTORS; do
    case $f in
        *[!0-9.]* | "" | .) echo "scaling: SCALING_FACTORS: '$f' is not a positive number" >&2; exit 1 ;;
    esac
done
if ! echo "$FACTORS" | awk '{ for (i = 1; i <= NF; i++) if ($i <= 0 || (i > 1 && $i <= $(i - 1))) exit 1 }'; then
    echo "scaling: SCALING_FACTORS must be positive and increasing (got '$FACTORS')" >&2
    exit 1
fi

work=$(mktemp -d "$SCALING_DIR/rr-scaling.XXXXXX") || exit 1
cleanup() {
    if [ "${SCALING_KEEP:-0}" = 1 ]; then
        echo "scaling: kept $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
base=$work/base
results=$work/results.tsv      # dimension, factor, step ("TOTAL" = wall), seconds; one line per run
: > "$results"
mkdir -p "$base"

echo "scaling: $(nproc 2> /dev/null || echo '?') cores; load average $(cut -d' ' -f1-3 /proc/loadavg 2> /dev/null) (other work on the machine skews the times; see docs/performance.md)"
echo "scaling: base = gensample --months 12 --scale $SCALE; factors $FACTORS; best of $REPEAT run(s) per point"
if ! "$GEN" --out "$base" --months 12 --scale "$SCALE" > "$work/gen.log" 2>&1; then
    echo "scaling: gensample failed:" >&2
    cat "$work/gen.log" >&2
    exit 1
fi
echo "scaling: base rows: $(cd "$base" && for f in *.csv; do printf '%s %d, ' "${f%.csv}" $(($(wc -l < "$f") - 1)); done | sed 's/, $//')"

# ---- data helpers -----------------------------------------------------------

# fresh DIR holding a copy of the base
fresh() {
    rm -rf "$1" && mkdir -p "$1" && cp "$base"/*.csv "$1"/
}

# safe FILE: true when FILE has no quote (so awk -F, splits its fields right)
safe() {
    if grep -q '"' "$1"; then
        echo "  (skipped: $(basename "$1") has quoted fields, its columns are not rewritten)"
        return 1
    fi
}

# rewrite_col FILE COLUMN PREFIX C: COLUMN of every data row becomes PREFIX<k mod C>
rewrite_col() {
    safe "$1" || return 1
    awk -F, -v OFS=, -v col="$2" -v pre="$3" -v C="$4" '
        NR == 1 { for (i = 1; i <= NF; i++) if (tolower($i) == col) c = i
                  if (!c) { print "no column " col > "/dev/stderr"; exit 1 }
                  print; next }
        { $c = pre ((NR - 2) % C); print }' "$1" > "$1.new" && mv "$1.new" "$1"
}

# insert_after_header FILE: the lines on stdin go between FILE's header and its rows
insert_after_header() {
    { head -n 1 "$1"; cat; tail -n +2 "$1"; } > "$1.new" && mv "$1.new" "$1"
}

# ---- the dimensions: make_<dim> DIR FACTOR writes the data, describe_<dim> FACTOR says what grew

describe_rows() { echo "scale $(mul "$SCALE" "$1")"; }
make_rows() {
    rm -rf "$1" && mkdir -p "$1" || return 1
    if ! "$GEN" --out "$1" --months 12 --scale "$(mul "$SCALE" "$2")" > "$work/gen.log" 2>&1; then
        sed "s/^/    /" "$work/gen.log"
        return 1
    fi
}

describe_channels() { echo "$(mul 250 "$1") channels"; }
make_channels() {
    fresh "$1" &&
        rewrite_col "$1/leads.csv" channel Ch- "$(mul 250 "$2")" &&
        rewrite_col "$1/touchpoints.csv" channel Ch- "$(mul 250 "$2")"
}

describe_campaigns() { echo "$(mul 100 "$1") campaigns"; }
make_campaigns() {
    fresh "$1" && rewrite_col "$1/touchpoints.csv" campaign_id TC- "$(mul 100 "$2")"
}

describe_unused_campaigns() { echo "+$(mul 1000 "$1") campaigns"; }
make_unused_campaigns() {
    fresh "$1" || return 1
    # existing channels: the last field of campaigns.csv rows whose last field has no quote
    awk -F, -v n="$(mul 1000 "$2")" '
        NR > 1 && $NF !~ /"/ && $NF != "" && !($NF in seen) { seen[$NF] = 1; ch[nch++] = $NF }
        END { if (!nch) ch[nch++] = "Paid Search"
              for (i = 1; i <= n; i++) print "OLD-" i ",Old campaign " i "," ch[i % nch] }' \
        "$1/campaigns.csv" | insert_after_header "$1/campaigns.csv"
}

describe_fx() { echo "+$(mul 10000 "$1") rates"; }
make_fx() {
    fresh "$1" || return 1
    safe "$1/spend.csv" || return 1
    # every 3rd spend row in EUR (add the currency column when the base has none)
    awk -F, -v OFS=, '
        NR == 1 { for (i = 1; i <= NF; i++) if (tolower($i) == "currency") c = i
                  if (!c) { c = NF + 1; $c = "currency" }
                  print; next }
        { if ((NR - 2) % 3 == 0) $c = "EUR"; else if ($c == "") $c = "USD"; print }' \
        "$1/spend.csv" > "$1/spend.new" && mv "$1/spend.new" "$1/spend.csv" || return 1
    # EUR rates for every month when the base has none
    grep -q ',EUR,' "$1/fx.csv" ||
        awk 'BEGIN { for (m = 0; m < 27 * 12; m++) printf "%04d-%02d,EUR,1.08\n", 2000 + int(m / 12), m % 12 + 1 }' \
            >> "$1/fx.csv"
    # made-up currencies, 324 months each (2000-01..2026-12)
    awk -v n="$(mul 10000 "$2")" 'BEGIN {
        for (i = 0; i < n; i++) { m = i % 324
            printf "%04d-%02d,X%d,1.%04d\n", 2000 + int(m / 12), m % 12 + 1, int(i / 324), (i * 7919) % 10000 } }' |
        insert_after_header "$1/fx.csv"
}

describe_channel_map() { echo "$(mul 5000 "$1") map entries"; }
make_channel_map() {
    fresh "$1" || return 1
    awk -v n="$(mul 5000 "$2")" 'BEGIN {
        print "source,channel"
        for (i = 0; i < n; i++) print "src_" i ",Channel " (i % 7) }' > "$1/channel-map.csv"
    # a Google Ads campaign report (profiles/google_ads.profile; the layout of
    # tests/data/exports/src/google_ads_utf16.csv, written as UTF-8 with commas)
    awk -v n="$EXPORT_ROWS" 'BEGIN {
        print "Campaign report"
        print "November 1, 2025 - October 31, 2026"
        print "Campaign status,Campaign,Campaign ID,Day,Currency code,Cost,Impr.,Clicks,Conv."
        for (i = 0; i < n; i++) {
            m = i % 12; y = 2025 + int((m + 10) / 12); mo = (m + 10) % 12 + 1
            cost = (i * 7919) % 20000 / 100; tot += cost
            printf "%s,Search campaign %d,%d,%04d-%02d-%02d,USD,%.2f,%d,%d,%s\n",
                   (i % 5 ? "Enabled" : "Paused"), i % 40, 1000 + i % 40, y, mo, int(i / 12) % 28 + 1,
                   cost, i % 3000, i % 90, (i % 4 ? "1.00" : "--") }
        printf "Total: Campaigns,,,,USD,%.2f,,,\n", tot
        printf "Total: Account,,,,USD,%.2f,,,\n", tot }' > "$1/Campaign report.csv"
}

describe_targets_forecasts() { echo "+$(mul 120 "$1") target months, +$(mul 1000 "$1") forecasts"; }
make_targets_forecasts() {
    fresh "$1" || return 1
    safe "$1/targets.csv" && safe "$1/forecasts.csv" || return 1
    # earlier months before the first target month, oldest first
    awk -F, -v n="$(mul 120 "$2")" '
        NR == 1 { for (i = 1; i <= NF; i++) if (tolower($i) == "month") c = i; next }
        NR == 2 { split($c, ym, "-"); m0 = ym[1] * 12 + ym[2] - 1; row = $0 }
        END { for (k = n; k >= 1; k--) { m = m0 - k; $0 = row
                  $c = sprintf("%04d-%02d", int(m / 12), m % 12 + 1); print } }' OFS=, "$1/targets.csv" |
        insert_after_header "$1/targets.csv"
    # earlier submissions (2000-2024) of the base rows' month and category
    awk -F, -v n="$(mul 1000 "$2")" '
        NR == 1 { for (i = 1; i <= NF; i++) { h = tolower($i)
                      if (h == "submitted_at") s = i; else if (h == "amount") a = i }
                  next }
        { rows[nb++] = $0 }
        END { if (!nb) exit
              for (i = 0; i < n; i++) { $0 = rows[i % nb]; j = int(i / nb)
                  $s = sprintf("%04d-%02d-%02d", 2000 + j % 25, int(j / 25) % 12 + 1, int(j / 300) % 28 + 1)
                  $a = 1000000 + (i * 7919) % 9000000; print } }' OFS=, "$1/forecasts.csv" |
        insert_after_header "$1/forecasts.csv"
}

# ---- one point: run revreport SCALING_REPEAT times, append to $results -------

# run_point DIM FACTOR DIR: 0 when every run succeeded
run_point() {
    r=0
    while [ "$r" -lt "$REPEAT" ]; do
        r=$((r + 1))
        rm -rf "$work/out"
        t0=$(now)
        REVREPORT_TIMINGS=1 "$REV" -i "$3" --month "$MONTH" -o "$work/out" --quiet > "$work/run.log" 2>&1
        rc=$?
        t1=$(now)
        if [ "$rc" -ne 0 ]; then
            echo "  ${2}x: revreport failed (exit $rc); last lines of its output:"
            grep -v '^revreport: timing:' "$work/run.log" | tail -n 5 | sed 's/^/    /'
            return 1
        fi
        printf '%s\t%s\tTOTAL\t%s\n' "$1" "$2" "$(elapsed "$t0" "$t1")" >> "$results"
        # "revreport: timing: <step, may hold spaces> <seconds> s <n> cores"; the attribution runs on
        # its own thread beside the funnel section, so "attribution (wait)" is only what is
        # left of it after the funnel: their sum is recorded as one more step
        awk -v d="$1" -v f="$2" -v pair="$PAIR" '
            sub(/^revreport: timing: /, "") {
                sub(/[ \t]+[0-9.]+ cores[ \t]*$/, "")
                t = $(NF - 1); sub(/[ \t]+[0-9.]+ s[ \t]*$/, "")
                printf "%s\t%s\t%s\t%s\n", d, f, $0, t
                if ($0 == "section funnel" || $0 == "attribution (wait)") { both += t; n++ } }
            END { if (n == 2) printf "%s\t%s\t%s\t%.3f\n", d, f, pair, both }' "$work/run.log" >> "$results"
    done
}

# ---- the summary of one dimension --------------------------------------------

# summarize DIM: prints the totals, ratio, top step and verdict; its last line is the verdict word
summarize() {
    awk -F'\t' -v dim="$1" -v factors="$FACTORS" -v noise="$NOISE" '
        $1 == dim { k = $2 SUBSEP $3
                    if (!(k in best) || $4 + 0 < best[k]) best[k] = $4 + 0
                    if ($3 != "TOTAL" && !($3 in isstep)) { isstep[$3] = 1; steps[ns++] = $3 } }
        function times(s,   i, o) {
            for (i = 1; i <= nf; i++) o = o (i > 1 ? " -> " : "") sprintf("%.3f", best[F[i], s])
            return o " s"
        }
        # check S (a step or TOTAL) over every pair of factors; remembers the worst pair
        function check(s, slack,   i, j, a, b, lim, g) {
            for (i = 1; i < nf; i++) for (j = i + 1; j <= nf; j++) {
                a = best[F[i], s]; b = best[F[j], s]; lim = 1.25 * F[j] / F[i]
                if (b < noise || b <= lim * a + slack) continue
                g = b / (a > 0.001 ? a : 0.001) / lim        # how far over the limit
                if (!(s in worst) || g > worst[s]) {
                    worst[s] = g; wi[s] = i; wj[s] = j }
            }
            if (!(s in worst)) return 0
            bad[nbad++] = s
            return 1
        }
        function why(s,   i, j, a, b, last, o) {
            i = wi[s]; j = wj[s]; a = best[F[i], s]; b = best[F[j], s]
            last = best[F[nf], s] > 1.25 * F[nf] / F[nf - 1] * best[F[nf - 1], s] + (s == "TOTAL" ? 0 : noise)
            o = sprintf("%s: %s; %sx->%sx = %.2fx > %.2fx", s == "TOTAL" ? "total" : "step " s, times(s),
                        F[i], F[j], b / (a > 0.001 ? a : 0.001), 1.25 * F[j] / F[i])
            if (!last)
                o = o sprintf("\n      (not superlinear from %sx to %sx: a size threshold where another code path starts, or the caches?)",
                              F[nf - 1], F[nf])
            return o
        }
        END {
            nf = split(factors, F, " "); f1 = F[1]; fl = F[nf]
            t1 = best[f1, "TOTAL"]; tl = best[fl, "TOTAL"]
            ratio = t1 > 0 ? tl / t1 : 0
            line = "  total:"
            for (i = 1; i <= nf; i++) line = line sprintf("  %sx %.3f s", F[i], best[F[i], "TOTAL"])
            printf "%s   %sx/%sx = %.2f\n", line, fl, f1, ratio
            # the step that grew the most, first to last factor (under noise s at the last: ignored)
            top = ""; topr = 0
            for (i = 0; i < ns; i++) { s = steps[i]
                a = best[f1, s]; b = best[fl, s]
                if (b < noise) continue
                r = b / (a > 0.001 ? a : 0.001)
                if (top == "" || r > topr) { top = s; topr = r } }
            if (top == "")
                printf "  most grown step: none over %.2f s at %sx\n", noise, fl
            else
                printf "  most grown step: %s  %s (%sx/%sx = %.1fx)\n", top, times(top), fl, f1, topr
            # verdict: the total, then every step, over every pair of factors
            check("TOTAL", 0)
            for (i = 0; i < ns; i++) check(steps[i], noise)
            if (!nbad) {
                printf "  verdict: linear (no pair of factors grows the total or a step by more than 1.25x the factor ratio, %.2fx for %sx/%sx)\nlinear\n", 1.25 * fl / f1, fl, f1
                exit
            }
            # worst first
            for (i = 0; i < nbad; i++) for (j = i + 1; j < nbad; j++)
                if (worst[bad[j]] > worst[bad[i]]) { t = bad[i]; bad[i] = bad[j]; bad[j] = t }
            printf "  verdict: SUPERLINEAR\n"
            for (i = 0; i < nbad && i < 4; i++) printf "    %s\n", why(bad[i])
            if (nbad > 4) printf "    and %d more steps\n", nbad - 4
            print "SUPERLINEAR"
        }' "$results"
}

# ---- main loop ---------------------------------------------------------------

ndims=0
nsuper=0
nfailed=0
data=$work/data
for dim in $DIMS; do
    fn=$(echo "$dim" | tr - _)
    if ! command -v "make_$fn" > /dev/null 2>&1; then
        echo "scaling: unknown dimension '$dim' (known: rows channels campaigns unused-campaigns fx channel-map targets-forecasts)" >&2
        continue
    fi
    ndims=$((ndims + 1))
    echo
    echo "dimension $dim:"
    ok=1
    for f in $FACTORS; do
        if ! "make_$fn" "$data" "$f"; then
            echo "  ${f}x: could not build the data, dimension skipped"
            ok=0
            break
        fi
        if ! run_point "$dim" "$f" "$data"; then
            ok=0
            break
        fi
        printf '  %5sx  %-42s %8.3f s\n' "$f" "$("describe_$fn" "$f")" \
            "$(awk -F'\t' -v d="$dim" -v f="$f" '$1 == d && $2 == f && $3 == "TOTAL" && (b == "" || $4 < b) { b = $4 } END { print b }' "$results")"
    done
    if [ "$ok" = 0 ]; then
        nfailed=$((nfailed + 1))
        echo "  verdict: FAILED (no ratio)"
        continue
    fi
    out=$(summarize "$dim")
    echo "$out" | sed '$d'
    [ "$(echo "$out" | tail -n 1)" = SUPERLINEAR ] && nsuper=$((nsuper + 1))
done

echo
if [ "$nfailed" -gt 0 ]; then
    echo "scaling: $ndims dimensions, $nsuper superlinear, $nfailed failed"
else
    echo "scaling: $ndims dimensions, $nsuper superlinear"
fi
exit 0
