#!/usr/bin/env bash
# The whole-process time of `cruddur check` and `cruddur build` on the seed example, beside
# cfn-lint on the CloudFormation template that build writes, in one hyperfine run; prints the
# ratio. For scale, the same run times `cp -r` of the folder build writes: starting a small
# process and creating those files, with nothing to compute, is the floor under `build`. Needs a release build (`cargo build --release`), hyperfine (Debian) and cfn-lint
# (`.venv`, made by .ci/run, or on PATH).
#
# Usage: compiler/benches/seed_cli.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-300}
cruddur=$PWD/target/release/cruddur
if [ -x .venv/bin/cfn-lint ]; then cfn_lint=$PWD/.venv/bin/cfn-lint; else cfn_lint=$(command -v cfn-lint); fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp examples/02-cruddur-backend-fargate.cruddur "$work/seed.cruddur"
cd "$work"
params=(--param account_id=123456789012 --param connection_arn=arn:aws:codeconnections:us-east-1:123456789012:connection/00000000-0000-4000-8000-000000000000)
"$cruddur" build --out out "${params[@]}" seed.cruddur 2>/dev/null
template=$(ls out/cloudformation/*.json | head -n 1)
cp "$template" template.json
hyperfine -N --warmup 20 --runs "$runs" --export-json cruddur.json --prepare 'rm -rf fresh' \
  "$cruddur check seed.cruddur" \
  "$cruddur build --out fresh ${params[*]} seed.cruddur" \
  "cp -r out fresh" >/dev/null
# cfn-lint takes a second or more a run: fewer runs.
hyperfine -N -i --warmup 2 --runs 10 --export-json cfn-lint.json "$cfn_lint template.json" >/dev/null
python3 - <<'PY'
import json
results = json.load(open("cruddur.json"))["results"] + json.load(open("cfn-lint.json"))["results"]
for r in results:
    print(f"{r['command'].split('/')[-1][:60]:<60} median {r['median']*1e3:8.2f} ms  min {r['min']*1e3:8.2f} ms")
check, build, copy, lint = (r["median"] for r in results)
print(f"cruddur build takes {(build-copy)*1e3:.2f} ms more than copying its output")
print(f"cfn-lint on the emitted template takes {lint/build:.0f}x as long as cruddur build, {lint/check:.0f}x cruddur check")
PY
