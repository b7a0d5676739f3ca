#!/usr/bin/env bash
# What the tests need besides Python packages: Debian's Chromium for the browser tests,
# and from the npm registry the axe-core accessibility engine and the tools program teams
# meet outside the portal (ajv, the most used JSON Schema validator, with its formats, and
# yaml-language-server, what editors run for YAML).
# Installs what is missing when it can; the tests say what is still missing (and fail under
# CI=true, skip otherwise). PORTAL_CHROMIUM may name another Chromium-family browser.
set -u
tools="${1:-.venv/test-tools}"
npm_packages="axe-core@4.14.1 ajv-cli@5.0.0 ajv-formats@3.0.1 yaml-language-server@1.25.0"

if [ -z "${PORTAL_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "browser tests: installing Debian's chromium"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
      || echo "browser tests: could not install chromium" >&2
  else
    echo "browser tests: chromium is missing; install Debian's 'chromium' package to run them" >&2
  fi
fi

# npm and Node.js, from Debian when they are missing (the npm tools below need them).
if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "tests: installing Debian's nodejs and npm"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null \
      || echo "tests: could not install nodejs and npm" >&2
  fi
fi

installed=true
for package in $npm_packages; do
  name="${package%@*}"
  version="${package##*@}"
  grep -qs "\"version\": \"$version\"" "$tools/node_modules/$name/package.json" || installed=false
done
if [ "$installed" = false ]; then
  if command -v npm >/dev/null 2>&1; then
    mkdir -p "$tools"
    # shellcheck disable=SC2086 # one word per package
    npm install --prefix "$tools" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      $npm_packages >/dev/null || echo "tests: could not install $npm_packages from npm" >&2
  else
    echo "tests: npm is missing; the accessibility scans and schema checks need npm packages" >&2
  fi
fi
exit 0
