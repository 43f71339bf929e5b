#!/usr/bin/env bash
# Lints the OpenAPI document with @redocly/cli and the rules of redocly.yaml
# beside this script. Fails on any error or warning, and when the linter
# cannot run at all (its packages are installed by `npm ci` in this folder,
# which scripts/install-deps.sh --test does): a check that did not run has
# not passed.
# Usage: tests/openapi/lint.sh OPENAPI_JSON
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
document="$(realpath "$1")"
redocly="$here/node_modules/.bin/redocly"
if [[ ! -x "$redocly" ]]; then
  echo "lint.sh: $redocly is missing; run 'npm ci' in $here (scripts/install-deps.sh --test does)" >&2
  exit 1
fi
# No usage reports and no update check: the tests talk to no other host.
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
output="$(cd "$here" && "$redocly" lint --config "$here/redocly.yaml" --format=stylish "$document" 2>&1)" || {
  printf '%s\n' "$output"
  echo "lint.sh: the linter found errors" >&2
  exit 1
}
printf '%s\n' "$output"
if grep -Eq '^[[:space:]]+[0-9]+:[0-9]+[[:space:]]+warning' <<<"$output"; then
  echo "lint.sh: the linter found warnings; fix them or switch the rule off in redocly.yaml, saying why" >&2
  exit 1
fi
