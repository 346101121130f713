#!/usr/bin/env bash
# The pre-commit hooks (.pre-commit-hooks.yaml) as a user's repository runs them, through
# `pre-commit try-repo` (PyPI, pinned in requirements.txt) and the built `cruddur`:
#   - cruddur-check passes on a clean program, and fails on a mistake with its code and place;
#   - cruddur-fmt lays out a badly laid-out file, and fails the commit because it changed it.
# Usage: tests/integrations/pre-commit.sh PRE_COMMIT CRUDDUR_BIN_DIR
set -euo pipefail
# Both made absolute: the test runs in a repository of its own.
pre_commit=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
bin=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PATH="$bin:$PATH" PRE_COMMIT_HOME="$work/cache"
passed=0
failed=0
ok() { echo "ok   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }

cd "$work"
git init -q repo && cd repo
git config user.email ci@example.com && git config user.name ci
cp "$here/examples/01-minimal.cruddur" pipeline.cruddur
git add -A && git commit -qm program

try() { "$pre_commit" try-repo "$here" "$1" --all-files --color never 2>&1; }

if out=$(try cruddur-check); then ok "cruddur-check passes on a clean program"; else fail "cruddur-check on a clean program: $out"; fi

sed -i 's/output Code/output Cod/' pipeline.cruddur
if out=$(try cruddur-check); then
  fail "cruddur-check passed a program with a mistake"
elif grep -q 'E0310' <<<"$out" && grep -q 'pipeline.cruddur' <<<"$out"; then
  ok "cruddur-check fails on a mistake, naming its code and file"
else
  fail "cruddur-check's output does not name the mistake: $out"
fi
git checkout -q pipeline.cruddur

sed -i 's/^  region  = /  region =   /' pipeline.cruddur
if out=$(try cruddur-fmt); then
  fail "cruddur-fmt passed a file it should lay out"
elif ! grep -q 'files were modified by this hook' <<<"$out"; then
  fail "cruddur-fmt failed for another reason: $out"
elif diff -q pipeline.cruddur "$here/examples/01-minimal.cruddur" >/dev/null; then
  ok "cruddur-fmt lays the file out and fails the commit"
else
  fail "cruddur-fmt's layout differs from the example's: $(diff pipeline.cruddur "$here/examples/01-minimal.cruddur")"
fi
# Laid out, the file passes.
if out=$(try cruddur-fmt); then ok "cruddur-fmt passes a laid-out file"; else fail "cruddur-fmt on a laid-out file: $out"; fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
