#!/usr/bin/env bash
# Deactivation of a member owning 100,000 leads (SPEC 8), on SQLite and on a
# throw-away PostgreSQL cluster: runs roster_bench_deactivate on each and
# prints its Markdown tables (see BENCHMARKS.md).
#
#   bench/deactivate.sh [--build DIR] [--runs N]
#
# DIR is a build configured with -DROSTER_BUILD_BENCH=ON (default build).
set -euo pipefail
cd "$(dirname "$0")/.."

build=build
runs=3
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    *) echo "usage: bench/deactivate.sh [--build DIR] [--runs N]" >&2; exit 2 ;;
  esac
done
cmake --build "$build" --target roster_bench_deactivate >/dev/null
bench="$(pwd)/$build/bench/roster_bench_deactivate"
sqlite_db=$(mktemp -u -t roster-bench-deactivate-XXXXXX.db)
"$bench" --db "sqlite:$sqlite_db" --runs "$runs"
rm -f "$sqlite_db" "$sqlite_db-wal" "$sqlite_db-shm"
scripts/with-postgres.sh bash -c '
  psql "$ROSTER_TEST_PG_URL" -q -c "CREATE DATABASE bench" &&
  "$0" --db "${ROSTER_TEST_PG_URL%/*}/bench" --runs "$1"' "$bench" "$runs"
