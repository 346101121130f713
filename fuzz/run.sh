#!/usr/bin/env bash
# Runs each fuzz target for SECONDS (default 15) with libFuzzer (cargo-fuzz on the stable
# toolchain) on its committed corpus (fuzz/corpus/TARGET: the minimized inputs of up to 1 KB),
# the newest 2,000 inputs of earlier long runs on this machine when there are any
# (~/.cache/cruddur-fuzz/TARGET; all of them with --keep), and the examples and UI cases as
# seeds. New inputs go to a scratch folder; `--keep` adds them to the cached corpus instead. A
# crash fails the run and leaves its input in fuzz/artifacts/TARGET/: turn it into a regression
# test.
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
  targets=(check emit fix_and_format edits import)
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked --version 0.13.2
fi
# No sanitizer: the compiler has no unsafe code; coverage guidance is what finds its bugs, and
# runs several times faster without AddressSanitizer. No comparison tracing either: measured on
# the check target over three minutes from the committed corpus, it halved the executions
# (393/s against 834/s) and reached less coverage (16,154 edges against 16,563); the keywords
# it would find still come from libFuzzer's string-comparison hooks.
flags=(-s none -O --no-trace-compares)
# Inputs of up to 4 KB (libFuzzer's default): the shapes that need size are tests of their own
# (compiler/tests/pathological.rs), and small inputs run many times faster. A stack overflow is
# caught by libFuzzer's SIGSEGV handler, which the targets make run on a stack of its own
# (fuzz_targets/common.rs), so it saves the input like any other crash. The entropic
# schedule is off (-entropic=0): its per-feature bookkeeping took a third of the check target's
# time (perf), and without it the target ran 950 executions/s against 746 and reached more
# coverage in the same 40 s from the committed corpus (16,142 edges against 15,956).
cargo fuzz build "${flags[@]}"

seeds=$(mktemp -d)
scratch=$(mktemp -d)
trap 'rm -rf "$seeds" "$scratch"' EXIT
cp ../examples/*.cruddur ../tests/ui/*.cruddur "$seeds"/

for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/cruddur-fuzz/$target"
  if $keep; then first=$cache; else first="$scratch/$target"; fi
  mkdir -p "$first"
  corpora=("$first" "corpus/$target")
  if [ "$first" != "$cache" ] && [ -d "$cache" ]; then
    # A short run reads the newest 2,000 inputs of the cached corpus, not all of it: libFuzzer
    # runs every input it is given before its time limit counts, and after long runs the
    # whole cache (27,000 inputs of fix_and_format, at about 60 a second) took eight minutes.
    sample="$scratch/$target.cached"
    mkdir -p "$sample"
    # (`sed` reads to the end: `head` would stop `sort` with SIGPIPE, which pipefail fails on.)
    find "$cache" -maxdepth 1 -type f -printf '%T@ %p\n' | sort -rn | sed -n '1,2000p' | cut -d' ' -f2- |
      xargs -r -d '\n' cp -t "$sample"/
    corpora+=("$sample")
  fi
  echo "==> $target: ${seconds}s"
  log="$scratch/$target.log"
  status=0
  cargo fuzz run "${flags[@]}" "$target" "${corpora[@]}" "$seeds" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=4096 -entropic=0 -print_final_stats=1 >"$log" 2>&1 || status=$?
  grep -E "^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::(number_of_executed_units|average_exec_per_sec)|==[0-9]+==|SUMMARY|panicked" "$log" || true
  if compgen -G "artifacts/$target/*" >/dev/null || [ "$status" -ne 0 ] || ! grep -q "^Done [0-9]* runs" "$log"; then
    tail -n 40 "$log" >&2
    echo "fuzz target $target failed (exit $status): its input, if any, is in fuzz/artifacts/$target/" >&2
    exit 1
  fi
done
