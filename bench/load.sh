#!/usr/bin/env bash
# Load benchmark of `roster serve` over HTTP, on SQLite and on PostgreSQL (a
# throw-away cluster, measured before and after ANALYZE of the seeded data),
# and nginx serving the same members page bytes as a static file, in one run.
#
#   bench/load.sh [--build DIR] [--runs N] [--duration S] [--members N] [--leads N]
#                 [--pg-workers N]   (ROSTER_WORKERS of the PostgreSQL server; default:
#                                     roster's own, as on SQLite)
#                 [--only LIST]      (scenarios, comma-separated: invitation, members,
#                                     key, role, lead, removal, leads, latency;
#                                     default all)
#                 [--db DB]          (sqlite, postgresql or both, the default)
#                 [--pg-statements]  (after each PostgreSQL scenario, the statements
#                                     that took PostgreSQL's time: pg_stat_statements)
#                 [--pg-socket]      (roster reaches PostgreSQL through its Unix
#                                     socket instead of TCP on 127.0.0.1)
#                 [--pg-delay MS]    (roster reaches PostgreSQL through
#                                     bench/delay_proxy.py, which holds each
#                                     chunk MS ms each way: a database on another
#                                     host; for the one-connection scenarios,
#                                     invitation and latency: the relay is a
#                                     Python process on the same CPUs)
#
# A step of work is measured in a minute or two with a subset, e.g.
#   bench/load.sh --only members,role --db postgresql --runs 3 --duration 5
# The members are seeded by invitations whatever --only says; their timing
# is reported only with `invitation`. nginx-static runs with `members`,
# serving the page of the first database measured.
#
# Needs wrk, nginx, curl, python3, sqlite3 and PostgreSQL's server binaries
# (scripts/install-deps.sh --bench). Everything listens on 127.0.0.1 and is
# stopped when the script ends. Per run, per database:
#   1. invitations, one at a time: --members of them (this seeds the members;
#      timed by a small Python client around each request);
#   2. GET a members page of 50, 32 connections (`key`: the same page with
#      a read-only API key instead of the session, as integrations call it);
#   3. PATCH the role of one member (a hot row), 32 connections;
#   4. POST a lead, 32 and 8 connections;
#   5. `roster leads import` of --leads leads for one member, then DELETE of
#      that member handing them all to the admin (one request, timed);
#   6. GET a leads page of 50 as the admin, 32 connections: the leads the
#      steps before wrote (with `removal`, --leads and more); then, with
#      `members` too, the members page of step 2 again, its admin now the
#      owner of those leads.
#   7. `latency`: the members page and the leads page on one connection, one
#      request at a time: what one person waits for (with --pg-delay, the
#      price of each round trip to the database).
# On PostgreSQL step 2 runs twice: on the freshly seeded database (the
# cluster's autovacuum is off, so no statistics arrive by luck) and after
# ANALYZE. The roster process's peak RSS (VmHWM) is read at the end.
# Each wrk scenario also reports CPU per request (µs): the server's (roster,
# or nginx's processes) + PostgreSQL's, from /proc; on a shared machine it
# moves much less than requests per second.
# With --runs N the table shows the median of each figure over the runs.
set -euo pipefail
cd "$(dirname "$0")/.."

build=build
runs=1
duration=10
members=1000
leads=100000
pg_workers=""
only=invitation,members,key,role,lead,removal,leads,latency
db=both
pg_statements=""
pg_socket=""
pg_delay=""
usage="usage: bench/load.sh [--build DIR] [--runs N] [--duration S] [--members N] [--leads N] [--pg-workers N] [--only LIST] [--db sqlite|postgresql|both] [--pg-statements] [--pg-socket] [--pg-delay MS]"
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --members) members="$2"; shift 2 ;;
    --leads) leads="$2"; shift 2 ;;
    --pg-workers) pg_workers="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --db) db="$2"; shift 2 ;;
    --pg-statements) pg_statements=yes; shift ;;
    --pg-socket) pg_socket=yes; shift ;;
    --pg-delay) pg_delay="$2"; shift 2 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
for scenario in ${only//,/ }; do
  case "$scenario" in
    invitation | members | key | role | lead | removal | leads | latency) ;;
    *) echo "load.sh: unknown scenario $scenario ($usage)" >&2; exit 2 ;;
  esac
done
case "$db" in
  sqlite | postgresql | both) ;;
  *) echo "$usage" >&2; exit 2 ;;
esac
# selected SCENARIO: true when --only names it.
selected() { [[ ",$only," == *",$1,"* ]]; }
roster="$(pwd)/$build/roster"
[ -x "$roster" ] || { echo "load.sh: $roster not found; build first" >&2; exit 1; }
for tool in wrk nginx curl python3 sqlite3; do
  command -v "$tool" >/dev/null || { echo "load.sh: $tool missing (scripts/install-deps.sh --bench)" >&2; exit 1; }
done
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$pg_bin" ] || { echo "load.sh: PostgreSQL server binaries missing" >&2; exit 1; }

work=$(mktemp -d /tmp/roster-load-XXXXXX)
chmod 755 "$work"
results="$work/results.tsv"
ticks_per_second=$(getconf CLK_TCK)
: >"$results"
roster_pid=""
nginx_pid=""
pg_data=""
proxy_pid=""

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
stop_postgres() {
  if [ -n "$proxy_pid" ]; then
    kill "$proxy_pid" 2>/dev/null || true
    wait "$proxy_pid" 2>/dev/null || true
    proxy_pid=""
  fi
  if [ -n "$pg_data" ]; then
    as_postgres "$pg_bin/pg_ctl" -D "$pg_data" -m fast stop >/dev/null 2>&1 || true
    pg_data=""
  fi
}
cleanup() {
  stop_roster
  if [ -n "$nginx_pid" ]; then kill "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; fi
  stop_postgres
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wrk prints one line "RESULT requests duration_us p50_us p99_us max_us non2xx socket_errors".
cat >"$work/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d %d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), latency.max, e.status,
    e.connect + e.read + e.write + e.timeout))
end
LUA

# cpu_ticks PID...: user + system CPU time of the processes (all their
# threads), in clock ticks. CPU per request is what other tenants' load on
# a shared machine moves least, where requests per second move with it.
cpu_ticks() {
  local total=0 pid
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] || continue
    total=$((total + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
# server_pids TARGET / database_pids TARGET: whose CPU a scenario counts.
server_pids() {
  if [ "$1" = nginx-static ]; then echo "$nginx_pid" $(pgrep -P "$nginx_pid"); else echo "$roster_pid"; fi
}
database_pids() {
  [ "$1" = postgresql ] || return 0
  local postmaster
  postmaster=$(head -1 "$pg_data/postmaster.pid")
  echo "$postmaster" $(pgrep -P "$postmaster")
}

# pg_top_statements LABEL: where PostgreSQL's time went in the last scenario.
pg_top_statements() {
  echo "  -- $1: PostgreSQL statements by total time (plan + execution)"
  $psql_cmd -P pager=off -c "
    SELECT calls, plans, round((total_plan_time + total_exec_time)::numeric, 0) AS total_ms,
           round((total_plan_time / nullif(plans, 0))::numeric, 3) AS plan_ms,
           round((total_exec_time / nullif(calls, 0))::numeric, 3) AS exec_ms,
           left(regexp_replace(query, '\s+', ' ', 'g'), 110) AS statement
      FROM pg_stat_statements ORDER BY total_plan_time + total_exec_time DESC LIMIT 8" |
    sed 's/^/  /'
}

# run_wrk LABEL TARGET CONNECTIONS SCRIPT URL [extra wrk args]
run_wrk() {
  local label=$1 target=$2 connections=$3 script=$4 url=$5
  shift 5
  local threads=2
  [ "$connections" -lt 2 ] && threads=1
  local servers databases server_cpu database_cpu
  servers=$(server_pids "$target")
  databases=$(database_pids "$target")
  server_cpu=$(cpu_ticks $servers)
  database_cpu=$(cpu_ticks $databases)
  [ -n "$pg_statements" ] && [ "$target" = postgresql ] &&
    $psql_cmd -c "SELECT pg_stat_statements_reset()" >/dev/null
  local out
  out=$(wrk -t"$threads" -c"$connections" --timeout 10s -s "$script" "$@" "$url")
  [ -n "$pg_statements" ] && [ "$target" = postgresql ] && pg_top_statements "$label"
  server_cpu=$(($(cpu_ticks $servers) - server_cpu))
  database_cpu=$(($(cpu_ticks $databases) - database_cpu))
  local line
  line=$(grep '^RESULT' <<<"$out") || { echo "$out" >&2; return 1; }
  local requests elapsed p50 p99 max non2xx socket_errors
  read -r _ requests elapsed p50 p99 max non2xx socket_errors <<<"$line"
  # CPU per request in microseconds: the server's, then the database's.
  local server_us database_us
  server_us=$(python3 -c "print(round($server_cpu * 1e6 / $ticks_per_second / max($requests, 1)))")
  database_us=$(python3 -c "print(round($database_cpu * 1e6 / $ticks_per_second / max($requests, 1)))")
  echo -e "$run\t$label\t$target\t$requests\t$elapsed\t$p50\t$p99\t$max\t$non2xx\t$socket_errors\t$server_us\t$database_us" >>"$results"
  printf '  %-22s %-18s %8.0f req/s  p50 %7.2f ms  p99 %8.2f ms  max %8.2f ms  non-2xx %s  errors %s  CPU/req %s+%s us\n' \
    "$label" "$target" "$(python3 -c "print($requests*1e6/$elapsed)")" \
    "$(python3 -c "print($p50/1000)")" "$(python3 -c "print($p99/1000)")" \
    "$(python3 -c "print($max/1000)")" "$non2xx" "$socket_errors" "$server_us" "$database_us"
}

# invite TARGET: --members invitations, one at a time on one keep-alive
# connection (wrk cannot stop after a count), timed around each request.
invite() {
  local out
  [ -n "$pg_statements" ] && [ "$1" = postgresql ] &&
    $psql_cmd -c "SELECT pg_stat_statements_reset()" >/dev/null
  out=$(python3 - "$base" "$cookie" "$members" <<'PY'
import http.client, json, sys, time, urllib.parse
base, cookie, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
url = urllib.parse.urlsplit(base)
connection = http.client.HTTPConnection(url.hostname, url.port)
headers = {"Cookie": "roster_session=" + cookie, "X-Requested-With": "roster",
           "Content-Type": "application/json"}
took, failed = [], 0
started = time.perf_counter()
for i in range(1, count + 1):
    body = json.dumps({"email": f"member{i}@load.test", "name": f"Member {i}"})
    t = time.perf_counter()
    connection.request("POST", url.path + "/orgs/1/invitations", body, headers)
    response = connection.getresponse()
    response.read()
    took.append(time.perf_counter() - t)
    failed += response.status // 100 != 2
duration = time.perf_counter() - started
took.sort()
pick = lambda q: took[min(len(took) - 1, int(q * len(took)))]
print("RESULT %d %d %d %d %d %d 0" % (count, duration * 1e6, pick(0.5) * 1e6, pick(0.99) * 1e6,
                                       took[-1] * 1e6, failed))
PY
)
  local line
  line=$(grep '^RESULT' <<<"$out") || { echo "$out" >&2; return 1; }
  local requests elapsed p50 p99 max non2xx socket_errors
  read -r _ requests elapsed p50 p99 max non2xx socket_errors <<<"$line"
  selected invitation || return 0
  [ -n "$pg_statements" ] && [ "$1" = postgresql ] && pg_top_statements invitation
  echo -e "$run\tinvitation\t$1\t$requests\t$elapsed\t$p50\t$p99\t$max\t$non2xx\t$socket_errors" >>"$results"
  printf '  %-22s %-18s %8.0f req/s  p50 %7.2f ms  p99 %8.2f ms  max %8.2f ms  non-2xx %s\n' \
    invitation "$1" "$(python3 -c "print($requests*1e6/$elapsed)")" \
    "$(python3 -c "print($p50/1000)")" "$(python3 -c "print($p99/1000)")" \
    "$(python3 -c "print($max/1000)")" "$non2xx"
}

# A Lua script that sends the request built by the body of `request`, with
# the session cookie and the CSRF header, and reports.
write_script() {  # FILE LUA-BODY-OF-request()
  cat >"$1" <<LUA
wrk.headers["Cookie"] = "roster_session=$cookie"
wrk.headers["X-Requested-With"] = "roster"
wrk.headers["Content-Type"] = "application/json"
LUA
  if [ -n "$2" ]; then
    cat >>"$1" <<LUA
counter = 0
request = function()
  counter = counter + 1
$2
end
LUA
  fi
  cat "$work/report.lua" >>"$1"
}

api() {  # METHOD PATH [JSON]
  curl -sS -f -b "roster_session=$cookie" -H 'X-Requested-With: roster' -H 'Content-Type: application/json' \
    -X "$1" ${3:+--data "$3"} "$base$2"
}
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

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
  otp=$("$roster" org create --name "Load Org" --admin-email admin@load.test --admin-name "Load Admin" 2>"$work/org.log" |
    sed -n 's/^one-time password: //p')
  "$roster" serve >"$work/serve.log" 2>&1 &
  roster_pid=$!
  for _ in $(seq 1 100); do
    grep -q '^listening on' "$work/serve.log" && break
    sleep 0.1
  done
  local jar="$work/cookies"
  curl -sS -f -c "$jar" -H 'X-Requested-With: roster' -H 'Content-Type: application/json' \
    --data "{\"email\":\"admin@load.test\",\"password\":\"$otp\"}" "$base/auth/login" >/dev/null
  curl -sS -f -b "$jar" -c "$jar" -H 'X-Requested-With: roster' -H 'Content-Type: application/json' \
    --data "{\"current_password\":\"$otp\",\"new_password\":\"quiet harbor lantern 4891\"}" \
    "$base/auth/password" >/dev/null
  cookie=$(awk '$6 == "roster_session" { print $7 }' "$jar")
  admin_id=$(api GET /me | json 'd["user"]["id"]')
}

# removal TARGET ASSISTANT OWNER OWNER-EMAIL: --leads leads imported for
# OWNER, then his removal handing them all to the admin, timed.
removal() {
  local target=$1 assistant=$2 owner=$3 owner_email=$4
  api PUT "/orgs/1/assistants/$assistant/users/$owner" '{}' >/dev/null
  python3 - "$work/leads.csv" "$leads" "$assistant" "$owner_email" <<'PY'
import sys
path, count, assistant, owner = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
with open(path, "w") as f:
    f.write("name,email,company,assistant,owner_email\n")
    for i in range(count):
        f.write(f"Lead {i},lead{i}@prospect.test,Prospect {i % 97},{assistant},{owner}\n")
PY
  "$roster" leads import --org 1 --csv "$work/leads.csv" >/dev/null
  local answer
  answer=$(curl -sS -o "$work/removal.json" -w '%{http_code} %{time_total}' -X DELETE \
    -b "roster_session=$cookie" -H 'X-Requested-With: roster' \
    "$base/orgs/1/members/$owner?reassign_to=$admin_id")
  local status seconds
  read -r status seconds <<<"$answer"
  local moved
  moved=$(json 'd.get("reassigned_lead_count", -1)' <"$work/removal.json")
  [ "$status" = 200 ] || echo "  removal answered $status: $(cat "$work/removal.json")" >&2
  local removal_us
  removal_us=$(python3 -c "print(int($seconds*1e6))")
  echo -e "$run\tremoval_${leads}\t$target\t1\t$removal_us\t$removal_us\t$removal_us\t$removal_us\t$([ "$status" = 200 ] && echo 0 || echo 1)\t0" >>"$results"
  printf '  %-22s %-18s %8.0f ms (%s leads moved, HTTP %s)\n' "removal" "$target" \
    "$(python3 -c "print($seconds*1000)")" "$moved" "$status"
}

# measure TARGET PSQL-OR-EMPTY: every scenario against the running roster.
measure() {
  local target=$1 analyze=$2
  echo "== $target (run $run; load average $(cut -d' ' -f1-3 /proc/loadavg))"
  invite "$target"

  local assistant target_user owner owner_email
  assistant=$(api POST /orgs/1/assistants '{"name":"Load Assistant"}' | json 'd["id"]')
  api PUT "/orgs/1/assistants/$assistant/users/$admin_id" '{}' >/dev/null
  local two
  two=$(api GET '/orgs/1/members?role=user&limit=2')
  target_user=$(json 'd["items"][0]["user_id"]' <<<"$two")
  owner=$(json 'd["items"][1]["user_id"]' <<<"$two")
  owner_email=$(json 'd["items"][1]["email"]' <<<"$two")

  if selected members; then
    write_script "$work/members.lua" ""
    local fresh_label=members_page
    [ -n "$analyze" ] && fresh_label=members_page_fresh
    run_wrk "$fresh_label" "$target" 32 "$work/members.lua" "$base/orgs/1/members?limit=50" -d "${duration}s"
    api GET '/orgs/1/members?limit=50' >"$work/members-page.json"
  fi

  if [ -n "$analyze" ]; then
    $analyze -c ANALYZE >/dev/null
    if selected members; then
      run_wrk members_page_analyzed "$target" 32 "$work/members.lua" "$base/orgs/1/members?limit=50" -d "${duration}s"
    fi
  fi

  if selected key; then
    local secret
    secret=$(api POST /orgs/1/api-keys '{"name":"Load key","scope":"read"}' | json 'd["key"]')
    # A key and a session cookie together are refused: this script has no cookie.
    printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$secret" >"$work/key.lua"
    cat "$work/report.lua" >>"$work/key.lua"
    run_wrk members_page_key "$target" 32 "$work/key.lua" "$base/orgs/1/members?limit=50" -d "${duration}s"
  fi

  if selected role; then
    write_script "$work/role.lua" '  local role = counter % 2 == 0 and "admin" or "user"
  return wrk.format("PATCH", "/api/v1/orgs/1/members/'"$target_user"'", nil, "{\"role\":\"" .. role .. "\"}")'
    run_wrk role_hot_row "$target" 32 "$work/role.lua" "$base" -d "${duration}s"
  fi

  if selected lead; then
    write_script "$work/lead.lua" '  return wrk.format("POST", "/api/v1/orgs/1/leads", nil,
    "{\"name\":\"Load Lead\",\"email\":\"lead@prospect.test\",\"assistant_id\":\"'"$assistant"'\",\"owner_id\":\"'"$admin_id"'\"}")'
    run_wrk lead_create_32 "$target" 32 "$work/lead.lua" "$base" -d "${duration}s"
    run_wrk lead_create_8 "$target" 8 "$work/lead.lua" "$base" -d "${duration}s"
  fi

  if selected removal; then removal "$target" "$assistant" "$owner" "$owner_email"; fi

  if selected leads; then
    write_script "$work/leads.lua" ""
    run_wrk leads_page "$target" 32 "$work/leads.lua" "$base/orgs/1/leads?limit=50" -d "${duration}s"
    # The members page again, now that the admin on it owns those leads:
    # each row shows how many leads its member owns.
    if [ -f "$work/members.lua" ]; then
      run_wrk members_with_leads "$target" 32 "$work/members.lua" "$base/orgs/1/members?limit=50" -d "${duration}s"
    fi
  fi

  if selected latency; then
    write_script "$work/one.lua" ""
    run_wrk members_page_1conn "$target" 1 "$work/one.lua" "$base/orgs/1/members?limit=50" -d "${duration}s"
    run_wrk leads_page_1conn "$target" 1 "$work/one.lua" "$base/orgs/1/leads?limit=50" -d "${duration}s"
  fi

  local rss
  rss=$(awk '/VmHWM/ { print $2 }' "/proc/$roster_pid/status")
  echo -e "$run\tpeak_rss_kib\t$target\t1\t1\t$rss\t$rss\t$rss\t0\t0" >>"$results"
  echo "  peak RSS $((rss / 1024)) MiB"
}

start_nginx() {
  local port
  port=$(free_port)
  mkdir -p "$work/nginx/www"
  chmod -R a+rX "$work/nginx"
  cat >"$work/nginx/nginx.conf" <<CONF
worker_processes auto;
daemon off;
pid $work/nginx/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$port;
    root $work/nginx/www;
    location / { default_type application/json; }
  }
}
CONF
  nginx -p "$work/nginx" -e "$work/nginx/error.log" -c "$work/nginx/nginx.conf" &
  nginx_pid=$!
  nginx_url="http://127.0.0.1:$port/members.json"
  for _ in $(seq 1 50); do
    curl -s -o /dev/null "$nginx_url" && break
    sleep 0.1
  done
}

start_postgres() {
  local dir="$work/pg"
  rm -rf "$dir"
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  pg_data="$dir/data"
  pg_port=$(free_port)
  local pg_extra=""
  [ -n "$pg_statements" ] &&
    pg_extra="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_planning=on"
  as_postgres "$pg_bin/initdb" -D "$pg_data" -U roster -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  # Durability as shipped (fsync, synchronous_commit on), like SQLite's
  # synchronous=FULL; autovacuum off so that "fresh" means no statistics.
  as_postgres "$pg_bin/pg_ctl" -D "$pg_data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $dir -c autovacuum=off -c max_connections=100 $pg_extra" \
    start >/dev/null
  psql_cmd="psql -q -X -v ON_ERROR_STOP=1 postgresql://roster@127.0.0.1:$pg_port/load"
  psql -q -X "postgresql://roster@127.0.0.1:$pg_port/postgres" -c "CREATE DATABASE load" >/dev/null
  if [ -n "$pg_statements" ]; then $psql_cmd -c "CREATE EXTENSION pg_stat_statements" >/dev/null; fi
}

echo "roster load benchmark: $runs run(s), ${duration}s per scenario, $members members, $leads leads; $(nproc) CPUs"
echo "start: load average $(cut -d' ' -f1-3 /proc/loadavg)"
# nginx_static: the members page last measured, as a static file.
nginx_static() {
  [ -f "$work/members-page.json" ] || return 0
  if [ -z "$nginx_pid" ]; then start_nginx; fi
  cp "$work/members-page.json" "$work/nginx/www/members.json"
  chmod a+r "$work/nginx/www/members.json"
  echo "== nginx-static ($(wc -c <"$work/nginx/www/members.json") bytes; load average $(cut -d' ' -f1-3 /proc/loadavg))"
  cat "$work/report.lua" >"$work/static.lua"
  run_wrk members_page nginx-static 32 "$work/static.lua" "$nginx_url" -d "${duration}s"
}

for run in $(seq 1 "$runs"); do
  rm -f "$work/members-page.json"
  if [ "$db" != postgresql ]; then
    rm -rf "$work/mail" "$work/sqlite"
    mkdir -p "$work/sqlite"
    start_roster "sqlite:$work/sqlite/roster.db"
    measure sqlite ""
    stop_roster
    # The same bytes as the SQLite members page, from nginx.
    nginx_static
  fi

  if [ "$db" != sqlite ]; then
    rm -rf "$work/mail"
    start_postgres
    roster_url="postgresql://roster@127.0.0.1:$pg_port/load"
    if [ -n "$pg_socket" ]; then roster_url="postgresql://roster@/load?host=$work/pg&port=$pg_port"; fi
    if [ -n "$pg_delay" ]; then
      proxy_port=$(free_port)
      python3 bench/delay_proxy.py "$proxy_port" "$pg_port" "$pg_delay" &
      proxy_pid=$!
      for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$proxy_port") 2>/dev/null && break; sleep 0.1; done
      roster_url="postgresql://roster@127.0.0.1:$proxy_port/load"
    fi
    if [ -n "$pg_workers" ]; then
      ROSTER_WORKERS="$pg_workers" start_roster "$roster_url"
    else
      start_roster "$roster_url"
    fi
    measure postgresql "$psql_cmd"
    stop_roster
    stop_postgres
    [ "$db" = postgresql ] && nginx_static
  fi
done
echo "end: load average $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$results" <<'PY'
import sys, statistics, collections
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
cells = collections.defaultdict(list)
order = []
cpu = collections.defaultdict(list)
for run, label, target, requests, duration, p50, p99, mx, non2xx, errors, *per_request in rows:
    key = (label, target)
    if key not in cells: order.append(key)
    cells[key].append(tuple(map(int, (requests, duration, p50, p99, mx, non2xx, errors))))
    if per_request: cpu[key].append(tuple(map(int, per_request)))
med = lambda xs: statistics.median(xs)
print("\n| scenario | target | req/s | p50 ms | p99 ms | max ms | non-2xx | socket errors | CPU µs/req, server + database |")
print("|---|---|---|---|---|---|---|---|---|")
rate = {}
for key in order:
    label, target = key
    values = cells[key]
    if label == "peak_rss_kib":
        print(f"| peak RSS | {target} | | | | {med([v[4] for v in values]) / 1024:.1f} MiB | | |")
        continue
    if label.startswith("removal"):
        print(f"| {label} | {target} | | | | {med([v[4] for v in values]) / 1000:.0f} ms | {sum(v[5] for v in values)} | |")
        continue
    rps = med([v[0] * 1e6 / v[1] for v in values])
    rate[key] = rps
    per_request = f"{med([c[0] for c in cpu[key]]):.0f} + {med([c[1] for c in cpu[key]]):.0f}" if cpu[key] else ""
    print(f"| {label} | {target} | {rps:.0f} | {med([v[2] for v in values]) / 1000:.2f} | "
          f"{med([v[3] for v in values]) / 1000:.2f} | {med([v[4] for v in values]) / 1000:.2f} | "
          f"{sum(v[5] for v in values)} | {sum(v[6] for v in values)} | {per_request} |")
print(f"\n(medians over {len(set(r[0] for r in rows))} run(s); non-2xx and socket errors are totals)")
# Ratios within each run (same machine load), then their median.
per_run = collections.defaultdict(dict)
for run, label, target, requests, duration, *_ in rows:
    if label.startswith("members_page"):
        per_run[run][(label, target)] = int(requests) * 1e6 / int(duration)
def ratio(numerator, denominator):
    values = [r[numerator] / r[denominator] for r in per_run.values() if numerator in r and denominator in r]
    return med(values) if values else None
nginx = ("members_page", "nginx-static")
sqlite = ("members_page", "sqlite")
print()
for key in (sqlite, ("members_page_fresh", "postgresql"), ("members_page_analyzed", "postgresql")):
    if key not in rate: continue
    line = f"{key[0]} {key[1]}: {rate[key]:.0f} req/s"
    if ratio(key, nginx) is not None: line += f" = {100 * ratio(key, nginx):.1f}% of nginx-static"
    if key[1] == "postgresql" and ratio(key, sqlite) is not None:
        line += f", {100 * ratio(key, sqlite):.1f}% of SQLite"
    print(line + " (median of per-run ratios)")
PY
