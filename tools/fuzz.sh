#!/bin/bash
# fuzz.sh: build the libFuzzer targets (tests/fuzz/fuzz_*.c) with clang,
# AddressSanitizer and UndefinedBehaviorSanitizer, and run each for a bounded
# time on its corpus (tests/fuzz/corpus/<target>/).  New interesting inputs
# are added to the corpus in the repo when FUZZ_SAVE=1 (commit them).
#   make fuzz                       # 60 s per target
#   FUZZ_SECONDS=600 make fuzz      # longer
# Needs clang (Debian: clang, libclang-rt-14-dev).  Exit 1 on any crash.
set -u
src=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
secs=${FUZZ_SECONDS:-60}
cc=${FUZZ_CC:-clang}
command -v "$cc" >/dev/null || { echo "fuzz: $cc not found (apt-get install clang libclang-rt-14-dev)"; exit 77; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
flags="-g -O1 -std=c11 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
  -I$src/include -DRR_DATADIR=\"/nonexistent\" -DRR_SRCDIR=\"$src\" -DRR_FONTDIR=\"/usr/share/fonts/truetype/dejavu\"
  -DPACKAGE_STRING=\"revreport-fuzz\" -DPACKAGE_BUGREPORT=\"\" $(pkg-config --cflags cairo libxml-2.0 pangocairo pangoft2 fontconfig libzip)"
libs="$(pkg-config --libs cairo libxml-2.0 pangocairo pangoft2 fontconfig libzip) -lcsv -lhpdf -lm $(pkg-config --libs libcurl 2>/dev/null)"
lib_src=$(ls "$src"/src/*.c | grep -v '/main\.c$')
status=0
for t in "$src"/tests/fuzz/fuzz_*.c; do
  name=$(basename "$t" .c); short=${name#fuzz_}
  echo "fuzz: building $name"
  if ! $cc $flags -o "$work/$name" "$t" $lib_src $libs 2>"$work/$name.build"; then
    cat "$work/$name.build"; status=1; continue
  fi
  corpus="$work/corpus-$short"; mkdir -p "$corpus"
  cp "$src/tests/fuzz/corpus/$short"/* "$corpus/" 2>/dev/null || true
  echo "fuzz: running $name for ${secs}s ($(ls "$corpus" | wc -l) seeds)"
  (cd "$work" && ASAN_OPTIONS=detect_leaks=1 "./$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
     -max_len=65536 -print_final_stats=1 "$corpus" >"$work/$name.log" 2>&1)
  rc=$?
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb|cov:" "$work/$name.log" | tail -3
  if [ $rc -ne 0 ]; then
    echo "fuzz: $name FAILED (exit $rc):"; grep -A30 -E "ERROR|runtime error|timeout" "$work/$name.log" | head -60
    mkdir -p "$src/tests/fuzz/crashes"; cp "$work"/crash-* "$work"/timeout-* "$work"/leak-* "$src/tests/fuzz/crashes/" 2>/dev/null
    status=1
  fi
  if [ "${FUZZ_SAVE:-0}" = 1 ]; then
    mkdir -p "$src/tests/fuzz/corpus/$short"
    "$work/$name" -merge=1 "$src/tests/fuzz/corpus/$short" "$corpus" >/dev/null 2>&1
  fi
done
exit $status
