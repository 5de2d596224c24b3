#!/usr/bin/env bash
# Peak memory (maximum resident set size) of `juesuan extract` over 1,000 and 10,000 copies of
# the bundled samples, and wall time, with JSONL and SQLite output: memory must stay flat as
# the batch grows (the batch streams; only a window of finished files is held).
#
#   scripts/peak-rss.sh [JOBS]    (needs GNU time at /usr/bin/time; builds --release first)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="${1:-2}"
cargo build --release --quiet
bin=target/release/juesuan
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
samples=(samples/yuquan-2021.txt samples/yuquan-2021.docx samples/qinghe-2027-budget.txt samples/qinghe-2027-budget.docx)
for n in 1000 10000; do
  dir="$work/in-$n"
  mkdir -p "$dir"
  for ((i = 0; i < n; i++)); do
    s="${samples[i % ${#samples[@]}]}"
    # Each copy differs by one byte so every file is its own document.
    { cat "$s"; [[ "$s" == *.txt ]] && printf '\n%d\n' "$i"; } > "$dir/r$i.${s##*.}"
  done
  for out in jsonl db; do
    rm -f "$work/out.$out"
    /usr/bin/time -f "%M %e" -o "$work/time" "$bin" extract -q -j "$jobs" -o "$work/out.$out" "$dir" || true
    read -r kb secs < "$work/time"
    printf '%6d files  %-5s  peak RSS %7.1f MiB  %6.2f s  %7.0f files/s\n' \
      "$n" "$out" "$(echo "$kb / 1024" | bc -l)" "$secs" "$(echo "$n / $secs" | bc -l)"
  done
done
