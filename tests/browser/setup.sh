#!/usr/bin/env bash
# What the browser tests need besides Python packages: Debian's Chromium, and the
# axe-core accessibility engine from the npm registry. Installs what is missing when it
# can; the tests say what is still missing (and fail under CI=true, skip otherwise).
# PORTAL_CHROMIUM may name another Chromium-family browser binary to use instead.
set -u
tools="${1:-.venv/browser-tools}"
axe_version="4.11.0"

if [ -z "${PORTAL_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "browser tests: installing Debian's chromium"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
      || echo "browser tests: could not install chromium" >&2
  else
    echo "browser tests: chromium is missing; install Debian's 'chromium' package to run them" >&2
  fi
fi

if [ ! -f "$tools/node_modules/axe-core/axe.min.js" ]; then
  if command -v npm >/dev/null 2>&1; then
    mkdir -p "$tools"
    npm install --prefix "$tools" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "axe-core@$axe_version" >/dev/null || echo "browser tests: could not install axe-core" >&2
  else
    echo "browser tests: npm is missing; the accessibility scans need the axe-core npm package" >&2
  fi
fi
exit 0
