#!/usr/bin/env bash
# Installs every Debian package Roster needs to build, run and test.
# Idempotent: safe to run on a machine that already has them.
# Usage: scripts/install-deps.sh [--test] [--package] [--fuzz] [--bench]
set -euo pipefail

packages=(
  build-essential cmake pkg-config git ca-certificates curl
  libboost-dev libboost-system-dev
  libsoci-dev libsqlite3-dev sqlite3 libpq-dev
  libsodium-dev liboath-dev libcurl4-openssl-dev nlohmann-json3-dev
  libspdlog-dev libfmt-dev libcli11-dev libzxcvbn-dev
  libgtest-dev libgmock-dev googletest
)
for flag in "$@"; do
  case "$flag" in
    # ccache: the test command builds twice (cmake/CompilerCache.cmake).
    # scripts/test-package.sh installs the package too: adduser is one of its
    # dependencies (the rest are the libraries above). openssl makes the
    # test SMTP relay's certificate authority (tests/support/smtp_tls_server.py).
    --test) packages+=(ccache python3 python3-aiosmtpd openssl postgresql haproxy chromium dpkg-dev file adduser jq) ;;
    # scripts/package.sh: dpkg-shlibdeps for the Depends line, file for CPack.
    --package) packages+=(dpkg-dev file) ;;
    # scripts/fuzz.sh: clang with its libFuzzer and sanitizer runtimes.
    --fuzz) packages+=(clang libclang-rt-14-dev) ;;
    # bench/load.sh: the load generator, the static-file baseline, a throw-away PostgreSQL.
    --bench) packages+=(python3 postgresql wrk nginx-light curl) ;;
    *) echo "usage: scripts/install-deps.sh [--test] [--package] [--fuzz] [--bench]" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The OpenAPI checks' node packages (tests/openapi: the linter and the
# response validator, run by ctest), when the lock changed since the last
# install.
for flag in "$@"; do
  if [ "$flag" = --test ]; then
    openapi="$(cd "$(dirname "$0")/../tests/openapi" && pwd)"
    if [ ! -f "$openapi/node_modules/.package-lock.json" ] ||
       [ "$openapi/package-lock.json" -nt "$openapi/node_modules/.package-lock.json" ]; then
      (cd "$openapi" && npm ci --no-audit --no-fund)
    fi
  fi
done
