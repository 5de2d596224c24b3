#!/usr/bin/env bash
# Whether a change kept the output byte-identical: builds REV (default: HEAD) in a temporary
# worktree and the working tree, runs both on the samples, the corpus reports and the seed
# (those present), and the local fuzz corpora (`fuzz/corpus/*`, after `scripts/fuzz.sh`:
# thousands of mangled texts, layout texts and .docx files), and compares the JSONL. For
# speed work (issue 16), where any output change is a bug.
#
#   scripts/same-output.sh [REV]
set -euo pipefail
cd "$(dirname "$0")/.."
rev="${1:-HEAD}"
work="$(mktemp -d)"
trap 'git worktree remove --force "$work/tree" 2>/dev/null || true; rm -rf "$work"' EXIT
git worktree add --quiet --detach "$work/tree" "$rev"
inputs=(samples/)
for d in ../shared/corpus/reports ../shared/seeds; do
  if [[ -d "$d" ]]; then inputs+=("$(cd "$d" && pwd)"); else echo "skipped: $d is absent"; fi
done
for d in fuzz/corpus/read_text:txt fuzz/corpus/extract:txt fuzz/corpus/read_layout:txt \
  fuzz/corpus/read_docx:docx; do
  dir="${d%%:*}" ext="${d##*:}"
  if [[ -d "$dir" ]]; then
    # The fuzzer's files have no extension: copied with the one that routes them to their
    # reader (a layout text is told apart by its content).
    mkdir -p "$work/${dir##*/}"
    for f in "$dir"/*; do cp "$f" "$work/${dir##*/}/${f##*/}.$ext"; done
    inputs+=("$work/${dir##*/}")
  fi
done
(cd "$work/tree" && CARGO_TARGET_DIR="$work/target" cargo build --release --quiet --bin juesuan)
cargo build --release --quiet --bin juesuan
"$work/target/release/juesuan" extract -q -o "$work/before.jsonl" "${inputs[@]}" || true
"${CARGO_TARGET_DIR:-target}/release/juesuan" extract -q -o "$work/after.jsonl" "${inputs[@]}" || true
if cmp -s "$work/before.jsonl" "$work/after.jsonl"; then
  echo "same output: $(wc -l < "$work/after.jsonl") records from ${inputs[*]}"
else
  diff "$work/before.jsonl" "$work/after.jsonl" | head -40 || true
  echo "the output changed (rev $rev → working tree)"
  exit 1
fi
