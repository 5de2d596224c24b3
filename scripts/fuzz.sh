#!/usr/bin/env bash
# Fuzzes the readers and the extraction with cargo-fuzz (libFuzzer), each target for a time.
#   scripts/fuzz.sh            # 60 s per target
#   scripts/fuzz.sh 3600       # an hour per target
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). Seeds come from
# samples/ and, where present, ../shared/corpus. A crash is written to
# fuzz/artifacts/<target>/; keep it as a regression test in tests/all/robustness.rs.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
seed() {
  local target="$1"; shift
  mkdir -p "fuzz/corpus/$target"
  for f in "$@"; do
    [ -f "$f" ] && cp -n "$f" "fuzz/corpus/$target/" 2>/dev/null || true
  done
}
seed read_text samples/*.txt ../shared/corpus/reports/*.layout.txt
seed read_layout ../shared/corpus/reports/*.layout.txt
seed read_docx ../shared/corpus/docx-wild/*.docx
seed extract samples/*.txt
for target in read_text read_layout read_docx extract; do
  echo "fuzzing $target for ${seconds}s"
  (cd fuzz && cargo +nightly fuzz run "$target" -- -max_total_time="$seconds" -rss_limit_mb=4096 -max_len=1048576)
done
