#!/usr/bin/env bash
# Runs each fuzz target for SECONDS (default 15) on the committed corpus, seeded with the
# examples and the UI cases, with libFuzzer (cargo-fuzz on the stable toolchain). New inputs go
# to a scratch folder; `--keep` adds them to the committed corpus instead. A crash fails the
# run and leaves its input in fuzz/artifacts/TARGET/: turn it into a regression test.
#
# Usage: fuzz/run.sh [SECONDS] [--keep] [TARGET…]
set -euo pipefail
cd "$(dirname "$0")"
export RUSTC_BOOTSTRAP=1

seconds=15
keep=false
targets=()
for arg in "$@"; do
  case "$arg" in
    --keep) keep=true ;;
    [0-9]*) seconds=$arg ;;
    *) targets+=("$arg") ;;
  esac
done
if [ ${#targets[@]} -eq 0 ]; then
  targets=(check emit fix_and_format edits)
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked --version 0.13.2
fi
# No sanitizer: the compiler has no unsafe code; coverage guidance is what finds its bugs, and
# runs several times faster without AddressSanitizer.
cargo fuzz build -s none -O

seeds=$(mktemp -d)
scratch=$(mktemp -d)
trap 'rm -rf "$seeds" "$scratch"' EXIT
cp ../examples/*.cruddur ../tests/ui/*.cruddur "$seeds"/

for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
  if $keep; then first="corpus/$target"; else first="$scratch/$target"; mkdir -p "$first"; fi
  echo "==> $target: ${seconds}s"
  cargo fuzz run -s none -O "$target" "$first" "corpus/$target" "$seeds" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 2>&1 \
    | grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::average_exec_per_sec|==[0-9]+==|SUMMARY|thread '|panicked)|Done [0-9]+ runs" || true
  if compgen -G "artifacts/$target/*" >/dev/null; then
    echo "fuzz target $target found a failure: see fuzz/artifacts/$target/" >&2
    exit 1
  fi
done
