#!/usr/bin/env bash
# Installs what tiyan needs beyond Go: Debian's Chromium (with CJK fonts, so Chinese pages render
# and measure as they would for a person) and the npm packages of package-lock.json (axe-core).
# Safe to run again: it only acts on what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
[ -x /usr/bin/chromium ] || [ -n "${TIYAN_CHROMIUM:-}" ] || need_apt+=(chromium)
# (read fc-list whole: under pipefail, grep -q would make it fail with SIGPIPE)
grep -qi "noto.*cjk" <<<"$(fc-list 2>/dev/null)" || need_apt+=(fonts-noto-cjk)
command -v npm >/dev/null 2>&1 || need_apt+=(nodejs npm)

if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup: missing ${need_apt[*]}; run as root or install them: apt-get install ${need_apt[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${need_apt[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# npm ci only when the lock file changed since the last install.
if [ -f package-lock.json ]; then
  stamp=node_modules/.tiyan-lock
  if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
    echo "setup: npm ci"
    npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json "$stamp"
  fi
fi
