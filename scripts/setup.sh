#!/usr/bin/env bash
# Prepares a checkout to run: system packages the tests need (when missing),
# npm dependencies (when missing or older than the lockfile), then the build.
# Idempotent: a second run only rebuilds (incrementally).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'setup: %s\n' "$*" >&2; }

# System packages, as "apt-package:command-that-proves-it-is-there".
# Later issues add their needs here, e.g.
#   "zookeeper:/usr/share/zookeeper/bin/zkServer.sh" "docker.io:docker"
#   "busybox-static:busybox" "chromium:chromium"
SYSTEM_PACKAGES=("zookeeper:/usr/share/zookeeper/bin/zkServer.sh" "unzip:unzip" "zip:zip" "chromium:/usr/bin/chromium")

have() { [[ "$1" == /* ]] && [ -x "$1" ] || command -v "$1" >/dev/null 2>&1; }

install_system_packages() {
  local missing=() entry
  for entry in "${SYSTEM_PACKAGES[@]+"${SYSTEM_PACKAGES[@]}"}"; do
    have "${entry#*:}" || missing+=("${entry%%:*}")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    log "missing ${missing[*]} and no apt-get: install them by hand (tests needing them skip, or fail with CI=true)"
    return 0
  fi
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  log "installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

install_node_modules() {
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "npm ci"
    npm ci --no-audit --no-fund >&2
  fi
}

command -v node >/dev/null 2>&1 || { log "node (>= 20) is required"; exit 1; }
install_system_packages
install_node_modules
log "npm run build"
npm run --silent build >&2
