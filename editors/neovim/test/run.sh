#!/usr/bin/env bash
# Neovim's built-in LSP client (Debian's neovim 0.7) against cruddur-lsp, headless: opens a copy
# of examples/01-minimal.cruddur with a misspelled member, waits for the server's diagnostics,
# prints them, and fails unless E0103 is among them and the server exits with status 0 after
# Neovim's shutdown.
#
#   CRUDDUR_LSP=target/debug/cruddur-lsp bash editors/neovim/test/run.sh
#
# CRUDDUR_LSP names the server (default: target/debug/cruddur-lsp of this checkout). Needs
# `nvim` (apt-get install -y neovim). Writes only to a temporary folder.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)

server=${CRUDDUR_LSP:-$repo/target/debug/cruddur-lsp}
case $server in /*) ;; *) server=$PWD/$server ;; esac
if [ ! -x "$server" ]; then
  echo "run.sh: no language server at $server (cargo build -p cruddur-lsp, or set CRUDDUR_LSP)" >&2
  exit 2
fi
if ! command -v nvim >/dev/null; then
  echo "run.sh: nvim not found (apt-get install -y neovim)" >&2
  exit 2
fi
echo "$(nvim --version | head -n 1); server: $server"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/project" "$tmp/config" "$tmp/data" "$tmp/state" "$tmp/cache"

# The mistake: `name` misspelled in the project (E0103, unknown member).
file=$tmp/project/pipeline.cruddur
sed 's/^  name    = "my-app-unit-tests"$/  nme     = "my-app-unit-tests"/' \
  "$repo/examples/01-minimal.cruddur" >"$file"
if cmp -s "$repo/examples/01-minimal.cruddur" "$file"; then
  echo "run.sh: the example changed; the mistake was not introduced" >&2
  exit 2
fi

# --clean: no user configuration or plugins; -i NONE: no shada. Neovim's log, the server's
# cache of explanations: all under $tmp.
XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data XDG_STATE_HOME=$tmp/state \
  XDG_CACHE_HOME=$tmp/cache \
  CRUDDUR_LSP=$server CRUDDUR_FILE=$file CRUDDUR_EXPECT=E0103 \
  timeout 60 nvim --headless --clean -i NONE -c "luafile $here/diagnostics.lua" </dev/null
