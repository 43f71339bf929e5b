#!/usr/bin/env bash
# Runs the browser tests of the web console against a real `roster serve`.
#
#   tests/e2e/run.sh [BUILD_DIR]      (default: build)
#
# Needs BUILD_DIR/roster and the built console in BUILD_DIR/web (cmake with
# -DROSTER_BUILD_WEB=ON); when the console is missing it is built here with
# npm. Installs this suite's packages with `npm ci` when needed, uses Debian's
# /usr/bin/chromium (CHROMIUM_PATH to change), saves screenshots in
# test-results/e2e/, and ends with "N passed, M failed".
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build="$(cd "${1:-$repo/build}" && pwd)"

if [[ ! -x "$build/roster" ]]; then
  echo "run.sh: no roster executable in $build" >&2
  exit 2
fi

# npm ci in $1 unless node_modules is current with package-lock.json.
ensure_packages() {
  local dir="$1"
  if [[ ! -f "$dir/node_modules/.package-lock.json" || "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]]; then
    (cd "$dir" && npm ci --no-audit --no-fund)
  fi
}

web_root="${ROSTER_WEB_ROOT:-$build/web}"
if [[ ! -f "$web_root/index.html" ]]; then
  echo "run.sh: no console in $web_root; building it"
  ensure_packages "$repo/web"
  (cd "$repo/web" && npm run build -- --outDir "$web_root" --emptyOutDir)
  node "$repo/web/scripts/precompress.mjs" "$web_root"
fi

ensure_packages "$here"
rm -rf "$repo/test-results/e2e"

tap="$(mktemp)"
trap 'rm -f "$tap"' EXIT
status=0
(
  cd "$here"
  ROSTER_BUILD_DIR="$build" ROSTER_WEB_ROOT="$web_root" timeout 1800 \
    node --test --test-concurrency=1 \
      --test-reporter=spec --test-reporter-destination=stdout \
      --test-reporter=tap --test-reporter-destination="$tap" \
      ./*.test.mjs
) || status=$?

passed="$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tap" | tail -1)"
failed="$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$tap" | tail -1)"
cancelled="$(sed -n 's/^# cancelled \([0-9]*\)$/\1/p' "$tap" | tail -1)"
skipped="$(sed -n 's/^# skipped \([0-9]*\)$/\1/p' "$tap" | tail -1)"
failed=$(( ${failed:-0} + ${cancelled:-0} ))
if [[ -z "$passed" ]]; then
  passed=0
  (( failed > 0 )) || failed=1
fi
if (( status != 0 && failed == 0 )); then failed=1; fi
echo "${passed} passed, ${failed} failed, ${skipped:-0} skipped"
(( status == 0 && failed == 0 ))
