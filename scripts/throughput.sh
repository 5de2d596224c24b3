#!/usr/bin/env bash
# Throughput against the floor, in one run on the same generated files (issue 16):
#
#   text    N copies of samples/yuquan-2021.txt (each one byte different)
#   docx    N copies of samples/yuquan-2021.docx
#   layout  N copies of a corpus report's `pdftotext -layout` text (when ../shared is present)
#   pdf     the corpus PDFs, juesuan -j 1 against `pdftotext -layout` alone (when both exist)
#
# For each: files per second (wall), CPU milliseconds per file (user + system), and the ratio
# of juesuan to the floor (`examples/floor.rs`: read and decode a text; inflate and tokenize
# the parts of a .docx that juesuan reads). Then peak RSS of juesuan for 1,000 and 10,000
# files. Figures vary between runs: compare ratios from one run, not absolute numbers across
# machines.
#
#   scripts/throughput.sh [JOBS] [N] [BASELINE]   (default 2 jobs, 1000 files; needs GNU time)
#
# With BASELINE (a git revision), that revision is built in a temporary worktree and run on the
# same text and .docx copies, alternating with this tree five times each, and the medians'
# ratios are printed: how much faster this tree is than BASELINE on this machine, today. The
# code issue 16 measured (740 text and 410 .docx reports a second, from CPU time on its
# machine) is 7969157; its targets, 1,500 and 1,000, are 2.03x and 2.44x that.
#
# With PGO=1, "this tree" is the profile-guided build of scripts/pgo.sh (what a bulk import
# should run; the same output), not the plain release build; BASELINE stays a plain build.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="${1:-2}"
n="${2:-1000}"
baseline="${3:-}"
cargo build --release --quiet --bin juesuan --example floor
target="${CARGO_TARGET_DIR:-target}"
bin="$target/release/juesuan"
if [[ "${PGO:-0}" == 1 ]]; then
  bin="$(scripts/pgo.sh)"
fi
floor="$target/release/examples/floor"
work="$(mktemp -d)"
trap 'git worktree remove --force "$work/base" 2>/dev/null || true; rm -rf "$work"' EXIT

# copies KIND SOURCE COUNT: COUNT copies of SOURCE in $work/KIND-COUNT, text ones made distinct.
copies() {
  local dir="$work/$1-$3" ext="${2##*.}"
  mkdir -p "$dir"
  for ((i = 0; i < $3; i++)); do
    if [[ "$ext" == txt ]]; then
      { cat "$2"; printf '\n%d\n' "$i"; } > "$dir/r$i.txt"
    else
      cp "$2" "$dir/r$i.$ext"
    fi
  done
  echo "$dir"
}

# The floor passes over the files this many times (its time is divided back), since one pass
# is close to the clock's 10 ms resolution.
repeat=20

# measure CMD...: prints "wall_s cpu_s peak_kib" of the command.
measure() {
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" > /dev/null 2>&1 || true
  read -r wall user sys kib < "$work/time"
  echo "$wall $(echo "$user + $sys" | bc -l) $kib"
}

row() { # row KIND COUNT JUESUAN_MEASURE FLOOR_MEASURE
  read -r jw jc _ <<< "$3"
  read -r fw fc _ <<< "$4"
  printf '%-7s %6d files  juesuan %7.0f files/s %6.2f ms CPU/file   floor %7.0f files/s %6.3f ms CPU/file   ratio wall %5.1fx  CPU %5.1fx\n' \
    "$1" "$2" "$(echo "$2 / $jw" | bc -l)" "$(echo "1000 * $jc / $2" | bc -l)" \
    "$(echo "$2 / $fw" | bc -l)" "$(echo "1000 * $fc / $2" | bc -l)" \
    "$(echo "$jw / $fw" | bc -l)" "$(echo "$jc / $fc" | bc -l)"
}

echo "juesuan $("$bin" --version | cut -d' ' -f2)$([[ "${PGO:-0}" == 1 ]] && echo ' (PGO build)'), $jobs jobs, $(nproc) cores"
kinds=(text:samples/yuquan-2021.txt docx:samples/yuquan-2021.docx)
dirs=()
layout=../shared/corpus/reports/gh_shpt_czj_2024_final_dept.layout.txt
if [[ -f "$layout" ]]; then
  kinds+=("layout:$layout")
else
  echo "layout: skipped, $layout is absent"
fi
for k in "${kinds[@]}"; do
  kind="${k%%:*}"
  dir="$(copies "$kind" "${k#*:}" "$n")"
  # Warm the page cache, then measure each side once.
  cat "$dir"/* > /dev/null
  read -r fw fc _ <<< "$(measure "$floor" "$jobs" "$dir" "$repeat")"
  f="$(echo "$fw / $repeat" | bc -l) $(echo "$fc / $repeat" | bc -l) 0"
  j="$(measure "$bin" extract -q -j "$jobs" -o "$work/out.jsonl" "$dir")"
  row "$kind" "$n" "$j" "$f"
  [[ "$kind" == layout ]] || dirs+=("$kind:$dir")
done

# median: the middle of the numbers on standard input.
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

if [[ -n "$baseline" ]]; then
  git worktree add --quiet --detach "$work/base" "$baseline"
  (cd "$work/base" && CARGO_TARGET_DIR="$work/base-target" cargo build --release --quiet --bin juesuan)
  base="$work/base-target/release/juesuan"
  for d in "${dirs[@]}"; do
    kind="${d%%:*}" dir="${d#*:}"
    : > "$work/base.t"; : > "$work/new.t"
    for ((r = 0; r < 5; r++)); do
      measure "$base" extract -q -j "$jobs" -o "$work/out.jsonl" "$dir" >> "$work/base.t"
      measure "$bin" extract -q -j "$jobs" -o "$work/out.jsonl" "$dir" >> "$work/new.t"
    done
    bw=$(cut -d' ' -f1 "$work/base.t" | median) bc=$(cut -d' ' -f2 "$work/base.t" | median)
    nw=$(cut -d' ' -f1 "$work/new.t" | median) nc=$(cut -d' ' -f2 "$work/new.t" | median)
    printf '%-7s %6d files  %s %7.0f files/s %6.2f ms CPU/file   this tree %7.0f files/s %6.2f ms CPU/file   speed-up wall %4.2fx  CPU %4.2fx\n' \
      "$kind" "$n" "$baseline" "$(echo "$n / $bw" | bc -l)" "$(echo "1000 * $bc / $n" | bc -l)" \
      "$(echo "$n / $nw" | bc -l)" "$(echo "1000 * $nc / $n" | bc -l)" \
      "$(echo "$bw / $nw" | bc -l)" "$(echo "$bc / $nc" | bc -l)"
  done
fi

pdfs=(../shared/corpus/reports/*.pdf)
if command -v pdftotext > /dev/null && [[ -f "${pdfs[0]}" ]]; then
  t0=$(date +%s.%N)
  for p in "${pdfs[@]}"; do pdftotext -layout "$p" - > /dev/null 2>&1; done
  t1=$(date +%s.%N)
  "$bin" extract -q -j 1 -o "$work/pdf.jsonl" "${pdfs[@]}" || true
  t2=$(date +%s.%N)
  printf 'pdf     %6d files  juesuan -j 1 %6.1f ms/file   pdftotext alone %6.1f ms/file   ratio wall %5.2fx\n' \
    "${#pdfs[@]}" "$(echo "1000 * ($t2 - $t1) / ${#pdfs[@]}" | bc -l)" \
    "$(echo "1000 * ($t1 - $t0) / ${#pdfs[@]}" | bc -l)" "$(echo "($t2 - $t1) / ($t1 - $t0)" | bc -l)"
else
  echo "pdf: skipped, pdftotext or the corpus PDFs are absent"
fi

for count in 1000 10000; do
  dir="$(copies rss samples/yuquan-2021.txt "$count")"
  read -r wall _ kib <<< "$(measure "$bin" extract -q -j "$jobs" -o "$work/rss.jsonl" "$dir")"
  printf 'peak RSS %6d text files  %7.1f MiB  (%.1f s)\n' "$count" "$(echo "$kib / 1024" | bc -l)" "$wall"
  rm -rf "$dir"
done
