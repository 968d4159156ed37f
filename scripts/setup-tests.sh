#!/usr/bin/env sh
# What the tests need beyond pip: Debian's Chromium for the browser tests, and axe-core
# (from npm) for their accessibility check. Each is fetched only when missing.
set -eu
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
if [ ! -f build/axe-core/axe.min.js ]; then
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent axe-core@4 >/dev/null && tar xzf axe-core-*.tgz)
    mkdir -p build/axe-core
    cp "$tmp/package/axe.min.js" "$tmp/package/LICENSE" build/axe-core/
    rm -rf "$tmp"
fi
