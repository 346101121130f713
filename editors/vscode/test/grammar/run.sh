#!/usr/bin/env bash
# The grammar tests: scope assertions (test/grammar/*.cruddur), then snapshots of every example.
#   bash test/grammar/run.sh            run them
#   bash test/grammar/run.sh --update   rewrite the snapshots (test/grammar/snapshots/)
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:$PATH"
if [ "${1-}" = "--update" ]; then
  exec node test/grammar/snapshots.mjs --update
fi
vscode-tmgrammar-test -g syntaxes/cruddur.tmLanguage.json 'test/grammar/*.cruddur'
node test/grammar/snapshots.mjs
# One per assertion file and per example snapshot (each command fails on any miss).
echo "grammar: $(($(ls test/grammar/*.cruddur | wc -l) + $(ls test/grammar/snapshots/*.snap | wc -l))) passed"
