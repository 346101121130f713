#!/usr/bin/env bash
# The extension in a real VS Code: packages the .vsix, installs it into code-server (VS Code in
# a browser), opens a workspace with mistakes in headless Chromium through playwright-core, and
# asserts what a user sees (test/e2e/e2e.mjs). Screenshots go to test/e2e/out/.
#
#   npm run e2e                 (from editors/vscode/; builds the server first if needed)
#
# CRUDDUR_LSP and CRUDDUR name the server and the compiler (default: target/debug of this
# checkout; built with cargo when missing). Node 24 and code-server are installed once into
# ${XDG_CACHE_HOME:-$HOME/.cache}/cruddur-e2e by setup-code-server.sh. KEEP=1 keeps the temporary
# folder (VS Code's logs, the workspace) to look at.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
ext=$(cd "$here/../.." && pwd)
repo=$(cd "$ext/../.." && pwd)
started=$(date +%s)

server=${CRUDDUR_LSP:-$repo/target/debug/cruddur-lsp}
cli=${CRUDDUR:-$repo/target/debug/cruddur}
case $server in /*) ;; *) server=$PWD/$server ;; esac
case $cli in /*) ;; *) cli=$PWD/$cli ;; esac
if [ ! -x "$server" ] || [ ! -x "$cli" ]; then
  echo "e2e: building the server and the compiler" >&2
  (cd "$repo" && cargo build --locked -p cruddur-lsp -p cruddur)
fi

cd "$ext"
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
npm run -s package >/dev/null
echo "e2e: packaged $(du -k cruddur.vsix | cut -f1) KiB: cruddur.vsix"

setup=$(bash "$here/setup-code-server.sh")
eval "$setup"

tmp=$(mktemp -d)
cleanup() {
  [ -n "${cs_pid:-}" ] && kill "$cs_pid" 2>/dev/null && wait "$cs_pid" 2>/dev/null
  if [ -n "${KEEP:-}" ]; then echo "e2e: kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

# The server and the compiler are found the way a user's are: on the PATH of the user's login
# shell (VS Code's server reads it from the shell, as `cargo install` users have ~/.cargo/bin
# there), and the compiler beside the server. The home folder is a fresh one.
bin=$tmp/bin
mkdir -p "$bin" "$tmp/home" "$tmp/user/User" "$tmp/ext" "$tmp/workspace"
ln -s "$server" "$bin/cruddur-lsp"
ln -s "$cli" "$bin/cruddur"
printf 'export PATH="%s:/usr/local/bin:/usr/bin:/bin"\n' "$bin" | tee "$tmp/home/.profile" >"$tmp/home/.bashrc"
cat >"$tmp/user/User/settings.json" <<JSON
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "workbench.colorTheme": "Default Dark Modern",
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "update.mode": "none",
  "chat.disableAIFeatures": true,
  "editor.minimap.enabled": false,
  "editor.hover.delay": 100,
  "editor.quickSuggestions": { "other": false, "comments": false, "strings": false },
  "files.autoSave": "off",
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "[cruddur]": { "editor.formatOnSave": true },
  "cruddur.build.outDir": "build",
  "cruddur.build.parameters": {
    "account_id": "123456789012",
    "connection_arn": "arn:aws:codeconnections:us-east-1:123456789012:connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
  }
}
JSON
"$NODE24" "$CODE_SERVER" --user-data-dir "$tmp/user" --extensions-dir "$tmp/ext" \
  --install-extension "$ext/cruddur.vsix" >/dev/null

# The workspace: the seed example with one mistake, and a file laid out badly.
cp "$repo/examples/02-cruddur-backend-fargate.cruddur" "$tmp/workspace/pipeline.cruddur"
sed -i 's/^  cluster        = "cruddur"$/  clustr         = "cruddur"/' "$tmp/workspace/pipeline.cruddur"
grep -q '^  clustr ' "$tmp/workspace/pipeline.cruddur" || { echo "e2e: the example changed; no mistake made" >&2; exit 2; }
printf 'repository   images {\nname = "images"\n      scan_on_push=true\n  tag_mutability   =   immutable\n}\n' >"$tmp/workspace/messy.cruddur"
"$cli" fmt --check "$tmp/workspace/messy.cruddur" >/dev/null 2>&1 && { echo "e2e: messy.cruddur is already formatted" >&2; exit 2; }

port=$((20000 + RANDOM % 20000))
HOME="$tmp/home" SHELL=/bin/bash PATH="/usr/local/bin:/usr/bin:/bin" XDG_CACHE_HOME="$tmp/cache" \
  "$NODE24" "$CODE_SERVER" --bind-addr "127.0.0.1:$port" --auth none --disable-telemetry \
  --disable-update-check --disable-workspace-trust --disable-getting-started-override \
  --user-data-dir "$tmp/user" --extensions-dir "$tmp/ext" "$tmp/workspace" >"$tmp/code-server.log" 2>&1 &
cs_pid=$!

rm -rf "$here/out" && mkdir -p "$here/out"
status=0
URL="http://127.0.0.1:$port/?folder=$tmp/workspace" WORKSPACE="$tmp/workspace" CHROMIUM="$CHROMIUM" \
  CRUDDUR="$cli" OUT="$here/out" node "$here/e2e.mjs" || status=$?
if [ "$status" != 0 ]; then
  echo "--- code-server log" >&2
  tail -n 40 "$tmp/code-server.log" >&2
fi
echo "e2e: $(($(date +%s) - started)) s"
exit "$status"
