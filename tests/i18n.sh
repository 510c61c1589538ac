#!/bin/bash
# i18n.sh: the sample report in en, ja, zh and ru (TAP).
#   bash tests/i18n.sh        (make check sets REVREPORT, top_srcdir)
# For each language: the run succeeds; pdftotext finds the localized strings
# (section titles, the period, a formatted amount); pdffonts shows every font
# embedded and a CJK font exactly when there is CJK text; the PDF stays small
# enough to e-mail; the HTML carries lang="..".  Then Japanese and Cyrillic
# data (campaign and channel names) in an English and a Russian report.
# The module sections (forecast, funnel, attribution) are checked too: their
# headings in each language, and no English module heading left over.
set -u
: "${REVREPORT:=./revreport}" "${top_srcdir:=.}"
export SOURCE_DATE_EPOCH=1793491200
n=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
have_poppler=1
command -v pdftotext >/dev/null && command -v pdffonts >/dev/null || have_poppler=0

# lang | expected strings in the PDF text (|-separated) | CJK font expected
cases=(
  "en|Executive summary|October 2026|Revenue won|\$3,232,261|-"
  "ja|エグゼクティブサマリー|2026年10月|受注額|前月比|目標達成率|\$3,232,261|予測と実績|ファネルとパイプライン|アトリビューション：モデルの比較|四半期予測|IPAGothic"
  "zh|执行摘要|2026年10月|赢单金额|目标达成率|\$3,232,261|预测与实际|转化漏斗与销售管道|归因：各模型对比|季度预测|WenQuanYi"
  "ru|Ключевые показатели|октябрь 2026|Выручка по выигранным сделкам|3 232 261 \$|Прогноз и факт|Маркетинговая воронка и воронка продаж|Атрибуция: сравнение моделей|Прогноз на квартал|к сентябрю 2026|Новые сделки в воронке|м/м|-"
)
# module headings (en-forecast.txt, en-attr.txt, en-input.txt) that must not stay English in ja/zh/ru
english_headings=("Forecast vs actuals" "Funnel and pipeline" "Attribution: how the models compare"
  "Forecast for the quarter" "Exports read through a profile" "Unit economics")
for c in "${cases[@]}"; do
  IFS='|' read -r -a f <<<"$c"
  lang=${f[0]}; font=${f[$((${#f[@]} - 1))]}
  out="$tmp/$lang"
  "$REVREPORT" -i "$top_srcdir/samples" --month 2026-10 --lang "$lang" -o "$out" >"$tmp/$lang.log" 2>&1
  ok $? "$lang: sample report runs"
  grep -q "<html[^>]*lang=\"$lang\"" "$out/report.html"; ok $? "$lang: report.html has lang=\"$lang\""
  # no text cut inside a character: valid UTF-8, and no U+FFFD (doc.c puts
  # one where a caller cut a text; the inputs hold none)
  "$REVREPORT" -i "$top_srcdir/samples" --quarter 2026Q3 --lang "$lang" -o "$out-q" >"$tmp/$lang-q.log" 2>&1
  ok $? "$lang: quarter report runs"
  for f in "$out/report.html" "$out/report.xml" "$out-q/report.html" "$out-q/report.xml"; do
    iconv -f UTF-8 -t UTF-8 "$f" >/dev/null 2>&1 && ! grep -q $'\xef\xbf\xbd' "$f"
    ok $? "$lang: ${f#$tmp/} is valid UTF-8 with no replacement character"
  done
  if [ $have_poppler = 0 ]; then skip "poppler-utils not installed"; continue; fi
  # the quarter is named in the reader's language, never by its token
  ! pdftotext "$out-q/report.pdf" - 2>/dev/null | grep -q "2026Q3"; ok $? "$lang: the quarter report's text never says 2026Q3"
  case $lang in
    zh) pg='第 2 页 / 共 [0-9]+ 页' ;; ja) pg='2 / [0-9]+ ページ' ;; ru) pg='Стр\. 2 из [0-9]+' ;; *) pg='Page 2 / [0-9]+' ;;
  esac
  pdftotext "$out/report.pdf" - 2>/dev/null | grep -Eq "$pg"; ok $? "$lang: page footer reads as the language writes it ($pg)"
  pdftotext -layout "$out/report.pdf" "$tmp/$lang.txt" 2>/dev/null
  # NBSP (the ru group separator) reads as a space
  sed -i 's/\xc2\xa0/ /g' "$tmp/$lang.txt"
  # a tile label may wrap in its tile (page 1 has four tiles across): the
  # text in reading order with its lines joined finds it whole
  pdftotext -raw "$out/report.pdf" - 2>/dev/null | sed 's/\xc2\xa0/ /g' | tr '\n' ' ' > "$tmp/$lang.raw"
  for ((i = 1; i < ${#f[@]} - 1; i++)); do
    grep -qF -- "${f[$i]}" "$tmp/$lang.txt" || grep -qF -- "${f[$i]}" "$tmp/$lang.raw"
    ok $? "$lang: PDF text has '${f[$i]}'"
  done
  # one term per concept, and Russian month names declined after "к"
  case $lang in
    ja) bad='勝率|新規パイプライン|成約|支出|貢献売上| 26年9月比' ;;
    zh) bad='新增商机|丢单|赢单收入|较26年' ;;
    ru) bad='к (январь|февраль|март|апрель|май|июнь|июль|август|сентябрь|октябрь|ноябрь|декабрь) |Новая воронка|выигрыш|Цена сделки|ф\. г\.|к сент\. 26' ;;
    *) bad='' ;;
  esac
  if [ -n "$bad" ]; then
    ! grep -qE -- "$bad" "$tmp/$lang.txt"; ok $? "$lang: PDF text has none of: $bad"
  fi
  if [ "$lang" != en ]; then
    left=""
    for h in "${english_headings[@]}"; do grep -qF -- "$h" "$tmp/$lang.txt" && left="$left '$h'"; done
    [ -z "$left" ]; ok $? "$lang: no English module heading left in the PDF${left:+ (found$left)}"
  fi
  pdffonts "$out/report.pdf" 2>/dev/null | tail -n +3 >"$tmp/$lang.fonts"
  awk '$(NF-4) != "yes" { bad = 1 } END { exit bad }' "$tmp/$lang.fonts" && [ -s "$tmp/$lang.fonts" ]
  ok $? "$lang: every PDF font is embedded ($(awk '{print $1}' "$tmp/$lang.fonts" | tr '\n' ' '))"
  if [ "$font" = - ]; then
    ! grep -qE 'IPA|WenQuanYi|Droid' "$tmp/$lang.fonts"; ok $? "$lang: no CJK font embedded (none needed)"
  else
    grep -q "$font" "$tmp/$lang.fonts"; ok $? "$lang: $font embedded"
  fi
  size=$(stat -c %s "$out/report.pdf")
  echo "# $lang: report.pdf is $size bytes"
  [ "$size" -lt 1000000 ]; ok $? "$lang: report.pdf under 1 MB ($size bytes)"
done

# Data in other scripts: Japanese campaign/channel names in an English report,
# Cyrillic in a Japanese one; long names are cut by characters, not bytes.
data="$tmp/mixed"
cp -r "$top_srcdir/samples" "$data"
rm -f "$data"/README* 2>/dev/null
ja_chan="東京展示会"; ru_chan="Вебинары Москва"
for file in "$data"/spend.csv "$data"/touchpoints.csv; do
  [ -f "$file" ] && sed -i "s/\bEvents\b/$ja_chan/g; s/\bWebinars\b/$ru_chan/g" "$file"
done
for lang in en ja; do
  out="$tmp/mixed-$lang"
  "$REVREPORT" -i "$data" --month 2026-10 --lang "$lang" -o "$out" >"$tmp/mixed-$lang.log" 2>&1
  ok $? "$lang: report with Japanese and Cyrillic channel names runs"
  if [ $have_poppler = 0 ]; then skip "poppler-utils not installed"; continue; fi
  pdftotext "$out/report.pdf" - 2>/dev/null >"$tmp/mixed-$lang.txt"
  grep -qF "$ja_chan" "$tmp/mixed-$lang.txt"; ok $? "$lang: PDF text has the Japanese channel name"
  grep -qF "$ru_chan" "$tmp/mixed-$lang.txt"; ok $? "$lang: PDF text has the Cyrillic channel name"
  pdffonts "$out/report.pdf" 2>/dev/null | grep -qE 'IPAGothic|WenQuanYi|Droid'
  ok $? "$lang: a CJK font is embedded for the Japanese data"
  grep -qF "$ja_chan" "$out/report.html"; ok $? "$lang: report.html has the Japanese channel name"
  ! grep -q $'\xef\xbf\xbd' "$tmp/mixed-$lang.txt"; ok $? "$lang: no replacement character in the PDF text"
done
echo "1..$n"
