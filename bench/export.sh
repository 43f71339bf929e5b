#!/usr/bin/env bash
# Export benchmark of `roster serve` over HTTP: imports --leads leads (default
# 1,000,000) with `roster leads import`, then downloads the lead export as CSV
# and as NDJSON with curl, on SQLite and (with --postgres) on a throw-away
# PostgreSQL cluster. Reports per download the wall time, the time to the
# first byte, the size, the rows, and the server's peak RSS (VmHWM of
# /proc/PID/status) before and after: the growth is what the export cost
# in memory (SPEC 7: less than 50 MiB for a million rows).
#
#   bench/export.sh [--build DIR] [--leads N] [--postgres]
#
# Needs curl, python3 and, for --postgres, PostgreSQL's server binaries.
# Everything listens on 127.0.0.1 and is removed when the script ends.
set -euo pipefail
cd "$(dirname "$0")/.."

build=build
leads=1000000
postgres=0
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --leads) leads="$2"; shift 2 ;;
    --postgres) postgres=1; shift ;;
    *) echo "usage: bench/export.sh [--build DIR] [--leads N] [--postgres]" >&2; exit 2 ;;
  esac
done
roster="$(pwd)/$build/roster"
[ -x "$roster" ] || { echo "export.sh: $roster not found; build first" >&2; exit 1; }

work=$(mktemp -d -t roster-export-XXXXXX)
chmod 755 "$work"
roster_pid=""
pg_data=""
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
stop_roster() {
  if [ -n "$roster_pid" ]; then
    kill "$roster_pid" 2>/dev/null || true
    wait "$roster_pid" 2>/dev/null || true
    roster_pid=""
  fi
}
cleanup() {
  stop_roster
  if [ -n "$pg_data" ]; then
    as_postgres "$pg_bin/pg_ctl" -D "$pg_data" -m fast stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
api() {  # METHOD PATH [JSON]
  curl -sS -f -b "roster_session=$cookie" -H 'X-Requested-With: roster' -H 'Content-Type: application/json' \
    -X "$1" ${3:+--data "$3"} "$base$2"
}
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
# The server's CPU time (user + system) in seconds: on a shared machine the
# wall time says more about the neighbours than about the export.
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$roster_pid/stat"
}
hwm_kib() { awk '/VmHWM/ { print $2 }' "/proc/$roster_pid/status"; }
rss_kib() { awk '/VmRSS/ { print $2 }' "/proc/$roster_pid/status"; }

# start_roster DB_URL: migrates, creates the organization, serves, signs in.
start_roster() {
  export ROSTER_DB=$1
  export ROSTER_MAIL="file:$work/mail"
  export ROSTER_LOG_LEVEL=warn
  local port
  port=$(free_port)
  export ROSTER_LISTEN="127.0.0.1:$port"
  base="http://127.0.0.1:$port/api/v1"
  "$roster" migrate >/dev/null
  local otp
  otp=$("$roster" org create --name "Export Org" --admin-email admin@export.test --admin-name "Export Admin" 2>"$work/org.log" |
    sed -n 's/^one-time password: //p')
  "$roster" serve >"$work/serve.log" 2>&1 &
  roster_pid=$!
  for _ in $(seq 1 100); do
    grep -q '^listening on' "$work/serve.log" && break
    sleep 0.1
  done
  local jar="$work/cookies"
  rm -f "$jar"
  curl -sS -f -c "$jar" -H 'X-Requested-With: roster' -H 'Content-Type: application/json' \
    --data "{\"email\":\"admin@export.test\",\"password\":\"$otp\"}" "$base/auth/login" >/dev/null
  curl -sS -f -b "$jar" -c "$jar" -H 'X-Requested-With: roster' -H 'Content-Type: application/json' \
    --data "{\"current_password\":\"$otp\",\"new_password\":\"quiet harbor lantern 4891\"}" \
    "$base/auth/password" >/dev/null
  cookie=$(awk '$6 == "roster_session" { print $7 }' "$jar")
  admin_id=$(api GET /me | json 'd["user"]["id"]')
}

# The leads belong to a member (not the admin who exports them): every
# request checks the caller's membership through a query that also counts
# the leads he owns, which for the owner of a million leads costs ~50 ms per
# page (see BENCHMARKS.md).
seed() {
  local assistant owner
  assistant=$(api POST /orgs/1/assistants '{"name":"Export Assistant"}' | json 'd["id"]')
  owner=$(api POST /orgs/1/invitations '{"email":"owner@export.test","name":"Lead Owner"}' | json 'd["user_id"]')
  api PUT "/orgs/1/assistants/$assistant/users/$owner" '{}' >/dev/null
  python3 - "$work/leads.csv" "$leads" "$assistant" <<'PY'
import sys
path, count, assistant = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(path, "w") as f:
    f.write("name,email,company,assistant,owner_email\n")
    for i in range(count):
        f.write(f"Lead {i},lead{i}@prospect.test,\"Prospect {i % 97}, Inc\",{assistant},owner@export.test\n")
PY
  local started=$SECONDS
  "$roster" leads import --org 1 --csv "$work/leads.csv" >/dev/null
  echo "  imported $leads leads in $((SECONDS - started)) s"
}

# download TARGET FORMAT: one export, timed, with the server's peak RSS
# before and after.
download() {
  local target=$1 format=$2
  local before_hwm before_rss
  before_hwm=$(hwm_kib)
  before_rss=$(rss_kib)
  local before_cpu
  before_cpu=$(cpu_seconds)
  # VmRSS sampled every 50 ms while the download runs: the export's own peak,
  # which VmHWM hides when it stays below the process's earlier peak.
  rm -f "$work/sampling.stop"
  ( peak=0
    while kill -0 "$roster_pid" 2>/dev/null && [ ! -f "$work/sampling.stop" ]; do
      rss=$(rss_kib); [ "$rss" -gt "$peak" ] && peak=$rss
      echo "$peak" >"$work/sampling.peak"
      sleep 0.05
    done ) &
  local sampler=$!
  local timing
  timing=$(curl -sS -f -o "$work/export.$format" -w '%{time_total} %{time_starttransfer} %{size_download}' \
    -b "roster_session=$cookie" "$base/orgs/1/leads/export?format=$format")
  local total first size
  read -r total first size <<<"$timing"
  touch "$work/sampling.stop"
  wait "$sampler" || true
  local sampled_peak
  sampled_peak=$(cat "$work/sampling.peak")
  local rows
  rows=$(wc -l <"$work/export.$format")
  [ "$format" = csv ] && rows=$((rows - 1))
  local after_hwm after_rss
  after_hwm=$(hwm_kib)
  after_rss=$(rss_kib)
  local cpu
  cpu=$(python3 -c "print($(cpu_seconds) - $before_cpu)")
  printf '  %-8s %-6s %9d rows %7.1f MB  %6.2f s (server CPU %6.2f s)  first byte %6.3f s  VmRSS %6.1f -> peak %6.1f MiB  VmHWM %6.1f -> %6.1f MiB (+%5.1f)\n' \
    "$target" "$format" "$rows" "$(python3 -c "print($size/1e6)")" "$total" "$cpu" "$first" \
    "$(python3 -c "print($before_rss/1024)")" "$(python3 -c "print($sampled_peak/1024)")" \
    "$(python3 -c "print($before_hwm/1024)")" "$(python3 -c "print($after_hwm/1024)")" \
    "$(python3 -c "print(($after_hwm-$before_hwm)/1024)")"
  rm -f "$work/export.$format"
}

measure() {
  local target=$1
  echo "== $target (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  seed
  download "$target" csv
  download "$target" ndjson
  download "$target" csv
}

echo "roster export benchmark: $leads leads; $(nproc) CPUs; start: load average $(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p "$work/sqlite"
start_roster "sqlite:$work/sqlite/roster.db"
measure sqlite
stop_roster

if [ "$postgres" = 1 ]; then
  [ -n "$pg_bin" ] || { echo "export.sh: PostgreSQL server binaries missing" >&2; exit 1; }
  dir="$work/pg"
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  pg_data="$dir/data"
  pg_port=$(free_port)
  as_postgres "$pg_bin/initdb" -D "$pg_data" -U roster -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  as_postgres "$pg_bin/pg_ctl" -D "$pg_data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $dir -c fsync=off" start >/dev/null
  psql -q -X "postgresql://roster@127.0.0.1:$pg_port/postgres" -c "CREATE DATABASE export" >/dev/null
  rm -rf "$work/mail"
  start_roster "postgresql://roster@127.0.0.1:$pg_port/export"
  measure postgresql
  stop_roster
fi
