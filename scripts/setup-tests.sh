#!/usr/bin/env sh
# What the tests need beyond pip: Debian's Chromium for the browser tests and axe-core (from
# npm) for their accessibility check, wrk for the load test, PostgreSQL for the storage
# tests. Each is fetched only when missing.
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
# wrk drives the load test (faq-engine load).
if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null
fi
# A PostgreSQL server for the storage and KPI tests (Debian's package; its first cluster),
# with a role that may create the tests' throw-away databases. The tests use
# FAQ_TEST_POSTGRES_URL, by default the role below on localhost.
if ! command -v pg_lsclusters >/dev/null; then
    if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
fi
if [ "$(id -u)" = 0 ]; then as_postgres="runuser -u postgres --"; else as_postgres="sudo -u postgres"; fi
cluster=$(pg_lsclusters -h | head -n 1)
if [ -n "$cluster" ]; then
    set -- $cluster
    if [ "$4" != online ]; then
        $as_postgres pg_ctlcluster "$1" "$2" start
    fi
    $as_postgres psql -q -p "$3" -tc "SELECT 1 FROM pg_roles WHERE rolname = 'faq_test'" | grep -q 1 ||
        $as_postgres psql -q -p "$3" -c "CREATE ROLE faq_test LOGIN CREATEDB PASSWORD 'faq_test'"
    $as_postgres psql -q -p "$3" -tc "SELECT 1 FROM pg_database WHERE datname = 'faq_test'" | grep -q 1 ||
        $as_postgres psql -q -p "$3" -c "CREATE DATABASE faq_test OWNER faq_test"
fi
