#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL 15 cluster: created in a
# temporary directory, started on a free loopback port, and removed when the
# command ends. The command sees ROSTER_TEST_PG_URL, a superuser URL of the
# cluster's `postgres` database (tests create a database of their own each),
# ROSTER_TEST_PG_SOCKET_DIR, where its Unix socket is, and ROSTER_TEST_PG_CA,
# the certificate authority of the server's TLS certificate (for the name
# "localhost"). Connections are in clear (PGSSLMODE=disable, as against a
# server without TLS) unless a URL asks for sslmode.
# Usage: scripts/with-postgres.sh COMMAND [ARGS...]
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ]; then
  echo "with-postgres: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
  exit 1
fi
dir=$(mktemp -d /tmp/roster-pg-XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
cleanup() {
  as_postgres "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
# A throw-away certificate authority and the server's certificate it signs.
mkdir "$dir/tls"
tls() { openssl "$@" >/dev/null 2>&1; }
tls req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -subj "/CN=Roster test CA" -keyout "$dir/tls/ca.key" -out "$dir/tls/ca.pem"
tls req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=localhost" \
  -keyout "$dir/tls/server.key" -out "$dir/tls/server.csr"
echo "subjectAltName = DNS:localhost" >"$dir/tls/server.ext"
tls x509 -req -in "$dir/tls/server.csr" -CA "$dir/tls/ca.pem" -CAkey "$dir/tls/ca.key" \
  -CAcreateserial -days 2 -extfile "$dir/tls/server.ext" -out "$dir/tls/server.pem"
chmod 600 "$dir/tls/server.key"
[ "$(id -u)" = 0 ] && chown -R postgres "$dir"
as_postgres "$bin/initdb" -D "$dir/data" -U roster -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
# A test cluster: durability off for speed; the product's own durability
# rests on PostgreSQL's defaults, which production keeps.
as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c ssl=on -c ssl_cert_file=$dir/tls/server.pem -c ssl_key_file=$dir/tls/server.key" \
  start >/dev/null
export ROSTER_TEST_PG_URL="postgresql://roster@127.0.0.1:$port/postgres"
# The same server's Unix socket directory (docs/install.md's local form).
export ROSTER_TEST_PG_SOCKET_DIR="$dir"
export ROSTER_TEST_PG_CA="$dir/tls/ca.pem"
export PGSSLMODE=disable
echo "with-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
set +e
"$@"
status=$?
set -e
exit $status
