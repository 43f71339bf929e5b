#!/usr/bin/env bash
# Bulk invitation of 1,000 people (SPEC 8) against a real `roster serve` on
# SQLite that delivers its e-mail to a local SMTP server (Debian's
# python3-aiosmtpd, as the SMTP tests use): the time to answer the request,
# the time until all 1,000 e-mails are delivered, and how long other
# requests take while they go out.
#
#   bench/bulk-invite.sh [BUILD_DIR] [ROWS]   (default: build, 1000)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "${1:-$repo/build}" && pwd)"
rows="${2:-1000}"
python="${ROSTER_TEST_PYTHON:-/usr/bin/python3}"
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

smtp_port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
mkdir -p "$work/maildir/tmp" "$work/maildir/new" "$work/maildir/cur"
"$python" -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$work/maildir" \
  2>"$work/smtp.log" &
pids+=($!)

export ROSTER_DB="sqlite:$work/roster.db" ROSTER_LISTEN=127.0.0.1:0 ROSTER_LOG_LEVEL=warn
"$build/roster" migrate >/dev/null
# The bootstrap prints the admin's one-time password with a file: transport.
created="$(ROSTER_MAIL="file:$work/bootstrap-mail" "$build/roster" org create --name "Bench Sales" \
             --admin-email admin@bench.test --admin-name "Bench Admin")"
otp="$(sed -n 's/.*one-time password: *\([^ ]*\).*/\1/ip' <<<"$created" | head -1)"
org="$(sed -n 's/.*organization \([0-9][0-9]*\).*/\1/p' <<<"$created" | head -1)"
ROSTER_MAIL="smtp://127.0.0.1:$smtp_port" "$build/roster" serve >"$work/serve.out" 2>"$work/serve.err" &
pids+=($!)
for _ in $(seq 100); do
  url="$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$work/serve.out" | head -1)"
  [[ -n "$url" ]] && break
  sleep 0.1
done
[[ -n "$url" ]] || { echo "roster serve did not start" >&2; cat "$work/serve.err" >&2; exit 1; }

"$python" -u - "$url" "$otp" "$org" "$rows" "$work/maildir" <<'PY'
import http.client, json, os, statistics, sys, time, urllib.parse

url, otp, org, rows, maildir = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
parsed = urllib.parse.urlparse(url)
connection = http.client.HTTPConnection(parsed.hostname, parsed.port)
cookie = None

def call(method, path, body=None, content_type="application/json"):
    global cookie
    headers = {"X-Requested-With": "roster"}
    if body is not None: headers["Content-Type"] = content_type
    if cookie: headers["Cookie"] = cookie
    connection.request(method, "/api/v1" + path, body, headers)
    response = connection.getresponse()
    data = response.read()
    set_cookie = response.getheader("Set-Cookie")
    if set_cookie and "roster_session=" in set_cookie: cookie = set_cookie.split(";")[0]
    return response.status, data

assert call("POST", "/auth/login", json.dumps({"email": "admin@bench.test", "password": otp}))[0] == 200
assert call("POST", "/auth/password", json.dumps({"current_password": otp,
            "new_password": "violet umbrella marches north 1847"}))[0] == 204
assert call("POST", f"/orgs/{org}/assistants", json.dumps({"name": "Aria"}))[0] == 201
csv = "email,name,role,assistants\n" + "".join(
    f"rep{i}@bench.test,Rep Number {i},user,{'Aria' if i % 2 else ''}\n" for i in range(rows))

def delivered():
    return len(os.listdir(os.path.join(maildir, "new"))) if os.path.isdir(os.path.join(maildir, "new")) else 0

start = time.perf_counter()
status, body = call("POST", f"/orgs/{org}/invitations/bulk?dry_run=true", csv, "text/csv")
dry = time.perf_counter() - start
assert status == 200, body[:500]
start = time.perf_counter()
status, body = call("POST", f"/orgs/{org}/invitations/bulk", csv, "text/csv")
answered = time.perf_counter() - start
assert status == 200, body[:500]
assert json.loads(body)["counts"]["invited"] == rows
at_answer = delivered()
reads = []
while delivered() < rows:
    t = time.perf_counter()
    assert call("GET", f"/orgs/{org}/members?limit=50")[0] == 200
    reads.append((time.perf_counter() - t) * 1000)
    if time.perf_counter() - start > 600: raise SystemExit("not all e-mails were delivered in 10 minutes")
    time.sleep(0.05)
all_delivered = time.perf_counter() - start
print(f"rows: {rows}; body {len(csv)} bytes")
print(f"dry run answered in      {dry * 1000:8.0f} ms")
print(f"invitation answered in   {answered * 1000:8.0f} ms ({at_answer} e-mails delivered by then)")
print(f"all e-mails delivered in {all_delivered:8.2f} s after the request was sent")
if reads:
    print(f"GET members during delivery: n={len(reads)} median {statistics.median(reads):.1f} ms, "
          f"max {max(reads):.1f} ms")
PY
