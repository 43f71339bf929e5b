#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to every test passing: installs
# what is needed, builds once, starts a throw-away PostgreSQL cluster, and runs
# the unit, store and API tests against SQLite and PostgreSQL, again on a
# build with AddressSanitizer and UndefinedBehaviorSanitizer, the browser
# tests, and the Debian package. A skipped test fails the run
# (scripts/run-ctest.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh --test
bash scripts/build.sh -DROSTER_BUILD_TESTS=ON

jobs=$(nproc 2>/dev/null || echo 2)
status=0
echo "== unit, store and API tests on SQLite and PostgreSQL"
bash scripts/with-postgres.sh bash scripts/run-ctest.sh build -j"$jobs" || status=1

# The checked build: no console (none of it is C++), no optimizer to wait
# for. The first sanitizer report ends the process and fails its test, a
# report from a `roster serve` child too (tests/api/roster_process.cpp). The
# cluster suite (several servers behind HAProxy, half of the test time) stays
# on the normal build: it runs the same C++ as the API tests, which run here;
# the model test takes 500 random steps instead of 1,500 for the same reason.
# The API tests as a serving role (tests/api/CMakeLists.txt) stay on the
# normal build too: the same C++ as postgres.*, under other rights.
echo "== unit, store and API tests with AddressSanitizer and UndefinedBehaviorSanitizer"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DROSTER_BUILD_WEB=OFF -DROSTER_BUILD_TESTS=ON \
  -DROSTER_SANITIZE=address,undefined >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:check_initialization_order=1:strict_init_order=1" \
UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" ROSTER_MODEL_OPS=500 \
  bash scripts/with-postgres.sh bash scripts/run-ctest.sh build-asan -j"$jobs" -E '^(cluster|serving_role)\.' || status=1

if [ -x tests/e2e/run.sh ]; then
  echo "== browser tests"
  bash tests/e2e/run.sh build || status=1
fi

# The Release build above, as the Debian package: built, installed, run as its
# user, removed and purged (docs/install.md).
echo "== the Debian package"
bash scripts/test-package.sh || status=1

# A failed test's output sits in the middle of the log above; its end is
# what a CI page shows first.
if [ "$status" != 0 ]; then
  echo "== what the failed tests said (repeated from above)"
  python3 scripts/show-failures.py build build-asan || true
fi
exit $status
