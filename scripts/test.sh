#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to every test passing: installs
# what is needed, builds once, starts a throw-away PostgreSQL cluster, and runs
# the unit, store, API and browser tests against SQLite and PostgreSQL. A
# skipped test fails the run (scripts/run-ctest.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh --test
bash scripts/build.sh -DROSTER_BUILD_TESTS=ON

jobs=$(nproc 2>/dev/null || echo 2)
status=0
echo "== unit, store and API tests on SQLite and PostgreSQL"
bash scripts/with-postgres.sh bash scripts/run-ctest.sh build -j"$jobs" || status=1

if [ -x tests/e2e/run.sh ]; then
  echo "== browser tests"
  bash tests/e2e/run.sh build || status=1
fi
exit $status
