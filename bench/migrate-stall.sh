#!/usr/bin/env bash
# What a rolling upgrade's `roster migrate` costs the writes of the servers
# still running, on a throw-away PostgreSQL cluster: V016 adds an index to
# webhook_deliveries, which every audited change of an organization with a
# webhook endpoint writes to. The script fills that table with --rows
# deliveries, takes V016 back (its index and its records) under a running
# `roster serve`, creates leads on 8 connections for --duration seconds
# (wrk, each one a lead and its delivery), and runs `roster migrate` 5 s
# into it. Reports how long migrate took and the lead creations' latency
# (p50, p99, max: a write held by the index build shows as max).
#
#   bench/migrate-stall.sh [--build DIR] [--rows N] [--duration S]
#
# Needs wrk, curl, python3 and PostgreSQL's server binaries
# (scripts/install-deps.sh --bench). Everything listens on 127.0.0.1 and is
# removed when the script ends.
set -euo pipefail
cd "$(dirname "$0")/.."

build=build
rows=3000000
duration=30
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --rows) rows="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    *) echo "usage: bench/migrate-stall.sh [--build DIR] [--rows N] [--duration S]" >&2; exit 2 ;;
  esac
done
case "$build" in /*) roster="$build/roster" ;; *) roster="$(pwd)/$build/roster" ;; esac
[ -x "$roster" ] || { echo "migrate-stall.sh: $roster not found; build first" >&2; exit 1; }
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
[ -n "$pg_bin" ] || { echo "migrate-stall.sh: PostgreSQL server binaries missing" >&2; exit 1; }

work=$(mktemp -d -t roster-migrate-XXXXXX)
chmod 755 "$work"
roster_pid=""
pg_data=""
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
cleanup() {
  if [ -n "$roster_pid" ]; then kill "$roster_pid" 2>/dev/null || true; wait "$roster_pid" 2>/dev/null || true; fi
  if [ -n "$pg_data" ]; then as_postgres "$pg_bin/pg_ctl" -D "$pg_data" -m fast stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

mkdir -p "$work/pg"
[ "$(id -u)" = 0 ] && chown postgres "$work/pg"
pg_data="$work/pg/data"
pg_port=$(free_port)
as_postgres "$pg_bin/initdb" -D "$pg_data" -U roster -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$pg_bin/pg_ctl" -D "$pg_data" -l "$work/pg/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $work/pg" start >/dev/null
psql -q -X "postgresql://roster@127.0.0.1:$pg_port/postgres" -c "CREATE DATABASE stall"
export ROSTER_DB="postgresql://roster@127.0.0.1:$pg_port/stall"
export ROSTER_MAIL="file:$work/mail" ROSTER_LOG_LEVEL=warn ROSTER_WORKERS=8
port=$(free_port)
export ROSTER_LISTEN="127.0.0.1:$port"
base="http://127.0.0.1:$port/api/v1"
sql="psql -q -X -v ON_ERROR_STOP=1 $ROSTER_DB"

"$roster" migrate >/dev/null
otp=$("$roster" org create --name "Stall Org" --admin-email admin@stall.test --admin-name "Stall Admin" 2>/dev/null |
  sed -n 's/^one-time password: //p')
"$roster" serve >"$work/serve.log" 2>&1 &
roster_pid=$!
for _ in $(seq 1 100); do grep -q '^listening on' "$work/serve.log" && break; sleep 0.1; done
jar="$work/cookies"
post() { curl -sS -f -b "$jar" -c "$jar" -H 'X-Requested-With: roster' -H 'Content-Type: application/json' "$@"; }
post --data "{\"email\":\"admin@stall.test\",\"password\":\"$otp\"}" "$base/auth/login" >/dev/null
post --data "{\"current_password\":\"$otp\",\"new_password\":\"quiet harbor lantern 4891\"}" "$base/auth/password" >/dev/null
cookie=$(awk '$6 == "roster_session" { print $7 }' "$jar")
assistant=$(post --data '{"name":"Stall Assistant"}' "$base/orgs/1/assistants" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
post -X PUT --data '{}' "$base/orgs/1/assistants/$assistant/users/1" >/dev/null

# An endpoint subscribed to every event (written directly: the API wants a
# public https address), and its past deliveries.
$sql -c "INSERT INTO webhook_endpoints (organization_id, url, events, enabled, secret, created_at)
         VALUES (1, 'https://hooks.example.com/roster', '*', 1, 'unused', 0)"
echo "filling webhook_deliveries with $rows rows"
$sql -c "INSERT INTO webhook_deliveries (organization_id, endpoint_id, event_id, event_type, payload,
           status, attempts, created_at, next_attempt_at, delivered_at)
         SELECT 1, 1, g, 'lead.created', '{\"type\":\"lead.created\",\"data\":{\"lead_id\":\"' || g || '\"}}',
           CASE WHEN g % 10 = 0 THEN 'failed' ELSE 'delivered' END, 1, g, g, g
         FROM generate_series(1, $rows) g"
$sql -c "VACUUM ANALYZE webhook_deliveries"
# Schema 15 again under the running server: the state of a rolling upgrade.
$sql -c "DROP INDEX webhook_deliveries_by_status" \
  -c "DELETE FROM schema_served_from WHERE version = 16" -c "DELETE FROM schema_migrations WHERE version = 16"

cat >"$work/lead.lua" <<LUA
wrk.headers["Cookie"] = "roster_session=$cookie"
wrk.headers["X-Requested-With"] = "roster"
wrk.headers["Content-Type"] = "application/json"
request = function()
  return wrk.format("POST", "/api/v1/orgs/1/leads", nil,
    "{\"name\":\"Load Lead\",\"email\":\"lead@prospect.test\",\"assistant_id\":\"$assistant\",\"owner_id\":\"1\"}")
end
LUA
# A timeout longer than any stall: a held request counts in the latency.
wrk -t2 -c8 -d"${duration}s" --timeout 60s --latency -s "$work/lead.lua" "http://127.0.0.1:$port" >"$work/wrk.txt" &
wrk_pid=$!
sleep 5
start=$(date +%s.%N)
"$roster" migrate >/dev/null
end=$(date +%s.%N)
wait "$wrk_pid"
valid=$($sql -At -c "SELECT indisvalid FROM pg_index WHERE indexrelid = 'webhook_deliveries_by_status'::regclass")
python3 - "$start" "$end" "$work/wrk.txt" "$valid" <<'PY'
import re, sys
start, end, path, valid = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4]
text = open(path).read()
def ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]
latency = re.search(r"Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s|m)\b", text)
p50 = re.search(r"50%\s+([\d.]+)(us|ms|s|m)\b", text)
p99 = re.search(r"99%\s+([\d.]+)(us|ms|s|m)\b", text)
rate = re.search(r"Requests/sec:\s+([\d.]+)", text)
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"migrate took {end - start:.2f} s; index valid: {valid == 't'}")
print(f"lead creation during it: {float(rate.group(1)):.0f} req/s, p50 {ms(*p50.groups()):.2f} ms, "
      f"p99 {ms(*p99.groups()):.2f} ms, max {ms(*latency.groups()):.2f} ms, "
      f"non-2xx {errors.group(1) if errors else 0}")
PY
