#!/usr/bin/env bash
# Neovim with the configuration in editors/neovim installed as a user would (the folder on
# the runtimepath, require('cruddur').setup({ cmd = { server } }) in init.lua), headless:
#  - a .cruddur file on its own with a misspelt member: the `cruddur` filetype, its comment
#    string and syntax, the server started with the file's folder as root, E0103 published;
#  - a project (a folder with cruddur.toml and two files: a pipeline with a misspelt member,
#    running a CodeBuild project defined in the other file): the root is the project's
#    folder, one client for the project's files, E0103 published for the pipeline and no
#    E0202 (which the server reports when it sees only the pipeline's file);
#  - every server exits with status 0 after Neovim's shutdown;
#  - the same with vim.lsp.start() (the way of 0.8–0.10) on a Neovim with vim.lsp.config;
#  - with a server that is not executable: an error saying how to install it, no client;
#  - without setup(): the filetype from ftdetect/, and on Neovim 0.11+ the server from
#    lsp/cruddur.lua with vim.lsp.enable('cruddur') (project root from root_markers).
#
#   CRUDDUR_LSP=target/debug/cruddur-lsp bash editors/neovim/test/run.sh
#   NVIM=/path/to/nvim CRUDDUR_LSP=… bash editors/neovim/test/run.sh   # another Neovim
#
# CRUDDUR_LSP names the server (default: target/debug/cruddur-lsp of this checkout); NVIM
# the Neovim (default: `nvim` on PATH; 0.7 or newer). Needs `nvim` (apt-get install -y
# neovim). Writes only to a temporary folder.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
plugin=$(cd "$here/.." && pwd)
repo=$(cd "$here/../../.." && pwd)

server=${CRUDDUR_LSP:-$repo/target/debug/cruddur-lsp}
case $server in /*) ;; *) server=$PWD/$server ;; esac
if [ ! -x "$server" ]; then
  echo "run.sh: no language server at $server (cargo build -p cruddur-lsp, or set CRUDDUR_LSP)" >&2
  exit 2
fi
nvim=${NVIM:-nvim}
if ! command -v "$nvim" >/dev/null; then
  echo "run.sh: $nvim not found (apt-get install -y neovim, or set NVIM)" >&2
  exit 2
fi
echo "$("$nvim" --version | head -n 1); server: $server"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/config" "$tmp/data" "$tmp/state" "$tmp/cache" "$tmp/single" \
  "$tmp/project/pipelines" "$tmp/project/builds"

# The mistake: `name` misspelt (E0103, unknown member).
example=$repo/examples/01-minimal.cruddur
misspell() { sed 's/^  name    = "my-app-unit-tests"$/  nme     = "my-app-unit-tests"/'; }
misspell <"$example" >"$tmp/single/pipeline.cruddur"
if cmp -s "$example" "$tmp/single/pipeline.cruddur"; then
  echo "run.sh: the example changed; the mistake was not introduced" >&2
  exit 2
fi
# The project: the example's CodeBuild project in one file, the pipeline that runs it (with
# a misspelt member of its own) in another.
touch "$tmp/project/cruddur.toml"
sed -n '/^project unit_tests {$/,/^}$/p' "$example" >"$tmp/project/builds/tests.cruddur"
sed -e '/^project unit_tests {$/,/^}$/d' -e 's/^  name = "my-app"$/  nme  = "my-app"/' \
  "$example" >"$tmp/project/pipelines/app.cruddur"
if ! grep -q '^project unit_tests {$' "$tmp/project/builds/tests.cruddur" ||
  ! grep -q '^  nme  = "my-app"$' "$tmp/project/pipelines/app.cruddur" ||
  ! grep -q 'codebuild(unit_tests)' "$tmp/project/pipelines/app.cruddur"; then
  echo "run.sh: the example changed; the project was not made as expected" >&2
  exit 2
fi

# -u: the test's init.lua instead of a user's; -i NONE: no shada. Neovim's log and the
# server's cache of explanations: all under $tmp.
run_case() {
  XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data XDG_STATE_HOME=$tmp/state \
    XDG_CACHE_HOME=$tmp/cache \
    CRUDDUR_PLUGIN=$plugin CRUDDUR_SINGLE=$tmp/single/pipeline.cruddur \
    CRUDDUR_PROJECT=$tmp/project env "$@" \
    timeout 120 "$nvim" --headless -u "$here/init.lua" -i NONE -c "luafile $here/editing.lua" </dev/null
}
run_case CRUDDUR_LSP="$server" CRUDDUR_TEST=editing
# 0.8–0.10's way, vim.lsp.start(), on a Neovim that has it (skipped on 0.7).
run_case CRUDDUR_LSP="$server" CRUDDUR_TEST=editing CRUDDUR_API=start
run_case CRUDDUR_LSP="$tmp/no-such/cruddur-lsp" CRUDDUR_TEST=missing
run_case CRUDDUR_LSP="$server" CRUDDUR_TEST=bare
echo OK
