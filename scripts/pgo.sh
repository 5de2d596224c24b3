#!/usr/bin/env bash
# A release binary built with profile-guided optimization (PGO), for bulk imports.
#
# rustc builds the binary once instrumented, that binary reads real reports and records which
# branches and calls they take, and rustc builds it again with that profile: hot paths laid
# out together, likely branches first, hot calls inlined. The code and the output are the
# same as the plain release build's (CI compares them); only the machine code differs. In
# paired runs on copies of samples/yuquan-2021.* (issue 16), with a profile that had not seen
# that report (the corpus, samples/qinghe-* and the seed), it took 0.88-0.90x the CPU of the
# plain build on text and 0.88x on .docx.
#
#   scripts/pgo.sh [INPUT...]
#
# The reports read for the profile are INPUT (files or folders), by default samples/ and, when
# present, the corpus's reports (../shared/corpus/reports: layout texts and PDFs). It prints
# the binary's path, target/pgo/release/juesuan (under $CARGO_TARGET_DIR when that is set).
# Needs llvm-profdata of the toolchain's own LLVM: the llvm-tools component, installed with
# rustup when missing. Two release builds: about twice the time of `cargo build --release`.
#
# Why not cargo-pgo: it runs these same three commands, and would be one more tool to build
# and install on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

host="$(rustc -vV | sed -n 's/^host: //p')"
profdata="$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata"
if [[ ! -x "$profdata" ]]; then
  echo "installing the llvm-tools component for llvm-profdata" >&2
  rustup component add llvm-tools >&2
fi
[[ -x "$profdata" ]] || { echo "no llvm-profdata at $profdata" >&2; exit 1; }

inputs=("$@")
if ((${#inputs[@]} == 0)); then
  inputs=(samples/)
  [[ -d ../shared/corpus/reports ]] && inputs+=(../shared/corpus/reports/)
fi

target="${CARGO_TARGET_DIR:-target}"
# A fixed path for the profiles, so that cargo reuses the instrumented build while the code is
# unchanged.
data="$(mkdir -p "$target/pgo-data" && cd "$target/pgo-data" && pwd)"
rm -rf "$data/raw"

# 1. Instrumented, in a target folder of its own (other flags: nothing shared with the plain
#    build, nothing invalidated in it).
RUSTFLAGS="${RUSTFLAGS:-} -Cprofile-generate=$data/raw" CARGO_TARGET_DIR="$target/pgo-train" \
  cargo build --release --quiet --bin juesuan
# 2. The profile: each process writes a .profraw when it exits; two workers, as a batch runs.
#    Reports that end as error records are profiled too, which is what a batch meets.
"$target/pgo-train/release/juesuan" extract -q -j 2 "${inputs[@]}" > /dev/null
"$profdata" merge -o "$data/merged.profdata" "$data"/raw/*.profraw
# 3. Optimized with it. Cargo does not notice that a profile's content changed, only its path
#    in the flags: the profile is named for its hash, so the binary is always built with the
#    profile just made. Two workers never record quite the same counts twice, so this build
#    runs every time (about 4 minutes on two cores).
profile="$data/$(sha256sum "$data/merged.profdata" | cut -c1-16).profdata"
mv "$data/merged.profdata" "$profile"
find "$data" -maxdepth 1 -name '*.profdata' ! -path "$profile" -delete
RUSTFLAGS="${RUSTFLAGS:-} -Cprofile-use=$profile" CARGO_TARGET_DIR="$target/pgo" \
  cargo build --release --quiet --bin juesuan
echo "$target/pgo/release/juesuan"
